import { describe } from 'vitest';
import { patch, runCases } from './support.js';

const statefulSet = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', generation: 2 },
  spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
  status: {
    observedGeneration: 2,
    replicas: 3,
    readyReplicas: 3,
    currentReplicas: 3,
    updatedReplicas: 3,
    currentRevision: 'db-1',
    updateRevision: 'db-1',
  },
};

/** The same StatefulSet without a `rollingUpdate` block, so the revision test is reached. */
const plainRollingUpdate = patch(statefulSet, { spec: { updateStrategy: { rollingUpdate: undefined } } });

describe('StatefulSet', () => {
  runCases([
    {
      name: 'rolled out → Healthy',
      object: statefulSet,
      want: { status: 'Healthy', message: 'partitioned roll out complete: 3 new pods have been updated...' },
    },
    {
      name: 'observedGeneration absent → Progressing',
      object: patch(statefulSet, { status: { observedGeneration: undefined } }),
      want: { status: 'Progressing', message: 'Waiting for statefulset spec update to be observed...' },
    },
    {
      name: 'generation not observed → Progressing',
      object: patch(statefulSet, { metadata: { generation: 3 } }),
      want: 'Progressing',
    },
    {
      name: 'pods not ready → Progressing',
      object: patch(statefulSet, { status: { readyReplicas: 2 } }),
      want: { status: 'Progressing', message: 'Waiting for 1 pods to be ready...' },
    },
    {
      name: 'partitioned roll out under way → Progressing',
      object: patch(statefulSet, {
        spec: { updateStrategy: { rollingUpdate: { partition: 2 } } },
        status: { updatedReplicas: 0, updateRevision: 'db-2' },
      }),
      want: {
        status: 'Progressing',
        message: 'Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...',
      },
    },
    {
      name: 'partitioned roll out done up to the partition → Healthy',
      object: patch(statefulSet, {
        spec: { updateStrategy: { rollingUpdate: { partition: 2 } } },
        status: { updatedReplicas: 1, updateRevision: 'db-2' },
      }),
      want: { status: 'Healthy', message: 'partitioned roll out complete: 1 new pods have been updated...' },
    },
    {
      name: 'rollingUpdate block without a partition → Healthy, revisions not compared',
      object: patch(statefulSet, {
        spec: { updateStrategy: { rollingUpdate: { maxUnavailable: 1 } } },
        status: { updateRevision: 'db-2' },
      }),
      want: 'Healthy',
    },
    {
      name: 'OnDelete → Healthy whatever the revisions',
      object: patch(statefulSet, {
        spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: undefined } },
        status: { updatedReplicas: 1, updateRevision: 'db-2' },
      }),
      want: { status: 'Healthy', message: 'statefulset has 3 ready pods (1 updated)' },
    },
    {
      name: 'RollingUpdate without a rollingUpdate block, revisions differ → Progressing',
      object: patch(plainRollingUpdate, { status: { updatedReplicas: 1, updateRevision: 'db-2' } }),
      want: {
        status: 'Progressing',
        message: 'waiting for statefulset rolling update to complete 1 pods at revision db-2...',
      },
    },
    {
      name: 'RollingUpdate without a rollingUpdate block, revisions equal → Healthy',
      object: plainRollingUpdate,
      want: { status: 'Healthy', message: 'statefulset rolling update complete 3 pods at revision db-1...' },
    },
    {
      name: 'a partition that is a string → Unknown',
      object: patch(statefulSet, { spec: { updateStrategy: { rollingUpdate: { partition: 'two' } } } }),
      want: {
        status: 'Unknown',
        message:
          'cannot read StatefulSet: spec.updateStrategy.rollingUpdate.partition must be an integer, got a string',
      },
    },
    {
      name: 'apps/v1beta1 → Unknown',
      object: patch(statefulSet, { apiVersion: 'apps/v1beta1' }),
      want: 'Unknown',
    },
  ]);
});

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', generation: 4 },
  spec: { updateStrategy: { type: 'RollingUpdate' } },
  status: {
    observedGeneration: 4,
    desiredNumberScheduled: 3,
    currentNumberScheduled: 3,
    updatedNumberScheduled: 3,
    numberAvailable: 3,
    numberReady: 3,
  },
};

describe('DaemonSet', () => {
  runCases([
    { name: 'rolled out → Healthy', object: daemonSet, want: { status: 'Healthy' } },
    {
      name: 'generation not observed → Progressing',
      object: patch(daemonSet, { metadata: { generation: 5 } }),
      want: {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: observed daemon set generation less than desired generation',
      },
    },
    {
      name: 'OnDelete → Healthy with pods not yet updated',
      object: patch(daemonSet, {
        spec: { updateStrategy: { type: 'OnDelete' } },
        status: { updatedNumberScheduled: 1 },
      }),
      want: { status: 'Healthy', message: 'daemon set 1 out of 3 new pods have been updated' },
    },
    {
      name: 'OnDelete still waits for the generation to be observed',
      object: patch(daemonSet, {
        spec: { updateStrategy: { type: 'OnDelete' } },
        metadata: { generation: 5 },
      }),
      want: 'Progressing',
    },
    {
      name: 'pods not updated → Progressing',
      object: patch(daemonSet, { status: { updatedNumberScheduled: 1 } }),
      want: {
        status: 'Progressing',
        message: 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...',
      },
    },
    {
      name: 'pods not available → Progressing',
      object: patch(daemonSet, { status: { numberAvailable: 2 } }),
      want: {
        status: 'Progressing',
        message: 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...',
      },
    },
    {
      name: 'apps/v1beta2 → Unknown',
      object: patch(daemonSet, { apiVersion: 'apps/v1beta2' }),
      want: 'Unknown',
    },
  ]);
});

const replicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'api-7d9f', generation: 1 },
  spec: { replicas: 2 },
  status: { observedGeneration: 1, replicas: 2, readyReplicas: 2, availableReplicas: 2 },
};

describe('ReplicaSet', () => {
  runCases([
    { name: 'available → Healthy', object: replicaSet, want: { status: 'Healthy' } },
    {
      name: 'generation not observed → Progressing',
      object: patch(replicaSet, { metadata: { generation: 2 } }),
      want: 'Progressing',
    },
    {
      name: 'ReplicaFailure=True → Degraded with its message',
      object: patch(replicaSet, {
        status: {
          availableReplicas: 0,
          conditions: [
            { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' },
          ],
        },
      }),
      want: { status: 'Degraded', message: 'exceeded quota' },
    },
    {
      name: 'ReplicaFailure=False is ignored',
      object: patch(replicaSet, { status: { conditions: [{ type: 'ReplicaFailure', status: 'False' }] } }),
      want: 'Healthy',
    },
    {
      name: 'fewer available than desired → Progressing',
      object: patch(replicaSet, { status: { availableReplicas: 1 } }),
      want: {
        status: 'Progressing',
        message: 'Waiting for rollout to finish: 1 out of 2 new replicas are available...',
      },
    },
    {
      name: 'no spec.replicas → Healthy',
      object: patch(replicaSet, { spec: { replicas: undefined }, status: { availableReplicas: 0 } }),
      want: 'Healthy',
    },
  ]);
});
