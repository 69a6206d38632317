import { parsePointer } from '@shipshape/core';
import { RE2JS } from 're2js';
import type { JsonSchema } from './bundle.js';
import { KUBERNETES_FORMATS } from './formats.js';
import { duplicateFinder } from './list-type.js';

/** A validation error, in the shape ajv reports them (tools that read ajv errors read these). */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
  readonly parentSchema?: JsonSchema;
}

/**
 * Validate `data` against a (prepared) schema without generating code. Each schema object is turned
 * once, on first use, into a closure that does only what that schema asks (see {@link nodeFor}), so
 * compiling costs only for the parts the data uses: compiling a CRD's schema with ajv costs about as
 * much as its size (the 59 CRDs of the shared corpus, 6.4 MB, took 7.5 s). Supports the OpenAPI v3
 * subset Kubernetes uses: `$ref` into `definitions`, `type`, `properties`, `required`,
 * `additionalProperties`, `patternProperties`, `items`, `enum`, `const`, `allOf`/`anyOf`/`oneOf`/
 * `not`, number, string, array and object bounds, `pattern`, `uniqueItems` and the formats of
 * {@link KUBERNETES_FORMATS}, and from the Kubernetes extensions `x-kubernetes-validations` (with
 * an evaluator) and the uniqueness of `x-kubernetes-list-type` `set` and `map` lists (as the
 * apiextensions server enforces it on custom resources; the validator leaves it out of the
 * built-in definitions, where list types only serve server-side apply). Also serves plain JSON
 * Schemas of that subset (configuration files).
 * Schemas are treated as immutable: a schema object changed after its first use keeps its old checks.
 *
 * @example
 * ```ts
 * interpretSchema({ type: 'object', required: ['name'] }, {}, {});
 * // [{ keyword: 'required', instancePath: '', params: { missingProperty: 'name' }, message: "must have required property 'name'", … }]
 * ```
 */
export function interpretSchema(
  schema: JsonSchema,
  data: unknown,
  definitions: Readonly<Record<string, unknown>>,
  options: {
    readonly rules?: RuleEvaluator;
    readonly messages?: MessageEvaluator;
    /**
     * Whether `data` is created (`false`) or replaces an object (`{ old }`): transition rules
     * (those reading `oldSelf`) then run where the old object has a value to compare with, and not
     * at all on a create (unless `optionalOldSelf`). Unknown when absent: they are not evaluated.
     */
    readonly update?: { readonly old: unknown } | false;
    /**
     * Validation ratcheting (Kubernetes 1.30 on): on an update, an error at a value the update
     * left unchanged is dropped, as the API server accepts it; see {@link ratchets}. The same gate
     * lets an `optionalOldSelf` rule run where there is no old value (on a create, say).
     */
    readonly ratcheting?: boolean;
  } = {},
): SchemaError[] {
  const errors: SchemaError[] = [];
  const ctx: WalkContext = {
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.messages ? { messages: options.messages } : {}),
    ...(options.update === undefined
      ? {}
      : {
          update: {
            schema,
            data,
            old: options.update === false ? undefined : options.update.old,
            gate: options.ratcheting === true,
          },
        }),
  };
  nodeFor(schema, definitions).run(data, [], ctx, errors, 0);
  const update = ctx.update;
  if (options.ratcheting !== true || update === undefined || update.old === undefined) return errors;
  return errors.filter((e) => !ratchets(e, update));
}

/**
 * What ratcheting never drops: the uniqueness of `x-kubernetes-list-type` lists and unknown fields
 * (checked apart from the schema's value validations there), and rules not evaluated (no error).
 */
const NOT_RATCHETED = new Set([
  'x-kubernetes-list-type',
  'additionalProperties',
  'x-kubernetes-validations-skipped',
]);

/**
 * Whether the API server accepts an update despite `e`, as its ratcheting validator does: at each
 * node it reaches through properties, map values and correlatable list items, the errors of that
 * node and below become warnings when the old object has a deep-equal value there. So an error
 * ratchets when the deepest such node holding it (the node a rule is declared on, for a rule) is
 * unchanged. What a composite's subschemas find ratchets only with the parent of the node holding
 * the composite, as the API server ratchets rules under `allOf` (it documents composites as not
 * ratcheted: at the root they never are). Transition rules never ratchet; neither do `metadata`,
 * which is validated apart, nor `apiVersion` and `kind`, which both sides are converted to.
 */
