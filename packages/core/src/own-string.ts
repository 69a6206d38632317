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

const SHARED_LIMIT = 10_000;
const sharedStrings = new Map<string, string>();

/**
 * One own copy per distinct value, for values repeated across a repository (kinds, API versions,
 * namespaces, label keys). Bounded: past 10,000 distinct values, further ones are copied each time.
 *
 * @example
 * ```ts
 * sharedString('app.kubernetes.io/name') === sharedString('app.kubernetes.io/name'); // one copy
 * ```
 */
export function sharedString(value: string): string {
  if (value.length < 13) return value;
  const known = sharedStrings.get(value);
  if (known !== undefined) return known;
  const own = ownString(value);
  if (sharedStrings.size < SHARED_LIMIT) sharedStrings.set(own, own);
  return own;
}
