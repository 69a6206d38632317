import type { Rule } from '@shipshape/policy';
import { pssRules } from '../src/pss/index.js';

/** A Pod named `p` with this spec (and metadata). */
export function pod(
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec };
}

/** The rule `pss/<check>` of a level at a Kubernetes version; throws when it does not run there. */
export function pssRule(check: string, level: 'baseline' | 'restricted', version: string): Rule {
  const rule = pssRules(level, version).find((r) => r.id === `pss/${check}`);
  if (!rule) throw new Error(`pss/${check} does not run at ${level} ${version}`);
  return rule;
}

/** The ids of the rules of a level at a version, without the `pss/` prefix. */
export function ruleIds(level: 'baseline' | 'restricted', version: string): string[] {
  return pssRules(level, version).map((r) => r.id.slice('pss/'.length));
}
