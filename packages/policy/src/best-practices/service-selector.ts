import { ownString, type Resource } from '@shipshape/core';
import type { Rule } from '../rule.js';
import { containersOf, dig, isObject, POD_KINDS, type PodSpecRef, podSpecOf } from '../workloads.js';
import { portNamesOf } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { isKind } from './kinds.js';
import { labelMap, mapSelects, showLabels } from './label-selector.js';
import { portNameProblem } from './port-names.js';

interface PendingService {
  readonly resource: Resource;
  readonly selector: Readonly<Record<string, string>>;
  /** Named `targetPort`s, with the index of their Service port. */
  readonly named: readonly (readonly [number, string])[];
}

/** A pod or pod template: its labels, and the names its containers give their ports. */
interface PodLabels {
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly string[];
}

const NO_PORTS: readonly string[] = [];
const NO_NAMED: readonly (readonly [number, string])[] = [];

/**
 * `bp/service-selector`: every Service selector matches the pods of some workload in the
 * repository, in the Service's namespace.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: [createServiceSelector()], kubernetesVersion: '1.35' });
 * ```
 */
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

function withoutControllerLabels(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (!CONTROLLER_LABELS.some((key) => Object.hasOwn(labels, key))) return labels;
  const out = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(labels)) {
    if (!(CONTROLLER_LABELS as readonly string[]).includes(key)) out[key] = labels[key] as string;
  }
  return out;
}

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
        const labels = withoutControllerLabels(labelMap(selector));
        if (Object.keys(labels).length > 0)
          services.push({ resource, selector: labels, named: namedTargets(spec) });
        return;
      }
      const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
      if (!pod) return;
      const labels = labelMap(dig(pod.metadata, 'labels'));
      if (Object.keys(labels).length === 0) return;
      const list = pods.get(resource.id.namespace) ?? [];
      list.push({ labels, ports: containerPortNames(pod) });
      pods.set(resource.id.namespace, list);
    },
    finish(context) {
      for (const service of services) {
        const namespace = service.resource.id.namespace;
        const candidates = pods.get(namespace) ?? [];
        // Not `filter`: a Service is compared with every pod template of its namespace, and most
        // stop at their first match.
        const first = candidates.findIndex((p) => mapSelects(service.selector, p.labels));
        if (first >= 0) {
          // A named targetPort resolves in each pod: one no selected pod declares gets no endpoints.
          // The first selected pod usually declares it: the search starts there.
          for (const [index, name] of service.named) {
            let declared = false;
            for (let i = first; i < candidates.length && !declared; i++) {
              const p = candidates[i] as PodLabels;
              declared = p.ports.includes(name) && mapSelects(service.selector, p.labels);
            }
            if (declared) continue;
            context.report({
              resource: service.resource,
              path: `/spec/ports/${index}/targetPort`,
              message: `Service ${service.resource.id.name} targets the port name ${name}, which no pod it selects declares: the Service gets no endpoints for this port; name the container port ${name} or target its number`,
            });
          }
          continue;
        }
        const wanted = showLabels(service.selector);
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

/** The string `targetPort`s of a Service's ports (own copies: kept until `finish`). */
function namedTargets(spec: Record<string, unknown>): readonly (readonly [number, string])[] {
  const ports = spec['ports'];
  if (!Array.isArray(ports)) return NO_NAMED;
  let out: (readonly [number, string])[] | undefined;
  for (let i = 0; i < ports.length; i++) {
    const target = dig(ports[i], 'targetPort');
    // A name the API server refuses is bp/port-names' to report.
    if (typeof target !== 'string' || portNameProblem(target) !== undefined) continue;
    out ??= [];
    out.push([i, ownString(target)]);
  }
  return out ?? NO_NAMED;
}

/** The names the containers of a pod give their ports (own copies). */
function containerPortNames(pod: PodSpecRef): readonly string[] {
  let out: string[] | undefined;
  for (const c of containersOf(pod)) {
    for (const name of portNamesOf(c.container)) {
      out ??= [];
      out.push(ownString(name));
    }
  }
  return out ?? NO_PORTS;
}
