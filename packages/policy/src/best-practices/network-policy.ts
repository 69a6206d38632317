import { ownString, type Resource } from '@shipshape/core';
import type { HeldFinding, Rule } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
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

// Directions as bits: a policy isolates some, a workload needs some isolated.
const INGRESS = 1;
const EGRESS = 2;
const BOTH = INGRESS | EGRESS;
const DIRECTIONS = ['Ingress', 'Egress'] as const;

/** A NetworkPolicy as the rule keeps it: its selector, read once, and the directions it isolates. */
interface Policy {
  readonly selector: CompiledSelector;
  readonly isolates: number;
}

interface Workload {
  readonly namespace: string;
  readonly labels: LabelSet;
  /** How many policies of the namespace were already seen (and matched) when it was checked. */
  readonly from: number;
  /** Required directions no policy seen so far isolates. */
  readonly open: number;
  /** Its finding, held with the directions open when it was checked. */
  readonly held: HeldFinding;
  /** Its kind and name, for a message restated in `finish`. */
  readonly kind: string;
  readonly name: string;
}

// One data object per set of open directions (the engine copies each distinct object once).
const DATA: readonly Readonly<Record<string, unknown>>[] = [0, INGRESS, EGRESS, BOTH].map((bits) =>
  Object.freeze({ polaris: 'missingNetworkPolicy', directions: Object.freeze(directionNames(bits)) }),
);

/**
 * `bp/network-policy` (Polaris `missingNetworkPolicy`): a NetworkPolicy in the repository isolates
 * the ingress and egress of every workload's pods. Option `directions` names the directions
 * required.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({
 *   rules: [createNetworkPolicy()],
 *   kubernetesVersion: '1.35',
 *   settings: { 'bp/network-policy': { options: { directions: ['Ingress'] } } },
 * });
 * ```
 */
export function createNetworkPolicy(): Rule {
  // Per run: the policies seen by namespace (small: selector and directions), and the workloads
  // that wait for a policy to isolate what no earlier policy did.
  let policies = new Map<string, Policy[]>();
  let workloads: Workload[] = [];
  return {
    id: 'bp/network-policy',
    category: 'security',
    severity: 'warning',
    kinds: [...POD_KINDS, 'NetworkPolicy'],
    customResources: true,
    options: {
      directions: {
        description: 'The directions a NetworkPolicy must isolate for every pod: Ingress, Egress or both.',
        schema: { type: 'array', items: { enum: [...DIRECTIONS] }, minItems: 1, uniqueItems: true },
        default: [...DIRECTIONS],
      },
    },
    docs: {
      summary: "A NetworkPolicy isolates the ingress and egress of every workload's pods.",
      details: DETAILS,
      upstream: [
        'polaris/missingNetworkPolicy',
        'kube-score/pod-networkpolicy',
        'kube-linter/non-isolated-pod',
      ],
      examples: EXAMPLES,
    },
    check(resource, context) {
      if (isKind(resource, 'NetworkPolicy')) {
        const policy = readPolicy(resource);
        if (policy === undefined) return;
        const list = policies.get(resource.id.namespace);
        if (list) list.push(policy);
        else policies.set(resource.id.namespace, [policy]);
        return;
      }
      const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
      // A pod on the node's network is beyond NetworkPolicy (see the docs); host-namespaces reports it.
      if (!pod || pod.spec['hostNetwork'] === true) return;
      const namespace = resource.id.namespace;
      const written = pod.metadata?.['labels'];
      const labels = labelSet(written);
      const seen = policies.get(namespace);
      const open = requiredOf(context.options['directions']) & ~isolated(seen, 0, labels);
      if (open === 0) return;
      // Placed now, while the file is at hand, saying what is open so far; finish restates it when
      // a later policy closed one of the directions.
      const kind = resource.id.kind;
      // The name of the resource's identity is an own copy already; a generated one is not.
      const name = resource.id.name !== '' ? resource.id.name : ownString(nameOf(resource));
      const message = messageOf(open, namespace, kind, name);
      const data = DATA[open];
      // On the labels when written (the usual case: one pointer, no walk), else their nearest parent.
      const finding = isObject(written)
        ? { path: `${pod.metadataPointer}/labels`, atKey: false, message, data }
        : atField(locateField('', resource.object, [...pod.metadataPointer.split('/').slice(1), 'labels']), {
            message,
            data,
          });
      const held = context.hold(finding);
      workloads.push({ namespace, labels, from: seen?.length ?? 0, open, held, kind, name });
    },
    finish(context) {
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i] as Workload;
        const missing = w.open & ~isolated(policies.get(w.namespace), w.from, w.labels);
        if (missing === 0) continue;
        if (missing === w.open) context.report(w.held);
        else
          context.report(w.held, {
            message: messageOf(missing, w.namespace, w.kind, w.name),
            data: DATA[missing] as Readonly<Record<string, unknown>>,
          });
      }
      policies = new Map();
      workloads = [];
    },
  };
}

