import type { FieldStep } from './field-path.js';
import { isObject as isJsonObject } from './json-value.js';

/**
 * Problem codes for `metadata.managedFields`, in a documented order: `not-a-list` (the field is
 * not an array), `bad-entry` (an entry is not an object, or `manager`/`subresource` is not a
 * string), `bad-fields-type` (`fieldsType` other than `FieldsV1`), `bad-fields` (`fieldsV1` or a
 * node in it is not an object), `bad-key` (a key that is not `f:`, `k:`, `v:`, `i:` or `.`, or
 * whose JSON does not parse), `too-deep` (nested past the depth limit).
 *
 * @example
 * ```ts
 * MANAGED_FIELDS_PROBLEM_CODES.includes(problem.code); // true for every problem
 * ```
 */
export const MANAGED_FIELDS_PROBLEM_CODES = [
  'not-a-list',
  'bad-entry',
  'bad-fields-type',
  'bad-fields',
  'bad-key',
  'too-deep',
] as const;

/**
 * One of `MANAGED_FIELDS_PROBLEM_CODES`.
 *
 * @example
 * ```ts
 * const code: ManagedFieldsProblemCode = 'bad-key';
 * ```
 */
export type ManagedFieldsProblemCode = (typeof MANAGED_FIELDS_PROBLEM_CODES)[number];

/**
 * Why a managed-fields entry was skipped.
 *
 * @example
 * ```ts
 * const problem: ManagedFieldsProblem = { code: 'bad-key', message: '…', index: 1 };
 * ```
 */
export interface ManagedFieldsProblem {
  readonly code: ManagedFieldsProblemCode;
  readonly message: string;
  /** Position of the entry in `managedFields`; `null` when the list itself is wrong. */
  readonly index: number | null;
}

/**
 * A `metadata.managedFields` entry that passed the shape checks.
 *
 * @example
 * ```ts
 * const entry: ManagedFieldsEntry = { manager: 'argocd-controller', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
 * ```
 */
export interface ManagedFieldsEntry {
  /** `''` when the entry names none. */
  readonly manager: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly time?: string;
  readonly fieldsType?: string;
  readonly fieldsV1?: Readonly<Record<string, unknown>>;
  /** `status`, `scale`, …; absent for the main resource. */
  readonly subresource?: string;
}

/**
 * A FieldsV1 tree with its keys parsed. `member` says whether the path to this node is itself in
 * the set: `leaf` for `{}` (owned whole, descendants included), `self` for a node listing `.`
 * (the node's presence is owned, its fields only as listed), `none` otherwise.
 *
 * @example
 * ```ts
 * // { 'f:spec': { 'f:replicas': {} } } is
 * const tree: FieldNode = { member: 'none', children: [{ step: { field: 'spec' }, node: { member: 'none', children: [{ step: { field: 'replicas' }, node: { member: 'leaf', children: [] } }] } }] };
 * ```
 */
export interface FieldNode {
  readonly member: 'none' | 'self' | 'leaf';
  readonly children: readonly { readonly step: FieldStep; readonly node: FieldNode }[];
}

/** FieldsV1 deeper than this is refused (real objects stay far below; the limit bounds recursion). */
const MAX_FIELDS_DEPTH = 100;

/**
 * The entries of a `managedFields` value that have the right shape, and problems for the others.
 *
 * @example
 * ```ts
 * readEntries([{ manager: 'kubectl', fieldsType: 'FieldsV1', fieldsV1: {} }, 'x']);
 * // { entries: [{ entry: { manager: 'kubectl', … }, index: 0 }], problems: [{ code: 'bad-entry', index: 1, … }] }
 * ```
 */
export function readEntries(list: unknown): {
  entries: { entry: ManagedFieldsEntry; index: number }[];
  problems: ManagedFieldsProblem[];
} {
  const entries: { entry: ManagedFieldsEntry; index: number }[] = [];
  const problems: ManagedFieldsProblem[] = [];
  if (list == null) return { entries, problems };
  if (!Array.isArray(list)) {
    problems.push({ code: 'not-a-list', message: 'metadata.managedFields is not a list', index: null });
    return { entries, problems };
  }
  list.forEach((raw: unknown, index) => {
    const checked = checkEntry(raw);
    if ('entry' in checked) entries.push({ entry: checked.entry, index });
    else problems.push({ ...checked.problem, index });
  });
  return { entries, problems };
}

