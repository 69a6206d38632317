export { builtInKind, type KindInfo } from '@shipshape/core';

/**
 * The resource name of a kind nothing else describes, close to the API machinery's
 * `UnsafeGuessKindToResource`: lower-case, then `-es` after a final `s`, `-ies` for a final `y`
 * after a consonant, `-s` otherwise (the machinery writes `gatewaies`; CRDs declare `gateways`).
 * CustomResourceDefinitions in the repository take precedence over this guess.
 *
 * @example
 * ```ts
 * guessResource('Gateway'); // 'gateways'
 * guessResource('NetworkPolicy'); // 'networkpolicies'
 * ```
 */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === '') return lower;
  if (lower.endsWith('s')) return `${lower}es`;
  // Gateway → gateways (English, and what CRDs declare), Policy → policies.
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}