/**
 * The selector and directions of a NetworkPolicy as the API server reads it, or `undefined` when
 * it isolates nothing (policyTypes it would reject).
 */
function readPolicy(resource: Resource): Policy | undefined {
  // Left out, spec and podSelector are empty (Go zero values): every pod, isolated for ingress.
  const spec = resource.object['spec'] ?? {};
  if (!isObject(spec)) return undefined;
  const isolates = isolationOf(spec);
  if (isolates === 0) return undefined;
  // Read once (compileSelector keeps its own copies of the strings), matched with every workload.
  return { selector: compileSelector(spec['podSelector'] ?? {}), isolates };
}

/**
 * The directions a policy isolates: its `policyTypes`, else (none written, or an empty list, as
 * Kubernetes defaults them) Ingress, plus Egress when it has egress rules. A list the API server
 * rejects (more than two entries, or one that is neither Ingress nor Egress) isolates nothing.
 */
function isolationOf(spec: Readonly<Record<string, unknown>>): number {
  const types = spec['policyTypes'];
  if (types === undefined || types === null || (Array.isArray(types) && types.length === 0)) {
    const egress = spec['egress'];
    return Array.isArray(egress) && egress.length > 0 ? BOTH : INGRESS;
  }
  if (!Array.isArray(types) || types.length > 2) return 0;
  let bits = 0;
  for (const type of types as unknown[]) {
    if (type === 'Ingress') bits |= INGRESS;
    else if (type === 'Egress') bits |= EGRESS;
    else return 0;
  }
  return bits;
}

/** The directions the policies from index `from` on isolate for pods with these labels. */
function isolated(list: readonly Policy[] | undefined, from: number, labels: LabelSet): number {
  let bits = 0;
  if (list === undefined) return bits;
  for (let i = from; i < list.length && bits !== BOTH; i++) {
    const policy = list[i] as Policy;
    // Only a policy that would add a direction is worth matching.
    if ((policy.isolates & ~bits) !== 0 && compiledSelects(policy.selector, labels)) bits |= policy.isolates;
  }
  return bits;
}

/** The `directions` option as bits (the schema keeps it a non-empty list of the two names). */
function requiredOf(option: unknown): number {
  if (!Array.isArray(option)) return BOTH;
  return (option.includes('Ingress') ? INGRESS : 0) | (option.includes('Egress') ? EGRESS : 0);
}

function directionNames(bits: number): string[] {
  return DIRECTIONS.filter((_, i) => (bits & (1 << i)) !== 0);
}

// What a finding says of each set of open directions, by its bits.
const OPEN_WHAT = ['', 'ingress', 'egress', 'ingress or egress'] as const;
const OPEN_TYPES = [0, INGRESS, EGRESS, BOTH].map((bits) => directionNames(bits).join(' and '));

