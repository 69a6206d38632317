import { describe } from 'vitest';
import { patch, runCases } from './support.js';

const hpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'api', namespace: 'web' },
  spec: {
    minReplicas: 1,
    maxReplicas: 4,
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
  },
  status: {
    currentReplicas: 1,
    desiredReplicas: 1,
    conditions: [
      {
        type: 'AbleToScale',
        status: 'True',
        reason: 'ReadyForNewScale',
        message: 'recommended size matches current size',
      },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'metrics found' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'within range' },
    ],
  },
};

const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';

function v1(annotation: string | undefined) {
  return patch(hpa, {
    apiVersion: 'autoscaling/v1',
    metadata: { annotations: annotation === undefined ? undefined : { [CONDITIONS]: annotation } },
    status: { conditions: undefined },
  });
}

function v2(...conditions: Record<string, string>[]) {
  return patch(hpa, { status: { conditions } });
}

describe('HorizontalPodAutoscaler', () => {
  runCases([
    {
      name: 'v2 AbleToScale=True → Healthy with its message',
      object: hpa,
      want: { status: 'Healthy', message: 'recommended size matches current size' },
    },
    {
      name: 'AbleToScale/FailedGetScale → Degraded',
      object: v2({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: 'no scale' }),
      want: { status: 'Degraded', message: 'no scale' },
    },
    {
      name: 'AbleToScale/FailedUpdateScale → Degraded',
      object: v2({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale' }),
      want: 'Degraded',
    },
    {
      name: 'ScalingActive/FailedGetResourceMetric → Degraded',
      object: v2({ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }),
      want: 'Degraded',
    },
    {
      name: 'ScalingActive/InvalidSelector → Degraded',
      object: v2({ type: 'ScalingActive', status: 'False', reason: 'InvalidSelector' }),
      want: 'Degraded',
    },
    {
      name: 'the first deciding condition wins: Healthy before a later failure',
      object: v2(
        { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'rescaled' },
        { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' },
      ),
      want: { status: 'Healthy', message: 'rescaled' },
    },
    {
      name: 'the first deciding condition wins: a failure before a later Healthy',
      object: v2(
        { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'no metrics' },
        { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' },
      ),
      want: { status: 'Degraded', message: 'no metrics' },
    },
    {
      name: 'ScalingLimited=True → Healthy',
      object: v2({ type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'at minimum' }),
      want: { status: 'Healthy', message: 'at minimum' },
    },
    {
      name: 'AbleToScale=False for another reason does not decide',
      object: v2({ type: 'AbleToScale', status: 'False', reason: 'BackoffBoth' }),
      want: { status: 'Progressing', message: 'Waiting to Autoscale' },
    },
    {
      name: 'AbleToScale=Unknown does not decide',
      object: v2({ type: 'AbleToScale', status: 'Unknown', reason: 'SucceededGetScale' }),
      want: 'Progressing',
    },
    {
      name: 'ScalingLimited=False does not decide',
      object: v2({ type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' }),
      want: 'Progressing',
    },
    {
      name: 'no conditions → Progressing',
      object: patch(hpa, { status: { conditions: undefined } }),
      want: { status: 'Progressing', message: 'Waiting to Autoscale' },
    },
    {
      name: 'v2beta2 → same rule',
      object: patch(hpa, { apiVersion: 'autoscaling/v2beta2' }),
      want: 'Healthy',
    },
    {
      name: 'v2beta1 → same rule',
      object: patch(hpa, { apiVersion: 'autoscaling/v2beta1' }),
      want: 'Healthy',
    },
    {
      name: 'v1 without the annotation → Progressing, status.conditions not read',
      object: patch(v1(undefined), { status: hpa.status }),
      want: { status: 'Progressing', message: 'Waiting to Autoscale' },
    },
    { name: 'v1 with an empty list → Progressing', object: v1('[]'), want: 'Progressing' },
    { name: 'v1 with JSON null → Progressing', object: v1('null'), want: 'Progressing' },
    {
      name: 'v1 annotation conditions → Healthy',
      object: v1(JSON.stringify(hpa.status.conditions)),
      want: { status: 'Healthy', message: 'recommended size matches current size' },
    },
    {
      name: 'v1 annotation conditions → Degraded',
      object: v1('[{"type":"AbleToScale","status":"False","reason":"FailedGetScale","message":"gone"}]'),
      want: { status: 'Degraded', message: 'gone' },
    },
    { name: 'v1 annotation that is not JSON → Unknown', object: v1('[{type: AbleToScale'), want: 'Unknown' },
    {
      name: 'v1 annotation that is a JSON object → Unknown',
      object: v1('{"type":"AbleToScale"}'),
      want: 'Unknown',
    },
    {
      name: 'v1 annotation entry with a non-string field → Unknown',
      object: v1('[{"type":"AbleToScale","status":true}]'),
      want: 'Unknown',
    },
    {
      name: 'autoscaling/v3 → Unknown',
      object: patch(hpa, { apiVersion: 'autoscaling/v3' }),
      want: {
        status: 'Unknown',
        message: 'unsupported HorizontalPodAutoscaler GVK: autoscaling/v3, Kind=HorizontalPodAutoscaler',
      },
    },
  ]);
});
