import type { Rule } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';

/** A probe's settings and their defaults (core/v1 SetDefaults_Probe). */
const TIMINGS: readonly (readonly [string, number])[] = [
  ['initialDelaySeconds', 0],
  ['periodSeconds', 10],
  ['timeoutSeconds', 1],
  ['successThreshold', 1],
  ['failureThreshold', 3],
];

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

/**
 * `bp/probes-identical`: a container's liveness probe is not a copy of its readiness probe
 * (kube-score `pod-probes-identical`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [probesIdentical], kubernetesVersion: '1.35' });
 * ```
 */
export const probesIdentical: Rule = {
  id: 'bp/probes-identical',
  category: 'reliability',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: "A container's liveness probe is not a copy of its readiness probe.",
    details: `Readiness and liveness answer different questions: "send me traffic?" and "restart me?". When both
probes are the same check with the same timing, a container that is only overloaded, or waiting for a
dependency, fails both at once: it is taken out of the Service and restarted in the same moment,
which turns a slow period into a restart loop across all replicas. Give the liveness probe a cheaper
check, or at least a longer period or a higher \`failureThreshold\`.

Two probes count as identical when they use the same handler (\`exec\` command, \`httpGet\` path, port,
host and scheme, \`tcpSocket\` port, \`grpc\` port and service) with the same timing, unset fields
taken at their defaults. Init containers have no probes that matter here and are not checked.
Matches kube-score \`pod-probes-identical\`. Severity: warning (kube-score: critical).`,
    upstream: ['kube-score/pod-probes-identical'],
    examples: [
      {
        title: 'same endpoint, more patient liveness probe',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      readinessProbe:
        httpGet:
          path: /healthz
          port: 8080
      livenessProbe:
        httpGet:
          path: /healthz
          port: 8080
        failureThreshold: 6
`,
        reports: [],
      },
      {
        title: 'the same probe twice',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      readinessProbe:
        httpGet:
          path: /healthz
          port: 8080
      livenessProbe:
        httpGet:
          path: /healthz
          port: 8080
`,
        reports: ['/spec/containers/0/livenessProbe'],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES), { init: false })) {
      const liveness = c.container['livenessProbe'];
      const readiness = c.container['readinessProbe'];
      if (!isObject(liveness) || !isObject(readiness) || !sameProbe(liveness, readiness)) continue;
      context.report({
        path: `${c.pointer}/livenessProbe`,
        message: `${describeContainer(c)} has a livenessProbe identical to its readinessProbe: an overloaded container is then restarted as it is taken out of the Service; make the liveness probe cheaper or more patient`,
      });
    }
  },
};

function sameProbe(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const [field, fallback] of TIMINGS) {
    if ((a[field] ?? fallback) !== (b[field] ?? fallback)) return false;
  }
  let handlers = 0;
  for (const handler of HANDLERS) {
    const x = a[handler];
    const y = b[handler];
    if (x === undefined && y === undefined) continue;
    if (!isObject(x) || !isObject(y) || !sameHandler(handler, x, y)) return false;
    handlers++;
  }
  return handlers > 0;
}

function sameHandler(
  handler: (typeof HANDLERS)[number],
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): boolean {
  switch (handler) {
    case 'exec':
      return sameJson(a['command'], b['command']);
    case 'httpGet':
      return (
        (a['path'] ?? '/') === (b['path'] ?? '/') &&
        String(a['port']) === String(b['port']) &&
        (a['host'] ?? '') === (b['host'] ?? '') &&
        (a['scheme'] ?? 'HTTP') === (b['scheme'] ?? 'HTTP') &&
        sameJson(a['httpHeaders'] ?? [], b['httpHeaders'] ?? [])
      );
    case 'tcpSocket':
      return String(a['port']) === String(b['port']) && (a['host'] ?? '') === (b['host'] ?? '');
    default:
      return String(a['port']) === String(b['port']) && (a['service'] ?? '') === (b['service'] ?? '');
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
