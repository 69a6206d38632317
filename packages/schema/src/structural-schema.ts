// What the apiextensions API server asks of a CRD version's `openAPIV3Schema` before it accepts
// the CRD: the keywords it does not support and the list and map extensions
// (apiextensions/validation/validation.go, `ValidateCustomResourceDefinitionOpenAPISchema`), and
// the structural-schema rules (apiserver/schema/validation.go, `ValidateStructural`). One walk
// over the schema, no allocation beyond the path, so it stays cheap on the large CRDs of
// kube-prometheus.

import { RE2JS } from 're2js';
import { checkListAndMap } from './crd-list-types.js';
import { asSchema, type CrdProblem, type Path, problem, type Schema } from './crd-problem.js';

type Level = 'root' | 'item' | 'field';

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
// JSON Schema keywords the server's OpenAPI v3 validator refuses wherever they appear.
const UNSUPPORTED = ['$ref', 'definitions', 'dependencies', 'id', 'patternProperties', 'additionalItems'];
// Keys a nested schema (inside allOf, anyOf, oneOf, not) must not hold: they would change the
// shape of the data, which only the structural part of the schema may declare.
const NOT_IN_NESTED = [
  'type',
  'additionalProperties',
  'default',
  'title',
  'description',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
];
const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * Problems of one version's `openAPIV3Schema`, found at `base` (the pointer of the schema in the
 * CRD), in document order.
 */
export function structuralSchemaProblems(schema: Schema, base: Path): CrdProblem[] {
  const out: CrdProblem[] = [];
  checkStructural(schema, [...base], 'root', out);
  checkCompleteness(schema, schema, [...base], out);
  return out;
}

/**
 * Completeness (apiserver/schema/complete.go): every property and `items` the root's allOf,
 * anyOf, oneOf or not name, at any depth of them, is declared in the structural part too, at the
 * same place. The server checks the junctors of the root only (ValidateStructural walks
 * completeness from the root's value validations), and so does this.
 */
function checkCompleteness(v: Schema, s: Schema | undefined, vPath: Path, out: CrdProblem[]): void {
  eachJunctorBranch(v, vPath, NO_SKIP, (branch) => checkNestedCompleteness(branch, s, vPath, out));
}

const NO_SKIP = { anyOf: false };

/**
 * Call `visit` on each schema of `s`'s allOf, anyOf and oneOf entries (not anyOf with
 * `skip.anyOf`), then its `not`, with `path` pointing at it meanwhile; the second argument tells
 * whether it is the first allOf entry.
 */
function eachJunctorBranch(
  s: Schema,
  path: Path,
  skip: { readonly anyOf: boolean },
  visit: (branch: Schema, firstAllOf: boolean) => void,
): void {
  for (const junctor of JUNCTORS) {
    const list = s[junctor];
    if (!Array.isArray(list) || (junctor === 'anyOf' && skip.anyOf)) continue;
    list.forEach((entry, i) => {
      const e = asSchema(entry);
      if (!e) return;
      path.push(junctor, i);
      visit(e, junctor === 'allOf' && i === 0);
      path.length -= 2;
    });
  }
  const not = asSchema(s['not']);
  if (not) {
    path.push('not');
    visit(not, false);
    path.pop();
  }
}

function checkNestedCompleteness(v: Schema, s: Schema | undefined, vPath: Path, out: CrdProblem[]): void {
  checkCompleteness(v, s, vPath, out);
  const items = asSchema(v['items']);
  if (items) {
    vPath.push('items');
    const sItems = asSchema(s?.['items']);
    if (sItems) checkNestedCompleteness(items, sItems, vPath, out);
    else
      problem(
        out,
        vPath,
        '`items` inside allOf, anyOf, oneOf or not must also be declared in the structural schema (outside them), at the same place',
        true,
      );
    vPath.pop();
  }
  const properties = asSchema(v['properties']);
  const declared = asSchema(s?.['properties']);
  for (const [name, child] of Object.entries(properties ?? {})) {
    const c = asSchema(child);
    if (!c) continue;
    vPath.push('properties', name);
    const sChild =
      declared !== undefined && Object.hasOwn(declared, name) ? asSchema(declared[name]) : undefined;
    if (sChild) checkNestedCompleteness(c, sChild, vPath, out);
    else
      problem(
        out,
        vPath,
        `property \`${name}\` inside allOf, anyOf, oneOf or not must also be declared in the structural schema's properties (outside them), at the same place`,
        true,
      );
    vPath.length -= 2;
  }
}

