import { describe } from 'vitest';
import { patch, runCases } from './support.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'web', generation: 3 },
  spec: { replicas: 2, selector: { matchLabels: { app: 'api' } } },
  status: {
    observedGeneration: 3,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  },
};

const deadlineExceeded = {
  conditions: [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
  ],
};

describe('Deployment', () => {
  runCases([
    { name: 'rolled out → Healthy', object: deployment, want: { status: 'Healthy' } },
    {
      name: 'paused → Suspended',
      object: patch(deployment, { spec: { paused: true } }),
      want: { status: 'Suspended', message: 'Deployment is paused' },
    },
    {
      name: 'paused wins over an unobserved generation',
      object: patch(deployment, { spec: { paused: true }, metadata: { generation: 4 } }),
      want: 'Suspended',
    },
    {
      name: 'paused: false is not paused',
      object: patch(deployment, { spec: { paused: false } }),
      want: 'Healthy',
    },
    {
      name: 'generation not observed → Progressing',
      object: patch(deployment, { metadata: { generation: 4 } }),
      want: {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: observed deployment generation less than desired generation',
      },
    },
    {
      name: 'no status yet → Progressing',
      object: patch(deployment, { status: undefined }),
      want: 'Progressing',
    },
    {
      name: 'progress deadline exceeded → Degraded',
      object: patch(deployment, { status: deadlineExceeded }),
      want: { status: 'Degraded', message: 'Deployment "api" exceeded its progress deadline' },
    },
    {
      name: 'progress deadline is not read before the generation is observed',
      object: patch(deployment, { metadata: { generation: 4 }, status: deadlineExceeded }),
      want: 'Progressing',
    },
    {
      name: 'fewer updated replicas than desired → Progressing',
      object: patch(deployment, { status: { updatedReplicas: 1 } }),
      want: {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: 1 out of 2 new replicas have been updated...',
      },
    },
    {
      name: 'old replicas pending termination → Progressing',
      object: patch(deployment, { status: { replicas: 3 } }),
      want: {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: 1 old replicas are pending termination...',
      },
    },
    {
      name: 'updated replicas not yet available → Progressing',
      object: patch(deployment, { status: { availableReplicas: 1 } }),
      want: {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: 1 of 2 updated replicas are available...',
      },
    },
    {
      name: 'no spec.replicas skips the updated-replicas test, as a nil pointer upstream',
      object: patch(deployment, {
        spec: { replicas: undefined },
        status: { replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
      }),
      want: 'Healthy',
    },
    {
      name: 'scaled to zero → Healthy',
      object: patch(deployment, {
        spec: { replicas: 0 },
        status: { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
      }),
      want: 'Healthy',
    },
    {
      name: 'apps/v1beta2 is not supported → Unknown',
      object: patch(deployment, { apiVersion: 'apps/v1beta2' }),
      want: { status: 'Unknown', message: 'unsupported Deployment GVK: apps/v1beta2, Kind=Deployment' },
    },
    {
      name: 'a count that is a string → Unknown',
      object: patch(deployment, { spec: { replicas: '2' } }),
      want: {
        status: 'Unknown',
        message: 'cannot read Deployment: spec.replicas must be an integer, got a string',
      },
    },
    {
      name: 'a fractional count → Unknown',
      object: patch(deployment, { status: { updatedReplicas: 1.5 } }),
      want: 'Unknown',
    },
    {
      name: 'status that is not an object → Unknown',
      object: patch(deployment, { status: ['Running'] }),
      want: { status: 'Unknown', message: 'cannot read Deployment: status must be an object, got an array' },
    },
    {
      name: 'conditions that are not a list → Unknown',
      object: patch(deployment, { status: { conditions: { Available: 'True' } } }),
      want: 'Unknown',
    },
    {
      name: 'a condition that is not an object → Unknown',
      object: patch(deployment, { status: { conditions: ['Available'] } }),
      want: {
        status: 'Unknown',
        message: 'cannot read Deployment: status.conditions[0] must be an object, got a string',
      },
    },
  ]);
});
