import type { Rule } from './rule.js';

/** A problem with one option given to a rule. */
export interface OptionProblem {
  /** The option's name. */
  readonly name: string;
  /** What is wrong: `the value must be >= 1`, or that the rule has no such option. */
  readonly message: string;
}

/**
 * What is wrong with `options` for `rule`: names it does not declare, and values its option
 * schemas refuse. The engine refuses such options; `shipshape check` reports them against the
 * config file, and the `RuleTester` against the case.
 *
 * @example
 * ```ts
 * ruleOptionProblems(replicasRule, { minimum: 0 }); // [{ name: 'minimum', message: 'the value must be >= 1' }]
 * ```
 */
export function ruleOptionProblems(rule: Rule, options: Readonly<Record<string, unknown>>): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const [name, value] of Object.entries(options)) {
    const option =
      rule.options !== undefined && Object.hasOwn(rule.options, name) ? rule.options[name] : undefined;
    if (option === undefined) {
      const known = Object.keys(rule.options ?? {});
      problems.push({
        name,
        message: `${rule.id} has no option ${name}${known.length > 0 ? ` (options: ${known.join(', ')})` : ' (it takes none)'}`,
      });
      continue;
    }
    // A config file cannot say `undefined`; from code it would override the default with nothing.
    if (value === undefined) {
      problems.push({ name, message: 'the value is undefined (leave the option out for its default)' });
      continue;
    }
    const errors: string[] = [];
    checkValue(option.schema, value, '', errors, 0);
    if (errors.length > 0) problems.push({ name, message: errors.join('; ') });
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/*
 * Option values against their JSON Schema: the keywords option schemas use (type, enum, const,
 * allOf/anyOf/oneOf/not, string, number, array and object bounds, pattern, uniqueItems,
 * properties, patternProperties, additionalProperties), with ajv's messages. Not checked: `$ref`
 * (option schemas come without definitions), `format`, and patterns JavaScript cannot compile.
 */
function checkValue(schema: unknown, value: unknown, at: string, out: string[], depth: number): void {
  if (!isObject(schema) || depth > 64) return;
  const fail = (message: string) => out.push(`${at || 'the value'} ${message}`);
  const type = schema['type'];
  if (type !== undefined && !hasType(type, value)) {
    fail(`must be ${([type].flat() as unknown[]).map(String).join(',')}`);
    return;
  }
  const allowed = schema['enum'];
  if (allowed !== undefined && !(Array.isArray(allowed) && allowed.some((v) => same(v, value)))) {
    const list = Array.isArray(allowed) ? ` (${allowed.map((v) => JSON.stringify(v)).join(', ')})` : '';
    fail(`must be equal to one of the allowed values${list}`);
  }
  if ('const' in schema && !same(schema['const'], value))
    fail(`must be equal to ${JSON.stringify(schema['const'])}`);
  checkComposites(schema, value, at, out, depth, fail);
  if (typeof value === 'string') checkString(schema, value, fail);
  else if (typeof value === 'number') checkNumber(schema, value, fail);
  else if (Array.isArray(value)) checkArray(schema, value, at, out, depth, fail);
  else if (isObject(value)) checkObject(schema, value, at, out, depth, fail);
}

function hasType(type: unknown, value: unknown): boolean {
  if (Array.isArray(type)) return type.some((t) => hasType(t, value));
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function same(a: unknown, b: unknown): boolean {
  return (
    a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b))
  );
}

function checkComposites(
  schema: Record<string, unknown>,
  value: unknown,
  at: string,
  out: string[],
  depth: number,
  fail: (message: string) => void,
): void {
  const allOf = schema['allOf'];
  if (Array.isArray(allOf)) for (const sub of allOf) checkValue(sub, value, at, out, depth + 1);
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const results = branches.map((sub) => {
      const errors: string[] = [];
      checkValue(sub, value, at, errors, depth + 1);
      return errors;
    });
    const passing = results.filter((r) => r.length === 0).length;
    if (passing === 0) {
      // The branch that came closest says the most.
      fail(`must match a schema in ${keyword}`);
      out.push(...results.reduce((a, b) => (b.length < a.length ? b : a), results[0] ?? []));
    } else if (keyword === 'oneOf' && passing > 1) fail('must match exactly one schema in oneOf');
  }
  if (isObject(schema['not'])) {
    const errors: string[] = [];
    checkValue(schema['not'], value, at, errors, depth + 1);
    if (errors.length === 0) fail('must NOT be valid');
  }
}

