/**
 * Strings a parser slices out of a file's text point into that text (V8 "sliced strings", from 13
 * characters on), and strings built from them (`container ${name} …`) point at them. Anything kept
 * after the file is done (an identity, a finding, a rule's cross-resource state) would keep the
 * whole text alive: every file of a repository, for something kept from each. These copies stand
 * alone.
 */

/**
 * A copy of `value` that does not point into the string it was sliced from.
 *
 * @example
 * ```ts
 * const name = ownString(object.metadata.name); // safe to keep after the file's text is released
 * ```
 */
export function ownString(value: string): string {
  // Concatenating makes a new string; slicing that flattens the new string, not the file's text.
  return value.length < 13 ? value : ` ${value}`.slice(1);
}

/**
 * A pool of own copies: the function it returns gives one copy per distinct value (see
 * {@link ownString}), so values repeated many times are kept once. Past `limit` distinct values,
 * further ones are copied each time. The pool lives as long as the function: make one per task
 * (a check) for values only that task repeats.
 *
 * @example
 * ```ts
 * const pooled = stringPool(50_000);
 * pooled(`container ${name} has no liveness probe`) === pooled(`container ${name} has no liveness probe`); // one copy
 * ```
 */
export function stringPool(limit: number): (value: string) => string {
  const pool = new Map<string, string>();
  return (value) => {
    if (value.length < 13) return value;
    const known = pool.get(value);
    if (known !== undefined) return known;
    const own = ownString(value);
    if (pool.size < limit) pool.set(own, own);
    return own;
  };
}

/**
 * One own copy per distinct value, for values repeated across a repository (kinds, API versions,
 * namespaces, label keys): a {@link stringPool} for the process, of 10,000 values.
 *
 * @example
 * ```ts
 * sharedString('app.kubernetes.io/name') === sharedString('app.kubernetes.io/name'); // one copy
 * ```
 */
export const sharedString: (value: string) => string = stringPool(10_000);
