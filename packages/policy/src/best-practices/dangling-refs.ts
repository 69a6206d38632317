import { keepShape, ownString, type Resource } from '@shipshape/core';
import type { Rule } from '../rule.js';
import { dig, fieldOf, isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { isKind } from './kinds.js';
import {
  type CompiledSelector,
  compiledSelects,
  compileSelector,
  type LabelSet,
  labelMap,
  labelSet,
  mapSelects,
} from './label-selector.js';

// Rules about references between objects of the repository (the catalogue's `dangling-refs` row):
// an Ingress backend's Service, a NetworkPolicy's pods, an autoscaler's workload. Each keeps what
// it needs during a run and reports from `finish`; like bp/service-selector they judge the files
// checked together, so check a cluster's folder as a whole.

export const PARTIAL = `Objects are looked up across all files checked together, in the same \`metadata.namespace\` as
written: check the whole folder of a cluster, or the rule reports references to objects kept elsewhere.`;

/** A Service's port numbers and port names. */
type ServicePorts = readonly (number | string)[];

const NO_PORTS: ServicePorts = [];

/**
 * Values by namespace, then by name: keys need no string built per resource (names and
 * namespaces of resource ids are own strings already).
 */
export type ByName<T> = Map<string, Map<string, T>>;

export function putNamed<T>(map: ByName<T>, namespace: string, name: string, value: T): void {
  let names = map.get(namespace);
  if (names === undefined) {
    names = new Map();
    map.set(namespace, names);
  }
  names.set(name, value);
}

/**
 * Values by namespace and name that answer as a map keyed by `namespace\0name` would, without
 * building that key for each lookup: by namespace, then by name. A namespace or name that holds a
 * NUL (no valid one does) is filed under the joined key, where such pairs meet as joined keys do.
 */
export class JoinedNames<T> {
  readonly #byName: ByName<T> = new Map();
  readonly #joined = new Map<string, T>();

  set(namespace: string, name: string, value: T): void {
    if (holdsNul(namespace, name)) this.#joined.set(`${namespace}\u0000${name}`, value);
    else putNamed(this.#byName, namespace, name, value);
  }

  get(namespace: string, name: string): T | undefined {
    return holdsNul(namespace, name)
      ? this.#joined.get(`${namespace}\u0000${name}`)
      : getNamed(this.#byName, namespace, name);
  }
}

// Made again for each run: one kept keeps their hidden class (see keepShape).
keepShape(new JoinedNames<unknown>());

function holdsNul(namespace: string, name: string): boolean {
  return namespace.includes('\u0000') || name.includes('\u0000');
}

/** A Service's `spec.ports` as kept until `finish`: numbers, and own copies of names. */
function servicePorts(list: unknown): ServicePorts {
  if (!Array.isArray(list)) return NO_PORTS;
  // Counted first, to make the kept list at its size: one grown by `push` starts at 17 slots
  // (allocation: 2.3 → 1.0 MB a run for 4,250 Services, with the index loops).
  let count = 0;
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i];
    if (!isObject(p)) continue;
    if (typeof p['port'] === 'number') count++;
    if (typeof p['name'] === 'string') count++;
  }
  if (count === 0) return NO_PORTS;
  const ports = new Array<number | string>(count);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i];
    if (!isObject(p)) continue;
    const port = p['port'];
    const name = p['name'];
    if (typeof port === 'number') ports[at++] = port;
    if (typeof name === 'string') ports[at++] = ownString(name);
  }
  return ports;
}

/** A backend's port as kept until `finish`: a number, an own copy of a name, or nothing. */
function ownPort(port: unknown): number | string | undefined {
  return typeof port === 'number' ? port : typeof port === 'string' ? ownString(port) : undefined;
}

export function getNamed<T>(map: ByName<T>, namespace: string, name: string): T | undefined {
  return map.get(namespace)?.get(name);
}

/**
 * An Ingress backend as kept until `finish`. Its pointer is built there, for the few reported:
 * `base` for the default backend, else from the indexes of its rule and path.
 */
interface Backend {
  readonly resource: Resource;
  readonly base: string | undefined;
  readonly rule: number;
  readonly index: number;
  /** Below the backend, where a finding goes: `/service/name`, `/service`, `/serviceName` or ``. */
  readonly field: string;
  readonly service: string | undefined;
  readonly port: number | string | undefined;
}

