import { type ResourceId, splitApiVersion } from '@shipshape/core';

/** A plain JSON object (own enumerable string keys). */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Set an own property, also for keys such as `__proto__`. */
export function put(target: JsonObject, key: string, value: unknown): void {
  // Plain assignment is much faster; only `__proto__` would call the prototype setter instead.
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** An entry a removal emptied: the same kind of collection with nothing in it (a scalar stays as it is). */
export function emptyOf(value: unknown): unknown {
  return Array.isArray(value) ? [] : isObject(value) ? {} : value;
}

/** What a plain object says it is: `apiVersion`, its group, `kind`, `metadata.namespace` and `.name` (`''` when absent). */
export function identityOf(object: Readonly<Record<string, unknown>>): ResourceId {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const apiVersion = text(object['apiVersion']);
  const metadata = isObject(object['metadata']) ? object['metadata'] : {};
  return {
    apiVersion,
    group: splitApiVersion(apiVersion).group,
    kind: text(object['kind']),
    namespace: text(metadata['namespace']),
    name: text(metadata['name']),
  };
}
