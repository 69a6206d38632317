import { isObject as isJsonObject } from './json-value.js';

/**
 * Deep equality of JSON values, as jq's `==` and server-side apply's list keys compare them:
 * numbers by value, objects by their own keys whatever their order. Iterative, so a deeply nested
 * value cannot overflow the stack; `onStep` is called once per pair of values compared, for callers
 * that budget their work.
 *
 * @example
 * ```ts
 * sameJson({ port: 80, protocol: 'TCP' }, { protocol: 'TCP', port: 80 }); // true
 * sameJson([1, 2], [2, 1]); // false
 * ```
 */
export function sameJson(a: unknown, b: unknown, onStep?: () => void): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    onStep?.();
    if (x === y || (x == null && y == null)) continue;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], y[i]]);
    } else if (isJsonObject(x)) {
      if (!isJsonObject(y)) return false;
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      for (const key of keys) {
        if (!Object.hasOwn(y, key)) return false;
        stack.push([x[key], y[key]]);
      }
    } else {
      return false;
    }
  }
  return true;
}