/**
 * A node of the structural part: the root, a property, the items, additionalProperties. `path`
 * is one stack for the whole walk (pushed and popped), copied only when a problem is found.
 */
function checkStructural(s: Schema, path: Path, level: Level, out: CrdProblem[]): void {
  checkKeywords(s, path, out);
  checkShape(s, path, level, out);
  checkListAndMap(s, path, out);
  const properties = asSchema(s['properties']);
  if (properties) {
    if (level === 'root' || s['x-kubernetes-embedded-resource'] === true)
      checkResourceMeta(properties, path, level, out);
    for (const [name, child] of Object.entries(properties)) {
      const c = asSchema(child);
      if (!c) continue;
      path.push('properties', name);
      checkStructural(c, path, 'field', out);
      path.length -= 2;
    }
  }
  const items = asSchema(s['items']);
  if (items) {
    path.push('items');
    checkStructural(items, path, 'item', out);
    path.pop();
  }
  const additional = asSchema(s['additionalProperties']);
  if (additional) {
    path.push('additionalProperties');
    checkStructural(additional, path, 'field', out);
    path.pop();
  }
  const allOf = s['allOf'];
  const firstAllOfAnyOf = Array.isArray(allOf) && isIntOrStringPattern(asSchema(allOf[0])?.['anyOf']);
  checkJunctors(s, path, { anyOf: isIntOrStringPattern(s['anyOf']), firstAllOfAnyOf }, out);
}

/** Keywords refused anywhere, structural or nested. */
function checkKeywords(s: Schema, path: Path, out: CrdProblem[]): void {
  for (const key of UNSUPPORTED) {
    if (s[key] !== undefined)
      problem(out, [...path, key], `\`${key}\` is not supported in a CRD schema`, true);
  }
  if (s['uniqueItems'] === true) {
    problem(
      out,
      [...path, 'uniqueItems'],
      '`uniqueItems: true` is not supported (its cost is quadratic); use `x-kubernetes-list-type: set`',
    );
  }
  const type = s['type'];
  if (type === 'null') {
    problem(out, [...path, 'type'], '`type: null` is not supported; use `nullable: true`');
  } else if (typeof type === 'string' && type !== '' && !TYPES.has(type)) {
    problem(out, [...path, 'type'], `\`type\` must be one of ${[...TYPES].join(', ')}, not \`${type}\``);
  }
  if (Array.isArray(s['items'])) {
    problem(out, [...path, 'items'], '`items` must be one schema, not a list of schemas');
  }
  const additional = s['additionalProperties'];
  const properties = asSchema(s['properties']);
  if (properties && Object.keys(properties).length > 0 && (additional === false || asSchema(additional))) {
    problem(
      out,
      [...path, 'additionalProperties'],
      '`properties` and `additionalProperties` must not both be set: properties are for structs, additionalProperties for maps',
      true,
    );
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    problem(out, [...path, 'x-kubernetes-preserve-unknown-fields'], 'must be true or left out');
  }
  const pattern = s['pattern'];
  const why = typeof pattern === 'string' ? re2Problem(pattern) : undefined;
  if (why !== undefined) {
    problem(
      out,
      [...path, 'pattern'],
      `\`pattern\` must be a valid RE2 regular expression (Go's regexp): ${why}`,
    );
  }
}

/** `type` set where the structure needs it, and right at the root. */
function checkShape(s: Schema, path: Path, level: Level, out: CrdProblem[]): void {
  const type = typeof s['type'] === 'string' ? s['type'] : '';
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (embedded && type !== 'object') {
    problem(
      out,
      type ? [...path, 'type'] : path,
      '`type` must be object when x-kubernetes-embedded-resource is true',
    );
  } else if (type === '' && !intOrString && !preserve) {
    const where = { root: 'at the root', item: 'for array items', field: 'for object fields' }[level];
    problem(
      out,
      path,
      `\`type\` must not be empty ${where} (only x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields allow it): the API server requires a structural schema`,
    );
  }
  if (level === 'root' && type !== '' && type !== 'object') {
    problem(out, [...path, 'type'], `\`type\` must be object at the root, not \`${type}\``);
  }
  if (type === 'array' && s['items'] === undefined) {
    problem(out, path, '`items` must be set when `type` is array');
  }
  if (s['additionalProperties'] !== undefined && (level === 'root' || embedded)) {
    const why = level === 'root' ? 'at the root' : 'when x-kubernetes-embedded-resource is true';
    problem(out, [...path, 'additionalProperties'], `\`additionalProperties\` must not be used ${why}`, true);
  }
  if (intOrString && preserve) {
    problem(
      out,
      [...path, 'x-kubernetes-preserve-unknown-fields'],
      'must be false when x-kubernetes-int-or-string is true',
    );
  }
}

