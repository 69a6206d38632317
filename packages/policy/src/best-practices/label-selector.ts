import { ownString, sharedString } from '@shipshape/core';
import {
  type LabelSelector,
  SELECTOR_OPERATORS,
  type SelectorRequirement,
  selectorMatches,
} from '../label-selector.js';
import { isObject } from '../workloads.js';

/** Labels as a string map; non-string scalar values (a YAML `version: 2`) are read as text. */
export function labelMap(value: unknown): Readonly<Record<string, string>> {
  // Two rules read the same pod template's labels in turn: the last map is reused for the same
  // object (it is never changed, and labels are not changed while rules run).
  if (value === lastLabels.value && value !== undefined) return lastLabels.map;
  // No prototype: a `__proto__` label is a label like any other.
  const out = Object.create(null) as Record<string, string>;
  if (!isObject(value)) return out;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const v = value[key];
    // Own copies: rules keep these maps until the end, after the file's text is released.
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out[sharedString(key)] = ownString(String(v));
  }
  lastLabels = { value, map: out };
  return out;
}

let lastLabels: { readonly value: unknown; readonly map: Readonly<Record<string, string>> } = {
  value: undefined,
  map: {},
};

/**
 * Whether a `LabelSelector` (`matchLabels` and `matchExpressions`) as written selects a set of
 * labels, with the API server's semantics: every term must hold, and an empty selector selects
 * everything. Anything that is not a selector object selects nothing.
 *
 * @example
 * ```ts
 * rawSelectorMatches({ matchLabels: { app: 'web' } }, { app: 'web', tier: 'api' }); // true
 * ```
 */
export function rawSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  return selectorMatches(readSelector(selector), labels);
}

/**
 * A `LabelSelector` as written, read leniently (scalar values as text); unreadable parts make it
 * `invalid`.
 *
 * @example
 * ```ts
 * readSelector({ matchLabels: { app: 'web' } }).matchLabels; // { app: 'web' }
 * ```
 */
export function readSelector(selector: unknown): LabelSelector {
  const invalid: LabelSelector = { matchLabels: {}, matchExpressions: [], invalid: true };
  if (!isObject(selector)) return invalid;
  let matchLabels: Record<string, string> = {};
  const written = selector['matchLabels'];
  if (written !== undefined && written !== null) {
    if (!isObject(written)) return invalid;
    matchLabels = labelMap(written);
    if (Object.keys(matchLabels).length !== Object.keys(written).length) return invalid;
  }
  const matchExpressions: SelectorRequirement[] = [];
  const expressions = selector['matchExpressions'];
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) return invalid;
    for (const e of expressions as unknown[]) {
      if (!isObject(e) || typeof e['key'] !== 'string') return invalid;
      const operator = SELECTOR_OPERATORS.find((o) => o === e['operator']);
      if (operator === undefined) return invalid;
      // Own copies: a selector may be kept until `finish`, after its file's text is released.
      const values = Array.isArray(e['values']) ? e['values'].map((v: unknown) => ownString(String(v))) : [];
      matchExpressions.push({ key: ownString(e['key']), operator, values });
    }
  }
  return { matchLabels, matchExpressions };
}

/** Whether every `key: value` of a plain selector map (a Service's) is among the labels. */
export function mapSelects(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  // A loop, not Object.entries: a Service is compared with every pod template of its namespace.
  for (const k in selector) {
    if (!Object.hasOwn(selector, k)) continue;
    if (!Object.hasOwn(labels, k) || labels[k] !== selector[k]) return false;
  }
  return true;
}

/**
 * Labels as `key=value` pairs joined by commas, as messages show them; `none` for no labels.
 *
 * @example
 * ```ts
 * showLabels({ app: 'web', tier: 'api' }); // 'app=web,tier=api'
 * ```
 */
export function showLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels).map((key) => `${key}=${labels[key]}`);
  return pairs.length === 0 ? 'none' : pairs.join(',');
}
