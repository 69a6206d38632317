import type { BuiltinCheck } from './builtin-check.js';
import { type Health, health } from './health.js';
import {
  type Condition,
  isRecord,
  MalformedObjectError,
  readConditions,
  readRecord,
  toCondition,
} from './object-reader.js';

/** Where autoscaling/v1 keeps the conditions that v2 has in `status.conditions`. */
const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

/** A fresh object each time: callers may keep (or carelessly change) what they get. */
function waiting(): Health {
  return health('Progressing', 'Waiting to Autoscale');
}

/** Condition type and reason pairs that mean the autoscaler is broken. */
const DEGRADED = new Set([
  'AbleToScale/FailedGetScale',
  'AbleToScale/FailedUpdateScale',
  'ScalingActive/FailedGetResourceMetric',
  'ScalingActive/InvalidSelector',
]);

/** Condition types that mean the autoscaler works when they are True. */
const HEALTHY_TYPES = new Set(['AbleToScale', 'ScalingLimited']);

/** The first condition that decides, in the order the controller wrote them. */
function fromConditions(conditions: readonly Condition[]): Health {
  for (const c of conditions) {
    if (DEGRADED.has(`${c.type}/${c.reason}`)) return health('Degraded', c.message);
    if (HEALTHY_TYPES.has(c.type) && c.status === 'True') return health('Healthy', c.message);
  }
  return waiting();
}

/** The v1 annotation's conditions; `undefined` when it is absent. */
function annotationConditions(object: unknown): readonly Condition[] | undefined {
  const annotations = readRecord(object, ['metadata', 'annotations']);
  if (annotations === undefined || !Object.hasOwn(annotations, CONDITIONS_ANNOTATION)) return undefined;
  const where = `metadata.annotations[${JSON.stringify(CONDITIONS_ANNOTATION)}]`;
  const text = annotations[CONDITIONS_ANNOTATION];
  if (typeof text !== 'string') throw new MalformedObjectError(where, 'a string', text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedObjectError(where, 'a JSON list of conditions', text);
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw new MalformedObjectError(where, 'a JSON list of conditions', parsed);
  return parsed.map((entry, index) => {
    if (!isRecord(entry)) throw new MalformedObjectError(`${where}[${index}]`, 'an object', entry);
    return toCondition(entry, `${where}[${index}]`);
  });
}

/**
 * HorizontalPodAutoscaler in autoscaling v1, v2beta1, v2beta2 and v2 (gitops-engine
 * `health_hpa.go`). v1 has no conditions field, so its controller writes them as JSON into an
 * annotation; no annotation or an empty list means the autoscaler has not acted yet.
 */
export const horizontalPodAutoscalerCheck: BuiltinCheck = {
  group: 'autoscaling',
  kind: 'HorizontalPodAutoscaler',
  versions: ['v1', 'v2beta1', 'v2beta2', 'v2'],
  assess(object, version) {
    if (version === 'v1') {
      const conditions = annotationConditions(object);
      return conditions === undefined || conditions.length === 0 ? waiting() : fromConditions(conditions);
    }
    return fromConditions(readConditions(object, ['status', 'conditions']));
  },
};
