// What the apiextensions server asks of the `x-kubernetes-validations` entries of a CRD's schema
// before it accepts the CRD (apiextensions/validation/validation.go, ValidateCustomResourceDefinition-
// OpenAPISchema): a rule, a one-line message, a known reason, a `fieldPath` that names a field of
// the schema, `optionalOldSelf` only with `oldSelf`, no `oldSelf` where items cannot be correlated,
// and rules and message expressions that compile (given a compiler).

import { formatPointer } from '@shipshape/core';
import { asSchema, type CrdProblem, type Path, problem, type Schema } from './crd-problem.js';

/**
 * Why a CEL expression of a CRD does not compile, or `undefined` when it does (or cannot be judged
 * here): `expected` is what it must give, `bool` for a rule and `string` for a message expression.
 */
export type CelCompiler = (
  source: string,
  expected: 'bool' | 'string',
  schema?: Readonly<Record<string, unknown>>,
  /** The rule's `optionalOldSelf`: `oldSelf` is typed as an optional. */
  options?: { readonly optionalOldSelf?: boolean },
) => string | undefined;

const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const MAX_MESSAGE = 2048;

/**
 * Problems of the validation rules in one version's `openAPIV3Schema` (at `base` in the CRD), in
 * document order. Rules are compiled only where the entries themselves are sound, as the server
 * skips compiling when the schema already has errors.
 */
export function validationRuleProblems(schema: Schema, base: Path, compile?: CelCompiler): CrdProblem[] {
  const out: CrdProblem[] = [];
  walk(schema, [...base], undefined, compile, out);
  return out;
}

/** A node of the structural part; `uncorrelatable` is where items stopped being correlatable. */
function walk(
  s: Schema,
  path: Path,
  uncorrelatable: string | undefined,
  compile: CelCompiler | undefined,
  out: CrdProblem[],
): void {
  const rules = s['x-kubernetes-validations'];
  if (Array.isArray(rules)) checkRules(s, rules, path, uncorrelatable, compile, out);
  const properties = asSchema(s['properties']);
  if (properties) {
    for (const [name, child] of Object.entries(properties)) {
      const c = asSchema(child);
      if (!c) continue;
      path.push('properties', name);
      walk(c, path, uncorrelatable, compile, out);
      path.length -= 2;
    }
  }
  const items = asSchema(s['items']);
  if (items) {
    path.push('items');
    // Only the items of a map list can be matched with their old selves; in an atomic or set list
    // (or one of unknown type) there is no old item to compare with.
    const within =
      uncorrelatable ?? (s['x-kubernetes-list-type'] === 'map' ? undefined : formatPointer(path));
    walk(items, path, within, compile, out);
    path.pop();
  }
  const additional = asSchema(s['additionalProperties']);
  if (additional) {
    path.push('additionalProperties');
    const mapType = s['x-kubernetes-map-type'];
    const correlatable = mapType === undefined || mapType === 'granular' || mapType === 'atomic';
    walk(additional, path, uncorrelatable ?? (correlatable ? undefined : formatPointer(path)), compile, out);
    path.pop();
  }
}

