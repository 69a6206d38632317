import { bestPracticeRules } from './best-practices/index.js';
import { pssRules } from './pss/index.js';
import { pssNamespaceRules } from './pss/namespaces.js';
import type { Rule } from './rule.js';
import { admissionPolicyRule } from './vap/index.js';

/** Every built-in rule, grouped as the docs present them, with the packs each rule is in. */
export interface RuleGroup {
  readonly title: string;
  readonly rules: readonly Rule[];
  /** Pack names per rule id. */
  readonly packs: Readonly<Record<string, readonly string[]>>;
}

/**
 * The built-in rules for the docs and the SARIF catalogue, at one Kubernetes version (PSS checks are
 * versioned; 1.35 has all 19).
 *
 * @example
 * ```ts
 * ruleCatalogue('1.35').flatMap((g) => g.rules).length; // every built-in rule once
 * ```
 */
export function ruleCatalogue(kubernetesVersion = '1.35'): RuleGroup[] {
  const baseline = pssRules('baseline', kubernetesVersion);
  const restricted = pssRules('restricted', kubernetesVersion);
  const pss = new Map<string, Rule>();
  const packs: Record<string, string[]> = {};
  for (const [pack, rules] of [
    ['pss-baseline', baseline],
    ['pss-restricted', restricted],
    ['pss-namespaces', pssNamespaceRules(kubernetesVersion)],
  ] as const) {
    for (const rule of rules) {
      if (!pss.has(rule.id)) pss.set(rule.id, rule);
      packs[rule.id] = [...(packs[rule.id] ?? []), pack];
    }
  }
  for (const rule of bestPracticeRules) packs[rule.id] = [...(packs[rule.id] ?? []), 'best-practices'];
  const vap = admissionPolicyRule();
  packs[vap.id] = ['on by default'];
  return [
    {
      title: 'Pod Security Standards (`pss-baseline`, `pss-restricted`, `pss-namespaces`)',
      rules: [...pss.values()],
      packs,
    },
    { title: 'Best practices (`best-practices`)', rules: bestPracticeRules, packs },
    { title: 'ValidatingAdmissionPolicies (evaluated by default)', rules: [vap], packs },
  ];
}
