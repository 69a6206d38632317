// HorizontalPodAutoscalers converted among autoscaling/v1, v2beta1, v2beta2 and v2 as the API
// server converts them (through its internal type, which has v2's shape). What an older version
// has no field for travels in `autoscaling.alpha.kubernetes.io/…` annotations holding JSON text,
// and comes back from them when the object is converted again.
//
// This file is longer than most: the four versions share one annotation format, and the metric
// shapes of v1's annotations and of v2beta1 are the same, so splitting it would scatter one format
// over several files.
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
// - it ignores an annotation whose JSON has a wrongly typed field, or refuses the request for a
//   tolerance annotation that is no quantity; here the outer shape is checked (a list of objects,
//   the behavior's fields), a bad tolerance annotation is ignored, and only the behavior's keys
//   are matched without regard to case as Go's decoder matches them;
// - the decoding defaults of each version (`minReplicas: 1`, the CPU metric of an HPA written
//   without metrics, the behavior's default policies) are the admission defaults' business, which
//   do not model HorizontalPodAutoscalers: only the CPU metric v1's conversion itself adds is here.

import { setOwn, toCelValue } from './cel-values.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';
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
    dropRoundTripAnnotations(object);
    return object;
  },
  fromHub(object: CelObject, to: GroupVersion): CelObject {
    dropRoundTripAnnotations(object);
    if (to.version === 'v1') hubToV1(object);
    else if (to.version === 'v2beta1') hubToV2beta1(object);
    else if (to.version === 'v2beta2') hubToV2beta2(object);
    return object;
  },
};

// v1 keeps only the CPU utilization target; the other metrics, the behavior, the metric statuses
// and the conditions go to annotations.
function hubToV1(object: CelObject): void {
  const spec = recordAt(object, 'spec');
  if (spec) {
    deleteOwn(spec, 'targetCPUUtilizationPercentage');
    const metrics = listOf(take(spec, 'metrics')).filter(isRecord);
    const behavior = take(spec, 'behavior');
    // The first CPU metric decides, even when its target is no utilization.
    const cpu = metrics.find(isCpuMetric);
    const target = cpu ? cpuValue(cpu, 'target') : undefined;
    if (present(target)) setOwn(spec, 'targetCPUUtilizationPercentage', target);
    // Every CPU utilization metric is left out of the annotation, not only the first.
    const others = metrics.filter((m) => !(isCpuMetric(m) && present(cpuValue(m, 'target'))));
    if (others.length > 0)
      writeAnnotation(object, METRICS, goJson(others.map((m) => metricToBeta1(m, 'spec', 'annotation'))));
    if (isRecord(behavior)) writeAnnotation(object, BEHAVIOR, goJson(internalBehavior(behavior)));
  }
  const status = recordAt(object, 'status');
  if (!status) return;
  deleteOwn(status, 'currentCPUUtilizationPercentage');
  const current = listOf(take(status, 'currentMetrics')).filter(isRecord);
  const conditions = listOf(take(status, 'conditions')).filter(isRecord);
  // The last CPU metric with a utilization wins.
  let utilization: unknown;
  for (const metric of current) {
    const value = isCpuMetric(metric) ? cpuValue(metric, 'current') : undefined;
    if (present(value)) utilization = value;
  }
  if (present(utilization)) setOwn(status, 'currentCPUUtilizationPercentage', utilization);
  // All of them, the CPU one too: its raw value has no field in v1.
  if (current.length > 0)
    writeAnnotation(
      object,
      CURRENT_METRICS,
      goJson(current.map((m) => metricToBeta1(m, 'status', 'annotation'))),
    );
  if (conditions.length > 0)
    writeAnnotation(object, CONDITIONS, goJson(conditions.map(conditionToAnnotation)));
}