function ratchets(e: SchemaError, update: NonNullable<WalkContext['update']>): boolean {
  if (NOT_RATCHETED.has(e.keyword)) return false;
  const rule = e.params['rule'];
  if (e.keyword === 'x-kubernetes-validations' && typeof rule === 'string' && OLD_SELF.test(rule))
    return false;
  const composite = compositeNodes.get(e);
  if (composite !== undefined && composite.length === 0) return false;
  const path = composite?.slice(0, -1) ?? ruleNodes.get(e) ?? pathOf(e.instancePath, update.data);
  const top = path?.[0];
  if (path === undefined || top === 'metadata' || top === 'apiVersion' || top === 'kind') return false;
  // The deepest node on the way that the old object can be correlated at.
  for (let depth = path.length; depth >= 0; depth--) {
    const old = correlated(update, path.slice(0, depth));
    if (old !== undefined) return old.found && equal(old.value, old.now);
  }
  return false;
}

/** The steps of a JSON Pointer into `data` (indexes where `data` has lists), or `undefined`. */
function pathOf(pointer: string, data: unknown): Path | undefined {
  const out: Path = [];
  let at = data;
  for (const part of parsePointer(pointer)) {
    if (Array.isArray(at)) {
      const index = Number(part);
      if (!Number.isInteger(index)) return undefined;
      out.push(index);
      at = at[index];
    } else if (isPlainObject(at) && Object.hasOwn(at, part)) {
      out.push(part);
      at = at[part];
    } else {
      return undefined;
    }
  }
  return out;
}

const MAX_DEPTH = 200;
/** The longest `messageExpression` text the API server shows (celconfig.MaxEvaluatedMessageExpressionSizeBytes). */
const MAX_MESSAGE = 5 * 1024;

/**
 * Evaluates one `x-kubernetes-validations` rule with `self` bound to the value it is declared on:
 * `true` or `false`, or a reason it cannot be evaluated here. `schema` is the schema the rule is
 * declared in, which types `self` (an `integer` field is a CEL `int`, a `number` a `double`).
 * `transition` is given to a rule that reads `oldSelf` when the object is an update and the old
 * object could be walked to the rule's place; without it such a rule cannot be evaluated here.
 */
export type RuleEvaluator = (
  rule: string,
  self: unknown,
  schema: JsonSchema,
  transition?: Transition,
) => boolean | { readonly notEvaluated: string } | { readonly error: string };

/**
 * What a transition rule's `oldSelf` is on an update, as the API server correlates it: the old
 * value at the rule's place (through object properties, map keys and the keys of
 * `x-kubernetes-list-type: map` items), absent where the update adds the value.
 */
export interface Transition {
  /** The old value, defaults filled in; absent when the old object has none there. */
  readonly old?: { readonly value: unknown };
  /** The rule's `optionalOldSelf`: `oldSelf` is an optional, and the rule runs without an old value too. */
  readonly optionalOldSelf: boolean;
}

/**
 * The text of a rule's `messageExpression` with `self` bound (and `oldSelf`, as for its rule), or
 * `undefined` when it cannot be evaluated here (the rule's `message`, or the rule itself, is shown
 * instead).
 */
export type MessageEvaluator = (
  expression: string,
  self: unknown,
  schema: JsonSchema,
  transition?: Transition,
) => string | undefined;

interface WalkContext {
  readonly rules?: RuleEvaluator;
  readonly messages?: MessageEvaluator;
  /** The root schema, the object and the old object it replaces (`undefined` on a create). */
  readonly update?: {
    readonly schema: JsonSchema;
    readonly data: unknown;
    readonly old: unknown;
    /** The CRDValidationRatcheting gate (1.30 on), which also lets `optionalOldSelf` rules run without an old value. */
    readonly gate: boolean;
  };
}

type Path = (string | number)[];
type Check = (data: unknown, path: Path, ctx: WalkContext, errors: SchemaError[], depth: number) => void;

/** A schema's checks; `run` builds them on its first call and then replaces itself. */
interface Node {
  run: Check;
}

