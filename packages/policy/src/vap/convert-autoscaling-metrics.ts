// The metrics of a HorizontalPodAutoscaler between the shape of v2 (and of the internal type) and
// the older one v2beta1 writes and v1 keeps in its annotations: v2 nests a metric's identity in
// `metric` and its values in `target` (spec) or `current` (status); the older shape has flat
// fields (`metricName`, `targetAverageValue`, `currentValue`, …). Facts from kubernetes/kubernetes
// `pkg/apis/autoscaling/{v1,v2beta1}/conversion.go`, whose metric functions are the same.

import { entriesOf, fieldOf, isObject, isUnset, objectAt } from './convert-fields.js';
import type { CelObject } from './convert-versions.js';

/** Which list a metric belongs to: the spec's targets or the status's current values. */
export type Side = 'spec' | 'status';

/**
 * Where an older-shaped metric is: a field of the object (values as written, absent fields
 * absent), or v1's annotation JSON (as Go writes it: required fields as their zero value,
 * quantities as strings, label keys sorted).
 */
export type Form = 'object' | 'annotation';

/** The field of a v2 metric holding its values, and the prefix of the older fields for them. */
const VALUES = { spec: 'target', status: 'current' } as const;

const present = (value: unknown): boolean => !isUnset(value);

/** A map built field by field in the order Go declares them, in the given form. */
export class Fields {
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

/** The sources a metric may name, in the order Go declares them. */
const SOURCES = ['object', 'pods', 'resource', 'containerResource', 'external'] as const;
type Source = (typeof SOURCES)[number];

/**
 * What a field of the older shape holds, as Go types it: a `string`, an `*int32`, a `*Quantity`
 * or a plain `Quantity` (which v2 has as a pointer, always set), the described object, or a
 * `*LabelSelector`.
 */
type Kind = 'text' | 'int' | 'quantity' | 'plain-quantity' | 'reference' | 'selector';

/** A field of the older shape: its name, where v2 holds its value, and its kind. */
type Field = readonly [flat: string, path: readonly [string] | readonly [string, string], kind: Kind];

/** The fields of a metric source in the older shape, in the order Go declares them. */
function fieldsOf(source: Source, side: Side): readonly Field[] {
  const p = VALUES[side];
  // Plain quantities in the older status types, pointers in its spec types.
  const statusPlain: Kind = side === 'status' ? 'plain-quantity' : 'quantity';
  switch (source) {
    case 'object':
      return [
        ['target', ['describedObject'], 'reference'],
        ['metricName', ['metric', 'name'], 'text'],
        [`${p}Value`, [p, 'value'], 'plain-quantity'],
        ['selector', ['metric', 'selector'], 'selector'],
        ['averageValue', [p, 'averageValue'], 'quantity'],
      ];
    case 'pods':
      return [
        ['metricName', ['metric', 'name'], 'text'],
        [`${p}AverageValue`, [p, 'averageValue'], 'plain-quantity'],
        ['selector', ['metric', 'selector'], 'selector'],
      ];
    case 'resource':
    case 'containerResource':
      return [
        ['name', ['name'], 'text'],
        [`${p}AverageUtilization`, [p, 'averageUtilization'], 'int'],
        [`${p}AverageValue`, [p, 'averageValue'], statusPlain],
        ...(source === 'containerResource' ? [['container', ['container'], 'text'] as const] : []),
      ];
    case 'external':
      return [
        ['metricName', ['metric', 'name'], 'text'],
        ['metricSelector', ['metric', 'selector'], 'selector'],
        [`${p}Value`, [p, 'value'], statusPlain],
        [`${p}AverageValue`, [p, 'averageValue'], 'quantity'],
      ];
  }
}

/** The `type` of a v2 metric target, from the values the older shape has set. */
function targetType(source: Source, target: CelObject): string {
  if (source === 'object') return present(target['averageValue']) ? 'AverageValue' : 'Value';
  if (source === 'external') return present(target['value']) ? 'Value' : 'AverageValue';
  if (source === 'pods') return 'AverageValue';
  return present(target['averageUtilization']) ? 'Utilization' : 'AverageValue';
}

/**
 * A v2 metric (or metric status) in the older shape.
 *
 * @example
 * ```ts
 * metricToBeta1({ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } }, 'spec', 'object');
 * // { type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '1k' } }
 * ```
 */
export function metricToBeta1(metric: CelObject, side: Side, form: Form): CelObject {
  const out = new Fields(form).required('type', metric['type'], '');
  for (const source of SOURCES) {
    const from = objectAt(metric, source);
    if (!from) continue;
    const fields = new Fields(form);
    for (const [flat, [first, second], kind] of fieldsOf(source, side)) {
      const value = second === undefined ? fieldOf(from, first) : fieldOf(fieldOf(from, first), second);
      if (kind === 'text') fields.required(flat, value, '');
      else if (kind === 'int') fields.optional(flat, value);
      else if (kind === 'quantity') fields.quantity(flat, value, 'optional');
      else if (kind === 'plain-quantity') fields.quantity(flat, value, 'required');
      else if (kind === 'reference') fields.set(flat, reference(value, form));
      else fields.optional(flat, labelSelector(value, form));
    }
    out.set(source, fields.value);
  }
  return out.value;
}

/**
 * An older-shaped metric (or metric status) in v2's shape. Where the older field is a plain
 * quantity and v2's a pointer, v2 gets one always: `"0"` when none was written.
 *
 * @example
 * ```ts
 * metricFromBeta1({ type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '1k' } }, 'spec', 'object');
 * // { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } }
 * ```
 */
export function metricFromBeta1(metric: unknown, side: Side, form: Form): CelObject {
  const out: CelObject = {};
  put(out, 'type', fieldOf(metric, 'type'));
  for (const source of SOURCES) {
    const from = objectAt(metric, source);
    if (!from) continue;
    const converted: CelObject = {};
    for (const [flat, [first, second], kind] of fieldsOf(source, side)) {
      // The structs v2 nests values in (`metric`, `target`, `current`) are there even when empty.
      if (second !== undefined && !isObject(converted[first])) converted[first] = {};
      const into = second === undefined ? converted : (converted[first] as CelObject);
      const key = second ?? first;
      const value = fieldOf(from, flat);
      if (kind === 'reference') into[key] = value ?? {};
      else if (kind === 'plain-quantity') into[key] = quantityIn(value, form) ?? '0';
      else if (kind === 'quantity') put(into, key, quantityIn(value, form));
      else put(into, key, value);
    }
    const target = converted[VALUES[side]];
    if (side === 'spec' && isObject(target))
      converted[VALUES.spec] = { type: targetType(source, target), ...target };
    out[source] = converted;
  }
  return out;
}

/** A quantity as text, the way Go writes one; `undefined` when unset or no quantity at all. */
export function quantityText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return undefined;
}

