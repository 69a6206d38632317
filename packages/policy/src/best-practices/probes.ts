import type { Rule, RuleExample } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { runsToCompletion } from './kinds.js';
import { atField, locateField, polaris } from './locate.js';

interface ProbeKind {
  readonly field: 'livenessProbe' | 'readinessProbe';
  readonly id: string;
  readonly polaris: string;
  readonly summary: string;
  readonly why: string;
  readonly linter: string;
  readonly upstream: readonly string[];
}

function examples(field: ProbeKind['field']): RuleExample[] {
  return [
    {
      title: 'probe on the serving container; Jobs and Pods that run to completion are not checked',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: migrate:4.17
      containers:
        - name: web
          image: nginx:1.27
          ${field}:
            httpGet:
              path: /healthz
              port: 8080
---
apiVersion: batch/v1
kind: Job
metadata:
  name: backfill
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: backfill
          image: backfill:1.0
---
apiVersion: v1
kind: Pod
metadata:
  name: web-test-connection
  annotations:
    helm.sh/hook: test
spec:
  restartPolicy: Never
  containers:
    - name: wget
      image: busybox:1.36
      args: ['web:80']
`,
      reports: [],
    },
    {
      title: 'no probe',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
      reports: ['/spec/template/spec/containers/0'],
    },
  ];
}

function probeRule(kind: ProbeKind): Rule {
  const keys = [kind.field]; // built once, not for each container without the probe
  return {
    id: kind.id,
    category: 'reliability',
    severity: 'warning',
    kinds: POD_KINDS,
    customResources: true,
    docs: {
      summary: kind.summary,
      details: `${kind.why}

Matches Polaris \`${kind.polaris}\`: every container (not init containers) of a Pod or a long-running
workload must have a \`${kind.field}\`; Jobs and CronJobs are not checked. Unlike Polaris, neither is a
bare Pod that runs to completion (\`restartPolicy\` \`Never\` or \`OnFailure\`, as a Helm test hook's
Pod does): it serves nothing to probe, and kube-score's users report these as false positives. Also kube-score
\`pod-probes\`, kube-linter \`${kind.linter}\` and Kyverno \`require-probes\`. Severity: warning (Polaris: warning).`,
      upstream: kind.upstream,
      examples: examples(kind.field),
    },
    check(resource, context) {
      if (runsToCompletion(resource)) return;
      for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES), { init: false })) {
        if (isObject(c.container[kind.field])) continue;
        context.report(
          atField(locateField(c.pointer, c.container, keys), {
            message: `${describeContainer(c)} has no ${kind.field}: add one`,
            data: polaris(kind.polaris),
          }),
        );
      }
    },
  };
}

/**
 * `bp/liveness-probe`: long-running containers have a liveness probe (Polaris
 * `livenessProbeMissing`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [livenessProbe], kubernetesVersion: '1.35' });
 * ```
 */
export const livenessProbe: Rule = probeRule({
  field: 'livenessProbe',
  id: 'bp/liveness-probe',
  polaris: 'livenessProbeMissing',
  summary: 'Containers of long-running workloads have a livenessProbe.',
  why: `Without a liveness probe a container that hangs (a deadlock, an exhausted pool) stays running and
keeps its place behind the Service until someone notices. A liveness probe lets the kubelet restart
it. Probe something cheap that fails only when a restart helps, never a dependency.`,
  linter: 'no-liveness-probe',
  upstream: [
    'polaris/livenessProbeMissing',
    'kube-score/pod-probes',
    'kube-linter/no-liveness-probe',
    'kyverno/require-probes',
  ],
});

/**
 * `bp/readiness-probe`: long-running containers have a readiness probe (Polaris
 * `readinessProbeMissing`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [readinessProbe], kubernetesVersion: '1.35' });
 * ```
 */
export const readinessProbe: Rule = probeRule({
  field: 'readinessProbe',
  id: 'bp/readiness-probe',
  polaris: 'readinessProbeMissing',
  summary: 'Containers of long-running workloads have a readinessProbe.',
  why: `Without a readiness probe a pod receives traffic as soon as its process starts, before it can
serve, and keeps receiving it while it is overloaded or shutting down; rolling updates then drop
requests. Add a \`readinessProbe\` that answers only when the container can serve.`,
  linter: 'no-readiness-probe',
  upstream: [
    'polaris/readinessProbeMissing',
    'kube-score/pod-probes',
    'kube-linter/no-readiness-probe',
    'kyverno/require-probes',
  ],
});
