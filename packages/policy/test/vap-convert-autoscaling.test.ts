import { describe, expect, it } from 'vitest';
import { toCelValue } from '../src/vap/cel-values.js';
import { HPA_CONVERSION } from '../src/vap/convert-autoscaling.js';
import { type CelObject, convertBuiltIn } from '../src/vap/convert-versions.js';
import { binding, type Obj, policy, runVap, summarize } from './vap-fixtures.js';

// HorizontalPodAutoscalers converted as the API server converts them for a policy whose rule names
// another version (pkg/apis/autoscaling/{v1,v2beta1,v2beta2,v2}/conversion.go, annotations.go,
// helpers.go). Objects are written as JSON and compared as CEL sees them (integers as bigint).

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';
const SCALE_DOWN_TOLERANCE = 'autoscaling.alpha.kubernetes.io/scale-down-tolerance';
const SCALE_UP_TOLERANCE = 'autoscaling.alpha.kubernetes.io/scale-up-tolerance';

type Version = 'v1' | 'v2beta1' | 'v2beta2' | 'v2';

/** `object` (JSON, written in `from`) as version `to` writes it, as a CEL value. */
function convert(object: Obj, from: Version, to: Version): unknown {
  return convertBuiltIn(
    toCelValue(object) as CelObject,
    { group: 'autoscaling', version: from },
    { group: 'autoscaling', version: to },
    'horizontalpodautoscalers',
  );
}

const REF = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const INGRESS = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' };

/** An HPA written in `version`, with `annotations` when some are given. */
function hpa(version: Version, spec: Obj, status?: Obj, annotations?: Obj): Obj {
  return {
    apiVersion: `autoscaling/${version}`,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'shop', ...(annotations ? { annotations } : {}) },
    spec: { scaleTargetRef: REF, ...spec },
    ...(status ? { status } : {}),
  };
}

const cpu = (averageUtilization: number): Obj => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
});