/**
 * The backend at `base` (the default one), or at path `index` of rule `rule`, as kept until
 * `finish`; `undefined` for one that is not an object or is a `resource` backend.
 */
function readBackend(
  resource: Resource,
  backend: unknown,
  v1: boolean,
  base: string | undefined,
  rule: number,
  index: number,
): Backend | undefined {
  if (!isObject(backend)) return undefined;
  if (v1) {
    if (isObject(backend['resource'])) return undefined;
    const service = backend['service'];
    const name = isObject(service) ? service['name'] : undefined;
    const port = isObject(service)
      ? (dig(service, 'port', 'number') ?? dig(service, 'port', 'name'))
      : undefined;
    return {
      resource,
      base,
      rule,
      index,
      field: isObject(service) ? (typeof name === 'string' ? '/service/name' : '/service') : '',
      service: typeof name === 'string' ? ownString(name) : undefined,
      port: ownPort(port),
    };
  }
  const name = backend['serviceName'];
  return {
    resource,
    base,
    rule,
    index,
    field: typeof name === 'string' ? '/serviceName' : '',
    service: typeof name === 'string' ? ownString(name) : undefined,
    port: ownPort(backend['servicePort']),
  };
}

function backendPath(b: Backend): string {
  const at = b.base ?? `/spec/rules/${b.rule}/http/paths/${b.index}/backend`;
  return b.field === '' ? at : at + b.field;
}

/**
 * `bp/ingress-service`: every Ingress backend names a Service of the repository, in the Ingress's
 * namespace, and a port that Service has (kube-score `ingress-targets-service`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [createIngressService()], kubernetesVersion: '1.35' });
 * ```
 */
export function createIngressService(): Rule {
  let services: ByName<ServicePorts> = new Map();
  let backends: Backend[] = [];
  return {
    id: 'bp/ingress-service',
    category: 'reliability',
    severity: 'warning',
    kinds: ['Ingress', 'Service'],
    docs: {
      summary: 'Each Ingress backend names a Service of the repository and one of its ports.',
      details: `An Ingress path whose Service does not exist, or whose port the Service does not have, answers 503
for every request: usually a Service renamed on one side, or a port number changed in one file only.
Point the backend at the Service's \`metadata.name\` and at a \`port\` (or port \`name\`) it declares.

Backends are read as their API version has them: \`service.name\` and \`service.port.number\` or
\`.name\` in \`networking.k8s.io/v1\` (a backend with neither \`service\` nor \`resource\` names no
Service), \`serviceName\` and \`servicePort\` in \`v1beta1\`; the default backend too. \`resource\`
backends are not checked. ${PARTIAL} Matches kube-score \`ingress-targets-service\` and kube-linter
\`dangling-ingress\`. Severity: warning.`,
      upstream: ['kube-score/ingress-targets-service', 'kube-linter/dangling-ingress'],
      examples: [
        {
          title: 'backend names the Service and its port',
          yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
`,
          reports: [],
        },
        {
          title: 'Service renamed',
          yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: webshop
                port:
                  number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
`,
          reports: ['/spec/rules/0/http/paths/0/backend/service/name'],
        },
      ],
    },
    check(resource) {
      if (isKind(resource, 'Service')) {
        const ports = servicePorts(dig(resource.object, 'spec', 'ports'));
        putNamed(services, resource.id.namespace, resource.id.name, ports);
        return;
      }
      if (!isKind(resource, 'Ingress')) return;
      const v1 = resource.id.apiVersion === 'networking.k8s.io/v1';
      const spec = dig(resource.object, 'spec');
      if (!isObject(spec)) return;
      // Loops and a function rather than closures, and pointers built in `finish` for the few
      // reported (allocation: 2.3 → 0.5 MB a run for 2,300 Ingresses).
      const first = v1
        ? readBackend(resource, spec['defaultBackend'], v1, '/spec/defaultBackend', -1, -1)
        : readBackend(resource, spec['backend'], v1, '/spec/backend', -1, -1);
      if (first !== undefined) backends.push(first);
      const rules = spec['rules'];
      if (!Array.isArray(rules)) return;
      for (let r = 0; r < rules.length; r++) {
        const paths = dig(rules[r], 'http', 'paths');
        if (!Array.isArray(paths)) continue;
        for (let i = 0; i < paths.length; i++) {
          const backend = readBackend(resource, dig(paths[i], 'backend'), v1, undefined, r, i);
          if (backend !== undefined) backends.push(backend);
        }
      }
    },
    finish(context) {
      for (const b of backends) {
        const namespace = b.resource.id.namespace || '(unset)';
        if (b.service === undefined) {
          context.report({
            resource: b.resource,
            path: backendPath(b),
            atKey: true,
            message: `Ingress ${b.resource.id.name} has a backend that names no Service: set service.name and service.port`,
          });
          continue;
        }
        const ports = getNamed(services, b.resource.id.namespace, b.service);
        if (ports === undefined) {
          context.report({
            resource: b.resource,
            path: backendPath(b),
            message: `Ingress ${b.resource.id.name} sends traffic to Service ${b.service}, which is not in namespace ${namespace} in the repository: point the backend at an existing Service`,
          });
          continue;
        }
        const port = b.port;
        if (port === undefined) continue;
        if (ports.includes(port)) continue;
        const known = ports.join(', ') || 'none';
        context.report({
          resource: b.resource,
          path: backendPath(b),
          message: `Ingress ${b.resource.id.name} sends traffic to port ${port} of Service ${b.service}, which has no such port (ports: ${known}): use one the Service declares`,
        });
      }
      services = new Map();
      backends = [];
    },
  };
}

