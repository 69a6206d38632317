/**
 * A location as its segments: object keys, and array indexes as numbers.
 *
 * @example
 * ```ts
 * const path: PathSegments = ['spec', 'containers', 0, 'image']; // /spec/containers/0/image
 * ```
 */
export type PathSegments = readonly (string | number)[];

/**
 * Document order for locations: segment by segment, array indexes by number (so `/items/2` comes
 * before `/items/10`), keys by UTF-16 code units (locale-independent), a parent before its children.
 *
 * @example
 * ```ts
 * [['a', 10], ['a', 2], ['a']].sort(comparePaths); // [['a'], ['a', 2], ['a', 10]]
 * ```
 */
export function comparePaths(a: PathSegments, b: PathSegments): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