function put(target: CelObject, key: string, value: unknown): void {
  if (present(value)) target[key] = value;
}

function reference(value: unknown, form: Form): unknown {
  if (form === 'object') return present(value) ? value : {};
  const apiVersion = fieldOf(value, 'apiVersion');
  return new Fields(form)
    .required('kind', fieldOf(value, 'kind'), '')
    .required('name', fieldOf(value, 'name'), '')
    .optional('apiVersion', apiVersion === '' ? undefined : apiVersion).value;
}

/** A label selector; in an annotation with its labels sorted by key, as Go writes a map. */
function labelSelector(selector: unknown, form: Form): unknown {
  if (form === 'object' || !isObject(selector)) return selector;
  const out: CelObject = {};
  const labels = entriesOf(selector['matchLabels']).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length > 0) out['matchLabels'] = new Map(labels);
  const expressions = selector['matchExpressions'];
  if (Array.isArray(expressions) && expressions.length > 0)
    out['matchExpressions'] = expressions.map((e: unknown) => {
      const values = fieldOf(e, 'values');
      return new Fields(form)
        .required('key', fieldOf(e, 'key'), '')
        .required('operator', fieldOf(e, 'operator'), '')
        .optional('values', Array.isArray(values) && values.length > 0 ? values : undefined).value;
    });
  return out;
}

/** A quantity read from the object (as written) or from annotation JSON (as text). */
function quantityIn(value: unknown, form: Form): unknown {
  if (!present(value)) return undefined;
  return form === 'annotation' ? (quantityText(value) ?? value) : value;
}