/**
 * `bp/network-policy-targets`: every NetworkPolicy with a pod selector selects the pods of some
 * workload in its namespace (kube-score `networkpolicy-targets-pod`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [createNetworkPolicyTargets()], kubernetesVersion: '1.35' });
 * ```
 */
export function createNetworkPolicyTargets(): Rule {
  let policies: { readonly resource: Resource; readonly selector: CompiledSelector }[] = [];
  let pods = new Map<string, LabelSet[]>();
  return {
    id: 'bp/network-policy-targets',
    category: 'reliability',
    severity: 'warning',
    kinds: [...POD_KINDS, 'NetworkPolicy'],
    customResources: true,
    docs: {
      summary: "A NetworkPolicy's podSelector selects the pods of a workload in the repository.",
      details: `A NetworkPolicy whose \`podSelector\` selects no pod protects nothing: the pods it was written for
stay open (or stay cut off, for the egress rules meant to let them out), usually because a label
was renamed on one side. Make \`spec.podSelector\` select the pod template's labels, in the same
namespace. An empty \`podSelector\` selects every pod of the namespace and is not checked.

Pods and pod templates of every workload kind (custom controllers too) are compared with the
selector as the API server matches it (\`matchLabels\` and \`matchExpressions\`). Pods an operator makes
from a custom resource that holds no pod template (the Prometheus Operator's \`Prometheus\` and
\`Alertmanager\`) are not known, so their policies are reported: add an exception. ${PARTIAL} Matches
kube-score \`networkpolicy-targets-pod\` and kube-linter \`dangling-networkpolicy\`. Severity: warning.`,
      upstream: ['kube-score/networkpolicy-targets-pod', 'kube-linter/dangling-networkpolicy'],
      examples: [
        {
          title: 'the policy selects the pods',
          yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx:1.27
`,
          reports: [],
        },
        {
          title: 'the policy selects nothing',
          yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: webshop
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx:1.27
`,
          reports: ['/spec/podSelector'],
        },
      ],
    },
    check(resource) {
      if (isKind(resource, 'NetworkPolicy')) {
        const selector = dig(resource.object, 'spec', 'podSelector');
        if (!isObject(selector)) return;
        const labels = labelMap(selector['matchLabels']);
        const expressions = selector['matchExpressions'];
        if (Object.keys(labels).length === 0 && !(Array.isArray(expressions) && expressions.length > 0))
          return;
        // Compiled once (its strings are own copies): kept until finish, compared with every pod.
        const compiled = compileSelector(selector);
        if (compiled.invalid) return; // not a selector: the schema check reports it
        policies.push({ resource, selector: compiled });
        return;
      }
      const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
      if (!pod) return;
      // The label set the other workload rules read from the same template (labelSet's cache):
      // one copy kept for all of them, not a dictionary per pod for this rule.
      const labels = labelSet(fieldOf(pod.metadata, 'labels'));
      const list = pods.get(resource.id.namespace);
      if (list === undefined) pods.set(resource.id.namespace, [labels]);
      else list.push(labels);
    },
    finish(context) {
      for (const policy of policies) {
        const namespace = policy.resource.id.namespace;
        if ((pods.get(namespace) ?? []).some((labels) => compiledSelects(policy.selector, labels))) continue;
        context.report({
          resource: policy.resource,
          path: '/spec/podSelector',
          message: `NetworkPolicy ${policy.resource.id.name} selects no pod or pod template in namespace ${namespace || '(unset)'}: align spec.podSelector with the pod labels`,
        });
      }
      policies = [];
      pods = new Map();
    },
  };
}