/** The object's own `apiVersion`, `kind` and `metadata`, at the root and in embedded resources. */
function checkResourceMeta(properties: Schema, path: Path, level: Level, out: CrdProblem[]): void {
  for (const key of ['apiVersion', 'kind']) {
    const p = asSchema(properties[key]);
    if (p && p['type'] !== 'string') {
      problem(
        out,
        [...path, 'properties', key, ...(p['type'] === undefined ? [] : ['type'])],
        '`type` must be string',
      );
    }
  }
  const metadata = asSchema(properties['metadata']);
  if (!metadata) return;
  const at = [...path, 'properties', 'metadata'];
  if (metadata['type'] !== 'object') {
    problem(out, metadata['type'] === undefined ? at : [...at, 'type'], '`type` must be object');
  }
  if (level !== 'root') return;
  // The server owns ObjectMeta: a CRD may only narrow name and generateName.
  for (const key of Object.keys(metadata)) {
    if (key === 'type' || key === 'description' || key === 'title' || key === 'default') continue;
    if (key === 'properties') {
      for (const name of Object.keys(asSchema(metadata['properties']) ?? {})) {
        if (name === 'name' || name === 'generateName') continue;
        problem(
          out,
          [...at, 'properties', name],
          `the schema of metadata may only restrict name and generateName, not \`${name}\`: the API server owns the rest`,
          true,
        );
      }
      continue;
    }
    problem(
      out,
      [...at, key],
      `the schema of metadata may only restrict name and generateName, not set \`${key}\``,
      true,
    );
  }
}

/** `anyOf: [{type: integer}, {type: string}]`, the one nested `type` an int-or-string may use. */
function isIntOrStringPattern(value: unknown): boolean {
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [a, b] = value.map(asSchema);
  const only = (x: Schema | undefined, t: string) =>
    x !== undefined && x['type'] === t && Object.keys(x).length === 1;
  return only(a, 'integer') && only(b, 'string');
}

/**
 * Recurse into allOf, anyOf, oneOf and not, except an int-or-string pattern: directly in anyOf
 * (`skipAnyOf`), or in the anyOf of the first allOf entry (`skipFirstAllOfAnyOf`).
 */
function checkJunctors(
  s: Schema,
  path: Path,
  skip: { readonly anyOf: boolean; readonly firstAllOfAnyOf: boolean },
  out: CrdProblem[],
): void {
  eachJunctorBranch(s, path, skip, (branch, firstAllOf) =>
    checkNested(branch, path, firstAllOf && skip.firstAllOfAnyOf, out),
  );
}

/** A schema inside allOf, anyOf, oneOf or not: it may only add value checks. */
function checkNested(s: Schema, path: Path, skipAnyOf: boolean, out: CrdProblem[]): void {
  checkKeywords(s, path, out);
  for (const key of NOT_IN_NESTED) {
    if (s[key] === undefined || (key === 'nullable' && s[key] === false)) continue;
    problem(
      out,
      [...path, key],
      `\`${key}\` must not be set inside allOf, anyOf, oneOf or not: the API server requires a structural schema, which declares it outside them`,
      true,
    );
  }
  const properties = asSchema(s['properties']);
  if (properties?.['metadata'] !== undefined) {
    problem(
      out,
      [...path, 'properties', 'metadata'],
      'metadata must not be specified inside allOf, anyOf, oneOf or not',
      true,
    );
  }
  for (const [name, child] of Object.entries(properties ?? {})) {
    const c = asSchema(child);
    if (!c) continue;
    path.push('properties', name);
    checkNested(c, path, false, out);
    path.length -= 2;
  }
  const items = asSchema(s['items']);
  if (items) {
    path.push('items');
    checkNested(items, path, false, out);
    path.pop();
  }
  checkJunctors(s, path, { anyOf: skipAnyOf, firstAllOfAnyOf: false }, out);
}

/**
 * Why Go's `regexp.Compile` refuses `pattern` (the apiextensions server compiles every CRD
 * pattern with it), in Go's own words; `undefined` when it compiles. re2js is a port of that RE2
 * parser, the one the policy package's CEL `matches` uses.
 */
function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