function v1ToHub(object: CelObject): void {
  const spec = ensureRecord(object, 'spec');
  const target = spec ? take(spec, 'targetCPUUtilizationPercentage') : undefined;
  let metrics: unknown[] = present(target) ? [cpuMetric('target', target)] : [];
  const others = listAnnotation(object, METRICS);
  if (others) metrics = [...others.map((m) => metricFromBeta1(m, 'spec', 'annotation')), ...metrics];
  // v1 once left this default to the controller; conversion makes it explicit.
  if (metrics.length === 0) metrics = [cpuMetric('target', DEFAULT_CPU_UTILIZATION)];
  if (spec) {
    setOwn(spec, 'metrics', metrics);
    deleteOwn(spec, 'behavior');
    const behavior = behaviorAnnotation(object);
    if (behavior) setOwn(spec, 'behavior', behavior);
  }
  const status = recordAt(object, 'status');
  const current = status ? take(status, 'currentCPUUtilizationPercentage') : undefined;
  if (status) {
    deleteOwn(status, 'currentMetrics');
    deleteOwn(status, 'conditions');
  }
  let currentMetrics: unknown[] = present(current) ? [cpuMetric('current', current)] : [];
  // The annotation's statuses replace the CPU one: they carry the raw values too.
  const statuses = listAnnotation(object, CURRENT_METRICS);
  if (statuses) currentMetrics = statuses.map((m) => metricFromBeta1(m, 'status', 'annotation'));
  const conditions = (listAnnotation(object, CONDITIONS) ?? []).map(conditionFromAnnotation);
  if (currentMetrics.length === 0 && conditions.length === 0) return;
  const into = ensureRecord(object, 'status');
  if (into && currentMetrics.length > 0) setOwn(into, 'currentMetrics', currentMetrics);
  if (into && conditions.length > 0) setOwn(into, 'conditions', conditions);
}

// v2beta1 writes each metric's target in fields of its own, and has no behavior.
function hubToV2beta1(object: CelObject): void {
  const spec = recordAt(object, 'spec');
  if (spec) {
    mapListAt(spec, 'metrics', (m) => metricToBeta1(m, 'spec', 'object'));
    const behavior = take(spec, 'behavior');
    if (isRecord(behavior)) writeAnnotation(object, BEHAVIOR, goJson(internalBehavior(behavior)));
  }
  mapListAt(recordAt(object, 'status'), 'currentMetrics', (m) => metricToBeta1(m, 'status', 'object'));
}

function v2beta1ToHub(object: CelObject): void {
  const spec = recordAt(object, 'spec');
  if (spec) {
    deleteOwn(spec, 'behavior');
    mapListAt(spec, 'metrics', (m) => metricFromBeta1(m, 'spec', 'object'));
  }
  mapListAt(recordAt(object, 'status'), 'currentMetrics', (m) => metricFromBeta1(m, 'status', 'object'));
  const behavior = behaviorAnnotation(object);
  const into = behavior ? ensureRecord(object, 'spec') : undefined;
  if (into) setOwn(into, 'behavior', behavior);
}

// v2beta2 has v2's shape but for the scaling rules' tolerance, which goes to annotations.
function hubToV2beta2(object: CelObject): void {
  const behavior = recordAt(recordAt(object, 'spec'), 'behavior');
  for (const [annotation, direction] of TOLERANCES) {
    const rules = recordAt(behavior, direction);
    const text = rules ? quantityText(take(rules, 'tolerance')) : undefined;
    if (text !== undefined) writeAnnotation(object, annotation, text);
  }
}

function v2beta2ToHub(object: CelObject): void {
  const behavior = recordAt(recordAt(object, 'spec'), 'behavior');
  for (const [, direction] of TOLERANCES) {
    const rules = recordAt(behavior, direction);
    if (rules) deleteOwn(rules, 'tolerance');
  }
  for (const [annotation, direction] of TOLERANCES) {
    const text = readAnnotation(object, annotation);
    // The API server refuses a request whose tolerance annotation is no quantity.
    if (text === undefined || !parseQuantity(text)) continue;
    const rules = ensureRecord(ensureRecord(ensureRecord(object, 'spec'), 'behavior'), direction);
    if (rules) setOwn(rules, 'tolerance', text);
  }
}

/** Which list a metric belongs to: the spec's targets or the status's current values. */
type Side = 'spec' | 'status';
/** The field of a v2 metric holding its values, and the prefix of v2beta1's fields for them. */
const VALUES = { spec: 'target', status: 'current' } as const;

