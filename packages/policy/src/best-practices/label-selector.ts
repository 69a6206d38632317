import { isObject } from '../workloads.js';

/** Labels as a string map; non-string scalar values (a YAML `version: 2`) are read as text. */
export function labelMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}

/**
 * Whether a `LabelSelector` (`matchLabels` and `matchExpressions`) selects a set of labels, with
 * the API server's semantics: every term must hold, and an empty selector selects everything.
 * Anything that is not a selector object selects nothing.
 *
 * @example
 * ```ts
 * selectorMatches({ matchLabels: { app: 'web' } }, { app: 'web', tier: 'api' }); // true
 * ```
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  const matchLabels = selector['matchLabels'];
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isObject(matchLabels)) return false;
    const want = labelMap(matchLabels);
    if (Object.keys(want).length !== Object.keys(matchLabels).length) return false;
    if (!mapSelects(want, labels)) return false;
  }
  const expressions = selector['matchExpressions'];
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) return false;
    return expressions.every((e: unknown) => expressionHolds(e, labels));
  }
  return true;
}

/** Whether every `key: value` of a plain selector map (a Service's) is among the labels. */
export function mapSelects(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

function expressionHolds(expression: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(expression) || typeof expression['key'] !== 'string') return false;
  const key = expression['key'];
  const values = Array.isArray(expression['values']) ? expression['values'].map(String) : [];
  const has = Object.hasOwn(labels, key);
  switch (expression['operator']) {
    case 'In':
      return has && values.includes(labels[key] as string);
    case 'NotIn':
      return !has || !values.includes(labels[key] as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}
