/** A Kubernetes label selector, read into plain data. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly SelectorRequirement[];
  /** Set when the selector could not be read: it then selects nothing, like a rejected object. */
  readonly invalid?: boolean;
}

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/**
 * Whether labels satisfy a selector, with the API server's semantics: every term must hold; an
 * absent selector selects everything, an invalid one nothing.
 *
 * @example
 * ```ts
 * selectorMatches({ matchLabels: { app: 'web' }, matchExpressions: [] }, { app: 'web', tier: 'api' }); // true
 * ```
 */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Readonly<Record<string, unknown>>,
): boolean {
  if (!selector) return true;
  if (selector.invalid) return false;
  // Loops, not Object.entries and `every`: rules match one selector with many label sets.
  const matchLabels = selector.matchLabels;
  for (const key in matchLabels) {
    if (!Object.hasOwn(matchLabels, key)) continue;
    if (!Object.hasOwn(labels, key) || labels[key] !== matchLabels[key]) return false;
  }
  const expressions = selector.matchExpressions;
  for (let i = 0; i < expressions.length; i++) {
    if (!requirementHolds(expressions[i] as SelectorRequirement, labels)) return false;
  }
  return true;
}

function requirementHolds(r: SelectorRequirement, labels: Readonly<Record<string, unknown>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'In':
      return has && typeof value === 'string' && r.values.includes(value);
    case 'NotIn':
      return !has || typeof value !== 'string' || !r.values.includes(value);
    case 'Exists':
      return has;
    default:
      return !has;
  }
}