function messageOf(bits: number, namespace: string, kind: string, name: string): string {
  return `no NetworkPolicy in namespace ${namespace || '(unset)'} isolates the ${OPEN_WHAT[bits]} of ${kind} ${name}: add one that selects its pods with policyTypes ${OPEN_TYPES[bits]}`;
}

const DETAILS = `A pod that no NetworkPolicy selects accepts connections from every pod in the cluster and may
connect anywhere: one compromised workload reaches all the others, and the internet. Isolate every
namespace with a default-deny policy (\`podSelector: {}\`, \`policyTypes: [Ingress, Egress]\`, no
rules), then add policies that allow what each workload needs.

Policies are read as Kubernetes reads them. A pod is isolated for ingress when a NetworkPolicy in
its namespace selects it and has \`Ingress\` in \`policyTypes\`, and for egress likewise with
\`Egress\`. \`spec.podSelector\` is a full label selector (every \`matchLabels\` entry and every
\`matchExpressions\` term), matched against the pod template's labels as written (labels that
controllers add, such as \`pod-template-hash\`, are not known); an empty selector, or none, selects
every pod of the namespace. Without \`policyTypes\` a policy isolates ingress, and egress too when it
has \`egress\` rules. A policy without rules isolates all the same (a default deny), and one whose
rules allow everything (\`ingress: [{}]\`) still isolates, as in Kubernetes. \`policyTypes\` with
anything but \`Ingress\` and \`Egress\` is rejected by the API server, so that policy isolates
nothing. A policy and a workload match when their \`metadata.namespace\` is the same as written: an
unset namespace matches an unset one (kustomize or \`kubectl apply -n\` sets both later), never
another namespace. Policies are looked up across all files, in any order. One finding per
workload, on the pod template's labels, names the directions left open.

Checked: the pods of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers,
Jobs, CronJobs, PodTemplates and custom controllers (an Argo Rollout), and bare Pods. Jobs and
CronJobs are checked, as all three upstream tools do (Polaris' PodTemplate target excludes no
controller, kube-score checks every pod template, kube-linter every deployment-like object): a batch
pod can be reached, and reach out, like any other. Not checked: pods with \`hostNetwork: true\`,
which use the node's network, where Kubernetes leaves NetworkPolicy behaviour undefined
(\`bp/host-namespaces\` reports them). Policies of other APIs (Calico, Cilium, AdminNetworkPolicy) are
not read: where they isolate pods, turn this rule off.

Matches Polaris \`missingNetworkPolicy\` and kube-score \`pod-networkpolicy\`, which require both
directions, as this rule does by default; set the \`directions\` option to \`[Ingress]\` to require
ingress isolation only. kube-linter \`non-isolated-pod\` (off by default) accepts any selecting policy.
Departures from Polaris, which passes a pod when a policy's \`podSelector.matchLabels\` holds exactly
one of the pod's labels and the policy has both \`ingress\` and \`egress\` rules: the selector must
really select the pods (\`matchExpressions\` honoured, an empty selector selects all, a pod without
labels can be selected); isolation comes from \`policyTypes\` (written or defaulted), not from the
presence of rule lists, so a default-deny policy passes; and only policies of the pod's namespace
count (older Polaris releases looked in every namespace). Severity: warning (Polaris: warning).`;

const EXAMPLES = [
  {
    title: 'a default-deny policy isolates every pod of the namespace',
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
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
    reports: [],
  },
  {
    title: 'policyTypes left out, egress rules present: both directions isolated',
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
        tier: frontend
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend
  namespace: shop
spec:
  podSelector:
    matchExpressions:
      - {key: tier, operator: In, values: [frontend, edge]}
  ingress:
    - ports: [{port: 8080}]
  egress:
    - to: [{podSelector: {matchLabels: {app: api}}}]
`,
    reports: [],
  },
  {
    title: 'ingress isolated, egress left open',
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
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - ports: [{port: 8080}]
`,
    reports: ['/spec/template/metadata/labels'],
  },
];