/** Workload kinds an autoscaler scales that this rule can look for. */
const SCALED = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/**
 * `bp/hpa-target`: a HorizontalPodAutoscaler scales a workload of the repository (kube-score
 * `horizontalpodautoscaler-has-target`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [createHpaTarget()], kubernetesVersion: '1.35' });
 * ```
 */
export function createHpaTarget(): Rule {
  let autoscalers: { readonly resource: Resource; readonly kind: string; readonly name: string }[] = [];
  // Workload names by namespace, then by kind.
  let workloads: ByName<Set<string>> = new Map();
  return {
    id: 'bp/hpa-target',
    category: 'reliability',
    severity: 'warning',
    kinds: ['HorizontalPodAutoscaler', ...SCALED],
    docs: {
      summary: 'A HorizontalPodAutoscaler scales a workload of the repository.',
      details: `An autoscaler whose \`scaleTargetRef\` names no existing workload does nothing, and the workload it
was meant for runs at its static \`replicas\`: usually a Deployment renamed, or one of the two kept in
another namespace. Name the workload's kind and \`metadata.name\` in \`spec.scaleTargetRef\`.

Targets of the built-in kinds (Deployment, StatefulSet, ReplicaSet, ReplicationController) are
looked for; an autoscaler of a custom resource (an Argo Rollout) is not judged. ${PARTIAL} Matches
kube-score \`horizontalpodautoscaler-has-target\` and kube-linter \`dangling-horizontalpodautoscaler\`.
Severity: warning.`,
      upstream: [
        'kube-score/horizontalpodautoscaler-has-target',
        'kube-linter/dangling-horizontalpodautoscaler',
      ],
      examples: [
        {
          title: 'the target exists',
          yaml: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 5
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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
          reports: [],
        },
        {
          title: 'no such Deployment',
          yaml: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: webshop
  minReplicas: 2
  maxReplicas: 5
`,
          reports: ['/spec/scaleTargetRef/name'],
        },
      ],
    },
    check(resource) {
      if (isKind(resource, 'HorizontalPodAutoscaler')) {
        const ref = dig(resource.object, 'spec', 'scaleTargetRef');
        if (!isObject(ref)) return;
        // The kind as the table spells it: a string from the file would keep the file's text.
        const at = SCALED.indexOf(ref['kind'] as string);
        const kind = at < 0 ? undefined : SCALED[at];
        const name = ref['name'];
        if (kind === undefined || typeof name !== 'string') return;
        // A workload seen already is there in `finish` too (workloads are only added): nothing to keep.
        if (getNamed(workloads, resource.id.namespace, kind)?.has(name)) return;
        autoscalers.push({ resource, kind, name: ownString(name) });
        return;
      }
      const { group, kind, name, namespace } = resource.id;
      if (!SCALED.includes(kind) || !(group === '' || group === 'apps' || group === 'extensions')) return;
      const names = getNamed(workloads, namespace, kind);
      if (names === undefined) putNamed(workloads, namespace, kind, new Set([name]));
      else names.add(name);
    },
    finish(context) {
      for (const a of autoscalers) {
        const namespace = a.resource.id.namespace;
        if (getNamed(workloads, namespace, a.kind)?.has(a.name)) continue;
        context.report({
          resource: a.resource,
          path: '/spec/scaleTargetRef/name',
          message: `HorizontalPodAutoscaler ${a.resource.id.name} scales ${a.kind} ${a.name}, which is not in namespace ${namespace || '(unset)'} in the repository: name an existing workload`,
        });
      }
      autoscalers = [];
      workloads = new Map();
    },
  };
}

interface HeadlessCandidate {
  readonly headless: boolean;
  readonly selector: Readonly<Record<string, string>> | undefined;
}

const NOT_HEADLESS: HeadlessCandidate = { headless: false, selector: undefined };

/**
 * `bp/statefulset-service`: a StatefulSet's `serviceName` names a headless Service of the
 * repository that selects its pods (kube-score `statefulset-has-servicename`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [createStatefulSetService()], kubernetesVersion: '1.35' });
 * ```
 */
export function createStatefulSetService(): Rule {
  let sets: {
    readonly resource: Resource;
    readonly service: string;
    readonly labels: Readonly<Record<string, string>>;
  }[] = [];
  let services: ByName<HeadlessCandidate> = new Map();
  return {
    id: 'bp/statefulset-service',
    category: 'reliability',
    severity: 'warning',
    kinds: ['StatefulSet', 'Service'],
    docs: {
      summary: "A StatefulSet's serviceName is a headless Service of the repository that selects its pods.",
      details: `A StatefulSet gives each pod a stable DNS name (\`web-0.web.shop.svc\`) through the headless Service
its \`spec.serviceName\` names. When that Service does not exist, is not headless (\`clusterIP: None\`), or
does not select the pods, the names do not resolve: peers of a database or a quorum cannot find each
other, though every pod runs. Point \`serviceName\` at a headless Service whose selector matches the
pod template's labels.

A StatefulSet without \`serviceName\` is not checked: it asks for no DNS names.
${PARTIAL} Matches kube-score \`statefulset-has-servicename\`. Severity: warning.`,
      upstream: ['kube-score/statefulset-has-servicename'],
      examples: [
        {
          title: 'a headless Service selecting the pods',
          yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: postgres:17
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector:
    app: db
  ports:
    - port: 5432
`,
          reports: [],
        },
        {
          title: 'the Service is not headless',
          yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: postgres:17
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  selector:
    app: db
  ports:
    - port: 5432
`,
          reports: ['/spec/serviceName'],
        },
      ],
    },
    check(resource) {
      if (isKind(resource, 'Service')) {
        const spec = dig(resource.object, 'spec');
        if (!isObject(spec)) return;
        // Most Services are not headless: one shared answer for them, no object each.
        const candidate: HeadlessCandidate =
          spec['clusterIP'] !== 'None'
            ? NOT_HEADLESS
            : {
                headless: true,
                selector: isObject(spec['selector']) ? labelMap(spec['selector']) : undefined,
              };
        putNamed(services, resource.id.namespace, resource.id.name, candidate);
        return;
      }
      if (resource.id.kind !== 'StatefulSet' || !['apps', 'extensions'].includes(resource.id.group)) return;
      const service = dig(resource.object, 'spec', 'serviceName');
      if (typeof service !== 'string' || service === '') return;
      const labels = labelMap(dig(resource.object, 'spec', 'template', 'metadata', 'labels'));
      sets.push({ resource, service: ownString(service), labels });
    },
    finish(context) {
      for (const set of sets) {
        const namespace = set.resource.id.namespace;
        const found = getNamed(services, namespace, set.service);
        const why =
          found === undefined
            ? `which is not in namespace ${namespace || '(unset)'} in the repository`
            : !found.headless
              ? 'which is not headless (clusterIP: None)'
              : found.selector === undefined || !mapSelects(found.selector, set.labels)
                ? "whose selector does not select the StatefulSet's pods"
                : undefined;
        if (why === undefined) continue;
        context.report({
          resource: set.resource,
          path: '/spec/serviceName',
          message: `StatefulSet ${set.resource.id.name} names Service ${set.service}, ${why}: its pods get no stable DNS names; point serviceName at a headless Service that selects them`,
        });
      }
      sets = [];
      services = new Map();
    },
  };
}
