// Field moves the built-in conversions share. They work on CEL values (see `toCelValue`), where a
// map is a plain object, or a `Map` when one of its keys is `constructor`; both kinds are read and
// written here, so a label or topology map named that way converts like any other. Every read is of
// an own field, and every write goes through `setOwn`, so user keys (`__proto__`, `constructor`)
// stay data.

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

/** An own field of a map value (a plain object or a `Map`); `undefined` for anything else. */
export function fieldOf(holder: unknown, key: string): unknown {
  if (holder instanceof Map) return (holder as Map<string, unknown>).get(key);
  return isObject(holder) && Object.hasOwn(holder, key) ? holder[key] : undefined;
}

/** The plain-object map at `key` of `holder`, or `undefined` when something else is there. */
export function objectAt(holder: unknown, key: string): CelObject | undefined {
  const value = fieldOf(holder, key);
  return isObject(value) ? value : undefined;
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

/** Remove the own field `key` of `object`, in place; whether there was one. */
export function deleteField(object: CelObject, key: string): boolean {
  return Object.hasOwn(object, key) && Reflect.deleteProperty(object, key);
}

/** The own field `key` of `object`, removed from it. */
export function takeField(object: CelObject, key: string): unknown {
  const value = fieldOf(object, key);
  deleteField(object, key);
  return value;
}

/**
 * `object` with the field `from` renamed to `to`, in place. The target version has no field `from`
 * and the source none named `to`, so a stray `to` goes, and an absent `from` leaves `to` absent.
 */
export function renameField(object: CelObject, from: string, to: string): void {
  const value = takeField(object, from);
  deleteField(object, to);
  if (value !== undefined) setOwn(object, to, value);
}

/** The list at `key` of `holder`, its plain-object items replaced by `convert`'s, in place. */
export function mapObjects(holder: unknown, key: string, convert: (item: CelObject) => unknown): void {
  const list = fieldOf(holder, key);
  if (isObject(holder) && Array.isArray(list))
    setOwn(
      holder,
      key,
      list.map((item: unknown) => (isObject(item) ? convert(item) : item)),
    );
}

/** The text of annotation `key` of `object`, when it has one. */
export function annotationOf(object: CelObject, key: string): string | undefined {
  const value = fieldOf(fieldOf(fieldOf(object, 'metadata'), 'annotations'), key);
  return typeof value === 'string' ? value : undefined;
}

/** Whether `object` has annotation `key`, whatever its value. */
export function hasAnnotation(object: CelObject, key: string): boolean {
  const annotations = fieldOf(fieldOf(object, 'metadata'), 'annotations');
  return annotations instanceof Map
    ? annotations.has(key)
    : isObject(annotations) && Object.hasOwn(annotations, key);
}

/** The plain-object map at `key` of `holder`, made when unset; `undefined` when something else is there. */
export function ensureObject(holder: CelObject | undefined, key: string): CelObject | undefined {
  if (holder && isUnset(fieldOf(holder, key))) setOwn(holder, key, {});
  return objectAt(holder, key);
}

/**
 * Set annotation `key` of `object` to `text`, in place, making `metadata` and `annotations` when
 * unset; nothing when either is something else than a map.
 */
export function writeAnnotation(object: CelObject, key: string, text: string): void {
  const metadata = ensureObject(object, 'metadata');
  const annotations = fieldOf(metadata, 'annotations');
  if (annotations instanceof Map) annotations.set(key, text);
  else {
    const made = ensureObject(metadata, 'annotations');
    if (made) setOwn(made, key, text);
  }
}

/**
 * Remove the annotations `keys` of `object`, in place, and the annotations with them when none is
 * left (an empty map is left out when the typed object is written again); whether any was there.
 */
export function dropAnnotations(object: CelObject, keys: readonly string[]): boolean {
  const metadata = objectAt(object, 'metadata');
  const annotations = fieldOf(metadata, 'annotations');
  let dropped = false;
  for (const key of keys) {
    if (annotations instanceof Map) dropped = annotations.delete(key) || dropped;
    else if (isObject(annotations)) dropped = deleteField(annotations, key) || dropped;
  }
  const left = annotations instanceof Map ? annotations.size : entriesOf(annotations).length;
  if (dropped && metadata && left === 0) deleteField(metadata, 'annotations');
  return dropped;
}