// One metric of each source, the CPU utilization one last (where v1 puts it back).
const V2_METRICS = [
  { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
  {
    type: 'Pods',
    pods: { metric: { name: 'packets-per-second' }, target: { type: 'AverageValue', averageValue: '1k' } },
  },
  {
    type: 'Object',
    object: {
      describedObject: INGRESS,
      metric: { name: 'requests-per-second' },
      target: { type: 'Value', value: '10k' },
    },
  },
  {
    type: 'External',
    external: {
      metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'tasks', env: 'prod' } } },
      target: { type: 'AverageValue', averageValue: '30' },
    },
  },
  {
    type: 'ContainerResource',
    containerResource: {
      name: 'cpu',
      container: 'app',
      target: { type: 'Utilization', averageUtilization: 60 },
    },
  },
  cpu(70),
];
const V2_BEHAVIOR = {
  scaleDown: {
    stabilizationWindowSeconds: 300,
    policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }],
  },
};
const CONDITION = {
  type: 'AbleToScale',
  status: 'True',
  lastTransitionTime: '2026-01-02T03:04:05Z',
  reason: 'ReadyForNewScale',
  message: 'recommended size matches current size',
};
const V2_FULL = hpa(
  'v2',
  { minReplicas: 2, maxReplicas: 10, metrics: V2_METRICS, behavior: V2_BEHAVIOR },
  {
    currentReplicas: 3,
    desiredReplicas: 4,
    currentMetrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: 65, averageValue: '130m' } },
      },
    ],
    conditions: [CONDITION],
  },
);
// What the API server makes of V2_FULL in v1: Go's JSON of the v1 metric types, and of the
// internal behavior type (Go field names, unset pointers as null).
const V1_FULL = hpa(
  'v1',
  { minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
  { currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 65 },
  {
    [METRICS]:
      '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}},' +
      '{"type":"Pods","pods":{"metricName":"packets-per-second","targetAverageValue":"1k"}},' +
      '{"type":"Object","object":{"target":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"},' +
      '"metricName":"requests-per-second","targetValue":"10k"}},' +
      '{"type":"External","external":{"metricName":"queue_messages_ready",' +
      '"metricSelector":{"matchLabels":{"env":"prod","queue":"tasks"}},"targetAverageValue":"30"}},' +
      '{"type":"ContainerResource","containerResource":{"name":"cpu","targetAverageUtilization":60,"container":"app"}}]',
    [BEHAVIOR]:
      '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":null,' +
      '"Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":null}}',
    [CURRENT_METRICS]:
      '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":65,"currentAverageValue":"130m"}}]',
    [CONDITIONS]:
      '[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-01-02T03:04:05Z",' +
      '"reason":"ReadyForNewScale","message":"recommended size matches current size"}]',
  },
);

interface Case {
  readonly name: string;
  readonly from: Version;
  readonly to: Version;
  readonly input: Obj;
  readonly want: Obj;
}

const V2_TO_V1: readonly Case[] = [
  {
    name: 'every metric source, behavior, statuses and conditions',
    from: 'v2',
    to: 'v1',
    input: V2_FULL,
    want: V1_FULL,
  },
  {
    name: 'the CPU utilization metric alone: no annotation',
    from: 'v2',
    to: 'v1',
    input: hpa('v2', { maxReplicas: 5, metrics: [cpu(50)] }),
    want: hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 50 }),
  },
  {
    // The first CPU metric decides; every CPU utilization metric is left out of the annotation.
    name: 'a first CPU metric on an average value: no target, and the utilization one is lost',
    from: 'v2',
    to: 'v1',
    input: hpa('v2', {
      maxReplicas: 5,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '200m' } },
        },
        cpu(50),
      ],
    }),
    want: hpa('v1', { maxReplicas: 5 }, undefined, {
      [METRICS]: '[{"type":"Resource","resource":{"name":"cpu","targetAverageValue":"200m"}}]',
    }),
  },
  {
    name: 'no metrics: neither target nor annotation',
    from: 'v2',
    to: 'v1',
    input: hpa('v2', { maxReplicas: 5 }),
    want: hpa('v1', { maxReplicas: 5 }),
  },
  {
    name: 'round-trip annotations written on a v2 object are dropped, others kept',
    from: 'v2',
    to: 'v1',
    input: hpa('v2', { maxReplicas: 5, metrics: [cpu(50)] }, undefined, {
      team: 'shop',
      [METRICS]: '[{"type":"Pods","pods":{"metricName":"stale","targetAverageValue":"1"}}]',
      [SCALE_UP_TOLERANCE]: '1',
    }),
    want: hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, undefined, { team: 'shop' }),
  },
  {
    // Go writes required fields as their zero value: a quantity `"0"`, a name `""`.
    name: 'the annotation JSON as Go writes it: zero values, sorted labels, escaped text',
    from: 'v2',
    to: 'v1',
    input: hpa(
      'v2',
      {
        maxReplicas: 5,
        metrics: [
          {
            type: 'Object',
            object: {
              describedObject: { kind: 'Service', name: 'front' },
              metric: {
                name: 'q&a',
                selector: {
                  matchExpressions: [{ key: 'tier', operator: 'Exists' }],
                  matchLabels: { b: '1', a: '2' },
                },
              },
              target: { type: 'AverageValue', averageValue: 5 },
            },
          },
          { type: 'External', external: { target: { type: 'Value', value: '1' } } },
        ],
      },
      {
        desiredReplicas: 1,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } },
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55 } } },
        ],
        conditions: [{ type: 'ScalingActive', status: 'False' }],
      },
    ),
    want: hpa(
      'v1',
      { maxReplicas: 5 },
      // The last CPU status with a utilization wins.
      { desiredReplicas: 1, currentCPUUtilizationPercentage: 55 },
      {
        [METRICS]:
          '[{"type":"Object","object":{"target":{"kind":"Service","name":"front"},"metricName":"q\\u0026a",' +
          '"targetValue":"0","selector":{"matchLabels":{"a":"2","b":"1"},' +
          '"matchExpressions":[{"key":"tier","operator":"Exists"}]},"averageValue":"5"}},' +
          '{"type":"External","external":{"metricName":"","targetValue":"1"}}]',
        [CURRENT_METRICS]:
          '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":40,"currentAverageValue":"0"}},' +
          '{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":55,"currentAverageValue":"0"}}]',
        [CONDITIONS]: '[{"type":"ScalingActive","status":"False","lastTransitionTime":null}]',
      },
    ),
  },
  {
    name: 'an empty behavior is written all the same',
    from: 'v2',
    to: 'v1',
    input: hpa('v2', { maxReplicas: 5, metrics: [cpu(50)], behavior: {} }),
    want: hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, undefined, {
      [BEHAVIOR]: '{"ScaleUp":null,"ScaleDown":null}',
    }),
  },
];

