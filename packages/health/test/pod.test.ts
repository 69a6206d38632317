import { describe } from 'vitest';
import { patch, runCases } from './support.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'api-7d9f-x2k4p', namespace: 'web' },
  spec: { restartPolicy: 'Always', containers: [{ name: 'app', image: 'nginx:1.27' }] },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
    containerStatuses: [
      {
        name: 'app',
        ready: true,
        restartCount: 0,
        state: { running: { startedAt: '2026-01-01T00:00:00Z' } },
        lastState: {},
      },
    ],
  },
};

const notReady = [
  { type: 'Initialized', status: 'True' },
  { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
];

function waiting(reason: string, message: string, name = 'app') {
  return { name, ready: false, restartCount: 3, state: { waiting: { reason, message } }, lastState: {} };
}

function terminated(name: string, fields: Record<string, unknown>) {
  return { name, ready: false, restartCount: 0, state: { terminated: fields }, lastState: {} };
}

describe('Pod', () => {
  runCases([
    { name: 'running and ready → Healthy', object: pod, want: { status: 'Healthy' } },
    {
      name: 'CrashLoopBackOff → Degraded with the waiting message',
      object: patch(pod, {
        status: {
          conditions: notReady,
          containerStatuses: [waiting('CrashLoopBackOff', 'back-off 5m0s restarting')],
        },
      }),
      want: { status: 'Degraded', message: 'back-off 5m0s restarting' },
    },
    {
      name: 'ImagePullBackOff in a Pending pod → Degraded',
      object: patch(pod, {
        status: {
          phase: 'Pending',
          containerStatuses: [waiting('ImagePullBackOff', 'Back-off pulling image')],
        },
      }),
      want: 'Degraded',
    },
    {
      name: 'a reason starting with Err → Degraded',
      object: patch(pod, { status: { containerStatuses: [waiting('ErrImagePull', 'not found')] } }),
      want: 'Degraded',
    },
    {
      name: 'a reason ending with Error → Degraded',
      object: patch(pod, {
        status: { containerStatuses: [waiting('CreateContainerConfigError', 'no secret')] },
      }),
      want: 'Degraded',
    },
    {
      name: 'every failing container is named, joined with ", "',
      object: patch(pod, {
        status: {
          containerStatuses: [
            waiting('CrashLoopBackOff', 'first'),
            waiting('ContainerCreating', ''),
            waiting('ErrImagePull', 'second'),
          ],
        },
      }),
      want: { status: 'Degraded', message: 'first, second' },
    },
    {
      name: 'ContainerCreating is not a failure: the phase decides',
      object: patch(pod, {
        status: { phase: 'Pending', containerStatuses: [waiting('ContainerCreating', '')] },
      }),
      want: 'Progressing',
    },
    {
      name: 'restartPolicy Never: a back-off does not make a hook Degraded',
      object: patch(pod, {
        spec: { restartPolicy: 'Never' },
        status: { conditions: notReady, containerStatuses: [waiting('ImagePullBackOff', 'Back-off')] },
      }),
      want: 'Progressing',
    },
    {
      name: 'Pending → Progressing with the pod message',
      object: patch(pod, {
        status: { phase: 'Pending', message: 'waiting for a node', containerStatuses: [] },
      }),
      want: { status: 'Progressing', message: 'waiting for a node' },
    },
    { name: 'Succeeded → Healthy', object: patch(pod, { status: { phase: 'Succeeded' } }), want: 'Healthy' },
    {
      name: 'Failed → Degraded with the pod message first',
      object: patch(pod, {
        status: {
          phase: 'Failed',
          message: 'Pod was evicted',
          containerStatuses: [terminated('app', { exitCode: 1 })],
        },
      }),
      want: { status: 'Degraded', message: 'Pod was evicted' },
    },
    {
      name: 'Failed → the terminated message of a container',
      object: patch(pod, {
        status: {
          phase: 'Failed',
          containerStatuses: [terminated('app', { exitCode: 1, message: 'panic: boom' })],
        },
      }),
      want: { status: 'Degraded', message: 'panic: boom' },
    },
    {
      name: 'Failed → init containers are looked at first; OOMKilled',
      object: patch(pod, {
        status: {
          phase: 'Failed',
          initContainerStatuses: [terminated('migrate', { exitCode: 137, reason: 'OOMKilled' })],
          containerStatuses: [terminated('app', { exitCode: 1 })],
        },
      }),
      want: { status: 'Degraded', message: 'OOMKilled' },
    },
    {
      name: 'Failed → the exit code of the first container that failed',
      object: patch(pod, {
        status: {
          phase: 'Failed',
          containerStatuses: [
            terminated('sidecar', { exitCode: 0 }),
            terminated('app', { exitCode: 2, reason: 'Error' }),
          ],
        },
      }),
      want: { status: 'Degraded', message: 'container "app" failed with exit code 2' },
    },
    {
      name: 'Failed with nothing to say → Degraded without a message',
      object: patch(pod, { status: { phase: 'Failed', containerStatuses: [] } }),
      want: { status: 'Degraded' },
    },
    {
      name: 'running, not ready, restarted before → Degraded',
      object: patch(pod, {
        status: {
          conditions: notReady,
          containerStatuses: [
            { name: 'app', ready: false, state: { running: {} }, lastState: { terminated: { exitCode: 1 } } },
          ],
        },
      }),
      want: 'Degraded',
    },
    {
      name: 'running, not ready, never restarted → Progressing',
      object: patch(pod, { status: { conditions: notReady } }),
      want: 'Progressing',
    },
    {
      name: 'restartPolicy OnFailure, running and ready → Progressing (a hook still running)',
      object: patch(pod, { spec: { restartPolicy: 'OnFailure' } }),
      want: 'Progressing',
    },
    {
      name: 'ignore-restart-policy annotation: a ready Never pod → Healthy',
      object: patch(pod, {
        metadata: { annotations: { 'argocd.argoproj.io/ignore-restart-policy': 'true' } },
        spec: { restartPolicy: 'Never' },
      }),
      want: 'Healthy',
    },
    {
      name: 'no restartPolicy while running → Unknown',
      object: patch(pod, { spec: { restartPolicy: undefined } }),
      want: 'Unknown',
    },
    {
      name: 'phase Unknown → Unknown with the pod message',
      object: patch(pod, { status: { phase: 'Unknown', message: 'node lost' } }),
      want: { status: 'Unknown', message: 'node lost' },
    },
    { name: 'no status → Unknown', object: patch(pod, { status: undefined }), want: 'Unknown' },
    {
      name: 'a container status that is not an object → Unknown',
      object: patch(pod, { status: { containerStatuses: ['app'] } }),
      want: {
        status: 'Unknown',
        message: 'cannot read Pod: status.containerStatuses[0] must be an object, got a string',
      },
    },
    {
      name: 'an exit code that is a string → Unknown',
      object: patch(pod, {
        status: { phase: 'Failed', containerStatuses: [terminated('app', { exitCode: '1' })] },
      }),
      want: {
        status: 'Unknown',
        message:
          'cannot read Pod: status.containerStatuses[0].state.terminated.exitCode must be an integer, got a string',
      },
    },
    { name: 'v2 Pod → Unknown', object: patch(pod, { apiVersion: 'v2' }), want: 'Unknown' },
  ]);
});
