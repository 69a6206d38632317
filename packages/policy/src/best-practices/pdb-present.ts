import type { HeldFinding, Rule } from '../rule.js';
import { dig, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { isKind } from './kinds.js';
import {
  type CompiledSelector,
  compiledSelects,
  compileSelector,
  type LabelSet,
  labelSet,
} from './label-selector.js';
import { atField, locateField } from './locate.js';
import { nameOf } from './show-value.js';

interface Covered {
  readonly namespace: string | undefined;
  readonly labels: LabelSet;
  readonly finding: HeldFinding;
}

interface Budget {
  readonly namespace: string;
  /** Read once, to be matched with every workload of its namespace. */
  readonly selector: CompiledSelector;
}

const DATA = { polaris: 'missingPodDisruptionBudget' };
const KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/**
 * `bp/pdb-present` (Polaris `missingPodDisruptionBudget`): a PodDisruptionBudget in the repository
 * selects each Deployment's pods. Option `kinds` adds other workload kinds.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({
 *   rules: [createPdbPresent()],
 *   kubernetesVersion: '1.35',
 *   settings: { 'bp/pdb-present': { options: { kinds: ['Deployment', 'StatefulSet'] } } },
 * });
 * ```
 */
export function createPdbPresent(): Rule {
  // Per run: workloads waiting for a budget, and the budgets seen (small: namespace and selector).
  let workloads: Covered[] = [];
  let budgets: Budget[] = [];
  return {
    id: 'bp/pdb-present',
    category: 'reliability',
    severity: 'warning',
    kinds: [...KINDS, 'PodDisruptionBudget'],
    options: {
      kinds: {
        description: 'Workload kinds that need a PodDisruptionBudget.',
        schema: { type: 'array', items: { enum: KINDS }, uniqueItems: true },
        default: ['Deployment'],
      },
    },
    docs: {
      summary: 'Each Deployment is covered by a PodDisruptionBudget.',
      details: `Without a PodDisruptionBudget, a node drain (a cluster upgrade, the autoscaler removing a node) may
evict every replica at once. Add a PodDisruptionBudget in the workload's namespace whose selector
matches the pod template's labels, with \`maxUnavailable: 1\` or a \`minAvailable\` below the replica
count.

Matches Polaris \`missingPodDisruptionBudget\` (Deployments; the pod template needs labels) and
kube-score \`deployment-has-poddisruptionbudget\` / \`statefulset-has-poddisruptionbudget\` (add
\`StatefulSet\` to the \`kinds\` option). Budgets are looked up across all files, in the same
\`metadata.namespace\` as written. Unlike Polaris, which passes a budget that shares any one label
with the template, the budget's selector must select the template's labels the way the API server
does (every \`matchLabels\` entry and \`matchExpressions\` term). Severity: warning (Polaris: warning).`,
      upstream: [
        'polaris/missingPodDisruptionBudget',
        'kube-score/deployment-has-poddisruptionbudget',
        'kube-score/statefulset-has-poddisruptionbudget',
      ],
      examples: [
        {
          title: 'budget selects the pods',
          yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-pdb
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
`,
          reports: [],
        },
        {
          title: 'budget in another namespace',
          yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-pdb
  namespace: staging
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
`,
          reports: ['/spec/template/metadata/labels'],
        },
      ],
    },
    check(resource, context) {
      if (isKind(resource, 'PodDisruptionBudget')) {
        budgets.push({
          namespace: resource.id.namespace,
          // compileSelector keeps its own copies of the strings.
          selector: compileSelector(dig(resource.object, 'spec', 'selector')),
        });
        return;
      }
      const kinds = context.options['kinds'];
      if (!Array.isArray(kinds) || !kinds.includes(resource.id.kind)) return;
      const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
      if (!pod) return;
      const labels = labelSet(pod.metadata?.['labels']);
      if (labels.keys.length === 0) {
        context.report(
          atField(locateField('', resource.object, [...pod.metadataPointer.split('/').slice(1), 'labels']), {
            message:
              'pod template has no labels a PodDisruptionBudget could select: add labels and a budget that selects them',
            data: DATA,
          }),
        );
        return;
      }
      const namespace = resource.id.namespace;
      // Placed now, reported from finish if no budget in the namespace selects these labels.
      const finding = context.hold({
        path: `${pod.metadataPointer}/labels`,
        message: `no PodDisruptionBudget in namespace ${namespace || '(unset)'} selects the pods of ${resource.id.kind} ${nameOf(resource)}: add one`,
        data: DATA,
      });
      workloads.push({ namespace, labels, finding });
    },
    finish(context) {
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i] as Covered;
        if (!covered(w, budgets)) context.report(w.finding);
      }
      workloads = [];
      budgets = [];
    },
  };
}

/** Whether a budget of the workload's namespace selects its pods. */
function covered(workload: Covered, budgets: readonly Budget[]): boolean {
  for (let i = 0; i < budgets.length; i++) {
    const b = budgets[i] as Budget;
    if (b.namespace === workload.namespace && compiledSelects(b.selector, workload.labels)) return true;
  }
  return false;
}