const V1_TO_V2: readonly Case[] = [
  {
    name: 'the CPU target becomes a Resource metric',
    from: 'v1',
    to: 'v2',
    input: hpa('v1', { minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 }),
    want: hpa('v2', { minReplicas: 1, maxReplicas: 5, metrics: [cpu(70)] }),
  },
  {
    name: 'no target at all: the 80% CPU utilization v1 always meant',
    from: 'v1',
    to: 'v2',
    input: hpa('v1', { maxReplicas: 5 }),
    want: hpa('v2', { maxReplicas: 5, metrics: [cpu(80)] }),
  },
  {
    name: 'annotated metrics first, then the CPU target; the annotations are removed',
    from: 'v1',
    to: 'v2',
    input: hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, undefined, {
      team: 'shop',
      [METRICS]:
        '[{"type":"Pods","pods":{"metricName":"rps","targetAverageValue":100}},null,' +
        '{"type":"Object","object":{"target":{"kind":"Service","name":"front"},"metricName":"hits","averageValue":"5"}}]',
    }),
    want: hpa(
      'v2',
      {
        maxReplicas: 5,
        metrics: [
          {
            type: 'Pods',
            pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } },
          },
          {},
          {
            type: 'Object',
            object: {
              describedObject: { kind: 'Service', name: 'front' },
              metric: { name: 'hits' },
              target: { type: 'AverageValue', value: '0', averageValue: '5' },
            },
          },
          cpu(50),
        ],
      },
      undefined,
      { team: 'shop' },
    ),
  },
  {
    name: 'a malformed metrics annotation is ignored, and removed',
    from: 'v1',
    to: 'v2',
    input: hpa('v1', { maxReplicas: 5 }, undefined, { [METRICS]: '{"type":"Pods"}' }),
    want: hpa('v2', { maxReplicas: 5, metrics: [cpu(80)] }),
  },
  // A short text that nests far deeper than any field of these types: no call stack holds it as a
  // CEL value, and Go's decoder refuses JSON this deep (over 10000 levels). Not read, no crash.
  ...[METRICS, CURRENT_METRICS, CONDITIONS].map(
    (annotation): Case => ({
      name: `a ${annotation} annotation nested 100000 levels deep is ignored`,
      from: 'v1',
      to: 'v2',
      input: hpa('v1', { maxReplicas: 5 }, undefined, {
        [annotation]: `[{"type":"Pods","deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`,
      }),
      want: hpa('v2', { maxReplicas: 5, metrics: [cpu(80)] }),
    }),
  ),
  {
    name: 'the current CPU utilization becomes a metric status',
    from: 'v1',
    to: 'v2',
    input: hpa(
      'v1',
      { maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
      { currentCPUUtilizationPercentage: 45 },
    ),
    want: hpa(
      'v2',
      { maxReplicas: 5, metrics: [cpu(50)] },
      {
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45 } } },
        ],
      },
    ),
  },
  {
    name: 'the statuses annotation replaces the current CPU utilization, even when empty',
    from: 'v1',
    to: 'v2',
    input: hpa(
      'v1',
      { maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
      { desiredReplicas: 2, currentCPUUtilizationPercentage: 45 },
      { [CURRENT_METRICS]: '[]' },
    ),
    want: hpa('v2', { maxReplicas: 5, metrics: [cpu(50)] }, { desiredReplicas: 2 }),
  },
  {
    // Go's decoder matches struct fields regardless of case.
    name: 'a behavior annotation in any case, with a tolerance',
    from: 'v1',
    to: 'v2',
    input: hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, undefined, {
      [BEHAVIOR]: '{"scaleUp":{"selectPolicy":"Disabled","tolerance":"0.05"},"ScaleDown":null}',
    }),
    want: hpa('v2', {
      maxReplicas: 5,
      metrics: [cpu(50)],
      behavior: { scaleUp: { selectPolicy: 'Disabled', tolerance: '0.05' } },
    }),
  },
  ...[
    '{"ScaleUp":null,"ScaleDown":null}',
    '{"ScaleUp":{"StabilizationWindowSeconds":"soon"}}',
    '{"ScaleDown":{"Tolerance":"lots"}}',
    '[]',
    'null',
  ].map(
    (text): Case => ({
      name: `a behavior annotation with no behavior or not well formed: ${text}`,
      from: 'v1',
      to: 'v2',
      input: hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, undefined, {
        [BEHAVIOR]: text,
      }),
      want: hpa('v2', { maxReplicas: 5, metrics: [cpu(50)] }),
    }),
  ),
  {
    name: 'a behavior written in a v1 object is no v1 field: dropped',
    from: 'v1',
    to: 'v2',
    input: hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 50, behavior: V2_BEHAVIOR }),
    want: hpa('v2', { maxReplicas: 5, metrics: [cpu(50)] }),
  },
  {
    name: 'the conditions annotation',
    from: 'v1',
    to: 'v2',
    input: hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, undefined, {
      [CONDITIONS]:
        '[{"type":"ScalingActive","status":"False","lastTransitionTime":null,"observedGeneration":3}]',
    }),
    want: hpa(
      'v2',
      { maxReplicas: 5, metrics: [cpu(50)] },
      { conditions: [{ type: 'ScalingActive', status: 'False', observedGeneration: 3 }] },
    ),
  },
];

