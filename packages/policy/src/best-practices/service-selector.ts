import { ownString, type Resource } from '@shipshape/core';
import type { FinishContext, Rule } from '../rule.js';
import {
  type ContainerRef,
  containersOf,
  isObject,
  POD_KINDS,
  type PodSpecRef,
  podSpecOf,
} from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { isKind } from './kinds.js';
import {
  type LabelSet,
  labelSet,
  labelValue,
  NO_LABELS,
  setSelects,
  showLabelSet,
} from './label-selector.js';
import { portNameProblem } from './port-names.js';

interface PendingService {
  readonly resource: Resource;
  readonly selector: LabelSet;
  /** The name each port targets by name, by port index (own copies); `undefined` for the others. */
  readonly named: readonly (string | undefined)[];
}

/** A pod or pod template: its labels, and the names its containers give their ports. */
interface PodLabels {
  readonly labels: LabelSet;
  readonly ports: readonly string[];
}

const NO_PORTS: readonly string[] = Object.freeze([]);
const NO_NAMED: readonly (string | undefined)[] = Object.freeze([]);
const NO_PODS: readonly PodLabels[] = Object.freeze([]);

/** Pod labels set by controllers, not written in pod templates. */
const CONTROLLER_LABELS = [
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'pod-template-hash',
  'controller-revision-hash',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'controller-uid',
] as const;

function withoutControllerLabels(labels: LabelSet): LabelSet {
  if (!labels.keys.some(isControllerLabel)) return labels;
  const keys: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < labels.keys.length; i++) {
    const key = labels.keys[i] as string;
    if (isControllerLabel(key)) continue;
    keys.push(key);
    values.push(labels.values[i] as string);
  }
  return keys.length === 0 ? NO_LABELS : { keys, values };
}

function isControllerLabel(key: string): boolean {
  return (CONTROLLER_LABELS as readonly string[]).includes(key);
}

/**
 * `bp/service-selector`: every Service selector matches the pods of some workload in the
 * repository, in the Service's namespace.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: [createServiceSelector()], kubernetesVersion: '1.35' });
 * ```
 */
