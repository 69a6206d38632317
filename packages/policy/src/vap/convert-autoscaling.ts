// HorizontalPodAutoscalers converted among autoscaling/v1, v2beta1, v2beta2 and v2 as the API
// server converts them (through its internal type, which has v2's shape). What an older version
// has no field for travels in `autoscaling.alpha.kubernetes.io/…` annotations holding JSON text
// (see `go-json.ts`), and comes back from them when the object is converted again; the metric
// shapes v2beta1 and v1's annotations share are in `convert-autoscaling-metrics.ts`. Facts from
// kubernetes/kubernetes `pkg/apis/autoscaling/{v1,v2beta1,v2beta2,v2}/conversion.go`,
// `annotations.go` and `helpers.go`.
//
// Values keep the form they were written in (a quantity stays the string it was; an integer is a
// CEL int), and a field absent from the source stays absent, as everywhere else offline. Kubernetes
// differs in ways not modelled here:
// - it writes the Go zero value of a required field nobody set (`metricName: ""`, `targetValue:
//   "0"` in v2beta1, `status.desiredReplicas: 0`). Only the zero quantities that conversion itself
//   turns into a set field (`target.value` of an Object metric read from v2beta1, `current.
//   averageValue` of a Resource metric status, …) and the fields of the annotations' JSON, which
//   Go writes whole, are filled in;
// - it writes quantities and times in canonical form (`0.05` as `50m`, times in UTC);
// - it drops fields the source version does not define; only the ones that would become fields of
//   the target here (a `behavior` written in a v1 object, …) are dropped;
// - it refuses the request when a metrics, statuses or conditions annotation does not decode, and
//   for a tolerance annotation that is no quantity; here such an annotation is ignored (the outer
//   shape is checked: a list of objects), as Kubernetes itself ignores a behavior annotation that
//   does not decode (checked field by field, keys matched without regard to case as Go's decoder
//   matches them).
// The decoding defaults of each version (`minReplicas: 1`, the CPU metric of an HPA written
// without metrics, the behavior's default policies) come before conversion, from the admission
// defaults; only the CPU metric v1's conversion itself adds is here.

import { toCelValue } from './cel-values.js';
import { Fields, metricFromBeta1, metricToBeta1, quantityText } from './convert-autoscaling-metrics.js';
import {
  annotationOf,
  deleteField,
  dropAnnotations,
  ensureObject,
  fieldOf,
  isObject,
  isUnset,
  mapObjects,
  objectAt,
  takeField,
  writeAnnotation,
} from './convert-fields.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';
import { formatGoJson, goInt32, goList, goQuantity, goString, goStruct, parseGoJson } from './go-json.js';
import { parseQuantity } from './lib-quantity.js';

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';
const SCALE_DOWN_TOLERANCE = 'autoscaling.alpha.kubernetes.io/scale-down-tolerance';
const SCALE_UP_TOLERANCE = 'autoscaling.alpha.kubernetes.io/scale-up-tolerance';
/** Dropped whenever an object enters or leaves the internal form, so only fresh ones are written. */
const ROUND_TRIP = [METRICS, BEHAVIOR, SCALE_DOWN_TOLERANCE, SCALE_UP_TOLERANCE, CURRENT_METRICS, CONDITIONS];
/** The target of the CPU metric v1 stands for when it names none. */
const DEFAULT_CPU_UTILIZATION = 80n;
const TOLERANCES = [
  [SCALE_DOWN_TOLERANCE, 'scaleDown'],
  [SCALE_UP_TOLERANCE, 'scaleUp'],
] as const;

const present = (value: unknown): boolean => !isUnset(value);
const objectsIn = (value: unknown): CelObject[] => (Array.isArray(value) ? value.filter(isObject) : []);

