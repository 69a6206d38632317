import type { Environment } from '@marcbachmann/cel-js';
import { restoreBuiltinNames } from './cel-replacements.js';

/**
 * JSON values as CEL sees them. Kubernetes types each field from the OpenAPI schema; offline we
 * have no schema for most resources, so an integral JSON number becomes a CEL `int` (a bigint) and
 * any other number stays a `double`. That is what makes `object.spec.replicas + 1` work (a double
 * plus an int has no overload in CEL).
 */
export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') return toCelMap(value, toCelValue);
  return value;
}

/**
 * A JSON object as a CEL map, each value given by `convert`. cel-js tells a map's type by its
 * `constructor`: an object with a key of that name (a label `constructor: acme`) would read as an
 * unknown type, so such a map is handed over as a Map.
 */
export function toCelMap(value: object, convert: (item: unknown, key: string) => unknown): unknown {
  const entries = Object.entries(value);
  if (Object.hasOwn(value, 'constructor'))
    return new Map(entries.map(([key, item]) => [key, convert(item, key)]));
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) setOwn(out, key, convert(item, key));
  return out;
}

/** Set a key on a plain object without tripping over `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** A short rendering of a CEL value for messages. */
export function describeCelValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a map';
  const name =
    typeof value === 'object' ? (value.constructor as { name?: string } | undefined)?.name : undefined;
  return name && name !== 'Object' ? `a ${name}` : 'a map';
}

/**
 * The first line of an error's message (cel-js adds a source excerpt below it), naming the
 * functions the policy wrote rather than shipshape's stand-ins for them.
 */
export function errorSummary(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const summary = (error as { summary?: unknown }).summary;
    if (typeof summary === 'string' && summary !== '') return restoreBuiltinNames(summary);
  }
  const message = error instanceof Error ? error.message : String(error);
  return restoreBuiltinNames(message.split('\n')[0] ?? message);
}

/** The base64 of a string's UTF-8 bytes, as a Secret's `data` holds it. */
export function encodeBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Register a namespace for functions called on it (`sets.contains(…)`, `ip.isCanonical(…)`): a
 * constant `name` of an empty type `type`, whose methods take the namespace as first argument.
 */
export function registerNamespace(env: Environment, type: string, name: string): void {
  const Namespace = class {};
  Object.defineProperty(Namespace, 'name', { value: type });
  env.registerType(type, Namespace);
  env.registerConstant(name, type, new Namespace());
}

/** The escapes Go's `strconv.Quote` and cel-go's `strings.quote` share. */
export const QUOTED_ESCAPES: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** A string quoted as Go's `%q` prints it (the other control characters as `\xNN`). */
export function goQuote(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    const escaped = QUOTED_ESCAPES[c];
    if (escaped !== undefined) out += escaped;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}
