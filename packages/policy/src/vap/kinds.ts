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

// Resources the API server serves under several groups, converted into one another; with
// `matchPolicy: Equivalent` a rule on any of them matches the others.
const EQUIVALENT_GROUPS: readonly (readonly string[])[] = [
  ['apps/deployments', 'extensions/deployments'],
  ['apps/daemonsets', 'extensions/daemonsets'],
  ['apps/replicasets', 'extensions/replicasets'],
  ['networking.k8s.io/ingresses', 'extensions/ingresses'],
  ['networking.k8s.io/networkpolicies', 'extensions/networkpolicies'],
  ['policy/podsecuritypolicies', 'extensions/podsecuritypolicies'],
  ['/events', 'events.k8s.io/events'],
];

/** The groups a resource is also served under (its own first). */
export function equivalentGroups(group: string, resource: string): string[] {
  const key = `${group}/${resource}`;
  const set = EQUIVALENT_GROUPS.find((s) => s.includes(key));
  if (!set) return [group];
  return [group, ...set.filter((k) => k !== key).map((k) => k.slice(0, k.lastIndexOf('/')))];
}