/**
 * Where a v2beta1-shaped metric goes: a field of the converted object (values as written, absent
 * fields absent), or v1's annotation JSON (as Go writes it: required fields as their zero value,
 * quantities as strings, label keys sorted).
 */
type Form = 'object' | 'annotation';

/** A v2 metric (or metric status) as v2beta1 and v1's annotations write it. */
function metricToBeta1(metric: CelObject, side: Side, form: Form): CelObject {
  const p = VALUES[side];
  const out = new Fields(form).required('type', metric['type'], '');
  const object = recordAt(metric, 'object');
  if (object) {
    const values = get(object, p);
    const id = get(object, 'metric');
    out.set(
      'object',
      new Fields(form)
        .set('target', reference(get(object, 'describedObject'), form))
        .required('metricName', get(id, 'name'), '')
        .quantity(`${p}Value`, get(values, 'value'), 'required')
        .optional('selector', labelSelector(get(id, 'selector'), form))
        .quantity('averageValue', get(values, 'averageValue'), 'optional').value,
    );
  }
  const pods = recordAt(metric, 'pods');
  if (pods) {
    const id = get(pods, 'metric');
    out.set(
      'pods',
      new Fields(form)
        .required('metricName', get(id, 'name'), '')
        .quantity(`${p}AverageValue`, get(get(pods, p), 'averageValue'), 'required')
        .optional('selector', labelSelector(get(id, 'selector'), form)).value,
    );
  }
  for (const kind of ['resource', 'containerResource'] as const) {
    const resource = recordAt(metric, kind);
    if (!resource) continue;
    const values = get(resource, p);
    const fields = new Fields(form)
      .required('name', resource['name'], '')
      .optional(`${p}AverageUtilization`, get(values, 'averageUtilization'))
      .quantity(`${p}AverageValue`, get(values, 'averageValue'), side === 'status' ? 'required' : 'optional');
    if (kind === 'containerResource') fields.required('container', resource['container'], '');
    out.set(kind, fields.value);
  }
  const external = recordAt(metric, 'external');
  if (external) {
    const values = get(external, p);
    const id = get(external, 'metric');
    out.set(
      'external',
      new Fields(form)
        .required('metricName', get(id, 'name'), '')
        .optional('metricSelector', labelSelector(get(id, 'selector'), form))
        .quantity(`${p}Value`, get(values, 'value'), side === 'status' ? 'required' : 'optional')
        .quantity(`${p}AverageValue`, get(values, 'averageValue'), 'optional').value,
    );
  }
  return out.value;
}

/**
 * A v2beta1-shaped metric (or metric status) in v2's shape. Where v2beta1's field is a plain
 * quantity and v2's a pointer, v2 gets one always: `"0"` when none was written.
 */
function metricFromBeta1(metric: unknown, side: Side, form: Form): CelObject {
  const p = VALUES[side];
  const spec = side === 'spec';
  const out: CelObject = {};
  put(out, 'type', get(metric, 'type'));
  const object = get(metric, 'object');
  if (isRecord(object)) {
    const average = quantityIn(object['averageValue'], form);
    const values: CelObject = spec ? { type: present(average) ? 'AverageValue' : 'Value' } : {};
    values['value'] = quantityIn(object[`${p}Value`], form) ?? '0';
    put(values, 'averageValue', average);
    out['object'] = {
      describedObject: object['target'] ?? {},
      [p]: values,
      metric: identifier(object['metricName'], object['selector']),
    };
  }
  const pods = get(metric, 'pods');
  if (isRecord(pods)) {
    const values: CelObject = spec ? { type: 'AverageValue' } : {};
    values['averageValue'] = quantityIn(pods[`${p}AverageValue`], form) ?? '0';
    out['pods'] = { metric: identifier(pods['metricName'], pods['selector']), [p]: values };
  }
  for (const kind of ['resource', 'containerResource'] as const) {
    const resource = get(metric, kind);
    if (!isRecord(resource)) continue;
    const utilization = resource[`${p}AverageUtilization`];
    const average = quantityIn(resource[`${p}AverageValue`], form);
    const values: CelObject = spec ? { type: present(utilization) ? 'Utilization' : 'AverageValue' } : {};
    put(values, 'averageValue', spec ? average : (average ?? '0'));
    put(values, 'averageUtilization', utilization);
    const converted: CelObject = {};
    put(converted, 'name', resource['name']);
    if (kind === 'containerResource') put(converted, 'container', resource['container']);
    converted[p] = values;
    out[kind] = converted;
  }
  const external = get(metric, 'external');
  if (isRecord(external)) {
    const value = quantityIn(external[`${p}Value`], form);
    const values: CelObject = spec ? { type: present(value) ? 'Value' : 'AverageValue' } : {};
    put(values, 'value', spec ? value : (value ?? '0'));
    put(values, 'averageValue', quantityIn(external[`${p}AverageValue`], form));
    out['external'] = { metric: identifier(external['metricName'], external['metricSelector']), [p]: values };
  }
  return out;
}