const nodes = new WeakMap<object, WeakMap<object, Node>>();

/** A boolean schema (`true`, or `false` as written inside a keyword): accepted without checks, as before. */
const NOOP: Node = { run: () => undefined };

/** The node of a subschema; anything that is not an object checks nothing. */
function child(sub: unknown, defs: Readonly<Record<string, unknown>>): Node {
  return sub !== null && typeof sub === 'object' ? nodeFor(sub as JsonSchema, defs) : NOOP;
}

/**
 * The node of one schema object under one set of definitions, memoised. Building is lazy, so a
 * recursive schema (a `$ref` back to an ancestor) builds each part once and only when data reaches it.
 */
function nodeFor(schema: JsonSchema, defs: Readonly<Record<string, unknown>>): Node {
  let byDefs = nodes.get(defs);
  if (!byDefs) {
    byDefs = new WeakMap();
    nodes.set(defs, byDefs);
  }
  let node = byDefs.get(schema);
  if (!node) {
    const created: Node = {
      run: (data, path, ctx, errors, depth) => {
        created.run = build(schema, defs);
        created.run(data, path, ctx, errors, depth);
      },
    };
    node = created;
    byDefs.set(schema, node);
  }
  return node;
}

/**
 * The checks of one schema object, in the order errors are reported: `$ref`, `type` (a wrong type
 * stops there), `enum`, `const`, the composites, CEL rules, then the keywords of the data's type.
 */
function build(schema: JsonSchema, defs: Readonly<Record<string, unknown>>): Check {
  const ref = schema['$ref'];
  const target = typeof ref === 'string' ? resolveRef(defs, ref) : undefined;
  const refNode = target ? nodeFor(target, defs) : undefined;
  const type = schema['type'];
  const typeTest = type === undefined ? undefined : typeTester(type);
  const enumCheck = enumChecker(schema);
  const hasConst = 'const' in schema;
  const composite = compositesOf(schema, defs);
  const hasRules = Array.isArray(schema['x-kubernetes-validations']);
  const onString = stringChecks(schema);
  const onNumber = numberChecks(schema);
  const onArray = arrayChecks(schema, defs);
  const onObject = objectChecks(schema, defs);
  return (data, path, ctx, errors, depth) => {
    if (depth > MAX_DEPTH) return;
    refNode?.run(data, path, ctx, errors, depth + 1);
    if (typeTest !== undefined && !typeTest(data)) {
      errors.push(error('type', path, { type }, schema, `must be ${([type].flat() as string[]).join(',')}`));
      return;
    }
    if (enumCheck !== undefined && !enumCheck(data))
      errors.push(
        error(
          'enum',
          path,
          { allowedValues: schema['enum'] },
          schema,
          'must be equal to one of the allowed values',
        ),
      );
    if (hasConst && !equal(schema['const'], data))
      errors.push(
        error(
          'const',
          path,
          { allowedValue: schema['const'] },
          schema,
          `must be equal to ${JSON.stringify(schema['const'])}`,
        ),
      );
    composite?.(data, path, ctx, errors, depth);
    if (hasRules && ctx.rules) rules(schema, data, path, ctx, ctx.rules, errors);
    if (typeof data === 'string') onString?.(data, path, errors);
    else if (typeof data === 'number') onNumber?.(data, path, errors);
    else if (Array.isArray(data)) onArray?.(data, path, ctx, errors, depth);
    else if (data !== null && typeof data === 'object')
      onObject?.(data as Record<string, unknown>, path, ctx, errors, depth);
  };
}

function typeTester(type: unknown): (data: unknown) => boolean {
  if (Array.isArray(type)) {
    const tests = type.map(typeTester);
    return (data) => tests.some((t) => t(data));
  }
  switch (type) {
    case 'object':
      return (data) => data !== null && typeof data === 'object' && !Array.isArray(data);
    case 'array':
      return Array.isArray;
    case 'integer':
      return (data) => typeof data === 'number' && Number.isInteger(data);
    case 'number':
      return (data) => typeof data === 'number';
    case 'null':
      return (data) => data === null;
    default:
      return (data) => typeof data === type;
  }
}

