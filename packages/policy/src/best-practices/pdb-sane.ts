import type { Resource } from '@shipshape/core';
import type { Rule } from '../rule.js';
import { dig, isObject, podSpecOf } from '../workloads.js';
import { isKind } from './kinds.js';
import { labelSet } from './label-selector.js';
import {
  type Autoscaler,
  autoscalerOf,
  type Budget,
  blocksAtMinimum,
  budgetOf,
  SCALED_KINDS,
  selectedWorkloads,
  starvedFinding,
  type Workloads,
} from './pdb-autoscaler.js';
import { nameOf } from './show-value.js';

/**
 * `bp/pdb-sane`: PodDisruptionBudgets allow at least one voluntary eviction (Polaris
 * `pdbDisruptionsIsZero`), also once a HorizontalPodAutoscaler has scaled their workload down to
 * its `minReplicas` (Polaris `pdbMinAvailableGreaterThanHPAMinReplicas`). One rule for both, as
 * the catalogue's `pdb-sane` row has it: each asks whether a drain can get past the budget, and
 * each finding sits on the budget's own field.
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [createPdbSane()], kubernetesVersion: '1.35' });
 * ```
 */
export function createPdbSane(): Rule {
  // Per run: pod template labels by workload, the autoscalers, and the budgets with a minAvailable
  // (each keeps its Resource, to be placed from finish if its autoscaler came later).
  let workloads: Workloads = new Map();
  let autoscalers = new Map<string, Autoscaler[]>();
  let budgets: Budget[] = [];
  return {
    id: 'bp/pdb-sane',
    category: 'reliability',
    severity: 'warning',
    kinds: ['PodDisruptionBudget', 'HorizontalPodAutoscaler', ...SCALED_KINDS],
    docs: {
      summary: 'PodDisruptionBudgets allow voluntary evictions, also at the autoscaler minimum.',
      details: `A budget with \`minAvailable: 100%\` or \`maxUnavailable: 0\` forbids every voluntary eviction: node
drains hang, and cluster upgrades and autoscaler scale-downs stall until someone deletes the budget.
So does a \`minAvailable\` that reaches the \`minReplicas\` of the HorizontalPodAutoscaler scaling the
budget's workload, as soon as quiet hours bring the workload down to that minimum. Use
\`maxUnavailable: 1\` (or a \`minAvailable\` below the replica count and below \`minReplicas\`).

Matches Polaris \`pdbDisruptionsIsZero\` (\`minAvailable: 100%\`, \`maxUnavailable: 0\` or \`0%\`) and
\`pdbMinAvailableGreaterThanHPAMinReplicas\`, and kube-linter \`pdb-max-unavailable\` /
\`pdb-min-available\`. One rule for both Polaris checks: each asks whether a drain gets past the
budget, and each finding sits on the budget's field. For the second, objects are looked up across
all files: an autoscaler whose \`scaleTargetRef\` names a Deployment (or StatefulSet, ReplicaSet,
ReplicationController) by kind and name, and a budget whose selector selects that workload's pod
template labels, all three in the same \`metadata.namespace\`. Where Polaris is looser, this
follows the API server and the disruption controller: the selector must select the labels (every
\`matchLabels\` entry and \`matchExpressions\` term; Polaris takes a budget sharing any one label,
and ignores namespaces); an unset \`minReplicas\` is 1 (Polaris skips the pair); a percentage is
rounded up against \`minReplicas\`; and a \`minAvailable\` equal to \`minReplicas\` fails too, since
it leaves no eviction at the minimum (Polaris failed on it too until its PR #1073 and now fails
only above; kube-linter \`pdb-min-available\` fails on equality against \`replicas\`). Polaris
looks at Deployments only. Not compared: a \`maxUnavailable\` budget (it scales with the
workload), and a budget that selects the pods of several workloads (it counts all their pods).
Beyond Polaris, as kube-score \`poddisruptionbudget-has-policy\`: a budget that sets neither
\`minAvailable\` nor \`maxUnavailable\` states no budget at all. Severity: warning (Polaris: warning).`,
      upstream: [
        'polaris/pdbDisruptionsIsZero',
        'polaris/pdbMinAvailableGreaterThanHPAMinReplicas',
        'kube-linter/pdb-max-unavailable',
        'kube-linter/pdb-min-available',
        'kube-score/poddisruptionbudget-has-policy',
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
        {
          title: 'one pod may go at the autoscaler minimum',
          yaml: EXAMPLE.replace('MIN_AVAILABLE', '2').replace('MIN_REPLICAS', '3'),
          reports: [],
        },
        {
          title: 'no pod may go at the autoscaler minimum',
          yaml: EXAMPLE.replace('MIN_AVAILABLE', '2').replace('MIN_REPLICAS', '2'),
          reports: ['/spec/minAvailable'],
        },
      ],
    },
    check(resource, context) {
      if (isKind(resource, 'HorizontalPodAutoscaler')) {
        const autoscaler = autoscalerOf(resource);
        if (autoscaler) addTo(autoscalers, autoscaler.namespace, autoscaler);
        return;
      }
      if (!isKind(resource, 'PodDisruptionBudget')) {
        addWorkload(workloads, resource);
        return;
      }
      const data = { polaris: 'pdbDisruptionsIsZero' };
      const minAvailable = dig(resource.object, 'spec', 'minAvailable');
      if (minAvailable === '100%') {
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
      if (
        (minAvailable === undefined || minAvailable === null) &&
        (maxUnavailable === undefined || maxUnavailable === null) &&
        isObject(dig(resource.object, 'spec'))
      ) {
        context.report({
          path: '/spec',
          atKey: true,
          message: `PodDisruptionBudget ${nameOf(resource)} sets neither minAvailable nor maxUnavailable, so it states no budget: set maxUnavailable: 1`,
        });
      }
      // 100% is reported above, whatever scales the workload.
      const budget = minAvailable === '100%' ? undefined : budgetOf(resource);
      if (!budget) return;
      budgets.push(budget);
      // The autoscalers seen so far: held now, while the file is at hand. A held finding's message
      // is fixed, and it names the autoscaler, so pairs whose autoscaler comes later are placed
      // from finish instead.
      let selected: Set<string> | undefined;
      for (const autoscaler of autoscalers.get(budget.namespace) ?? []) {
        if (!blocksAtMinimum(budget, autoscaler)) continue;
        selected ??= selectedWorkloads(budget, workloads);
        if (selected.has(autoscaler.target))
          budget.held.set(autoscaler, context.hold(starvedFinding(budget, autoscaler)));
      }
    },
    finish(context) {
      for (const budget of budgets) {
        const blocked = (autoscalers.get(budget.namespace) ?? []).filter((a) => blocksAtMinimum(budget, a));
        if (blocked.length === 0) continue;
        const selected = selectedWorkloads(budget, workloads);
        // The budget counts the pods of every workload it selects: one autoscaler's minimum says
        // little when there are several.
        if (selected.size !== 1) continue;
        for (const autoscaler of blocked) {
          if (!selected.has(autoscaler.target)) continue;
          context.report(
            budget.held.get(autoscaler) ?? {
              resource: budget.resource,
              ...starvedFinding(budget, autoscaler),
            },
          );
        }
      }
      workloads = new Map();
      autoscalers = new Map();
      budgets = [];
    },
  };
}

/** Record the pod template labels of a workload an autoscaler may scale. */
function addWorkload(workloads: Workloads, resource: Resource): void {
  if (!SCALED_KINDS.includes(resource.id.kind)) return;
  const pod = podSpecOf(resource);
  if (!pod) return;
  // The strings of a resource's identity are own copies: kept as they are.
  addTo(workloads, resource.id.namespace, {
    kind: resource.id.kind,
    name: resource.id.name,
    labels: labelSet(pod.metadata?.['labels']),
  });
}

function addTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const EXAMPLE = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  minAvailable: MIN_AVAILABLE
  selector:
    matchLabels:
      app: web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: MIN_REPLICAS
  maxReplicas: 6
`;
