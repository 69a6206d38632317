import { ownString } from '@shipshape/core';

// Findings and their data are kept after their file is done; strings in them must not point into
// the file's text (see ownString in @shipshape/core).

/**
 * `data` with every string in it (a few levels deep) copied by {@link ownString}; as is when none
 * needs it. Rules report the same constant data object with many findings: its copy is made once
 * (data is not to be changed once reported).
 */
export function ownData<T>(data: T): T {
  if (data === null || typeof data !== 'object')
    return typeof data === 'string' ? (ownString(data) as T) : data;
  const known = owned.get(data);
  if (known !== undefined) return known as T;
  const copy = copyData(data, 0);
  owned.set(data, copy);
  return copy;
}

const owned = new WeakMap<object, unknown>();

function copyData<T>(data: T, depth: number): T {
  if (typeof data === 'string') return ownString(data) as T;
  if (data === null || typeof data !== 'object' || depth > 4 || !holdsLongString(data, depth)) return data;
  if (Array.isArray(data)) return data.map((v: unknown) => copyData(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const copy: unknown = copyData(value as unknown, depth + 1);
    // A `__proto__` key (YAML has no reserved keys) stays a key: assigning it would set the
    // copy's prototype and drop the entry.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[ownString(key)] = copy;
  }
  return out as T;
}

function holdsLongString(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.length >= 13;
  if (value === null || typeof value !== 'object' || depth > 4) return false;
  if (Array.isArray(value)) return value.some((v) => holdsLongString(v, depth + 1));
  for (const key in value) {
    if (key.length >= 13 || holdsLongString((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}
