import { assessHealth, type CustomHealthCheck, HEALTH_STATUSES, type Health } from '@shipshape/health';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const KINDS = [
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1beta2', 'Deployment'],
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'PersistentVolumeClaim'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['autoscaling/v1', 'HorizontalPodAutoscaler'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['apiregistration.k8s.io/v1', 'APIService'],
  ['argoproj.io/v1alpha1', 'Workflow'],
  ['argoproj.io/v1alpha1', 'Application'],
  ['example.com/v1', 'Widget'],
] as const;

const json = fc.jsonValue({ maxDepth: 4 });

/** Field values that the rules look at, mixed with arbitrary JSON, to reach deep branches. */
const field = fc.oneof(
  json,
  fc.integer({ min: -2, max: 5 }),
  fc.constantFrom(
    'True',
    'False',
    'Unknown',
    'Running',
    'Failed',
    'Pending',
    'Always',
    'OnDelete',
    'LoadBalancer',
  ),
  fc.constantFrom('2026-01-01T00:00:00Z', 'not a time', '[{"type":"AbleToScale","status":"True"}]', '{'),
);
const condition = fc.record(
  {
    type: fc.constantFrom(
      'Ready',
      'Available',
      'Stalled',
      'Reconciling',
      'Progressing',
      'AbleToScale',
      'Failed',
      'Complete',
    ),
    status: field,
    reason: fc.oneof(field, fc.constantFrom('ProgressDeadlineExceeded', 'FailedGetScale', 'Progressing')),
    message: field,
  },
  { requiredKeys: [] },
);
const section = fc.oneof(
  json,
  fc.dictionary(
    fc.constantFrom(
      'replicas',
      'paused',
      'phase',
      'type',
      'observedGeneration',
      'updatedReplicas',
      'suspend',
      'active',
    ),
    field,
  ),
  fc.record({ conditions: fc.oneof(fc.array(condition, { maxLength: 4 }), json) }),
);
const kubernetesLike = fc.record(
  {
    kind: fc.constantFrom(...KINDS).map(([, kind]) => kind),
    apiVersion: fc.oneof(
      fc.constantFrom(...KINDS).map(([apiVersion]) => apiVersion),
      json,
    ),
    metadata: fc.oneof(
      json,
      fc.record(
        {
          name: field,
          generation: field,
          deletionTimestamp: field,
          finalizers: field,
          annotations: fc.oneof(
            json,
            fc.dictionary(fc.constantFrom('autoscaling.alpha.kubernetes.io/conditions'), field),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    spec: section,
    status: section,
  },
  { requiredKeys: ['kind'] },
);

const throwingOrOdd: CustomHealthCheck[] = [
  {
    group: 'apps',
    kind: '*',
    check: (object) => {
      if (Object.keys(object).length % 2 === 0) throw new Error('odd');
      return { status: 'Sideways' } as unknown as Health;
    },
  },
];

function expectValid(got: Health | null): void {
  if (got === null) return;
  expect(HEALTH_STATUSES).toContain(got.status);
  expect(Object.keys(got).every((key) => key === 'status' || key === 'message')).toBe(true);
  if ('message' in got) {
    expect(typeof got.message).toBe('string');
    expect(got.message).not.toBe('');
  }
}

describe('assessHealth laws', () => {
  it('never throws for arbitrary JSON and returns null or a valid health', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectValid(assessHealth(value));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws for Kubernetes-shaped objects with arbitrary fields', () => {
    fc.assert(
      fc.property(kubernetesLike, (object) => {
        expectValid(assessHealth(object));
        expectValid(assessHealth(object, { checks: throwingOrOdd }));
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic and does not change its input', () => {
    fc.assert(
      fc.property(kubernetesLike, (object) => {
        const before = JSON.stringify(object);
        const first = assessHealth(object);
        expect(JSON.stringify(object)).toBe(before);
        expect(assessHealth(structuredClone(object))).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });
});