const REF_APPS = { kind: 'StatefulSet', name: 'db' };
const V2BETA1_FULL = hpa(
  'v2beta1',
  {
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 75 } },
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '1Gi' } },
      {
        type: 'Pods',
        pods: { metricName: 'rps', targetAverageValue: '100', selector: { matchLabels: { a: 'b' } } },
      },
      { type: 'Object', object: { target: INGRESS, metricName: 'hits', targetValue: '2k' } },
      { type: 'Object', object: { target: REF_APPS, metricName: 'lag', averageValue: '50' } },
      {
        type: 'External',
        external: { metricName: 'queue', metricSelector: { matchLabels: { q: 'jobs' } }, targetValue: '40' },
      },
      { type: 'External', external: { metricName: 'queue', targetAverageValue: '4' } },
      {
        type: 'ContainerResource',
        containerResource: { name: 'cpu', container: 'app', targetAverageUtilization: 60 },
      },
    ],
  },
  {
    currentReplicas: 2,
    desiredReplicas: 2,
    currentMetrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', currentAverageUtilization: 50, currentAverageValue: '100m' },
      },
      { type: 'Resource', resource: { name: 'memory', currentAverageValue: '700Mi' } },
      { type: 'Pods', pods: { metricName: 'rps', currentAverageValue: '90' } },
      { type: 'Object', object: { target: INGRESS, metricName: 'hits', currentValue: '1500' } },
      { type: 'External', external: { metricName: 'queue', currentValue: '12', currentAverageValue: '6' } },
      {
        type: 'ContainerResource',
        containerResource: { name: 'cpu', container: 'app', currentAverageUtilization: 30 },
      },
    ],
    conditions: [CONDITION],
  },
);
const V2_FROM_BETA1 = hpa(
  'v2',
  {
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [
      cpu(75),
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } },
      },
      {
        type: 'Pods',
        pods: {
          metric: { name: 'rps', selector: { matchLabels: { a: 'b' } } },
          target: { type: 'AverageValue', averageValue: '100' },
        },
      },
      {
        type: 'Object',
        object: {
          describedObject: INGRESS,
          metric: { name: 'hits' },
          target: { type: 'Value', value: '2k' },
        },
      },
      {
        // v2beta1's target value is a plain quantity: v2 gets one, `"0"` here.
        type: 'Object',
        object: {
          describedObject: REF_APPS,
          metric: { name: 'lag' },
          target: { type: 'AverageValue', value: '0', averageValue: '50' },
        },
      },
      {
        type: 'External',
        external: {
          metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } },
          target: { type: 'Value', value: '40' },
        },
      },
      {
        type: 'External',
        external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '4' } },
      },
      {
        type: 'ContainerResource',
        containerResource: {
          name: 'cpu',
          container: 'app',
          target: { type: 'Utilization', averageUtilization: 60 },
        },
      },
    ],
  },
  {
    currentReplicas: 2,
    desiredReplicas: 2,
    currentMetrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '100m' } },
      },
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '700Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '90' } } },
      {
        type: 'Object',
        object: { describedObject: INGRESS, metric: { name: 'hits' }, current: { value: '1500' } },
      },
      {
        type: 'External',
        external: { metric: { name: 'queue' }, current: { value: '12', averageValue: '6' } },
      },
      {
        type: 'ContainerResource',
        containerResource: {
          name: 'cpu',
          container: 'app',
          current: { averageUtilization: 30, averageValue: '0' },
        },
      },
    ],
    conditions: [CONDITION],
  },
);

