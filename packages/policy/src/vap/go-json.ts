// JSON text as Go's `encoding/json` writes and reads it, for the annotations in which Kubernetes'
// conversions keep what a version has no field for (HorizontalPodAutoscalers' `autoscaling.alpha.
// kubernetes.io/…`). Writing: Go's escapes, map keys as given (callers sort them). Reading: struct
// fields matched regardless of case, `null` as Go's zero, and a wrongly typed field failing the
// whole value, as `json.Unmarshal` fails it.

import { entriesOf, isObject, isUnset } from './convert-fields.js';
import type { CelObject } from './convert-versions.js';
import { parseQuantity } from './lib-quantity.js';

/**
 * How deep parsed JSON may nest. Go's decoder refuses JSON nested over 10000 levels; no call stack
 * holds that much as CEL values (`toCelValue` recurses), and no field of the types read here
 * nests beyond a handful of levels, so deeper text is treated as not well formed.
 */
const MAX_DEPTH = 1000;

/**
 * `text` parsed as JSON, or `undefined` when it is none or nests deeper than `MAX_DEPTH`.
 *
 * @example
 * ```ts
 * parseGoJson('[{"type":"Pods"}]'); // [{ type: 'Pods' }]
 * parseGoJson('[[[[…]]]]'); // undefined, 100000 levels deep
 * ```
 */
export function parseGoJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  // Depth first, without recursion: the stack holds each container with its depth.
  const stack: [unknown, number][] = [[parsed, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [value, depth] = top;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return undefined;
    for (const item of Object.values(value)) stack.push([item, depth + 1]);
  }
  return parsed;
}

/**
 * JSON text as Go's encoder writes it: `<`, `>`, `&` and line separators escaped, bigints as
 * numbers, `undefined` fields left out.
 *
 * @example
 * ```ts
 * formatGoJson({ metricName: 'q&a', value: 5n }); // '{"metricName":"q\u0026a","value":5}'
 * ```
 */
export function formatGoJson(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value).replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatGoJson).join(',')}]`;
  if (!isObject(value) && !(value instanceof Map)) return 'null';
  const entries = entriesOf(value).filter(([, item]) => item !== undefined);
  return `{${entries.map(([key, item]) => `${formatGoJson(key)}:${formatGoJson(item)}`).join(',')}}`;
}

/** A key of decoded JSON as Go's decoder finds a struct field: regardless of case, the last wins. */
export function goField(holder: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  let found: unknown;
  for (const [key, value] of Object.entries(holder)) if (key.toLowerCase() === wanted) found = value;
  return found;
}

/** What a decoder returns for a value `json.Unmarshal` refuses. */
export const INVALID = Symbol('invalid');

/** Decodes a JSON value into a CEL value as Go decodes it into a field of one type, or `INVALID`. */
export type GoDecoder = (value: unknown) => unknown;

/** An `int32` field. */
export const goInt32: GoDecoder = (value) =>
  typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31
    ? BigInt(value)
    : INVALID;

/** A `string` field. */
export const goString: GoDecoder = (value) => (typeof value === 'string' ? value : INVALID);

/** A `resource.Quantity` field, written as a string or a number; kept as text. */
export const goQuantity: GoDecoder = (value) => {
  const text = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  return parseQuantity(text) ? text : INVALID;
};

/** A list field whose items decode with `item`. */
export function goList(item: GoDecoder): GoDecoder {
  return (value) => {
    if (!Array.isArray(value)) return INVALID;
    const out: unknown[] = [];
    for (const element of value) {
      const decoded = item(element);
      if (decoded === INVALID) return INVALID;
      out.push(decoded);
    }
    return out;
  };
}

/**
 * A struct field without JSON tags, as `[GoName, celName, decoder]` per field: matched regardless
 * of case; a `null` or absent field stays unset, and `null` for the whole struct is its zero value.
 */
export function goStruct(
  fields: readonly (readonly [go: string, key: string, decode: GoDecoder])[],
): GoDecoder {
  return (value) => {
    if (value === null) return {};
    if (!isObject(value)) return INVALID;
    const out: CelObject = {};
    for (const [go, key, decode] of fields) {
      const raw = goField(value, go);
      if (isUnset(raw)) continue;
      const decoded = decode(raw);
      if (decoded === INVALID) return INVALID;
      out[key] = decoded;
    }
    return out;
  };
}
