import type { JsonSchema } from './bundle.js';
import { KUBERNETES_FORMATS } from './formats.js';

/** A validation error, in the shape ajv reports them (so one describer serves both). */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
  readonly parentSchema?: JsonSchema;
}

/**
 * Validate `data` against a (prepared) schema by walking it, without generating code. Compiling a
 * CRD's schema with ajv costs about as much as its size (the 59 CRDs of the shared corpus, 6.4 MB,
 * took 7.5 s); walking costs only for the parts the data uses. Supports the OpenAPI v3 subset
 * Kubernetes uses: `$ref` into `definitions`, `type`, `properties`, `required`,
 * `additionalProperties`, `patternProperties`, `items`, `enum`, `const`, `allOf`/`anyOf`/`oneOf`/
 * `not`, number, string, array and object bounds, `pattern`, `uniqueItems` and the formats of
 * {@link KUBERNETES_FORMATS}. Also serves plain JSON Schemas of that subset (configuration files).
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
  options: { readonly rules?: RuleEvaluator } = {},
): SchemaError[] {
  const errors: SchemaError[] = [];
  walk(
    schema,
    data,
    [],
    { defs: definitions, ...(options.rules ? { rules: options.rules } : {}) },
    errors,
    0,
  );
  return errors;
}

const MAX_DEPTH = 200;

/**
 * Evaluates one `x-kubernetes-validations` rule with `self` bound to the value it is declared on:
 * `true` or `false`, or a reason it cannot be evaluated here.
 */
export type RuleEvaluator = (rule: string, self: unknown) => boolean | { readonly notEvaluated: string };

interface WalkContext {
  readonly defs: Readonly<Record<string, unknown>>;
  readonly rules?: RuleEvaluator;
}

function walk(
  schema: JsonSchema,
  data: unknown,
  path: (string | number)[],
  ctx: WalkContext,
  errors: SchemaError[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = resolveRef(ctx.defs, ref);
    if (target) walk(target, data, path, ctx, errors, depth + 1);
  }
  const type = schema['type'];
  if (type !== undefined && !matchesType(type, data)) {
    errors.push(error('type', path, { type }, schema, `must be ${([type].flat() as string[]).join(',')}`));
    return;
  }
  if (schema['enum'] !== undefined && !(schema['enum'] as unknown[]).some((v) => equal(v, data))) {
    errors.push(
      error(
        'enum',
        path,
        { allowedValues: schema['enum'] },
        schema,
        'must be equal to one of the allowed values',
      ),
    );
  }
  if ('const' in schema && !equal(schema['const'], data))
    errors.push(
      error(
        'const',
        path,
        { allowedValue: schema['const'] },
        schema,
        `must be equal to ${JSON.stringify(schema['const'])}`,
      ),
    );
  composites(schema, data, path, ctx, errors, depth);
  if (ctx.rules && Array.isArray(schema['x-kubernetes-validations']))
    rules(schema, data, path, ctx.rules, errors);
  if (typeof data === 'string') strings(schema, data, path, errors);
  else if (typeof data === 'number') numbers(schema, data, path, errors);
  else if (Array.isArray(data)) arrays(schema, data, path, ctx, errors, depth);
  else if (data !== null && typeof data === 'object')
    objects(schema, data as Record<string, unknown>, path, ctx, errors, depth);
}

