import { ownString, sharedString } from '@shipshape/core';
import { type LabelSelector, SELECTOR_OPERATORS, type SelectorRequirement } from '../label-selector.js';
import { isObject } from '../workloads.js';

/**
 * Labels as two parallel lists, `values[i]` the value of `keys[i]`, in the order `Object.keys`
 * gives them. Rules keep label sets until `finish` and compare each with many selectors: lists are
 * smaller than a dictionary, and scanning a few keys is far cheaper than walking the keys of a
 * null-prototype object (measured on the generated repository's pod labels: `setSelects` 0.03 ms
 * where `mapSelects` took 0.54 ms; `mapSelects` was bp/service-selector's largest cost).
 */
export interface LabelSet {
  readonly keys: readonly string[];
  readonly values: readonly string[];
}

/** No labels. */
export const NO_LABELS: LabelSet = Object.freeze({ keys: Object.freeze([]), values: Object.freeze([]) });

/**
 * Labels as written, as a {@link LabelSet}: non-string scalar values (a YAML `version: 2`) are read as
 * text, other values are left out, and a `__proto__` label is a label like any other. The strings
 * are own copies: rules keep label sets until the end, after the file's text is released.
 *
 * @example
 * ```ts
 * labelSet({ app: 'web', version: 2 }); // { keys: ['app', 'version'], values: ['web', '2'] }
 * ```
 */
export function labelSet(value: unknown): LabelSet {
  // Several rules read the same pod template's labels in turn: the last two sets are reused for
  // the same objects (they are never changed, and labels are not changed while rules run). Two,
  // because rules read a workload's selector between its template's labels: with one, each rule
  // keeping the template's labels for `finish` kept a copy of its own.
  if (value === lastValue) return lastSet;
  if (value === previousValue) {
    const set = previousSet;
    previousValue = lastValue;
    previousSet = lastSet;
    lastValue = value;
    lastSet = set;
    return set;
  }
  let set = NO_LABELS;
  if (isObject(value)) {
    let count = 0;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const v = value[key];
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
      scratchKeys[count] = sharedString(key);
      scratchValues[count] = ownString(String(v));
      count++;
    }
    // Copied from the scratch lists at their exact length: a list grown by `push` from empty
    // reserves room for 17 entries, and label sets are kept until `finish`.
    if (count > 0) set = { keys: scratchKeys.slice(0, count), values: scratchValues.slice(0, count) };
  }
  previousValue = lastValue;
  previousSet = lastSet;
  lastValue = value;
  lastSet = set;
  return set;
}

// Reused by every call, never shortened (that would free their room); entries past the last count
// are own copies that the next call overwrites.
const scratchKeys: string[] = [];
const scratchValues: string[] = [];
let lastValue: unknown;
let lastSet: LabelSet = NO_LABELS;
let previousValue: unknown;
let previousSet: LabelSet = NO_LABELS;

/** The value of label `key`, or `undefined` when the set has no such label. */
export function labelValue(labels: LabelSet, key: string): string | undefined {
  const keys = labels.keys;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === key) return labels.values[i];
  }
  return undefined;
}

/** Whether every `key: value` of `selector` (a Service's plain selector map) is among the labels. */
export function setSelects(selector: LabelSet, labels: LabelSet): boolean {
  const keys = selector.keys;
  for (let i = 0; i < keys.length; i++) {
    if (labelValue(labels, keys[i] as string) !== selector.values[i]) return false;
  }
  return true;
}

/** Labels as a string map (no prototype), as {@link labelSet} reads them. */
export function labelMap(value: unknown): Readonly<Record<string, string>> {
  // Rules that compare maps read the same labels in turn: the last map is reused for the same object.
  if (value === lastMapValue && lastMap !== undefined) return lastMap;
  const set = labelSet(value);
  const out = Object.create(null) as Record<string, string>;
  for (let i = 0; i < set.keys.length; i++) out[set.keys[i] as string] = set.values[i] as string;
  lastMapValue = value;
  lastMap = out;
  return out;
}

let lastMapValue: unknown;
let lastMap: Readonly<Record<string, string>> | undefined;