const BETA1: readonly Case[] = [
  {
    name: 'every metric source and status, v2beta1 to v2',
    from: 'v2beta1',
    to: 'v2',
    input: V2BETA1_FULL,
    want: V2_FROM_BETA1,
  },
  {
    name: 'v2 to v2beta1: the targets in fields of their own, the behavior in an annotation',
    from: 'v2',
    to: 'v2beta1',
    input: hpa('v2', { maxReplicas: 3, metrics: V2_METRICS, behavior: V2_BEHAVIOR }, undefined, {
      [METRICS]: '[]',
    }),
    want: hpa(
      'v2beta1',
      {
        maxReplicas: 3,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
          { type: 'Pods', pods: { metricName: 'packets-per-second', targetAverageValue: '1k' } },
          {
            type: 'Object',
            object: { target: INGRESS, metricName: 'requests-per-second', targetValue: '10k' },
          },
          {
            type: 'External',
            external: {
              metricName: 'queue_messages_ready',
              metricSelector: { matchLabels: { queue: 'tasks', env: 'prod' } },
              targetAverageValue: '30',
            },
          },
          {
            type: 'ContainerResource',
            containerResource: { name: 'cpu', container: 'app', targetAverageUtilization: 60 },
          },
          { type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 70 } },
        ],
      },
      undefined,
      {
        [BEHAVIOR]:
          '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":null,' +
          '"Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":null}}',
      },
    ),
  },
  {
    name: "v2beta1 reads the behavior annotation, and drops v1's",
    from: 'v2beta1',
    to: 'v2',
    input: hpa(
      'v2beta1',
      {
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 75 } }],
      },
      undefined,
      {
        [BEHAVIOR]:
          '{"ScaleUp":{"Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},null]},"ScaleDown":null}',
        [METRICS]: '[{"type":"Pods","pods":{"metricName":"rps","targetAverageValue":"1"}}]',
      },
    ),
    want: hpa('v2', {
      maxReplicas: 3,
      metrics: [cpu(75)],
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, {}] } },
    }),
  },
  {
    name: 'v2 to v1 to v2beta1 goes through the internal form: no annotation survives',
    from: 'v1',
    to: 'v2beta1',
    input: V1_FULL,
    want: hpa(
      'v2beta1',
      {
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
          { type: 'Pods', pods: { metricName: 'packets-per-second', targetAverageValue: '1k' } },
          {
            type: 'Object',
            object: { target: INGRESS, metricName: 'requests-per-second', targetValue: '10k' },
          },
          {
            type: 'External',
            external: {
              metricName: 'queue_messages_ready',
              metricSelector: { matchLabels: { env: 'prod', queue: 'tasks' } },
              targetAverageValue: '30',
            },
          },
          {
            type: 'ContainerResource',
            containerResource: { name: 'cpu', container: 'app', targetAverageUtilization: 60 },
          },
          { type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 70 } },
        ],
      },
      {
        currentReplicas: 3,
        desiredReplicas: 4,
        currentMetrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', currentAverageUtilization: 65, currentAverageValue: '130m' },
          },
        ],
        conditions: [CONDITION],
      },
      {
        [BEHAVIOR]:
          '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":null,' +
          '"Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":null}}',
      },
    ),
  },
];