/** `enum`: a set lookup for strings, numbers and booleans; structural equality for the rest. */
function enumChecker(schema: JsonSchema): ((data: unknown) => boolean) | undefined {
  const values = schema['enum'];
  if (values === undefined) return undefined;
  if (!Array.isArray(values)) return () => false;
  const primitives = new Set(values.filter((v) => v === null || typeof v !== 'object'));
  return (data) =>
    data !== null && typeof data === 'object' ? values.some((v) => equal(v, data)) : primitives.has(data);
}

function compositesOf(schema: JsonSchema, defs: Readonly<Record<string, unknown>>): Check | undefined {
  const allOf = (schema['allOf'] as unknown[] | undefined)?.map((s) => child(s, defs));
  const branching = (['anyOf', 'oneOf'] as const)
    .map((keyword) => ({
      keyword,
      branches: (schema[keyword] as unknown[] | undefined)?.map((s) => child(s, defs)),
    }))
    .filter((b): b is { keyword: 'anyOf' | 'oneOf'; branches: Node[] } => b.branches !== undefined);
  const not = schema['not'] as JsonSchema | undefined;
  const notNode = not ? child(not, defs) : undefined;
  if (!allOf && branching.length === 0 && !notNode) return undefined;
  return (data, path, ctx, errors, depth) => {
    const before = errors.length;
    if (allOf) for (const sub of allOf) sub.run(data, path, ctx, errors, depth + 1);
    for (const { keyword, branches } of branching) {
      const results = branches.map((b) => {
        const e: SchemaError[] = [];
        b.run(data, path, ctx, e, depth + 1);
        return e;
      });
      const passing = results.filter((r) => r.length === 0).length;
      if (passing === 0) {
        // Report the branch that came closest: its errors are the most useful ones.
        const best = results.reduce((a, b) => (b.length < a.length ? b : a));
        errors.push(error(keyword, path, {}, schema, `must match a schema in ${keyword}`), ...best);
      } else if (keyword === 'oneOf' && passing > 1) {
        errors.push(
          error('oneOf', path, { passingSchemas: passing }, schema, 'must match exactly one schema in oneOf'),
        );
      }
    }
    if (notNode) {
      const e: SchemaError[] = [];
      notNode.run(data, path, ctx, e, depth + 1);
      if (e.length === 0) errors.push(error('not', path, {}, schema, 'must NOT be valid'));
    }
    // On an update, what a composite's subschemas find is ratcheted with the node holding the
    // composite (the outermost one), not where it points: nothing below a composite is correlated.
    // (Built-in kinds reach `allOf` at most nodes: the common path, no error, reads nothing more.)
    if (errors.length !== before && ctx.update !== undefined) {
      for (let i = before; i < errors.length; i++) compositeNodes.set(errors[i] as SchemaError, [...path]);
    }
  };
}

/** The node holding the composite (`allOf`, `anyOf`, `oneOf`, `not`) an error was raised in. */
const compositeNodes = new WeakMap<SchemaError, Path>();
/** The node a rule's error comes from, when its `fieldPath` places it elsewhere. */
const ruleNodes = new WeakMap<SchemaError, Path>();