/**
 * A `LabelSelector` read once, to be matched with many label sets ({@link compiledSelects}): its
 * `matchLabels` as a {@link LabelSet}, its strings own copies.
 */
export interface CompiledSelector {
  readonly matchLabels: LabelSet;
  readonly matchExpressions: readonly SelectorRequirement[];
  /** Set when the selector could not be read: it then selects nothing, like a rejected object. */
  readonly invalid?: boolean;
}

const INVALID: CompiledSelector = Object.freeze({
  matchLabels: NO_LABELS,
  matchExpressions: Object.freeze([]),
  invalid: true,
});
const NO_EXPRESSIONS: readonly SelectorRequirement[] = Object.freeze([]);
const NO_VALUES: readonly string[] = Object.freeze([]);

/**
 * A `LabelSelector` (`matchLabels` and `matchExpressions`) as written, read leniently (scalar
 * values as text); anything that is not a selector object, or unreadable parts, make it `invalid`.
 *
 * @example
 * ```ts
 * const selector = compileSelector({ matchLabels: { app: 'web' } });
 * compiledSelects(selector, labelSet({ app: 'web', tier: 'api' })); // true
 * ```
 */
export function compileSelector(selector: unknown): CompiledSelector {
  if (!isObject(selector)) return INVALID;
  let matchLabels = NO_LABELS;
  const written = selector['matchLabels'];
  if (written !== undefined && written !== null) {
    if (!isObject(written)) return INVALID;
    matchLabels = labelSet(written);
    if (matchLabels.keys.length !== ownKeyCount(written)) return INVALID;
  }
  let matchExpressions = NO_EXPRESSIONS;
  const expressions = selector['matchExpressions'];
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) return INVALID;
    const read: SelectorRequirement[] = [];
    for (const e of expressions as unknown[]) {
      if (!isObject(e) || typeof e['key'] !== 'string') return INVALID;
      const operator = SELECTOR_OPERATORS.find((o) => o === e['operator']);
      if (operator === undefined) return INVALID;
      // Own copies: a selector may be kept until `finish`, after its file's text is released.
      const values = Array.isArray(e['values'])
        ? e['values'].map((v: unknown) => ownString(String(v)))
        : NO_VALUES;
      read.push({ key: ownString(e['key']), operator, values });
    }
    if (read.length > 0) matchExpressions = read;
  }
  return { matchLabels, matchExpressions };
}

/** How many own enumerable keys an object has (`Object.keys(value).length`, without the list). */
function ownKeyCount(value: Readonly<Record<string, unknown>>): number {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key)) count++;
  return count;
}

/**
 * Whether labels satisfy a compiled selector, with the API server's semantics: every term must
 * hold; an invalid selector selects nothing.
 */
export function compiledSelects(selector: CompiledSelector, labels: LabelSet): boolean {
  if (selector.invalid) return false;
  if (!setSelects(selector.matchLabels, labels)) return false;
  const expressions = selector.matchExpressions;
  for (let i = 0; i < expressions.length; i++) {
    const r = expressions[i] as SelectorRequirement;
    if (!requirementHolds(r, labelValue(labels, r.key))) return false;
  }
  return true;
}

/** Whether a requirement holds for the value of its label (`undefined`: no such label). */
function requirementHolds(r: SelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    default:
      return value === undefined;
  }
}

const INVALID_SELECTOR: LabelSelector = Object.freeze({
  matchLabels: Object.freeze({}),
  matchExpressions: NO_EXPRESSIONS,
  invalid: true,
});

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
  const compiled = compileSelector(selector);
  if (compiled.invalid) return INVALID_SELECTOR;
  const written = (selector as Record<string, unknown>)['matchLabels'];
  return {
    matchLabels: written === undefined || written === null ? {} : labelMap(written),
    matchExpressions: compiled.matchExpressions,
  };
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

/**
 * A label set as {@link showLabels} shows the same labels: `key=value` pairs joined by commas, or
 * `none`.
 */
export function showLabelSet(labels: LabelSet): string {
  if (labels.keys.length === 0) return 'none';
  let out = '';
  for (let i = 0; i < labels.keys.length; i++) {
    out += `${i === 0 ? '' : ','}${labels.keys[i]}=${labels.values[i]}`;
  }
  return out;
}