export function createServiceSelector(): Rule {
  // Per run: Services with a selector, and the label sets of pods and pod templates by namespace.
  let services: PendingService[] = [];
  let pods = new Map<string, PodLabels[]>();
  return {
    id: 'bp/service-selector',
    category: 'reliability',
    severity: 'warning',
    kinds: [...POD_KINDS, 'Service'],
    customResources: true,
    docs: {
      summary: "A Service's selector matches the pods of a workload in the repository.",
      details: `A Service whose selector matches no pod has no endpoints: traffic to it fails, usually because a
label was renamed on one side only or the Service sits in another namespace than its workload.
Make \`spec.selector\` a subset of the pod template's labels, in the same namespace.

Pods and pod templates of every workload kind (Deployment, StatefulSet, DaemonSet, Job, CronJob, …,
and custom controllers such as an Argo Rollout) are looked up across all files of the repository, in
the same \`metadata.namespace\` as written. Labels that controllers put on the pods they make
(\`statefulset.kubernetes.io/pod-name\`, \`pod-template-hash\`, \`controller-revision-hash\`, the Job
labels, …) are in no template: the rest of the selector is matched, and a selector of such labels only
is not checked.
Services without a selector (their endpoints are managed by hand) and \`ExternalName\` Services are not
checked. A Service that does select pods, but whose \`targetPort\` names a port (\`targetPort: http\`)
that none of them declares in its containers' \`ports\`, gets no endpoints for that port: that
\`targetPort\` is reported too. Matches kube-score \`service-targets-pod\` and kube-linter
\`dangling-service\`; the merged catalogue files it under \`dangling-refs\`. Severity: warning.`,
      upstream: ['kube-score/service-targets-pod', 'kube-linter/dangling-service'],
      examples: [
        {
          title: 'selector matches the Deployment',
          yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
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
        tier: frontend
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
          reports: [],
        },
        {
          title: 'label renamed on one side',
          yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: webshop
  ports:
    - port: 80
      targetPort: 8080
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
`,
          reports: ['/spec/selector'],
        },
      ],
    },
    check(resource) {
      if (isKind(resource, 'Service')) {
        const spec = resource.object['spec'];
        const selector = isObject(spec) ? spec['selector'] : undefined;
        if (!isObject(spec) || spec['type'] === 'ExternalName' || !isObject(selector)) return;
        // Labels controllers put on the pods they make (a StatefulSet's pod name, a ReplicaSet's
        // template hash) are in no template: a Service may select them, and is judged by the rest.
        const labels = withoutControllerLabels(labelSet(selector));
        if (labels.keys.length > 0) services.push({ resource, selector: labels, named: namedTargets(spec) });
        return;
      }
      const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
      if (!pod) return;
      const labels = labelSet(pod.metadata?.['labels']);
      if (labels.keys.length === 0) return;
      const entry: PodLabels = { labels, ports: containerPortNames(pod) };
      const list = pods.get(resource.id.namespace);
      if (list) list.push(entry);
      else pods.set(resource.id.namespace, [entry]);
    },
    finish(context) {
      // Pods indexed by the label each Service selects first: a Service is compared with the pods
      // that have that label value only, not with every pod of its namespace.
      const indexes = new Map<string, Map<string, PodIndex>>();
      for (let s = 0; s < services.length; s++) {
        const service = services[s] as PendingService;
        const namespace = service.resource.id.namespace;
        const candidates = pods.get(namespace) ?? NO_PODS;
        const index = podIndex(indexes, namespace, candidates, service.selector.keys[0] as string);
        const first = firstSelected(service.selector, candidates, index);
        if (first >= 0) {
          reportUndeclaredTargets(context, service, candidates, index, first);
          continue;
        }
        const wanted = showLabelSet(service.selector);
        context.report({
          resource: service.resource,
          path: '/spec/selector',
          message: `Service ${service.resource.id.name} selects ${wanted}, which matches no pod or pod template in namespace ${namespace || '(unset)'}: align spec.selector with the pod labels`,
        });
      }
      services = [];
      pods = new Map();
    },
  };
}

/**
 * The pods of a namespace by the value of one label, in their order: `first` gives the first pod
 * with a value, `next[i]` the next pod with the value of pod `i` (-1: none). A selector selects
 * only pods that have its first label's value, so only those are compared with it.
 */
interface PodIndex {
  readonly first: ReadonlyMap<string, number>;
  readonly next: Int32Array;
}

/** The index of the namespace's pods by label `key`, made on first use. */
function podIndex(
  indexes: Map<string, Map<string, PodIndex>>,
  namespace: string,
  candidates: readonly PodLabels[],
  key: string,
): PodIndex {
  let byKey = indexes.get(namespace);
  if (byKey === undefined) {
    byKey = new Map();
    indexes.set(namespace, byKey);
  }
  let index = byKey.get(key);
  if (index !== undefined) return index;
  const first = new Map<string, number>();
  const next = new Int32Array(candidates.length);
  // From the last pod back, so that each chain runs in the pods' order.
  for (let i = candidates.length - 1; i >= 0; i--) {
    const value = labelValue((candidates[i] as PodLabels).labels, key);
    if (value === undefined) continue;
    next[i] = first.get(value) ?? -1;
    first.set(value, i);
  }
  index = { first, next };
  byKey.set(key, index);
  return index;
}

/** The index of the first candidate whose labels the selector selects, or -1. */
function firstSelected(selector: LabelSet, candidates: readonly PodLabels[], index: PodIndex): number {
  for (let i = index.first.get(selector.values[0] as string) ?? -1; i >= 0; i = index.next[i] as number) {
    if (setSelects(selector, (candidates[i] as PodLabels).labels)) return i;
  }
  return -1;
}

/**
 * Report each named targetPort that no selected pod declares: a name resolves in each pod, and one
 * no pod declares gets no endpoints. The first selected pod (`first`) usually declares it: the
 * search starts there.
 */
function reportUndeclaredTargets(
  context: FinishContext,
  service: PendingService,
  candidates: readonly PodLabels[],
  index: PodIndex,
  first: number,
): void {
  for (let n = 0; n < service.named.length; n++) {
    const name = service.named[n];
    if (name === undefined) continue;
    let declared = false;
    for (let i = first; i >= 0 && !declared; i = index.next[i] as number) {
      const p = candidates[i] as PodLabels;
      declared = p.ports.includes(name) && setSelects(service.selector, p.labels);
    }
    if (declared) continue;
    context.report({
      resource: service.resource,
      path: `/spec/ports/${n}/targetPort`,
      message: `Service ${service.resource.id.name} targets the port name ${name}, which no pod it selects declares: the Service gets no endpoints for this port; name the container port ${name} or target its number`,
    });
  }
}

/** The string `targetPort`s of a Service's ports, by port index (own copies: kept until `finish`). */
function namedTargets(spec: Record<string, unknown>): readonly (string | undefined)[] {
  const ports = spec['ports'];
  if (!Array.isArray(ports)) return NO_NAMED;
  let out: (string | undefined)[] | undefined;
  for (let i = 0; i < ports.length; i++) {
    const port: unknown = ports[i];
    const target = isObject(port) ? port['targetPort'] : undefined;
    // A name the API server refuses is bp/port-names' to report.
    if (typeof target !== 'string' || portNameProblem(target) !== undefined) continue;
    // One list the length of `ports` (one allocation; not grown by `push`).
    out ??= new Array<string | undefined>(ports.length).fill(undefined);
    out[i] = ownString(target);
  }
  return out ?? NO_NAMED;
}

/**
 * The names the containers of a pod give their ports (own copies): read here rather than through
 * `portNamesOf`, to make one list per pod rather than one per container.
 */
function containerPortNames(pod: PodSpecRef): readonly string[] {
  const containers = containersOf(pod);
  let count = 0;
  for (let c = 0; c < containers.length; c++) {
    const ports = (containers[c] as ContainerRef).container['ports'];
    if (!Array.isArray(ports)) continue;
    for (let i = 0; i < ports.length; i++) {
      const port: unknown = ports[i];
      const name = isObject(port) ? port['name'] : undefined;
      if (typeof name === 'string') scratch[count++] = ownString(name);
    }
  }
  return count === 0 ? NO_PORTS : scratch.slice(0, count);
}

// Port names collected for one pod, then copied at their exact length (see `labelSet`).
const scratch: string[] = [];
