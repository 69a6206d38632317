import { createBestPracticeRules } from './best-practices/index.js';
import { pssRules } from './pss/index.js';
import { pssNamespaceRules } from './pss/namespaces.js';
import type { Rule, RulePack } from './rule.js';

/** The built-in packs, by the name `--policy` and the config use. */
export const PACK_NAMES = ['pss-baseline', 'pss-restricted', 'pss-namespaces', 'best-practices'] as const;

/** One of {@link PACK_NAMES}. */
export type PackName = (typeof PACK_NAMES)[number];

/** Whether a `--policy` value names a built-in pack. */
export function isPackName(name: string): name is PackName {
  return (PACK_NAMES as readonly string[]).includes(name);
}

/**
 * A built-in pack's rules for a target Kubernetes version (PSS checks follow the policy version
 * that matches it, as `pod-security.kubernetes.io/enforce-version` would).
 *
 * @example
 * ```ts
 * const pack = loadPack('pss-restricted', '1.33');
 * pack.rules.map((r) => r.id); // ['pss/hostNamespaces', …, 'pss/runAsNonRoot', …]
 * ```
 */
export function loadPack(name: PackName, kubernetesVersion: string): RulePack {
  // A JavaScript caller's typo must not swap security checks for another pack.
  if (!isPackName(name)) {
    throw new RangeError(
      `no built-in pack is named ${JSON.stringify(name)} (packs: ${PACK_NAMES.join(', ')})`,
    );
  }
  switch (name) {
    case 'pss-baseline':
      return {
        name,
        description: 'Pod Security Standards, baseline level: blocks known privilege escalations.',
        rules: pssRules('baseline', kubernetesVersion),
      };
    case 'pss-restricted':
      return {
        name,
        description: 'Pod Security Standards, restricted level: baseline plus current pod hardening.',
        rules: pssRules('restricted', kubernetesVersion),
      };
    case 'pss-namespaces':
      return {
        name,
        description:
          'Pod Security Standards at the level each namespace enforces, warns about and audits (its pod-security.kubernetes.io labels).',
        // Fresh instances: the rules share the namespaces they read for one run.
        rules: pssNamespaceRules(kubernetesVersion),
      };
    case 'best-practices':
      return {
        name,
        description:
          'Best practices: the checks Polaris, kube-score and kube-linter agree on, and those one of them (or Kyverno) runs where the cluster would refuse or break the object.',
        // Fresh instances: the cross-resource rules keep state for one run.
        rules: createBestPracticeRules(),
      };
  }
}

/**
 * The rules of several packs, each rule once, in pack order (one name alone may be given as a
 * string).
 *
 * @throws RangeError for a name that is not a built-in pack, and for `pss-namespaces` with
 * `pss-baseline` or `pss-restricted` (see {@link packConflict}).
 * @example
 * ```ts
 * packRules(['pss-restricted', 'best-practices'], '1.33').length; // 62: 14 PSS rules, then 48 best practices
 * ```
 */
export function packRules(names: readonly PackName[] | PackName, kubernetesVersion: string): Rule[] {
  const list = typeof names === 'string' ? [names] : names;
  const conflict = packConflict(list);
  if (conflict !== undefined) throw new RangeError(conflict);
  const seen = new Set<string>();
  const out: Rule[] = [];
  for (const name of list) {
    for (const rule of loadPack(name, kubernetesVersion).rules) {
      if (seen.has(rule.id)) continue;
      seen.add(rule.id);
      out.push(rule);
    }
  }
  return out;
}

/**
 * Why packs cannot run together, if they cannot: `pss-namespaces` judges each pod at the level its
 * namespace sets, `pss-baseline` and `pss-restricted` every pod at one level, under the same
 * `pss/<check>` codes. Together one would silently replace the other's checks.
 *
 * @example
 * ```ts
 * packConflict(['pss-namespaces', 'pss-restricted']); // 'pss-namespaces cannot run with pss-restricted: …'
 * packConflict(['pss-restricted', 'best-practices']); // undefined
 * ```
 */
export function packConflict(names: readonly string[]): string | undefined {
  if (!names.includes('pss-namespaces')) return undefined;
  const fixed = names.filter((n) => n === 'pss-baseline' || n === 'pss-restricted');
  if (fixed.length === 0) return undefined;
  return `pss-namespaces cannot run with ${fixed.join(' or ')}: pss-namespaces judges each pod at the level its namespace's pod-security.kubernetes.io labels set, ${fixed.join(' and ')} every pod at one level, with the same pss/<check> codes; choose one (for one level everywhere, label the namespaces or set the defaultEnforce option of pss/namespace-labels)`;
}