function identifier(name: unknown, selector: unknown): CelObject {
  const out: CelObject = {};
  put(out, 'name', name);
  put(out, 'selector', selector);
  return out;
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
  return (
    metric['type'] === 'Resource' && isRecord(metric['resource']) && metric['resource']['name'] === 'cpu'
  );
}

/** The utilization of a CPU metric's target, or of a CPU metric status's current value. */
function cpuValue(metric: CelObject, values: 'target' | 'current'): unknown {
  return get(get(metric['resource'], values), 'averageUtilization');
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
  for (const key of ['type', 'status', 'lastTransitionTime', 'reason', 'message', 'observedGeneration'])
    put(out, key, get(condition, key));
  return out;
}

// The behavior annotation holds the internal type as Go's encoder writes a struct without JSON
// tags: Go's field names, and `null` for each unset pointer or list.
function internalBehavior(behavior: CelObject): CelObject {
  return { ScaleUp: internalRules(behavior['scaleUp']), ScaleDown: internalRules(behavior['scaleDown']) };
}

function internalRules(rules: unknown): CelObject | null {
  if (!isRecord(rules)) return null;
  const policies = rules['policies'];
  return {
    StabilizationWindowSeconds: rules['stabilizationWindowSeconds'] ?? null,
    SelectPolicy: rules['selectPolicy'] ?? null,
    Policies: Array.isArray(policies)
      ? policies.map((p) => ({
          Type: get(p, 'type') ?? '',
          Value: get(p, 'value') ?? 0n,
          PeriodSeconds: get(p, 'periodSeconds') ?? 0n,
        }))
      : null,
    Tolerance: quantityText(rules['tolerance']) ?? null,
  };
}

const INVALID = Symbol('invalid');

