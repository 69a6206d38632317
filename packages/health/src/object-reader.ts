/** A JSON object as the checks read it. */
export type JsonRecord = Readonly<Record<string, unknown>>;

/** Whether `value` is a plain JSON object (not an array, not null). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A field of a live object has the wrong type, so a built-in check cannot read it. Internal:
 * `assessHealth` turns it into `Unknown` at its boundary (as gitops-engine turns a failed
 * conversion to a typed object into `Unknown`); it never reaches a caller. Throwing keeps the
 * per-kind rules as short as the rules themselves instead of threading a result through every
 * field read.
 */
export class MalformedObjectError extends Error {
  override readonly name = 'MalformedObjectError';
  readonly path: string;

  constructor(path: string, expected: string, actual: unknown) {
    super(`${path} must be ${expected}, got ${describe(actual)}`);
    this.path = path;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A dotted path for messages: `status.conditions[0].type`. */
function joinPath(prefix: string, key: string): string {
  if (/^\[\d+\]$/.test(key)) return `${prefix}${key}`;
  return prefix === '' ? key : `${prefix}.${key}`;
}

/**
 * The value at `path` below `root`, or `undefined` when any step is missing or `null` (Go's
 * zero value). Own properties only, so `constructor` or `__proto__` in data are plain keys. A step
 * through something that is not an object is malformed data.
 */
function valueAt(root: unknown, path: readonly string[], prefix: string): unknown {
  let at = root;
  let where = prefix;
  for (const key of path) {
    if (at === undefined || at === null) return undefined;
    if (!isRecord(at)) throw new MalformedObjectError(where === '' ? '(object)' : where, 'an object', at);
    at = Object.hasOwn(at, key) ? at[key] : undefined;
    where = joinPath(where, key);
  }
  return at === null ? undefined : at;
}

function label(prefix: string, path: readonly string[]): string {
  return path.reduce(joinPath, prefix);
}

/** The string at `path`, `undefined` when absent; anything else is malformed. */
export function readString(root: unknown, path: readonly string[], prefix = ''): string | undefined {
  const value = valueAt(root, path, prefix);
  if (value === undefined || typeof value === 'string') return value;
  throw new MalformedObjectError(label(prefix, path), 'a string', value);
}

/** The integer at `path`, `undefined` when absent; fractions and numeric strings are malformed. */
export function readInteger(root: unknown, path: readonly string[], prefix = ''): number | undefined {
  const value = valueAt(root, path, prefix);
  if (value === undefined || Number.isSafeInteger(value)) return value as number | undefined;
  throw new MalformedObjectError(label(prefix, path), 'an integer', value);
}

/** The boolean at `path`, `undefined` when absent. */
export function readBoolean(root: unknown, path: readonly string[], prefix = ''): boolean | undefined {
  const value = valueAt(root, path, prefix);
  if (value === undefined || typeof value === 'boolean') return value;
  throw new MalformedObjectError(label(prefix, path), 'a boolean', value);
}

/** The object at `path`, `undefined` when absent. */
export function readRecord(root: unknown, path: readonly string[], prefix = ''): JsonRecord | undefined {
  const value = valueAt(root, path, prefix);
  if (value === undefined || isRecord(value)) return value;
  throw new MalformedObjectError(label(prefix, path), 'an object', value);
}

/** The array at `path`, `[]` when absent. */
export function readArray(root: unknown, path: readonly string[], prefix = ''): readonly unknown[] {
  const value = valueAt(root, path, prefix);
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  throw new MalformedObjectError(label(prefix, path), 'an array', value);
}

/** The array at `path` whose items must all be objects, `[]` when absent. */
export function readRecords(root: unknown, path: readonly string[], prefix = ''): readonly JsonRecord[] {
  const where = label(prefix, path);
  return readArray(root, path, prefix).map((item, index) => {
    if (isRecord(item)) return item;
    throw new MalformedObjectError(`${where}[${index}]`, 'an object', item);
  });
}

/** One entry of a `status.conditions` list, with Go's zero value `''` for absent fields. */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

/** Read a conditions list strictly: every entry an object, its four fields strings when set. */
export function readConditions(root: unknown, path: readonly string[], prefix = ''): readonly Condition[] {
  const where = label(prefix, path);
  return readRecords(root, path, prefix).map((entry, index) => toCondition(entry, `${where}[${index}]`));
}

/** Convert one parsed condition object, strictly. */
export function toCondition(entry: JsonRecord, where: string): Condition {
  return {
    type: readString(entry, ['type'], where) ?? '',
    status: readString(entry, ['status'], where) ?? '',
    reason: readString(entry, ['reason'], where) ?? '',
    message: readString(entry, ['message'], where) ?? '',
  };
}

/** The first condition of `type`, as gitops-engine's per-kind `get…Condition` helpers. */
export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/** `metadata.name`, `''` when absent, for messages. */
export function objectName(object: unknown): string {
  return readString(object, ['metadata', 'name']) ?? '';
}