/**
 * The conversion of `autoscaling/horizontalpodautoscalers` among v1, v2beta1, v2beta2 and v2.
 *
 * @example
 * ```ts
 * const v1 = convertBuiltIn(hpaV2, AUTOSCALING_V2, AUTOSCALING_V1, 'horizontalpodautoscalers');
 * v1.spec.targetCPUUtilizationPercentage; // the CPU utilization metric's target
 * v1.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics']; // the other metrics, as JSON
 * ```
 */
export const HPA_CONVERSION: StorageConversion = {
  resources: ['autoscaling/horizontalpodautoscalers'],
  toHub(object: CelObject, from: GroupVersion): CelObject {
    if (from.version === 'v1') v1ToHub(object);
    else if (from.version === 'v2beta1') v2beta1ToHub(object);
    else if (from.version === 'v2beta2') v2beta2ToHub(object);
    dropAnnotations(object, ROUND_TRIP);
    return object;
  },
  fromHub(object: CelObject, to: GroupVersion): CelObject {
    dropAnnotations(object, ROUND_TRIP);
    if (to.version === 'v1') hubToV1(object);
    else if (to.version === 'v2beta1') hubToV2beta1(object);
    else if (to.version === 'v2beta2') hubToV2beta2(object);
    return object;
  },
};

// v1 keeps only the CPU utilization target; the other metrics, the behavior, the metric statuses
// and the conditions go to annotations.
function hubToV1(object: CelObject): void {
  const spec = objectAt(object, 'spec');
  if (spec) {
    deleteField(spec, 'targetCPUUtilizationPercentage');
    const metrics = objectsIn(takeField(spec, 'metrics'));
    const behavior = takeField(spec, 'behavior');
    // The first CPU metric decides, even when its target is no utilization.
    const cpu = metrics.find(isCpuMetric);
    const target = cpu ? cpuValue(cpu, 'target') : undefined;
    if (present(target)) spec['targetCPUUtilizationPercentage'] = target;
    // Every CPU utilization metric is left out of the annotation, not only the first.
    const others = metrics.filter((m) => !(isCpuMetric(m) && present(cpuValue(m, 'target'))));
    if (others.length > 0)
      writeAnnotation(
        object,
        METRICS,
        formatGoJson(others.map((m) => metricToBeta1(m, 'spec', 'annotation'))),
      );
    if (isObject(behavior)) writeAnnotation(object, BEHAVIOR, formatGoJson(internalBehavior(behavior)));
  }
  const status = objectAt(object, 'status');
  if (!status) return;
  deleteField(status, 'currentCPUUtilizationPercentage');
  const current = objectsIn(takeField(status, 'currentMetrics'));
  const conditions = objectsIn(takeField(status, 'conditions'));
  // The last CPU metric with a utilization wins.
  let utilization: unknown;
  for (const metric of current) {
    const value = isCpuMetric(metric) ? cpuValue(metric, 'current') : undefined;
    if (present(value)) utilization = value;
  }
  if (present(utilization)) status['currentCPUUtilizationPercentage'] = utilization;
  // All of them, the CPU one too: its raw value has no field in v1.
  if (current.length > 0)
    writeAnnotation(
      object,
      CURRENT_METRICS,
      formatGoJson(current.map((m) => metricToBeta1(m, 'status', 'annotation'))),
    );
  if (conditions.length > 0)
    writeAnnotation(object, CONDITIONS, formatGoJson(conditions.map(conditionToAnnotation)));
}