/** The behavior the annotation holds, or `undefined` when it holds none or is not well formed. */
function behaviorAnnotation(object: CelObject): CelObject | undefined {
  const parsed = parseJson(readAnnotation(object, BEHAVIOR));
  if (!isJsonObject(parsed)) return undefined;
  const out: CelObject = {};
  for (const [field, key] of [
    ['ScaleUp', 'scaleUp'],
    ['ScaleDown', 'scaleDown'],
  ] as const) {
    const rules = rulesFromAnnotation(goField(parsed, field));
    if (rules === INVALID) return undefined;
    if (rules) out[key] = rules;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function rulesFromAnnotation(rules: unknown): CelObject | undefined | typeof INVALID {
  if (!present(rules)) return undefined;
  if (!isJsonObject(rules)) return INVALID;
  const out: CelObject = {};
  const window = goField(rules, 'StabilizationWindowSeconds');
  if (present(window) && !isInt32(window)) return INVALID;
  if (isInt32(window)) out['stabilizationWindowSeconds'] = BigInt(window);
  const select = goField(rules, 'SelectPolicy');
  if (present(select) && typeof select !== 'string') return INVALID;
  put(out, 'selectPolicy', select);
  const policies = goField(rules, 'Policies');
  if (present(policies)) {
    if (!Array.isArray(policies)) return INVALID;
    const list: CelObject[] = [];
    for (const policy of policies) {
      const converted = policyFromAnnotation(policy);
      if (converted === INVALID) return INVALID;
      list.push(converted);
    }
    out['policies'] = list;
  }
  const tolerance = goField(rules, 'Tolerance');
  if (present(tolerance)) {
    const text = typeof tolerance === 'number' || typeof tolerance === 'string' ? String(tolerance) : '';
    if (!parseQuantity(text)) return INVALID;
    out['tolerance'] = text;
  }
  return out;
}

function policyFromAnnotation(policy: unknown): CelObject | typeof INVALID {
  if (policy === null) return {};
  if (!isJsonObject(policy)) return INVALID;
  const out: CelObject = {};
  const type = goField(policy, 'Type');
  if (present(type) && typeof type !== 'string') return INVALID;
  put(out, 'type', type);
  for (const [field, key] of [
    ['Value', 'value'],
    ['PeriodSeconds', 'periodSeconds'],
  ] as const) {
    const value = goField(policy, field);
    if (present(value) && !isInt32(value)) return INVALID;
    if (isInt32(value)) out[key] = BigInt(value);
  }
  return out;
}

/**
 * The list an annotation holds, as CEL values (`null` stands for an empty list, a `null` item for
 * an empty one), or `undefined` when there is none or its JSON is not a list of objects.
 */
function listAnnotation(object: CelObject, key: string): unknown[] | undefined {
  const parsed = parseJson(readAnnotation(object, key));
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || !parsed.every((item) => item === null || isJsonObject(item)))
    return undefined;
  return parsed.map((item) => (item === null ? {} : toCelValue(item)));
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A key of decoded JSON as Go's decoder finds a struct field: regardless of case, the last wins. */
function goField(holder: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  let found: unknown;
  for (const [key, value] of Object.entries(holder)) if (key.toLowerCase() === wanted) found = value;
  return found;
}

/** JSON text as Go's encoder writes it: `<`, `>`, `&` and line separators escaped. */
function goJson(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value).replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const entries = entriesOf(value).filter(([, item]) => item !== undefined);
  if (entries.length === 0 && !isRecord(value) && !(value instanceof Map)) return 'null';
  return `{${entries.map(([key, item]) => `${goJson(key)}:${goJson(item)}`).join(',')}}`;
}

/** A map built field by field in the order Go declares them, in the given form. */
class Fields {
  readonly value: CelObject = {};
  readonly #form: Form;

  constructor(form: Form) {
    this.#form = form;
  }

  set(key: string, value: unknown): this {
    this.value[key] = value;
    return this;
  }

  /** A field Go leaves out when unset. */
  optional(key: string, value: unknown): this {
    if (present(value)) this.value[key] = value;
    return this;
  }

  /** A field Go always writes: its zero value in an annotation when unset. */
  required(key: string, value: unknown, zero: unknown): this {
    if (present(value)) this.value[key] = value;
    else if (this.#form === 'annotation') this.value[key] = zero;
    return this;
  }

  /** A quantity, a plain (`required`) or a pointer (`optional`) one in Go. */
  quantity(key: string, value: unknown, kind: 'required' | 'optional'): this {
    const written = this.#form === 'annotation' ? quantityText(value) : value;
    return kind === 'required' ? this.required(key, written, '0') : this.optional(key, written);
  }
}

function reference(value: unknown, form: Form): unknown {
  if (form === 'object') return present(value) ? value : {};
  const apiVersion = get(value, 'apiVersion');
  return new Fields(form)
    .required('kind', get(value, 'kind'), '')
    .required('name', get(value, 'name'), '')
    .optional('apiVersion', apiVersion === '' ? undefined : apiVersion).value;
}

/** A label selector; in an annotation with its labels sorted by key, as Go writes a map. */
function labelSelector(selector: unknown, form: Form): unknown {
  if (form === 'object' || !isRecord(selector)) return selector;
  const out: CelObject = {};
  const labels = entriesOf(selector['matchLabels']).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length > 0) out['matchLabels'] = new Map(labels);
  const expressions = listOf(selector['matchExpressions']);
  if (expressions.length > 0)
    out['matchExpressions'] = expressions.map((e) => {
      const values = listOf(get(e, 'values'));
      return new Fields(form)
        .required('key', get(e, 'key'), '')
        .required('operator', get(e, 'operator'), '')
        .optional('values', values.length > 0 ? values : undefined).value;
    });
  return out;
}

/** A quantity as text, the way Go writes one; `undefined` when unset or no quantity at all. */
function quantityText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return undefined;
}