function rules(
  schema: JsonSchema,
  data: unknown,
  path: Path,
  ctx: WalkContext,
  evaluate: RuleEvaluator,
  errors: SchemaError[],
): void {
  for (const entry of schema['x-kubernetes-validations'] as unknown[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const { rule, message, messageExpression, fieldPath, optionalOldSelf } = entry as Record<string, unknown>;
    if (typeof rule !== 'string') continue;
    const transition =
      ctx.update !== undefined && OLD_SELF.test(rule)
        ? transitionAt(ctx.update, path, optionalOldSelf === true)
        : undefined;
    // Without the gate an `optionalOldSelf` rule still sees an optional, but never runs without an old value.
    if (transition?.optionalOldSelf === true && transition.old === undefined && ctx.update?.gate === false)
      continue;
    let result = evaluate(rule, data, schema, transition);
    // The API server fills in defaults before it evaluates rules: a field read with a default is there.
    if (typeof result === 'object' && 'error' in result) {
      const defaulted = withDefaults(schema, data);
      if (defaulted !== data) result = evaluate(rule, defaulted, schema, transition);
    }
    if (result === true) continue;
    // A rule that reads a required field that is absent: the missing field is the error to show.
    if (typeof result === 'object' && 'error' in result && missesRequired(schema, result.error)) continue;
    if (result === false || 'error' in result) {
      // As the API server words it: messageExpression's text first, then message, then the rule.
      // The expression's text is trimmed, and not used when empty, over 5 KiB or of several lines.
      const expressed = (
        typeof messageExpression === 'string'
          ? ctx.messages?.(messageExpression, data, schema, transition)
          : undefined
      )?.trim();
      const text =
        expressed !== undefined &&
        expressed !== '' &&
        expressed.length <= MAX_MESSAGE &&
        !/[\n\r]/.test(expressed)
          ? expressed
          : typeof message === 'string' && message.trim() !== ''
            ? message.trim()
            : undefined;
      // A rule that fails to evaluate (a field it reads is absent) rejects the object too.
      const why =
        result === false
          ? (text ?? `failed rule: ${rule}`)
          : text === undefined
            ? `the rule could not be evaluated: ${result.error}`
            : `${text} (the rule could not be evaluated: ${result.error})`;
      const at = typeof fieldPath === 'string' ? (relativePath(fieldPath) ?? []) : [];
      const failed = error('x-kubernetes-validations', [...path, ...at], { rule }, schema, why);
      if (ctx.update !== undefined) ruleNodes.set(failed, [...path]);
      errors.push(failed);
    } else {
      errors.push(
        error('x-kubernetes-validations-skipped', path, { rule, reason: result.notEvaluated }, schema),
      );
    }
  }
}

/** A rule that reads `oldSelf`, which makes it a transition rule. */
const OLD_SELF = /\boldSelf\b/;

/**
 * What `oldSelf` is for a transition rule at `path`: the old object walked to the same place as
 * the API server correlates values (object properties and map keys by name, the items of an
 * `x-kubernetes-list-type: map` list by their keys), with its defaults filled in. `undefined` when
 * the schema cannot be walked there (items of other lists, which a valid CRD keeps transition
 * rules out of): the rule is then not evaluated rather than guessed.
 */
function transitionAt(
  update: NonNullable<WalkContext['update']>,
  path: Path,
  optionalOldSelf: boolean,
): Transition | undefined {
  const old = correlated(update, path);
  if (old === undefined) return undefined;
  return old.found
    ? { old: { value: withDefaults(old.schema, old.value) }, optionalOldSelf }
    : { optionalOldSelf };
}

/**
 * The old object's value at `path`, walked as the API server correlates values (see
 * {@link transitionAt}), with the value there now and the schema of the place; `found: false`
 * where the old object has none; `undefined` where the schema cannot be walked.
 */
function correlated(
  update: NonNullable<WalkContext['update']>,
  path: Path,
): { found: boolean; value: unknown; now: unknown; schema: JsonSchema } | undefined {
  let schema: unknown = update.schema;
  let data: unknown = update.data;
  let old: unknown = update.old;
  let found = old !== undefined;
  for (const step of path) {
    if (!isPlainObject(schema)) return undefined;
    if (typeof step === 'string') {
      const properties = schema['properties'];
      const additional = schema['additionalProperties'];
      const sub =
        isPlainObject(properties) && Object.hasOwn(properties, step)
          ? properties[step]
          : isPlainObject(additional)
            ? additional
            : undefined;
      if (sub === undefined) return undefined;
      schema = sub;
      // Own keys only: a `__proto__` key is data, not the prototype.
      data = isPlainObject(data) && Object.hasOwn(data, step) ? data[step] : undefined;
      if (found && isPlainObject(old) && Object.hasOwn(old, step) && old[step] !== null) old = old[step];
      else found = false;
    } else {
      const items = schema['items'];
      const keys = schema['x-kubernetes-list-map-keys'];
      if (!isPlainObject(items) || schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(keys))
        return undefined;
      const item = Array.isArray(data) ? withDefaults(items, data[step]) : undefined;
      const match: unknown =
        found && Array.isArray(old) && isPlainObject(item)
          ? (old as unknown[]).find((candidate) => {
              const o = withDefaults(items, candidate);
              return isPlainObject(o) && keys.every((k) => typeof k === 'string' && equal(o[k], item[k]));
            })
          : undefined;
      schema = items;
      data = Array.isArray(data) ? data[step] : undefined;
      if (match !== undefined) old = match;
      else found = false;
    }
  }
  return { found, value: old, now: data, schema: schema as JsonSchema };
}

/**
 * `data` with its schema's defaults filled in where fields are absent, at every level of objects
 * (a default object gets the defaults of its own fields), as the API server does before it
 * evaluates rules: a copy where anything was filled, else `data` itself.
 */
function withDefaults(schema: JsonSchema, data: unknown, depth = 0): unknown {
  const properties = schema['properties'];
  if (depth > 32 || !isPlainObject(data) || !isPlainObject(properties)) return data;
  let out: Record<string, unknown> | undefined;
  for (const [key, sub] of Object.entries(properties)) {
    if (!isPlainObject(sub)) continue;
    const present = Object.hasOwn(data, key);
    const value = present ? data[key] : sub['default'];
    if (value === undefined) continue;
    const filled = withDefaults(sub, value, depth + 1);
    if (present && filled === value) continue;
    out ??= { ...data };
    out[key] = filled;
  }
  return out ?? data;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function missesRequired(schema: JsonSchema, error: string): boolean {
  const required = schema['required'];
  const key = /^no such key: (.*)$/.exec(error)?.[1];
  return key !== undefined && Array.isArray(required) && required.includes(key);
}

/**
 * The path segments of a rule's `fieldPath` (`.spec.items`, `.metadata['name']`, `.list[0]`),
 * relative to where the rule is declared; `undefined` for one it cannot read.
 */
function relativePath(fieldPath: string): Path | undefined {
  const out: Path = [];
  const step = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  for (let at = 0; at < fieldPath.length; ) {
    step.lastIndex = at;
    const m = step.exec(fieldPath);
    if (!m) return undefined;
    out.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? Number(m[3]));
    at = step.lastIndex;
  }
  return out;
}

type Leaf<T> = (data: T, path: Path, errors: SchemaError[]) => void;

function stringChecks(schema: JsonSchema): Leaf<string> | undefined {
  const bounded = schema['minLength'] !== undefined || schema['maxLength'] !== undefined;
  const pattern = schema['pattern'];
  const re = typeof pattern === 'string' ? regex(pattern) : undefined;
  const format = formatOf(schema, 'string');
  if (!bounded && !re && !format) return undefined;
  return (data, path, errors) => {
    if (bounded) counts(schema, [...data].length, 'minLength', 'maxLength', 'characters', path, errors);
    if (re && !re.test(data))
      errors.push(error('pattern', path, { pattern }, schema, `must match pattern "${String(pattern)}"`));
    if (format && !format.validate(data as never)) errors.push(formatError(schema, path));
  };
}

function numberChecks(schema: JsonSchema): Leaf<number> | undefined {
  const min = schema['minimum'];
  const max = schema['maximum'];
  const exMin = schema['exclusiveMinimum'];
  const exMax = schema['exclusiveMaximum'];
  const step = schema['multipleOf'];
  const format = formatOf(schema, 'number');
  if (
    typeof min !== 'number' &&
    typeof max !== 'number' &&
    typeof exMin !== 'number' &&
    typeof exMax !== 'number' &&
    !(typeof step === 'number' && step > 0) &&
    !format
  )
    return undefined;
  return (data, path, errors) => {
    if (typeof min === 'number' && (exMin === true ? data <= min : data < min))
      errors.push(
        error('minimum', path, { limit: min }, schema, `must be ${exMin === true ? '>' : '>='} ${min}`),
      );
    if (typeof max === 'number' && (exMax === true ? data >= max : data > max))
      errors.push(
        error('maximum', path, { limit: max }, schema, `must be ${exMax === true ? '<' : '<='} ${max}`),
      );
    if (typeof exMin === 'number' && data <= exMin)
      errors.push(error('exclusiveMinimum', path, { limit: exMin }, schema, `must be > ${exMin}`));
    if (typeof exMax === 'number' && data >= exMax)
      errors.push(error('exclusiveMaximum', path, { limit: exMax }, schema, `must be < ${exMax}`));
    if (typeof step === 'number' && step > 0 && Math.abs(data / step - Math.round(data / step)) > 1e-9)
      errors.push(error('multipleOf', path, { multipleOf: step }, schema, `must be a multiple of ${step}`));
    if (format && !format.validate(data as never)) errors.push(formatError(schema, path));
  };
}

function formatError(schema: JsonSchema, path: Path): SchemaError {
  const name = String(schema['format']);
  return error('format', path, { format: schema['format'] }, schema, `must match format "${name}"`);
}

/** The known format named by the schema, when it applies to values of `type`. */
function formatOf(
  schema: JsonSchema,
  type: 'string' | 'number',
): (typeof KUBERNETES_FORMATS)[string] | undefined {
  const name = schema['format'];
  if (typeof name !== 'string' || !Object.hasOwn(KUBERNETES_FORMATS, name)) return undefined;
  const format = KUBERNETES_FORMATS[name];
  return format?.type === type ? format : undefined;
}

function arrayChecks(
  schema: JsonSchema,
  defs: Readonly<Record<string, unknown>>,
):
  | ((data: unknown[], path: Path, ctx: WalkContext, errors: SchemaError[], depth: number) => void)
  | undefined {
  const bounded = schema['minItems'] !== undefined || schema['maxItems'] !== undefined;
  const items = schema['items'];
  const itemNode =
    items && typeof items === 'object' && !Array.isArray(items)
      ? nodeFor(items as JsonSchema, defs)
      : undefined;
  const unique = schema['uniqueItems'] === true;
  const duplicates = duplicateFinder(schema);
  if (!bounded && !itemNode && !unique && !duplicates) return undefined;
  return (data, path, ctx, errors, depth) => {
    if (bounded) counts(schema, data.length, 'minItems', 'maxItems', 'items', path, errors);
    if (itemNode) {
      for (let i = 0; i < data.length; i++) {
        path.push(i);
        itemNode.run(data[i], path, ctx, errors, depth + 1);
        path.pop();
      }
    }
    if (unique) {
      const seen = new Map<string, number>();
      data.forEach((item, i) => {
        const key = JSON.stringify(item);
        const first = seen.get(key);
        if (first !== undefined)
          errors.push(
            error(
              'uniqueItems',
              path,
              { i: first, j: i },
              schema,
              `must NOT have duplicate items (items ## ${first} and ${i} are identical)`,
            ),
          );
        else seen.set(key, i);
      });
    }
    if (duplicates) {
      const listType = schema['x-kubernetes-list-type'];
      for (const d of duplicates(data)) {
        path.push(d.index);
        errors.push(
          error(
            'x-kubernetes-list-type',
            path,
            { listType, first: d.first, ...(d.keys ? { keys: d.keys } : { value: data[d.index] }) },
            schema,
            `must NOT repeat item ${d.first} of a list of type ${String(listType)}`,
          ),
        );
        path.pop();
      }
    }
  };
}

function objectChecks(
  schema: JsonSchema,
  defs: Readonly<Record<string, unknown>>,
):
  | ((
      data: Record<string, unknown>,
      path: Path,
      ctx: WalkContext,
      errors: SchemaError[],
      depth: number,
    ) => void)
  | undefined {
  const properties = schema['properties'] as Record<string, JsonSchema> | undefined;
  const known = new Map<string, Node>();
  if (properties)
    for (const [name, sub] of Object.entries(properties))
      if (sub !== undefined) known.set(name, child(sub, defs));
  const required = (schema['required'] as string[] | undefined) ?? [];
  const bounded = schema['minProperties'] !== undefined || schema['maxProperties'] !== undefined;
  const patternProperties = schema['patternProperties'] as Record<string, JsonSchema> | undefined;
  // A pattern that does not compile matches nothing.
  const patterns = patternProperties
    ? Object.entries(patternProperties).map(([p, sub]) => ({ re: regex(p), node: child(sub, defs) }))
    : [];
  const additional = schema['additionalProperties'];
  const closed = additional === false;
  const additionalNode =
    additional && typeof additional === 'object' ? nodeFor(additional as JsonSchema, defs) : undefined;
  if (
    required.length === 0 &&
    !bounded &&
    known.size === 0 &&
    patterns.length === 0 &&
    !closed &&
    !additionalNode
  )
    return undefined;
  const matchesPattern = (key: string): boolean => patterns.some((p) => p.re?.test(key) === true);
  return (data, path, ctx, errors, depth) => {
    // The API server treats a null field as unset: a required one is missing, an optional one is
    // not checked further (so no copy of the data without nulls is needed).
    for (const name of required) {
      if (!Object.hasOwn(data, name) || data[name] === null)
        errors.push(
          error('required', path, { missingProperty: name }, schema, `must have required property '${name}'`),
        );
    }
    const keys = Object.keys(data);
    if (bounded) counts(schema, keys.length, 'minProperties', 'maxProperties', 'properties', path, errors);
    for (const key of keys) {
      const value = data[key];
      const node = known.get(key);
      if (value === null) {
        if (node === undefined && closed && !matchesPattern(key)) {
          errors.push(
            error(
              'additionalProperties',
              path,
              { additionalProperty: key },
              schema,
              'must NOT have additional properties',
            ),
          );
        }
        continue;
      }
      path.push(key);
      node?.run(value, path, ctx, errors, depth + 1);
      let matched = node !== undefined;
      for (const p of patterns) {
        if (p.re?.test(key) === true) {
          matched = true;
          p.node.run(value, path, ctx, errors, depth + 1);
        }
      }
      if (!matched && additionalNode) additionalNode.run(value, path, ctx, errors, depth + 1);
      path.pop();
      if (!matched && closed) {
        errors.push(
          error(
            'additionalProperties',
            path,
            { additionalProperty: key },
            schema,
            'must NOT have additional properties',
          ),
        );
      }
    }
  };
}

/** `min…`/`max…` bounds on a count (items, properties, characters), with ajv's messages. */
function counts(
  schema: JsonSchema,
  count: number,
  minKey: string,
  maxKey: string,
  noun: string,
  path: (string | number)[],
  errors: SchemaError[],
): void {
  const min = schema[minKey];
  const max = schema[maxKey];
  if (typeof min === 'number' && count < min) {
    errors.push(error(minKey, path, { limit: min }, schema, `must NOT have fewer than ${min} ${noun}`));
  }
  if (typeof max === 'number' && count > max) {
    errors.push(error(maxKey, path, { limit: max }, schema, `must NOT have more than ${max} ${noun}`));
  }
}

function equal(a: unknown, b: unknown): boolean {
  return (
    a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b))
  );
}

