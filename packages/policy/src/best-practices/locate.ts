import { isObject, pointerToken } from '../workloads.js';

/** Where a finding about a field goes: a JSON Pointer, and whether the span is the key there. */
export interface FieldLocation {
  readonly path: string;
  readonly atKey: boolean;
}

/**
 * The location of the field `keys` below `value` (which sits at `base`): the field itself when it
 * is written, else its nearest written parent, so a missing field points at the object that should
 * hold it. The span goes on the key of that parent (or of a field written as `null`, which has no
 * value to show); a written value gets the value's span.
 *
 * @example
 * ```ts
 * locateField('/spec/containers/0', { name: 'app', securityContext: {} }, ['securityContext', 'privileged']);
 * // { path: '/spec/containers/0/securityContext', atKey: true }
 * ```
 */
export function locateField(base: string, value: unknown, keys: readonly (string | number)[]): FieldLocation {
  let path = base;
  let at = value;
  let found = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string | number;
    const present =
      typeof key === 'number' ? Array.isArray(at) && key < at.length : isObject(at) && Object.hasOwn(at, key);
    if (!present) break;
    at = (at as Record<string | number, unknown>)[key];
    path += `/${pointerToken(key)}`;
    found += 1;
  }
  const last = found === 0 ? undefined : keys[found - 1];
  // A base that ends in an array index (a container, a rule) has no key of its own.
  const lastIsKey = last === undefined ? base !== '' && !endsWithIndex(base) : typeof last === 'string';
  const atKey = found === keys.length ? at === null && lastIsKey : lastIsKey;
  return { path, atKey };
}

/** A pointer made of a base pointer and more keys, each escaped. */
export function pointerOf(base: string, ...keys: readonly (string | number)[]): string {
  let out = base;
  for (let i = 0; i < keys.length; i++) out += `/${pointerToken(keys[i] as string | number)}`;
  return out;
}

/** Whether a pointer's last token is an array index (`/\d+$`). */
function endsWithIndex(pointer: string): boolean {
  let i = pointer.length - 1;
  while (i >= 0 && pointer.charCodeAt(i) >= 48 && pointer.charCodeAt(i) <= 57) i--;
  return i < pointer.length - 1 && i >= 0 && pointer.charCodeAt(i) === 47;
}

/** What a finding says besides where it is. */
export interface FieldFinding {
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * A finding at a field's location: `context.report(atField(locateField(…), { message, data }))`.
 * Written as object literals on purpose: V8 builds `{ ...location, message }` through a slow path
 * (3–4 µs a finding, more than the rule's checks), and an object grown by `Object.assign` gets a
 * hidden class that dies with the findings at each full garbage collection, taking with it the
 * engine's code compiled for it (see keepShape in @shipshape/core). A literal's class lives as
 * long as the code that makes it.
 *
 * @example
 * ```ts
 * atField({ path: '/spec', atKey: true }, { message: 'spec.tls is missing' });
 * // { path: '/spec', atKey: true, message: 'spec.tls is missing' }
 * ```
 */
export function atField(location: FieldLocation, rest: FieldFinding): FieldLocation & FieldFinding {
  return rest.data === undefined
    ? { path: location.path, atKey: location.atKey, message: rest.message }
    : { path: location.path, atKey: location.atKey, message: rest.message, data: rest.data };
}

const polarisData = new Map<string, Readonly<{ polaris: string }>>();

/**
 * The `data` of a finding that matches a Polaris check, `{ polaris: check }`: one frozen object per
 * check, shared by all its findings (the engine copies each distinct data object once).
 *
 * @example
 * ```ts
 * polaris('hostPortSet'); // { polaris: 'hostPortSet' }
 * ```
 */
export function polaris(check: string): Readonly<{ polaris: string }> {
  let data = polarisData.get(check);
  if (data === undefined) {
    data = Object.freeze({ polaris: check });
    polarisData.set(check, data);
  }
  return data;
}
