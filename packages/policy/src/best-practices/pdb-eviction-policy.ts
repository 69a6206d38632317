import type { Rule } from '../rule.js';
import { kubernetesMinor } from '../vap/served-resources.js';
import { isObject } from '../workloads.js';
import { isKind } from './kinds.js';
import { atField, locateField } from './locate.js';

/** The first minor whose API servers take the field without a feature gate (beta, on by default). */
const FIRST_MINOR = 27;

/**
 * `bp/pdb-eviction-policy`: PodDisruptionBudgets set `unhealthyPodEvictionPolicy`
 * (kube-linter `pdb-unhealthy-pod-eviction-policy`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [pdbEvictionPolicy], kubernetesVersion: '1.35' });
 * ```
 */
export const pdbEvictionPolicy: Rule = {
  id: 'bp/pdb-eviction-policy',
  category: 'reliability',
  severity: 'warning',
  kinds: ['PodDisruptionBudget'],
  docs: {
    summary: 'PodDisruptionBudgets set unhealthyPodEvictionPolicy.',
    details: `By default (\`IfHealthyBudget\`) a pod that runs but is not ready may be evicted only while the
application as a whole is within its budget. A workload stuck in a crash loop is never within it, so
its broken pods cannot be evicted and a node drain waits for ever, holding up cluster upgrades.
\`AlwaysAllow\` lets unready pods go, which the Kubernetes documentation recommends; set the field
either way, so the choice is written down.

Judged when \`--kubernetes-version\` is 1.27 or newer, where the field is on by default (beta in 1.27,
GA in 1.31). Matches kube-linter \`pdb-unhealthy-pod-eviction-policy\`, which also only asks that the
field be set. Severity: warning.`,
    upstream: ['kube-linter/pdb-unhealthy-pod-eviction-policy'],
    examples: [
      {
        title: 'unready pods may be evicted',
        yaml: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      app: web
`,
        reports: [],
      },
      {
        title: 'the policy left to the default',
        yaml: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: web
`,
        reports: ['/spec'],
      },
    ],
  },
  check(resource, context) {
    if (!isKind(resource, 'PodDisruptionBudget')) return;
    if (kubernetesMinor(context.kubernetesVersion) < FIRST_MINOR) return;
    const spec = resource.object['spec'];
    if (
      isObject(spec) &&
      spec['unhealthyPodEvictionPolicy'] !== undefined &&
      spec['unhealthyPodEvictionPolicy'] !== null
    )
      return;
    context.report(
      atField(locateField('', resource.object, ['spec', 'unhealthyPodEvictionPolicy']), {
        message: `PodDisruptionBudget ${resource.id.name} sets no unhealthyPodEvictionPolicy: unready pods then count against the budget and can block node drains; set unhealthyPodEvictionPolicy: AlwaysAllow`,
      }),
    );
  },
};