function checkRules(
  s: Schema,
  rules: readonly unknown[],
  path: Path,
  uncorrelatable: string | undefined,
  compile: CelCompiler | undefined,
  out: CrdProblem[],
): void {
  const before = out.length;
  rules.forEach((entry, i) => {
    const at = [...path, 'x-kubernetes-validations', i];
    const r = asSchema(entry);
    if (!r) return;
    const rule = typeof r['rule'] === 'string' ? r['rule'] : '';
    const message = typeof r['message'] === 'string' ? r['message'] : '';
    const trimmedRule = rule.trim();
    const trimmedMessage = message.trim();
    // An absent rule is the CRD schema's own `schema/missing-field`.
    if (trimmedRule === '') {
      if (typeof r['rule'] === 'string')
        problem(out, [...at, 'rule'], '`rule` is not specified: it is empty');
    } else if (message !== '' && trimmedMessage === '') {
      problem(out, [...at, 'message'], '`message` must be non-empty if specified');
    } else if (message.length > MAX_MESSAGE) {
      problem(out, [...at, 'message'], `\`message\` must have a maximum length of ${MAX_MESSAGE} characters`);
    } else if (/[\n\r]/.test(trimmedMessage)) {
      problem(out, [...at, 'message'], '`message` must not contain line breaks');
    } else if (/[\n\r]/.test(trimmedRule) && trimmedMessage === '') {
      problem(out, at, '`message` must be specified if the rule contains line breaks', true);
    }
    const messageExpression = r['messageExpression'];
    if (
      typeof messageExpression === 'string' &&
      messageExpression !== '' &&
      messageExpression.trim() === ''
    ) {
      problem(out, [...at, 'messageExpression'], '`messageExpression` must be non-empty if specified');
    }
    const reason = r['reason'];
    if (typeof reason === 'string' && !REASONS.includes(reason)) {
      problem(out, [...at, 'reason'], `unsupported reason \`${reason}\`: use one of ${REASONS.join(', ')}`);
    }
    const fieldPath = r['fieldPath'];
    if (typeof fieldPath === 'string' && fieldPath !== '') {
      if (fieldPath.trim() === '') {
        problem(out, [...at, 'fieldPath'], '`fieldPath` must be non-empty if specified');
      } else if (/[\n\r]/.test(fieldPath)) {
        problem(out, [...at, 'fieldPath'], '`fieldPath` must not contain line breaks');
      } else {
        const why = fieldPathProblem(fieldPath, s);
        if (why !== undefined)
          problem(out, [...at, 'fieldPath'], `\`fieldPath\` must be a valid path: ${why}`);
      }
    }
    const usesOldSelf = /\boldSelf\b/.test(rule);
    if (!usesOldSelf && r['optionalOldSelf'] !== undefined) {
      problem(
        out,
        [...at, 'optionalOldSelf'],
        '`optionalOldSelf` may not be set if the rule does not use oldSelf',
      );
    }
    if (usesOldSelf && uncorrelatable !== undefined) {
      problem(
        out,
        [...at, 'rule'],
        `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable} (items of a list that is not x-kubernetes-list-type: map have no old value)`,
      );
    }
  });
  // The server compiles only what the entries above found sound.
  if (compile === undefined || out.length > before) return;
  // `self` is typed by the node the rules are on; at the root it is the resource, with its
  // apiVersion, kind and metadata whatever the schema lists.
  const typed = path.at(-1) === 'openAPIV3Schema' ? { ...s, 'x-kubernetes-embedded-resource': true } : s;
  rules.forEach((entry, i) => {
    const r = asSchema(entry);
    if (!r) return;
    const at = [...path, 'x-kubernetes-validations', i];
    const options = { optionalOldSelf: r['optionalOldSelf'] === true };
    if (typeof r['rule'] === 'string') {
      const why = compile(r['rule'], 'bool', typed, options);
      if (why !== undefined) problem(out, [...at, 'rule'], `the rule does not compile: ${why}`);
    }
    const messageExpression = r['messageExpression'];
    if (typeof messageExpression === 'string' && messageExpression.trim() !== '') {
      const why = compile(messageExpression, 'string', typed, options);
      if (why !== undefined)
        problem(out, [...at, 'messageExpression'], `the messageExpression does not compile: ${why}`);
    }
  });
}

/**
 * Why `fieldPath` names no field of `schema`, as the server reads it (ValidFieldPath): steps of
 * `.name` or `['name']`, each a property, or a key of `additionalProperties` where the schema has no
 * properties; no list indexes.
 */
function fieldPathProblem(fieldPath: string, schema: Schema): string | undefined {
  let at: Schema | undefined = schema;
  const step = /\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]/y;
  for (let i = 0; i < fieldPath.length; ) {
    step.lastIndex = i;
    const m = step.exec(fieldPath);
    if (!m) {
      const rest = fieldPath.slice(i);
      return rest.startsWith('[')
        ? `expected a single-quoted string in [ ] at \`${rest}\``
        : `expected [ or . at \`${rest}\``;
    }
    const name = m[1] ?? (m[2] ?? '').replace(/\\(.)/g, '$1');
    const properties = asSchema(at?.['properties']);
    if (properties) {
      if (!Object.hasOwn(properties, name)) return `\`${name}\` does not refer to a valid field`;
      at = asSchema(properties[name]);
    } else {
      const additional = asSchema(at?.['additionalProperties']);
      if (!additional) return `\`${name}\` does not refer to a valid field`;
      at = additional;
    }
    i = step.lastIndex;
  }
  return undefined;
}