const TOLERANT = {
  scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }], tolerance: '0.05' },
  scaleDown: { tolerance: '50m' },
};

const BETA2: readonly Case[] = [
  {
    name: "v2 to v2beta2: the tolerances go to annotations, v1's annotations are dropped",
    from: 'v2',
    to: 'v2beta2',
    input: hpa('v2', { maxReplicas: 3, metrics: [cpu(60)], behavior: TOLERANT }, undefined, {
      [CONDITIONS]: '[]',
    }),
    want: hpa(
      'v2beta2',
      {
        maxReplicas: 3,
        metrics: [cpu(60)],
        behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] }, scaleDown: {} },
      },
      undefined,
      { [SCALE_UP_TOLERANCE]: '0.05', [SCALE_DOWN_TOLERANCE]: '50m' },
    ),
  },
  {
    name: 'v2beta2 to v2: a tolerance annotation makes the rules it needs; a bad one is ignored',
    from: 'v2beta2',
    to: 'v2',
    input: hpa(
      'v2beta2',
      { maxReplicas: 3, metrics: [cpu(60)], behavior: { scaleUp: { tolerance: '1' } } },
      undefined,
      { [SCALE_DOWN_TOLERANCE]: '50m', [SCALE_UP_TOLERANCE]: 'lots' },
    ),
    // v2beta2 has no tolerance field: the one written in the rules is not v2beta2's, and goes.
    want: hpa('v2', {
      maxReplicas: 3,
      metrics: [cpu(60)],
      behavior: { scaleUp: {}, scaleDown: { tolerance: '50m' } },
    }),
  },
  {
    name: 'v2beta2 to v1: the tolerance travels in the internal behavior',
    from: 'v2beta2',
    to: 'v1',
    input: hpa('v2beta2', { maxReplicas: 3, metrics: [cpu(60)] }, undefined, {
      [SCALE_DOWN_TOLERANCE]: '50m',
    }),
    want: hpa('v1', { maxReplicas: 3, targetCPUUtilizationPercentage: 60 }, undefined, {
      [BEHAVIOR]:
        '{"ScaleUp":null,"ScaleDown":{"StabilizationWindowSeconds":null,"SelectPolicy":null,"Policies":null,"Tolerance":"50m"}}',
    }),
  },
];

