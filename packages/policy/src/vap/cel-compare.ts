import { Optional } from '@marcbachmann/cel-js';
import { Quantity } from './lib-quantity.js';
import { isDuration, nanosecondsOf } from './lib-time.js';

/** A number of either CEL kind (int as bigint, uint wrapped, double as number) as a JS number or bigint. */
function numeric(value: unknown): number | bigint | undefined {
  if (typeof value === 'bigint' || typeof value === 'number') return value;
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { valueOf(): unknown }).valueOf() === 'bigint'
  ) {
    return (value as { valueOf(): bigint }).valueOf(); // cel-js's UnsignedInt
  }
  return undefined;
}

/**
 * Order two CEL values of a comparable kind (numbers across int, uint and double; strings; bools;
 * timestamps; durations; bytes; quantities), or throw for kinds that have no order.
 */
export function compareCelValues(a: unknown, b: unknown): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Quantity && b instanceof Quantity) return a.compare(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return Math.sign(d);
    }
    return Math.sign(a.length - b.length);
  }
  if (isOrderedObject(a) && isOrderedObject(b) && a.constructor === b.constructor) {
    const d = Number(a.valueOf()) - Number(b.valueOf());
    return Math.sign(d);
  }
  throw new Error('values of these types cannot be ordered');
}

/** Durations and similar value types that order by `valueOf()`. */
function isOrderedObject(value: unknown): value is { valueOf(): number } {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { valueOf(): unknown }).valueOf() === 'number'
  );
}

/**
 * CEL equality over JSON-like values: numbers compare across kinds, lists and maps deeply; bytes
 * by content, durations and timestamps by value, optionals by presence then value.
 */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) {
    if (typeof x === typeof y) return x === y;
    // An int and a double: equal when neither is smaller (NaN equals nothing).
    return !(x < y || x > y || Number.isNaN(x) || Number.isNaN(y));
  }
  if (a instanceof Quantity && b instanceof Quantity) return a.compare(b) === 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  if (a instanceof Optional && b instanceof Optional)
    return a.hasValue() === b.hasValue() && (!a.hasValue() || celEquals(a.value(), b.value()));
  if (isDuration(a) && isDuration(b)) return nanosecondsOf(a) === nanosecondsOf(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => celEquals(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && celEquals(a[key], b[key]))
    );
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)
  );
}