function checkEntry(
  raw: unknown,
): { entry: ManagedFieldsEntry } | { problem: Omit<ManagedFieldsProblem, 'index'> } {
  if (!isJsonObject(raw)) return { problem: { code: 'bad-entry', message: 'the entry is not an object' } };
  const text = (name: string): string | undefined | null => {
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    return value == null ? undefined : typeof value === 'string' ? value : null;
  };
  for (const name of ['manager', 'subresource', 'operation', 'apiVersion', 'fieldsType']) {
    if (text(name) === null) return { problem: { code: 'bad-entry', message: `${name} is not a string` } };
  }
  const fieldsV1 = Object.hasOwn(raw, 'fieldsV1') ? raw['fieldsV1'] : undefined;
  if (fieldsV1 != null && text('fieldsType') !== 'FieldsV1') {
    const message = `fieldsType is ${JSON.stringify(text('fieldsType') ?? null)}; only FieldsV1 is understood`;
    return { problem: { code: 'bad-fields-type', message } };
  }
  if (fieldsV1 != null && !isJsonObject(fieldsV1)) {
    return { problem: { code: 'bad-fields', message: 'fieldsV1 is not an object' } };
  }
  const entry: ManagedFieldsEntry = {
    manager: text('manager') ?? '',
    ...optional('operation', text('operation')),
    ...optional('apiVersion', text('apiVersion')),
    ...optional('time', text('time') ?? undefined),
    ...optional('fieldsType', text('fieldsType')),
    ...optional('fieldsV1', fieldsV1 ?? undefined),
    ...optional('subresource', text('subresource')),
  };
  return { entry };
}

function optional<K extends string, V>(name: K, value: V | null | undefined): { [P in K]?: V } {
  return (value == null ? {} : { [name]: value }) as { [P in K]?: V };
}

/**
 * Parse a FieldsV1 object into a tree; any bad key or node fails the whole tree, so an entry is
 * used entirely or not at all.
 *
 * @example
 * ```ts
 * parseFieldsV1({ 'f:spec': { 'f:replicas': {} } });
 * // { tree: { member: 'none', children: [{ step: { field: 'spec' }, node: { member: 'none', children: [{ step: { field: 'replicas' }, node: { member: 'leaf', children: [] } }] } }] } }
 * ```
 */
export function parseFieldsV1(
  fieldsV1: Readonly<Record<string, unknown>>,
): { tree: FieldNode } | { problem: Omit<ManagedFieldsProblem, 'index'> } {
  const parsed = parseNode(fieldsV1, '', 0);
  if ('problem' in parsed) return parsed;
  return { tree: { member: 'none', children: parsed.tree.children } };
}

function parseNode(
  raw: Readonly<Record<string, unknown>>,
  where: string,
  depth: number,
): { tree: FieldNode } | { problem: Omit<ManagedFieldsProblem, 'index'> } {
  if (depth > MAX_FIELDS_DEPTH) {
    return {
      problem: { code: 'too-deep', message: `fieldsV1 nests deeper than ${MAX_FIELDS_DEPTH} levels` },
    };
  }
  const children: { step: FieldStep; node: FieldNode }[] = [];
  let self = false;
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    const here = where === '' ? key : `${where} > ${key}`;
    if (!isJsonObject(value)) {
      return { problem: { code: 'bad-fields', message: `fieldsV1 at ${here}: the value is not an object` } };
    }
    if (key === '.') {
      self = true;
      continue;
    }
    const step = parseStep(key);
    if (typeof step === 'string')
      return { problem: { code: 'bad-key', message: `fieldsV1 at ${here}: ${step}` } };
    const child = parseNode(value, here, depth + 1);
    if ('problem' in child) return child;
    children.push({ step, node: child.tree });
  }
  const member = self ? 'self' : children.length === 0 ? 'leaf' : 'none';
  return { tree: { member, children } };
}

/** The step a FieldsV1 key stands for, or why it stands for none. */
function parseStep(key: string): FieldStep | string {
  const prefix = key.slice(0, 2);
  const rest = key.slice(2);
  if (prefix === 'f:') return { field: rest };
  if (prefix === 'i:') {
    return /^(0|[1-9][0-9]{0,8})$/.test(rest) ? { index: Number(rest) } : 'expected a list position after i:';
  }
  if (prefix !== 'k:' && prefix !== 'v:') return 'expected a key starting with f:, k:, v:, i: or .';
  let parsed: unknown;
  try {
    parsed = JSON.parse(rest);
  } catch {
    return `expected JSON after ${prefix}`;
  }
  if (prefix === 'v:') return { value: parsed };
  return isJsonObject(parsed) && Object.keys(parsed).length > 0
    ? { key: parsed }
    : 'expected a JSON object of key fields after k:';
}
