// Field moves the built-in conversions share. They work on CEL values (see `toCelValue`), where a
// map is a plain object, or a `Map` when one of its keys is `constructor`; both kinds are read and
// written here, so a label or topology map named that way converts like any other.

import { setOwn } from './cel-values.js';
import type { CelObject } from './convert-versions.js';

/** Whether a CEL value is a plain-object map (not a list, not a `Map`). */
export function isObject(value: unknown): value is CelObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map);
}

/** Whether a field is unset as a Go pointer or map sees it: absent or `null`. */
export function isUnset(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** The entries of a map value (a plain object or a `Map`); nothing for anything else. */
export function entriesOf(value: unknown): [string, unknown][] {
  if (value instanceof Map) return [...(value as Map<string, unknown>).entries()];
  return isObject(value) ? Object.entries(value) : [];
}

/** A map value from entries, as `toCelValue` would make it (a `Map` when a key is `constructor`). */
export function mapOf(entries: Iterable<readonly [string, unknown]>): CelObject | Map<string, unknown> {
  const list = [...entries];
  if (list.some(([key]) => key === 'constructor')) return new Map(list);
  const out: CelObject = {};
  for (const [key, value] of list) setOwn(out, key, value);
  return out;
}

/** A copy of `object` without the keys `omit` names, in the same order. */
export function withoutKeys(object: CelObject, omit: readonly string[]): CelObject {
  const out: CelObject = {};
  for (const [key, value] of Object.entries(object)) if (!omit.includes(key)) setOwn(out, key, value);
  return out;
}

/**
 * `object` with the field `from` renamed to `to`, in place. The target version has no field `from`
 * and the source none named `to`, so a stray `to` goes, and an absent `from` leaves `to` absent.
 */
export function renameField(object: CelObject, from: string, to: string): void {
  const value = object[from];
  Reflect.deleteProperty(object, from);
  Reflect.deleteProperty(object, to);
  if (value !== undefined) setOwn(object, to, value);
}
