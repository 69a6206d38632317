import { ownString, type ResourceId } from '@shipshape/core';
import type { HeldFinding, Rule } from '../rule.js';
import { fieldOf, isWorkload } from '../workloads.js';
import { JoinedNames } from './dangling-refs.js';
import { isKind } from './kinds.js';
import { atField, locateField } from './locate.js';
import { nameOf, showValue } from './show-value.js';

const DATA = { polaris: 'deploymentMissingReplicas' };
const HPA_DATA = { kubeScore: 'deployment-targeted-by-hpa-does-not-have-replicas-configured' };

/**
 * `bp/replicas` (Polaris `deploymentMissingReplicas`): Deployments run at least two replicas,
 * unless a HorizontalPodAutoscaler in the repository scales them. Option `minimum` sets the floor.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: [createReplicas()], kubernetesVersion: '1.35' });
 * ```
 */
export function createReplicas(): Rule {
  // Per run: Deployments below the floor, and the Deployments autoscalers target.
  let pending: HeldDeployment[] = [];
  // The Deployments autoscalers target, by namespace then name: no key string per Deployment.
  let scaled = new JoinedNames<true>();
  // Deployments that write replicas: reported from finish if an autoscaler owns the count. Held
  // (placed with the resource's other findings while its file is at hand): placing them from
  // finish read and measured each file again, 28 µs a finding on the generated repository.
  let written: HeldDeployment[] = [];
  return {
    id: 'bp/replicas',
    category: 'reliability',
    severity: 'warning',
    kinds: ['HorizontalPodAutoscaler', 'Deployment'],
    options: {
      minimum: {
        description: 'The fewest replicas a Deployment may run.',
        schema: { type: 'integer', minimum: 1 },
        default: 2,
      },
    },
    docs: {
      summary: 'Deployments run at least two replicas, or are scaled by an autoscaler.',
      details: `With one replica every rollout, node drain or crash is an outage. Set \`spec.replicas\` to at least
2 (the \`minimum\` option), or let a HorizontalPodAutoscaler own the count.

Matches Polaris \`deploymentMissingReplicas\` (\`spec.replicas\` must be written and at least 2),
kube-score \`deployment-replicas\` and kube-linter \`minimum-three-replicas\`. Unlike Polaris, a
Deployment that a HorizontalPodAutoscaler in the same namespace targets is not held to the floor:
it should leave \`replicas\` unset instead, and is reported if it writes it (kube-score
\`deployment-targeted-by-hpa-does-not-have-replicas-configured\`: each apply or GitOps sync would
reset the count the autoscaler chose). Autoscalers are looked up across all files. Severity: warning
(Polaris: warning).`,
      upstream: [
        'polaris/deploymentMissingReplicas',
        'kube-score/deployment-replicas',
        'kube-score/deployment-targeted-by-hpa-does-not-have-replicas-configured',
        'kube-linter/minimum-three-replicas',
      ],
      examples: [
        {
          title: 'scaled by an autoscaler',
          yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web-hpa
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 6
`,
          reports: [],
        },
        {
          title: 'one replica',
          yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
          reports: ['/spec/replicas'],
        },
      ],
    },
    check(resource, context) {
      if (isKind(resource, 'HorizontalPodAutoscaler')) {
        const target = fieldOf(fieldOf(resource.object, 'spec'), 'scaleTargetRef');
        const name = fieldOf(target, 'name');
        if (fieldOf(target, 'kind') === 'Deployment' && typeof name === 'string') {
          scaled.set(resource.id.namespace, ownString(name), true);
        }
        return;
      }
      if (resource.id.kind !== 'Deployment' || !isWorkload(resource)) return;
      const replicas = fieldOf(fieldOf(resource.object, 'spec'), 'replicas');
      // Its identity (own strings) is kept, not a key made for it: most Deployments are not scaled.
      const id = resource.id;
      if (replicas !== undefined && replicas !== null) {
        const finding = context.hold({
          path: '/spec/replicas',
          atKey: true,
          message: `Deployment ${nameOf(resource)} sets spec.replicas, but a HorizontalPodAutoscaler scales it: every apply or sync resets the count; remove spec.replicas`,
          data: HPA_DATA,
        });
        written.push({ id, finding });
      }
      const minimum = typeof context.options['minimum'] === 'number' ? context.options['minimum'] : 2;
      if (typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= minimum) return;
      // Placed now, reported from finish unless a HorizontalPodAutoscaler scales the Deployment.
      const finding = context.hold(
        atField(locateField('', resource.object, ['spec', 'replicas']), {
          message:
            replicas === undefined || replicas === null
              ? `Deployment ${nameOf(resource)} does not set replicas and runs one: set spec.replicas to at least ${minimum} or add a HorizontalPodAutoscaler`
              : `Deployment ${nameOf(resource)} runs ${showValue(replicas)} replica(s): set spec.replicas to at least ${minimum} or add a HorizontalPodAutoscaler`,
          data: DATA,
        }),
      );
      pending.push({ id, finding });
    },
    finish(context) {
      for (let i = 0; i < pending.length; i++) {
        const { id, finding } = pending[i] as HeldDeployment;
        if (scaled.get(id.namespace, id.name) === undefined) context.report(finding);
      }
      for (let i = 0; i < written.length; i++) {
        const { id, finding } = written[i] as HeldDeployment;
        if (scaled.get(id.namespace, id.name) === true) context.report(finding);
      }
      pending = [];
      scaled = new JoinedNames();
      written = [];
    },
  };
}

/** A finding held for a Deployment, with the Deployment's identity. */
interface HeldDeployment {
  readonly id: ResourceId;
  readonly finding: HeldFinding;
}