function v1ToHub(object: CelObject): void {
  const spec = ensureObject(object, 'spec');
  const target = spec ? takeField(spec, 'targetCPUUtilizationPercentage') : undefined;
  let metrics: unknown[] = present(target) ? [cpuMetric('target', target)] : [];
  const others = listAnnotation(object, METRICS);
  if (others) metrics = [...others.map((m) => metricFromBeta1(m, 'spec', 'annotation')), ...metrics];
  // v1 once left this default to the controller; conversion makes it explicit.
  if (metrics.length === 0) metrics = [cpuMetric('target', DEFAULT_CPU_UTILIZATION)];
  if (spec) {
    spec['metrics'] = metrics;
    deleteField(spec, 'behavior');
    const behavior = behaviorAnnotation(object);
    if (behavior) spec['behavior'] = behavior;
  }
  const status = objectAt(object, 'status');
  const current = status ? takeField(status, 'currentCPUUtilizationPercentage') : undefined;
  if (status) {
    deleteField(status, 'currentMetrics');
    deleteField(status, 'conditions');
  }
  let currentMetrics: unknown[] = present(current) ? [cpuMetric('current', current)] : [];
  // The annotation's statuses replace the CPU one: they carry the raw values too.
  const statuses = listAnnotation(object, CURRENT_METRICS);
  if (statuses) currentMetrics = statuses.map((m) => metricFromBeta1(m, 'status', 'annotation'));
  const conditions = (listAnnotation(object, CONDITIONS) ?? []).map(conditionFromAnnotation);
  if (currentMetrics.length === 0 && conditions.length === 0) return;
  const into = ensureObject(object, 'status');
  if (into && currentMetrics.length > 0) into['currentMetrics'] = currentMetrics;
  if (into && conditions.length > 0) into['conditions'] = conditions;
}

// v2beta1 writes each metric's target in fields of its own, and has no behavior.
function hubToV2beta1(object: CelObject): void {
  const spec = objectAt(object, 'spec');
  mapObjects(spec, 'metrics', (m) => metricToBeta1(m, 'spec', 'object'));
  const behavior = spec ? takeField(spec, 'behavior') : undefined;
  if (isObject(behavior)) writeAnnotation(object, BEHAVIOR, formatGoJson(internalBehavior(behavior)));
  mapObjects(objectAt(object, 'status'), 'currentMetrics', (m) => metricToBeta1(m, 'status', 'object'));
}

function v2beta1ToHub(object: CelObject): void {
  const spec = objectAt(object, 'spec');
  if (spec) deleteField(spec, 'behavior');
  mapObjects(spec, 'metrics', (m) => metricFromBeta1(m, 'spec', 'object'));
  mapObjects(objectAt(object, 'status'), 'currentMetrics', (m) => metricFromBeta1(m, 'status', 'object'));
  const behavior = behaviorAnnotation(object);
  const into = behavior ? ensureObject(object, 'spec') : undefined;
  if (into) into['behavior'] = behavior;
}

// v2beta2 has v2's shape but for the scaling rules' tolerance, which goes to annotations.
function hubToV2beta2(object: CelObject): void {
  const behavior = objectAt(objectAt(object, 'spec'), 'behavior');
  for (const [annotation, direction] of TOLERANCES) {
    const rules = objectAt(behavior, direction);
    const text = rules ? quantityText(takeField(rules, 'tolerance')) : undefined;
    if (text !== undefined) writeAnnotation(object, annotation, text);
  }
}

function v2beta2ToHub(object: CelObject): void {
  const behavior = objectAt(objectAt(object, 'spec'), 'behavior');
  for (const [annotation, direction] of TOLERANCES) {
    // v2beta2 has no tolerance field: one written in the rules is dropped while decoding.
    const written = objectAt(behavior, direction);
    if (written) deleteField(written, 'tolerance');
    const text = annotationOf(object, annotation);
    // The API server refuses a request whose tolerance annotation is no quantity.
    if (text === undefined || !parseQuantity(text)) continue;
    const rules = ensureObject(ensureObject(ensureObject(object, 'spec'), 'behavior'), direction);
    if (rules) rules['tolerance'] = text;
  }
}

/** The CPU utilization metric (`target`) or metric status (`current`) v1's fields stand for. */
function cpuMetric(values: 'target' | 'current', utilization: unknown): CelObject {
  const value: CelObject =
    values === 'target'
      ? { type: 'Utilization', averageUtilization: utilization }
      : { averageUtilization: utilization };
  return { type: 'Resource', resource: { name: 'cpu', [values]: value } };
}