/** A quantity read from the object (as written) or from annotation JSON (as text). */
function quantityIn(value: unknown, form: Form): unknown {
  if (!present(value)) return undefined;
  return form === 'annotation' ? (quantityText(value) ?? value) : value;
}

function readAnnotation(object: CelObject, key: string): string | undefined {
  const value = get(get(get(object, 'metadata'), 'annotations'), key);
  return typeof value === 'string' ? value : undefined;
}

function writeAnnotation(object: CelObject, key: string, text: string): void {
  const annotations = ensureRecord(ensureRecord(object, 'metadata'), 'annotations', 'or-map');
  if (annotations instanceof Map) annotations.set(key, text);
  else if (annotations) setOwn(annotations, key, text);
}

/** Drop the round-trip annotations, and the annotations with them when none is left. */
function dropRoundTripAnnotations(object: CelObject): void {
  const metadata = recordAt(object, 'metadata');
  const annotations = get(metadata, 'annotations');
  let dropped = false;
  for (const key of ROUND_TRIP) {
    if (annotations instanceof Map) dropped = annotations.delete(key) || dropped;
    else if (isRecord(annotations)) dropped = deleteOwn(annotations, key) || dropped;
  }
  if (dropped && metadata && isRecord(annotations) && Object.keys(annotations).length === 0)
    deleteOwn(metadata, 'annotations');
}

function isRecord(value: unknown): value is CelObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Map);
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** An own field of a map (a plain object or a `Map`), or `undefined`. */
function get(holder: unknown, key: string): unknown {
  if (holder instanceof Map) return holder.get(key);
  return isRecord(holder) && Object.hasOwn(holder, key) ? holder[key] : undefined;
}

function entriesOf(value: unknown): [string, unknown][] {
  if (value instanceof Map) return [...value.entries()].map(([key, item]) => [String(key), item]);
  return isRecord(value) ? Object.entries(value) : [];
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function put(target: CelObject, key: string, value: unknown): void {
  if (present(value)) setOwn(target, key, value);
}

function recordAt(holder: unknown, key: string): CelObject | undefined {
  const value = get(holder, key);
  return isRecord(value) ? value : undefined;
}

/** The map at `key`, made when absent; `undefined` when something else is there. */
function ensureRecord(holder: CelObject | undefined, key: string): CelObject | undefined;
function ensureRecord(
  holder: CelObject | undefined,
  key: string,
  accept: 'or-map',
): CelObject | Map<unknown, unknown> | undefined;
function ensureRecord(
  holder: CelObject | undefined,
  key: string,
  accept?: 'or-map',
): CelObject | Map<unknown, unknown> | undefined {
  if (!holder) return undefined;
  const value = get(holder, key);
  if (!present(value)) {
    const made: CelObject = {};
    setOwn(holder, key, made);
    return made;
  }
  if (accept === 'or-map' && value instanceof Map) return value;
  return isRecord(value) ? value : undefined;
}

function take(holder: CelObject, key: string): unknown {
  const value = get(holder, key);
  deleteOwn(holder, key);
  return value;
}

function deleteOwn(holder: CelObject, key: string): boolean {
  return Object.hasOwn(holder, key) && Reflect.deleteProperty(holder, key);
}

function mapListAt(holder: CelObject | undefined, key: string, convert: (item: CelObject) => unknown): void {
  const list: unknown = get(holder, key);
  if (holder && Array.isArray(list))
    setOwn(
      holder,
      key,
      (list as unknown[]).map((item) => (isRecord(item) ? convert(item) : item)),
    );
}