const refCache = new WeakMap<object, Map<string, JsonSchema | undefined>>();

/** The definition a `$ref` names (`#/definitions/X` or `k8s#/definitions/X`), memoised per definitions object. */
function resolveRef(defs: Readonly<Record<string, unknown>>, ref: string): JsonSchema | undefined {
  let cache = refCache.get(defs);
  if (!cache) {
    cache = new Map();
    refCache.set(defs, cache);
  }
  if (!cache.has(ref)) {
    const target = defs[ref.slice(ref.lastIndexOf('/') + 1)];
    cache.set(ref, target && typeof target === 'object' ? (target as JsonSchema) : undefined);
  }
  return cache.get(ref);
}

const regexes = new Map<string, { test(text: string): boolean } | undefined>();

/**
 * The pattern as a matcher: JavaScript's RegExp where it reads the pattern, else Go's RE2 syntax
 * through re2js (`(?i)`, `\z`, `[[:alpha:]]`, `(?P<name>…)`: what the API server compiles and
 * JavaScript does not). `undefined` for a pattern neither reads (the CRD check reports it).
 */
function regex(pattern: string): { test(text: string): boolean } | undefined {
  if (!regexes.has(pattern)) {
    let re: { test(text: string): boolean } | undefined;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      try {
        re = RE2JS.compile(pattern);
      } catch {
        re = undefined;
      }
    }
    regexes.set(pattern, re);
  }
  return regexes.get(pattern);
}

function error(
  keyword: string,
  path: (string | number)[],
  params: Record<string, unknown>,
  parentSchema: JsonSchema,
  message?: string,
): SchemaError {
  const instancePath = path.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
  return { keyword, instancePath, params, parentSchema, ...(message === undefined ? {} : { message }) };
}