function isCpuMetric(metric: CelObject): boolean {
  return metric['type'] === 'Resource' && fieldOf(objectAt(metric, 'resource'), 'name') === 'cpu';
}

/** The utilization of a CPU metric's target, or of a CPU metric status's current value. */
function cpuValue(metric: CelObject, values: 'target' | 'current'): unknown {
  return fieldOf(fieldOf(metric['resource'], values), 'averageUtilization');
}

/** A condition as v1's annotation writes it (the time is `null` when unset, not left out). */
function conditionToAnnotation(condition: CelObject): CelObject {
  return new Fields('annotation')
    .required('type', condition['type'], '')
    .required('status', condition['status'], '')
    .set('lastTransitionTime', condition['lastTransitionTime'] ?? null)
    .optional('reason', condition['reason'] === '' ? undefined : condition['reason'])
    .optional('message', condition['message'] === '' ? undefined : condition['message'])
    .optional('observedGeneration', condition['observedGeneration']).value;
}

function conditionFromAnnotation(condition: unknown): CelObject {
  const out: CelObject = {};
  for (const key of ['type', 'status', 'lastTransitionTime', 'reason', 'message', 'observedGeneration']) {
    const value = fieldOf(condition, key);
    if (present(value)) out[key] = value;
  }
  return out;
}

// The behavior annotation holds the internal type as Go's encoder writes a struct without JSON
// tags: Go's field names, and `null` for each unset pointer or list.
function internalBehavior(behavior: CelObject): CelObject {
  return { ScaleUp: internalRules(behavior['scaleUp']), ScaleDown: internalRules(behavior['scaleDown']) };
}

function internalRules(rules: unknown): CelObject | null {
  if (!isObject(rules)) return null;
  const policies = rules['policies'];
  return {
    StabilizationWindowSeconds: rules['stabilizationWindowSeconds'] ?? null,
    SelectPolicy: rules['selectPolicy'] ?? null,
    Policies: Array.isArray(policies)
      ? policies.map((p: unknown) => ({
          Type: fieldOf(p, 'type') ?? '',
          Value: fieldOf(p, 'value') ?? 0n,
          PeriodSeconds: fieldOf(p, 'periodSeconds') ?? 0n,
        }))
      : null,
    Tolerance: quantityText(rules['tolerance']) ?? null,
  };
}

/** How Go decodes the behavior annotation into the internal type. */
const decodeBehavior = (() => {
  const policy = goStruct([
    ['Type', 'type', goString],
    ['Value', 'value', goInt32],
    ['PeriodSeconds', 'periodSeconds', goInt32],
  ]);
  const rules = goStruct([
    ['StabilizationWindowSeconds', 'stabilizationWindowSeconds', goInt32],
    ['SelectPolicy', 'selectPolicy', goString],
    ['Policies', 'policies', goList(policy)],
    ['Tolerance', 'tolerance', goQuantity],
  ]);
  return goStruct([
    ['ScaleUp', 'scaleUp', rules],
    ['ScaleDown', 'scaleDown', rules],
  ]);
})();

/** The behavior the annotation holds, or `undefined` when it holds none or does not decode. */
function behaviorAnnotation(object: CelObject): CelObject | undefined {
  const behavior = decodeBehavior(parseGoJson(annotationOf(object, BEHAVIOR)));
  return isObject(behavior) && Object.keys(behavior).length > 0 ? behavior : undefined;
}

/**
 * The list an annotation holds, as CEL values (`null` stands for an empty list, a `null` item for
 * an empty one), or `undefined` when there is none or its JSON is not a list of objects.
 */
function listAnnotation(object: CelObject, key: string): unknown[] | undefined {
  const parsed = parseGoJson(annotationOf(object, key));
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || !parsed.every((item) => item === null || isObject(item))) return undefined;
  return parsed.map((item) => (item === null ? {} : toCelValue(item)));
}
