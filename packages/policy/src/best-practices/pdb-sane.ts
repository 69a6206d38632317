import type { Rule } from '../rule.js';
import { dig } from '../workloads.js';
import { isKind } from './kinds.js';
import { nameOf } from './show-value.js';

/**
 * `bp/pdb-sane`: PodDisruptionBudgets allow at least one voluntary eviction (Polaris
 * `pdbDisruptionsIsZero`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [pdbSane], kubernetesVersion: '1.35' });
 * ```
 */
export const pdbSane: Rule = {
  id: 'bp/pdb-sane',
  category: 'reliability',
  severity: 'warning',
  kinds: ['PodDisruptionBudget'],
  docs: {
    summary: 'PodDisruptionBudgets allow voluntary evictions.',
    details: `A budget with \`minAvailable: 100%\` or \`maxUnavailable: 0\` forbids every voluntary eviction: node
drains hang, and cluster upgrades and autoscaler scale-downs stall until someone deletes the budget.
Use \`maxUnavailable: 1\` (or a \`minAvailable\` below the replica count).

Matches Polaris \`pdbDisruptionsIsZero\` (\`minAvailable: 100%\`, \`maxUnavailable: 0\` or \`0%\`) and
kube-linter \`pdb-max-unavailable\` / \`pdb-min-available\`. Severity: warning (Polaris: warning).`,
    upstream: [
      'polaris/pdbDisruptionsIsZero',
      'kube-linter/pdb-max-unavailable',
      'kube-linter/pdb-min-available',
    ],
    examples: [
      {
        title: 'one pod may go',
        yaml: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
`,
        reports: [],
      },
      {
        title: 'no pod may go',
        yaml: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 100%
  selector:
    matchLabels:
      app: web
`,
        reports: ['/spec/minAvailable'],
      },
    ],
  },
  check(resource, context) {
    if (!isKind(resource, 'PodDisruptionBudget')) return;
    const data = { polaris: 'pdbDisruptionsIsZero' };
    if (dig(resource.object, 'spec', 'minAvailable') === '100%') {
      context.report({
        path: '/spec/minAvailable',
        message: `PodDisruptionBudget ${nameOf(resource)} requires every pod to stay up: lower minAvailable or set maxUnavailable: 1`,
        data,
      });
    }
    const maxUnavailable = dig(resource.object, 'spec', 'maxUnavailable');
    if (maxUnavailable === 0 || maxUnavailable === '0%') {
      context.report({
        path: '/spec/maxUnavailable',
        message: `PodDisruptionBudget ${nameOf(resource)} allows no pod to be evicted: set maxUnavailable to 1 or more`,
        data,
      });
    }
  },
};