function composites(
  schema: JsonSchema,
  data: unknown,
  path: (string | number)[],
  ctx: WalkContext,
  errors: SchemaError[],
  depth: number,
): void {
  const allOf = schema['allOf'] as JsonSchema[] | undefined;
  if (allOf) for (const sub of allOf) walk(sub, data, path, ctx, errors, depth + 1);
  if (schema['anyOf'] === undefined && schema['oneOf'] === undefined && schema['not'] === undefined) return;
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword] as JsonSchema[] | undefined;
    if (!branches) continue;
    const results = branches.map((b) => {
      const e: SchemaError[] = [];
      walk(b, data, path, ctx, e, depth + 1);
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
  const not = schema['not'] as JsonSchema | undefined;
  if (not) {
    const e: SchemaError[] = [];
    walk(not, data, path, ctx, e, depth + 1);
    if (e.length === 0) errors.push(error('not', path, {}, schema, 'must NOT be valid'));
  }
}

function rules(
  schema: JsonSchema,
  data: unknown,
  path: (string | number)[],
  evaluate: RuleEvaluator,
  errors: SchemaError[],
): void {
  for (const entry of schema['x-kubernetes-validations'] as unknown[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const { rule, message } = entry as { rule?: unknown; message?: unknown };
    if (typeof rule !== 'string') continue;
    const result = evaluate(rule, data);
    if (result === true) continue;
    if (result === false) {
      const why = typeof message === 'string' && message !== '' ? message : `failed rule: ${rule}`;
      errors.push(error('x-kubernetes-validations', path, { rule }, schema, why));
    } else {
      errors.push(
        error('x-kubernetes-validations-skipped', path, { rule, reason: result.notEvaluated }, schema),
      );
    }
  }
}

function strings(schema: JsonSchema, data: string, path: (string | number)[], errors: SchemaError[]): void {
  if (schema['minLength'] !== undefined || schema['maxLength'] !== undefined) {
    counts(schema, [...data].length, 'minLength', 'maxLength', 'characters', path, errors);
  }
  if (typeof schema['pattern'] === 'string') {
    const re = regex(schema['pattern']);
    if (re && !re.test(data))
      errors.push(
        error(
          'pattern',
          path,
          { pattern: schema['pattern'] },
          schema,
          `must match pattern "${schema['pattern']}"`,
        ),
      );
  }
  checkFormat(schema, data, path, errors);
}

function numbers(schema: JsonSchema, data: number, path: (string | number)[], errors: SchemaError[]): void {
  const min = schema['minimum'];
  const max = schema['maximum'];
  const exMin = schema['exclusiveMinimum'];
  const exMax = schema['exclusiveMaximum'];
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
  const step = schema['multipleOf'];
  if (typeof step === 'number' && step > 0 && Math.abs(data / step - Math.round(data / step)) > 1e-9)
    errors.push(error('multipleOf', path, { multipleOf: step }, schema, `must be a multiple of ${step}`));
  checkFormat(schema, data, path, errors);
}

function arrays(
  schema: JsonSchema,
  data: unknown[],
  path: (string | number)[],
  ctx: WalkContext,
  errors: SchemaError[],
  depth: number,
): void {
  counts(schema, data.length, 'minItems', 'maxItems', 'items', path, errors);
  const items = schema['items'];
  if (items && typeof items === 'object' && !Array.isArray(items)) {
    for (let i = 0; i < data.length; i++) {
      path.push(i);
      walk(items as JsonSchema, data[i], path, ctx, errors, depth + 1);
      path.pop();
    }
  }
  if (schema['uniqueItems'] === true) {
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
}

function objects(
  schema: JsonSchema,
  data: Record<string, unknown>,
  path: (string | number)[],
  ctx: WalkContext,
  errors: SchemaError[],
  depth: number,
): void {
  const properties = schema['properties'] as Record<string, JsonSchema> | undefined;
  // The API server treats a null field as unset: a required one is missing, an optional one is
  // not checked further (so no copy of the data without nulls is needed).
  for (const name of (schema['required'] as string[] | undefined) ?? []) {
    if (!Object.hasOwn(data, name) || data[name] === null)
      errors.push(
        error('required', path, { missingProperty: name }, schema, `must have required property '${name}'`),
      );
  }
  const keys = Object.keys(data);
  counts(schema, keys.length, 'minProperties', 'maxProperties', 'properties', path, errors);
  const patternProperties = schema['patternProperties'] as Record<string, JsonSchema> | undefined;
  const patterns = patternProperties ? Object.entries(patternProperties) : NO_PATTERNS;
  const additional = schema['additionalProperties'];
  for (const key of keys) {
    const value = data[key];
    const known = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (value === null) {
      if (known === undefined && additional === false && !patterns.some(([p]) => regex(p)?.test(key))) {
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
    if (known) walk(known, value, path, ctx, errors, depth + 1);
    let matched = known !== undefined;
    for (const [pattern, sub] of patterns) {
      if (regex(pattern)?.test(key)) {
        matched = true;
        walk(sub, value, path, ctx, errors, depth + 1);
      }
    }
    if (!matched && additional && typeof additional === 'object')
      walk(additional as JsonSchema, value, path, ctx, errors, depth + 1);
    path.pop();
    if (!matched && additional === false) {
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

function checkFormat(
  schema: JsonSchema,
  data: string | number,
  path: (string | number)[],
  errors: SchemaError[],
): void {
  const name = schema['format'];
  if (typeof name !== 'string') return;
  const format = KUBERNETES_FORMATS[name];
  if (format && format.type === typeof data && !format.validate(data as never))
    errors.push(error('format', path, { format: name }, schema, `must match format "${name}"`));
}

function matchesType(type: unknown, data: unknown): boolean {
  if (Array.isArray(type)) return type.some((t) => matchesType(t, data));
  switch (type) {
    case 'object':
      return data !== null && typeof data === 'object' && !Array.isArray(data);
    case 'array':
      return Array.isArray(data);
    case 'integer':
      return typeof data === 'number' && Number.isInteger(data);
    case 'number':
      return typeof data === 'number';
    case 'null':
      return data === null;
    default:
      return typeof data === type;
  }
}

function equal(a: unknown, b: unknown): boolean {
  return (
    a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b))
  );
}

const NO_PATTERNS: [string, JsonSchema][] = [];

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

const regexes = new Map<string, RegExp | undefined>();

/** Kubernetes patterns are RE2; the common subset compiles in JavaScript. One that does not is not checked. */
function regex(pattern: string): RegExp | undefined {
  if (!regexes.has(pattern)) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = undefined;
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
