import type { Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { isJobKind } from './kinds.js';
import { atField, locateField, polaris } from './locate.js';

/**
 * `bp/spread`: long-running pods declare topology spread constraints (Polaris
 * `topologySpreadConstraint`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [spread], kubernetesVersion: '1.35' });
 * ```
 */
export const spread: Rule = {
  id: 'bp/spread',
  category: 'reliability',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Pods of long-running workloads set topologySpreadConstraints.',
    details: `Without spread constraints the scheduler may put every replica on one node or in one zone, and
one node drain or zone outage takes the whole service down. Add a \`topologySpreadConstraints\` entry
on \`topology.kubernetes.io/zone\` and/or \`kubernetes.io/hostname\` that selects the pods' own labels.

Matches Polaris \`topologySpreadConstraint\` (a non-empty list on every Pod and pod template except
Jobs and CronJobs; like Polaris, DaemonSets are checked too — give them an exception), kube-score
\`deployment-has-host-podantiaffinity\` / \`pod-topology-spread-constraints\` and kube-linter
\`no-anti-affinity\`, which accept pod anti-affinity instead. Severity: warning (Polaris: warning).`,
    upstream: [
      'polaris/topologySpreadConstraint',
      'kube-score/pod-topology-spread-constraints',
      'kube-linter/no-anti-affinity',
    ],
    examples: [
      {
        title: 'spread across zones',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app: web
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: [],
      },
      {
        title: 'empty list',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      topologySpreadConstraints: []
      containers:
        - name: web
          image: nginx:1.27
`,
        reports: ['/spec/template/spec/topologySpreadConstraints'],
      },
    ],
  },
  check(resource, context) {
    if (isJobKind(resource)) return;
    const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
    if (!pod) return;
    const constraints = pod.spec['topologySpreadConstraints'];
    if (Array.isArray(constraints) && constraints.length > 0) return;
    context.report(
      atField(locateField(pod.pointer, pod.spec, ['topologySpreadConstraints']), {
        message: 'pod sets no topologySpreadConstraints: spread replicas across nodes or zones',
        data: polaris('topologySpreadConstraint'),
      }),
    );
  },
};