describe('HorizontalPodAutoscaler conversion', () => {
  it.each([...V2_TO_V1, ...V1_TO_V2, ...BETA1, ...BETA2])(
    '$from to $to: $name',
    ({ from, to, input, want }) => {
      expect(convert(input, from, to)).toEqual(toCelValue(want));
    },
  );

  it('is registered for the storage, and sets apiVersion', () => {
    expect(HPA_CONVERSION.resources).toEqual(['autoscaling/horizontalpodautoscalers']);
    const v1 = convert(hpa('v2', { maxReplicas: 5, metrics: [cpu(50)] }), 'v2', 'v1') as Obj;
    expect(v1['apiVersion']).toBe('autoscaling/v1');
  });

  const ROUND_TRIPS: readonly { name: string; object: Obj; via: Version }[] = [
    { name: 'v2 through v1', object: V2_FULL, via: 'v1' },
    { name: 'v2 through v2beta1', object: V2_FULL, via: 'v2beta1' },
    {
      name: 'v2 with tolerances through v2beta2',
      object: hpa('v2', { maxReplicas: 3, metrics: [cpu(60)], behavior: TOLERANT }),
      via: 'v2beta2',
    },
    {
      name: 'v2 with tolerances through v1',
      object: hpa('v2', { maxReplicas: 3, metrics: [cpu(60)], behavior: TOLERANT }),
      via: 'v1',
    },
    { name: 'v1 with annotations through v2', object: V1_FULL, via: 'v2' },
    { name: 'v1 with annotations through v2beta1', object: V1_FULL, via: 'v2beta1' },
    {
      name: 'v2beta1 with every plain quantity written, through v1',
      object: hpa(
        'v2beta1',
        {
          maxReplicas: 3,
          metrics: [
            {
              type: 'Object',
              object: { target: INGRESS, metricName: 'hits', targetValue: '2k', averageValue: '5' },
            },
            { type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 75 } },
          ],
        },
        {
          currentMetrics: [
            { type: 'Resource', resource: { name: 'memory', currentAverageValue: '700Mi' } },
            { type: 'External', external: { metricName: 'queue', currentValue: '12' } },
          ],
        },
      ),
      via: 'v1',
    },
  ];

  it.each(ROUND_TRIPS)('round trip: $name', ({ object, via }) => {
    const from = (object['apiVersion'] as string).split('/')[1] as Version;
    const there = convert(object, from, via) as CelObject;
    const back = convertBuiltIn(
      there,
      { group: 'autoscaling', version: via },
      { group: 'autoscaling', version: from },
      'horizontalpodautoscalers',
    );
    expect(back).toEqual(toCelValue(object));
  });

  it('v2beta1 through v2 writes the zero target value v2 filled in', () => {
    const there = convert(V2BETA1_FULL, 'v2beta1', 'v2') as CelObject;
    const back = convertBuiltIn(
      there,
      { group: 'autoscaling', version: 'v2' },
      { group: 'autoscaling', version: 'v2beta1' },
      'horizontalpodautoscalers',
    );
    const metrics = (back['spec'] as Obj)['metrics'] as Obj[];
    expect(metrics[4]).toEqual({
      type: 'Object',
      object: { target: REF_APPS, metricName: 'lag', targetValue: '0', averageValue: '50' },
    });
  });
});

