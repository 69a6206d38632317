import type { Rule } from '../rule.js';
import { fieldOf } from '../workloads.js';
import { isKind } from './kinds.js';
import { atField, locateField, polaris } from './locate.js';
import { showValue } from './show-value.js';

/**
 * `bp/hpa-replicas`: HorizontalPodAutoscalers keep at least two replicas and leave room to scale
 * (Polaris `hpaMinAvailability`, `hpaMaxAvailability`). Option `minimum` sets the floor.
 *
 * @example
 * ```ts
 * createPolicyEngine({
 *   rules: [hpaReplicas],
 *   kubernetesVersion: '1.35',
 *   settings: { 'bp/hpa-replicas': { options: { minimum: 3 } } },
 * });
 * ```
 */
export const hpaReplicas: Rule = {
  id: 'bp/hpa-replicas',
  category: 'reliability',
  severity: 'warning',
  kinds: ['HorizontalPodAutoscaler'],
  options: {
    minimum: {
      description: 'The lowest spec.minReplicas accepted.',
      schema: { type: 'integer', minimum: 1 },
      default: 2,
    },
  },
  docs: {
    summary: 'HorizontalPodAutoscalers set minReplicas of at least 2 and a larger maxReplicas.',
    details: `An autoscaler that may scale down to one replica leaves the workload with no redundancy at quiet
times: one node drain or crash is an outage. One whose \`maxReplicas\` does not exceed \`minReplicas\`
cannot scale at all. Set \`minReplicas\` to at least 2 (the \`minimum\` option) and \`maxReplicas\` above
it.

Matches Polaris \`hpaMinAvailability\` (a written \`minReplicas\` below 2 fails; like Polaris, an unset
one, which defaults to 1, passes) and \`hpaMaxAvailability\` (\`maxReplicas\` must be written, at least
1, and above a written \`minReplicas\`), kube-score \`horizontalpodautoscaler-replicas\` and kube-linter
\`hpa-minimum-three-replicas\`. Severity: warning (Polaris: warning).`,
    upstream: [
      'polaris/hpaMinAvailability',
      'polaris/hpaMaxAvailability',
      'kube-score/horizontalpodautoscaler-replicas',
      'kube-linter/hpa-minimum-three-replicas',
    ],
    examples: [
      {
        title: 'two to ten replicas',
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
  maxReplicas: 10
`,
        reports: [],
      },
      {
        title: 'one replica, no room to scale',
        yaml: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 1
`,
        reports: ['/spec/minReplicas', '/spec/maxReplicas'],
      },
    ],
  },
  check(resource, context) {
    if (!isKind(resource, 'HorizontalPodAutoscaler')) return;
    const spec = fieldOf(resource.object, 'spec');
    if (spec === undefined || spec === null) return;
    const minimum = typeof context.options['minimum'] === 'number' ? context.options['minimum'] : 2;
    const min = fieldOf(spec, 'minReplicas');
    const max = fieldOf(spec, 'maxReplicas');
    if (min !== undefined && min !== null && !(typeof min === 'number' && min >= minimum)) {
      context.report({
        path: '/spec/minReplicas',
        message: `minReplicas is ${showValue(min)}: keep at least ${minimum} replicas`,
        data: polaris('hpaMinAvailability'),
      });
    }
    const data = polaris('hpaMaxAvailability');
    if (typeof max !== 'number' || max < 1) {
      context.report(
        atField(locateField('/spec', spec, ['maxReplicas']), {
          message:
            'maxReplicas is not set to a positive number: set the most replicas the autoscaler may run',
          data,
        }),
      );
    } else if (typeof min === 'number' && min > 0 && max <= min) {
      context.report({
        path: '/spec/maxReplicas',
        message: `maxReplicas ${max} is not above minReplicas ${min}: raise it so the autoscaler can scale`,
        data,
      });
    }
  },
};
