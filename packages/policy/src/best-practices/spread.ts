import type { Rule, RuleContext } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { runsToCompletion } from './kinds.js';
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
Jobs and CronJobs; like Polaris, DaemonSets are checked too — give them an exception; unlike
Polaris, a bare Pod that runs to completion, with \`restartPolicy\` \`Never\` or \`OnFailure\`, is not),
kube-score
\`deployment-has-host-podantiaffinity\` / \`pod-topology-spread-constraints\` and kube-linter
\`no-anti-affinity\`, which accept pod anti-affinity instead.

A constraint that is written must also work, as kube-score \`pod-topology-spread-constraints\` asks:
\`maxSkew\` above zero and \`minDomains\` above zero, only with \`whenUnsatisfiable: DoNotSchedule\` (the
API server refuses the pod otherwise), and a \`labelSelector\`, without which the constraint counts no
pods and spreads nothing. A missing \`topologyKey\` is a required field, which schema validation
reports. Severity: warning (Polaris: warning).`,
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
    if (runsToCompletion(resource)) return;
    const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
    if (!pod) return;
    const constraints = pod.spec['topologySpreadConstraints'];
    if (Array.isArray(constraints) && constraints.length > 0) {
      reportConstraintProblems(constraints, pod.pointer, context);
      return;
    }
    context.report(
      atField(locateField(pod.pointer, pod.spec, ['topologySpreadConstraints']), {
        message: 'pod sets no topologySpreadConstraints: spread replicas across nodes or zones',
        data: polaris('topologySpreadConstraint'),
      }),
    );
  },
};

/**
 * Report what makes written spread constraints refused by the API server, or count no pods.
 * Pointers are made only for a finding: most constraints are sound.
 */
function reportConstraintProblems(
  constraints: readonly unknown[],
  podPointer: string,
  context: RuleContext,
): void {
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i];
    if (!isObject(c)) continue;
    const maxSkew = c['maxSkew'];
    if (typeof maxSkew === 'number' && maxSkew <= 0) {
      context.report({
        path: `${constraintPointer(podPointer, i)}/maxSkew`,
        message: `topology spread constraint ${i} has maxSkew ${maxSkew}: the API server refuses the pod; use 1 or more`,
      });
    }
    const minDomains = c['minDomains'];
    if (typeof minDomains === 'number') {
      if (minDomains <= 0) {
        context.report({
          path: `${constraintPointer(podPointer, i)}/minDomains`,
          message: `topology spread constraint ${i} has minDomains ${minDomains}: the API server refuses the pod; use 1 or more, or leave it out`,
        });
      } else if (c['whenUnsatisfiable'] !== undefined && c['whenUnsatisfiable'] !== 'DoNotSchedule') {
        context.report({
          path: `${constraintPointer(podPointer, i)}/minDomains`,
          message: `topology spread constraint ${i} sets minDomains with whenUnsatisfiable ${JSON.stringify(c['whenUnsatisfiable'])}: the API server refuses the pod; minDomains needs DoNotSchedule`,
        });
      }
    }
    if (c['labelSelector'] === undefined || c['labelSelector'] === null) {
      context.report(
        atField(locateField(constraintPointer(podPointer, i), c, ['labelSelector']), {
          message: `topology spread constraint ${i} has no labelSelector, so it counts no pods and spreads nothing: select the pods' own labels`,
        }),
      );
    }
  }
}

function constraintPointer(podPointer: string, index: number): string {
  return `${podPointer}/topologySpreadConstraints/${index}`;
}