function checkString(schema: Record<string, unknown>, value: string, fail: (message: string) => void): void {
  checkCount(schema, [...value].length, 'minLength', 'maxLength', 'characters', fail);
  const pattern = schema['pattern'];
  if (typeof pattern !== 'string') return;
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return; // As in the CLI: a pattern JavaScript cannot compile (RE2 syntax) is not checked.
  }
  if (!re.test(value)) fail(`must match pattern "${pattern}"`);
}

function checkNumber(schema: Record<string, unknown>, value: number, fail: (message: string) => void): void {
  const {
    minimum: min,
    maximum: max,
    exclusiveMinimum: exMin,
    exclusiveMaximum: exMax,
    multipleOf: step,
  } = schema;
  // Draft 4 (OpenAPI v3) writes exclusive bounds as booleans beside minimum/maximum.
  if (typeof min === 'number' && (exMin === true ? value <= min : value < min))
    fail(`must be ${exMin === true ? '>' : '>='} ${min}`);
  if (typeof max === 'number' && (exMax === true ? value >= max : value > max))
    fail(`must be ${exMax === true ? '<' : '<='} ${max}`);
  if (typeof exMin === 'number' && value <= exMin) fail(`must be > ${exMin}`);
  if (typeof exMax === 'number' && value >= exMax) fail(`must be < ${exMax}`);
  if (typeof step === 'number' && step > 0 && Math.abs(value / step - Math.round(value / step)) > 1e-9) {
    fail(`must be a multiple of ${step}`);
  }
}

function checkArray(
  schema: Record<string, unknown>,
  value: readonly unknown[],
  at: string,
  out: string[],
  depth: number,
  fail: (message: string) => void,
): void {
  checkCount(schema, value.length, 'minItems', 'maxItems', 'items', fail);
  const items = schema['items'];
  if (isObject(items))
    for (const [i, item] of value.entries()) checkValue(items, item, `${at}/${i}`, out, depth + 1);
  if (schema['uniqueItems'] !== true) return;
  const seen = new Map<string, number>();
  value.forEach((item, i) => {
    const key = JSON.stringify(item);
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, i);
    else fail(`must NOT have duplicate items (items ## ${earlier} and ${i} are identical)`);
  });
}

function checkObject(
  schema: Record<string, unknown>,
  value: Record<string, unknown>,
  at: string,
  out: string[],
  depth: number,
  fail: (message: string) => void,
): void {
  const required = Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : [];
  for (const name of required) {
    if (typeof name === 'string' && (!Object.hasOwn(value, name) || value[name] === null)) {
      fail(`must have required property '${name}'`);
    }
  }
  checkCount(schema, Object.keys(value).length, 'minProperties', 'maxProperties', 'properties', fail);
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const patterns = Object.entries(
    isObject(schema['patternProperties']) ? schema['patternProperties'] : {},
  ).map(([pattern, sub]) => ({ re: compile(pattern), sub }));
  const additional = schema['additionalProperties'];
  for (const [key, item] of Object.entries(value)) {
    const known = Object.hasOwn(properties, key);
    const matching = patterns.filter((p) => p.re?.test(key) === true);
    // As the API server and the CLI: a null field is unset, so only its name is checked.
    if (item !== null) {
      const where = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (known) checkValue(properties[key], item, where, out, depth + 1);
      for (const p of matching) checkValue(p.sub, item, where, out, depth + 1);
      if (!known && matching.length === 0) checkValue(additional, item, where, out, depth + 1);
    }
    if (!known && matching.length === 0 && additional === false) fail('must NOT have additional properties');
  }
}

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/** `min…`/`max…` bounds on a count (characters, items, properties), worded as the CLI does. */
function checkCount(
  schema: Record<string, unknown>,
  count: number,
  minKey: string,
  maxKey: string,
  noun: string,
  fail: (message: string) => void,
): void {
  const min = schema[minKey];
  const max = schema[maxKey];
  if (typeof min === 'number' && count < min) fail(`must NOT have fewer than ${min} ${noun}`);
  if (typeof max === 'number' && count > max) fail(`must NOT have more than ${max} ${noun}`);
}
