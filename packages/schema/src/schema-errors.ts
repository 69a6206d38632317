import { closest, formatPointer, parsePointer, valueAtPointer } from '@shipshape/core';
import type { SchemaError } from './interpret.js';

/** One schema problem, before it is placed in the source. */
export interface SchemaProblem {
  readonly code: string;
  readonly message: string;
  /** JSON Pointer of the field the problem is about. */
  readonly pointer: string;
  /** Whether the span should cover the field's key (unknown and missing fields) rather than its value. */
  readonly atKey: boolean;
}

/**
 * Turn walker errors (ajv's error shape) into problems a person understands, one per field: unknown fields with a
 * "did you mean", missing fields at their parent, wrong types naming the expected type. Errors of
 * `oneOf`/`anyOf` branches are dropped when a more precise error explains the same field.
 */
export function describeErrors(errors: readonly SchemaError[], data: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  const precise = new Set(errors.filter((e) => !COMPOSITE.has(e.keyword)).map((e) => e.instancePath));
  for (const e of errors) {
    if (COMPOSITE.has(e.keyword) && [...precise].some((p) => p.startsWith(e.instancePath))) continue;
    if (e.keyword === 'if' || e.keyword === 'then' || e.keyword === 'else') continue;
    const problem = describe(e, data);
    const key = `${problem.code}\u0000${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

const COMPOSITE = new Set(['oneOf', 'anyOf', 'allOf', 'not']);

function describe(e: SchemaError, data: unknown): SchemaProblem {
  const field = fieldName(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(e.params['additionalProperty']);
      const known = Object.keys(
        (e.parentSchema?.['properties'] as Record<string, unknown> | undefined) ?? {},
      );
      const guess = closest(name, known);
      const hint = guess ? ` — did you mean \`${guess}\`?` : '';
      return {
        code: 'schema/unknown-field',
        message: `unknown field \`${name}\`${field ? ` in \`${field}\`` : ''}${hint}`,
        pointer: e.instancePath + formatPointer([name]),
        atKey: true,
      };
    }
    case 'required': {
      const name = String(e.params['missingProperty']);
      return {
        code: 'schema/missing-field',
        message: `missing required field \`${name}\`${field ? ` in \`${field}\`` : ''}`,
        pointer: e.instancePath,
        atKey: true,
      };
    }
    case 'type': {
      const expected = [e.params['type']].flat().join(' or ');
      return {
        code: 'schema/type',
        message: `\`${field || 'the object'}\` must be ${article(expected)}, not ${typeOf(valueAtPointer(data, e.instancePath))}`,
        pointer: e.instancePath,
        atKey: false,
      };
    }
    case 'enum': {
      const allowed = (e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return {
        code: 'schema/enum',
        message: `\`${field}\` must be one of ${allowed}`,
        pointer: e.instancePath,
        atKey: false,
      };
    }
    case 'x-kubernetes-validations':
      return {
        code: 'schema/cel',
        message: `${field ? `\`${field}\`: ` : ''}${e.message ?? 'a validation rule failed'} (rule \`${String(e.params['rule'])}\`)`,
        pointer: e.instancePath,
        atKey: true,
      };
    case 'x-kubernetes-validations-skipped':
      return {
        code: 'schema/cel-not-evaluated',
        message: `rule \`${String(e.params['rule'])}\`${field ? ` on \`${field}\`` : ''} was not evaluated: ${String(e.params['reason'])}`,
        pointer: e.instancePath,
        atKey: true,
      };
    case 'x-kubernetes-list-type':
      return {
        code: 'schema/invalid',
        message: describeDuplicate(e, field),
        pointer: e.instancePath,
        atKey: false,
      };
    case 'format':
      return {
        code: 'schema/format',
        message: `\`${field}\` is not a valid ${String(e.params['format'])}`,
        pointer: e.instancePath,
        atKey: false,
      };
    default:
      return {
        code: 'schema/invalid',
        message: `\`${field || 'the object'}\` ${e.message ?? 'is invalid'}`,
        pointer: e.instancePath,
        atKey: false,
      };
  }
}

/**
 * A repeated item of a `set` or `map` list, naming the first one and, for a map list, the key
 * values they share (the API server says `spec.ports[2]: Duplicate value: …`).
 */
function describeDuplicate(e: SchemaError, field: string): string {
  const first = `${field.slice(0, field.lastIndexOf('['))}[${String(e.params['first'])}]`;
  const keys = e.params['keys'] as readonly (readonly [string, unknown])[] | undefined;
  if (keys === undefined)
    return `\`${field}\` duplicates \`${first}\` (${shorten(e.params['value'])}): a list with x-kubernetes-list-type set holds each value once`;
  const values = keys
    .map(([name, value]) => (value === undefined ? `${name} unset` : `${name}: ${shorten(value)}`))
    .join(', ');
  return `\`${field}\` has the same key as \`${first}\` (${values}): a list with x-kubernetes-list-type map holds each key once`;
}

function shorten(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** `spec.template.spec.containers[0].image` from `/spec/template/spec/containers/0/image`. */
export function fieldName(pointer: string): string {
  let out = '';
  for (const segment of parsePointer(pointer)) {
    out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function article(type: string): string {
  const named = type
    .replace('object', 'an object')
    .replace('array', 'a list')
    .replace('integer', 'an integer');
  return /^(an? )/.test(named) ? named : /^[aeiou]/.test(named) ? `an ${named}` : `a ${named}`;
}