// Through the policy engine: a policy whose rule names one version sees an HPA written in another
// converted to it (matchPolicy Equivalent is the default).
describe('HorizontalPodAutoscaler policies on another version', () => {
  const rules = (version: string) => ({
    resourceRules: [
      {
        apiGroups: ['autoscaling'],
        apiVersions: [version],
        operations: ['CREATE', 'UPDATE'],
        resources: ['horizontalpodautoscalers'],
      },
    ],
  });

  const named = (name: string, object: Obj): Obj => ({
    ...object,
    metadata: { ...(object['metadata'] as Obj), name },
  });

  function run(version: string, expression: string, objects: Obj[], kubernetesVersion = '1.35'): string[] {
    const diagnostics = runVap(
      [
        ...objects,
        policy('hpa', {
          matchConstraints: rules(version),
          validations: [{ expression, message: 'refused' }],
        }),
        binding('hpa', {}),
      ],
      { kubernetesVersion },
    );
    return diagnostics.map((d) => `${summarize([d])[0]} ${d.message}`);
  }

  it('checks the v1 CPU target of v2 HPAs', () => {
    const hot = named('hot', hpa('v2', { maxReplicas: 5, metrics: [cpu(90)] }));
    const cool = named('cool', hpa('v2', { maxReplicas: 5, metrics: [V2_METRICS[0] as Obj, cpu(70)] }));
    const result = run('v1', 'object.spec.targetCPUUtilizationPercentage <= 80', [hot, cool]);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^vap\/hpa hot .*error .*refused/);
  });

  it("sees the metrics v1 can't hold in the annotation", () => {
    const cpuOnly = named('cpu-only', hpa('v2', { maxReplicas: 5, metrics: [cpu(70)] }));
    const memory = named('memory', hpa('v2', { maxReplicas: 5, metrics: [V2_METRICS[0] as Obj, cpu(70)] }));
    const result = run(
      'v1',
      `!has(object.metadata.annotations) || !('${METRICS}' in object.metadata.annotations)`,
      [cpuOnly, memory],
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^vap\/hpa memory /);
  });

  it('checks v1 HPAs as v2 metrics, the default CPU target included', () => {
    const hot = named('hot', hpa('v1', { maxReplicas: 5, targetCPUUtilizationPercentage: 95 }));
    const plain = named('plain', hpa('v1', { maxReplicas: 5 }));
    const result = run(
      'v2',
      "object.spec.metrics.all(m, m.type != 'Resource' || m.resource.target.averageUtilization <= 80)",
      [hot, plain],
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^vap\/hpa hot /);
  });

  it('reads past an annotation nested too deep to read, and checks the HPA all the same', () => {
    const deep = `[{"type":"Pods","deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`;
    const odd = named('odd', hpa('v1', { maxReplicas: 5 }, undefined, { [METRICS]: deep }));
    const result = run('v2', "object.spec.metrics.all(m, m.type != 'Pods')", [odd]);
    expect(result).toEqual([]);
    expect(run('v2', 'object.spec.metrics.size() != 1', [odd])).toHaveLength(1);
  });

  it('checks v2beta1 target fields of v2 HPAs where v2beta1 is served', () => {
    const perPod = named('per-pod', hpa('v2', { maxReplicas: 5, metrics: [V2_METRICS[1] as Obj] }));
    const byCpu = named('by-cpu', hpa('v2', { maxReplicas: 5, metrics: [cpu(60)] }));
    const expression =
      'object.spec.metrics.all(m, has(m.resource) && has(m.resource.targetAverageUtilization))';
    const result = run('v2beta1', expression, [perPod, byCpu], '1.24');
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^vap\/hpa per-pod /);
    // 1.25 no longer serves v2beta1: no equivalent, no finding.
    expect(run('v2beta1', expression, [perPod, byCpu], '1.25')).toEqual([]);
  });

  // Decoding defaults come first, in the version the HPA is written in (autoscaling/v2 defaults.go).
  it('fills the defaults of the version an HPA is written in, before converting it', () => {
    const bare = named('bare', hpa('v2', { maxReplicas: 5 }));
    // A v2 HPA written without metrics scales on 80% CPU: as v1, that is its CPU target.
    expect(
      run('v1', 'object.spec.targetCPUUtilizationPercentage == 80 && object.spec.minReplicas == 1', [bare]),
    ).toEqual([]);
    expect(
      run(
        'v2',
        "object.spec.metrics[0].resource.name == 'cpu' && object.spec.metrics[0].resource.target.averageUtilization == 70",
        [bare],
      ),
    ).toHaveLength(1);
    // A v1 HPA has no metrics of its own and gets no CPU target by default.
    const plainV1 = named('plain', hpa('v1', { maxReplicas: 5 }));
    expect(
      run('v1', '!has(object.spec.targetCPUUtilizationPercentage) && object.spec.minReplicas == 1', [
        plainV1,
      ]),
    ).toEqual([]);
  });

  it('completes a written behavior with the default scaling rules', () => {
    const tuned = named(
      'tuned',
      hpa('v2', {
        maxReplicas: 5,
        metrics: [cpu(70)],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
      }),
    );
    const expression = [
      'object.spec.behavior.scaleDown.stabilizationWindowSeconds == 60',
      "object.spec.behavior.scaleDown.selectPolicy == 'Max'",
      "object.spec.behavior.scaleDown.policies.map(p, p.type + ':' + string(p.value) + '/' + string(p.periodSeconds)) == ['Percent:100/15']",
      'object.spec.behavior.scaleUp.stabilizationWindowSeconds == 0',
      "object.spec.behavior.scaleUp.policies.map(p, p.type + ':' + string(p.value)) == ['Pods:4', 'Percent:100']",
    ].join(' && ');
    expect(run('v2', expression, [tuned])).toEqual([]);
    // Without a behavior, none is made up, and scale-down's window is left to the controller.
    const plain = named('plain', hpa('v2', { maxReplicas: 5, metrics: [cpu(70)] }));
    expect(run('v2', '!has(object.spec.behavior)', [plain])).toEqual([]);
    expect(
      run('v2', '!has(object.spec.behavior.scaleDown.stabilizationWindowSeconds)', [tuned]),
    ).toHaveLength(1);
  });
});
