import { type Environment, evaluate, Optional } from '@marcbachmann/cel-js';
import type { CostMeter } from './cel-cost.js';
import { goQuote } from './cel-values.js';
import { CelFormat } from './lib-format.js';
import { formatDouble, type UintValue, UnsignedInt } from './lib-numbers.js';
import { Quantity } from './lib-quantity.js';
import { Semver } from './lib-semver.js';
import { formatDuration, formatTimestamp, isDuration } from './lib-time.js';
import { CelUrl } from './lib-url.js';

/**
 * `<string>.format(<list>)` as the API server has it: cel-go's strings extension at version 2, so
 * its first formatter (`ext/formatting.go`) with the `en_US` locale. The clauses are `%s`, `%d`,
 * `%f`, `%e`, `%b`, `%x`, `%X`, `%o` and `%%`, with an optional precision (`%.3f`). What that
 * formatter does, and so what is done here:
 *
 * - `%f` prints through golang.org/x/text's printer for English: the integer part grouped by
 *   thousands (`1,234.500000`), infinities as `∞` and `-∞`; the strings `NaN`, `Infinity` and
 *   `-Infinity` are taken for those doubles;
 * - `%e` prints that printer's scientific notation, `2.718280 × 10⁰⁰` (narrow no-break spaces), and
 *   its precision is taken for a width (cel-go builds `%<n>e`), so the digits are always six;
 * - `%s` prints a list or map as CEL literals: strings quoted, doubles with six decimals,
 *   `timestamp("…")`, `duration("…")`, map entries sorted by their key's text;
 * - `%d`, `%b`, `%x` and `%o` take ints and uints only (`%b` bools too, `%x` strings and bytes).
 *
 * cel-js keeps a map literal's keys as strings, so `{1: 'a'}` prints its key quoted.
 */
export function registerStringFormat(env: Environment, meter: CostMeter): void {
  env.registerFunction('string.format(list): string', (text: string, args: unknown[]) => {
    meter.chargeSize(text);
    meter.chargeSize(args);
    const result = formatString(text, args);
    if (result instanceof FormatError) throw result;
    return result;
  });
}

/** An error of `string.format`, with cel-go's text. */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

/** What a clause is given: a value at run time, or only its type when a literal call is checked. */
export interface Clauses {
  /** The argument at `index`, or `undefined` past the end of the list. */
  arg(index: number): { readonly value?: unknown; readonly type: string } | undefined;
  readonly size: number;
}

/**
 * The text of `format` with its clauses filled from `args`, or the error cel-go gives. With
 * `check`, only the clauses' types are checked (what cel-go's validator does for a literal format
 * string and a list literal) and the text returned is meaningless.
 */
export function formatString(
  format: string,
  args: readonly unknown[] | Clauses,
  check = false,
): string | FormatError {
  const list: Clauses = Array.isArray(args)
    ? {
        arg: (i) => (i < args.length ? { value: args[i], type: typeName(args[i]) } : undefined),
        size: args.length,
      }
    : (args as Clauses);
  let out = '';
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    if (format[i] !== '%') {
      out += format[i];
      i++;
      continue;
    }
    if (format[i + 1] === '%') {
      out += '%';
      i += 2;
      continue;
    }
    const arg = list.arg(argIndex);
    if (arg === undefined) return new FormatError(`index ${argIndex} out of range`);
    if (i + 1 >= format.length) return new FormatError('unexpected end of string');
    // The precision: `.` and digits, up to the clause's letter.
    let at = i + 1;
    let precision: number | undefined;
    if (format[at] === '.') {
      let digits = '';
      at++;
      for (;;) {
        if (at >= format.length)
          return new FormatError(
            'could not parse formatting clause: error while parsing precision: could not find end of precision specifier',
          );
        const c = format.charCodeAt(at);
        if (c < 0x30 || c > 0x39) break;
        digits += format[at];
        at++;
      }
      if (digits === '')
        return new FormatError(
          'could not parse formatting clause: error while parsing precision: error while converting precision to integer: strconv.Atoi: parsing "": invalid syntax',
        );
      precision = Number(digits);
    }
    const clause = format[at] ?? '';
    const formatted = formatClause(clause, precision, arg, check);
    if (formatted instanceof FormatError) return formatted;
    out += formatted;
    i = at + clause.length;
    argIndex++;
  }
  if (check && argIndex < list.size)
    return new FormatError(
      `too many arguments supplied to string.format (expected ${argIndex}, got ${list.size})`,
    );
  return out;
}

type Arg = { readonly value?: unknown; readonly type: string };

function formatClause(
  clause: string,
  precision: number | undefined,
  arg: Arg,
  check: boolean,
): string | FormatError {
  const failed = (what: string) => new FormatError(`error during formatting: ${what}, was given ${arg.type}`);
  const allowed = (...types: string[]) => arg.type === 'dyn' || types.includes(arg.type);
  switch (clause) {
    case 's':
      if (check) return allowed(...STRING_TYPES) ? '' : failed(STRING_CLAUSE);
      return wrap(topLevelString(arg.value));
    case 'd':
      if (!allowed('int', 'uint')) return failed('decimal clause can only be used on integers');
      return check ? '' : integerText(arg.value, 10);
    case 'f':
    case 'e': {
      const special = typeof arg.value === 'string' ? SPECIAL_DOUBLES.get(arg.value) : undefined;
      if (!allowed('double', 'string') || (!check && typeof arg.value !== 'number' && special === undefined))
        return failed(`${clause === 'f' ? 'fixed-point' : 'scientific'} clause can only be used on doubles`);
      if (check) return '';
      const value = special ?? (arg.value as number);
      return clause === 'f' ? englishFixed(value, precision ?? 6) : englishScientific(value, precision ?? 6);
    }
    case 'b':
      if (!allowed('int', 'uint', 'bool'))
        return failed('only integers and bools can be formatted as binary');
      if (check) return '';
      return typeof arg.value === 'boolean' ? (arg.value ? '1' : '0') : integerText(arg.value, 2);
    case 'x':
    case 'X': {
      if (!allowed('int', 'uint', 'string', 'bytes'))
        return failed('only integers, byte buffers, and strings can be formatted as hex');
      if (check) return '';
      const hex =
        typeof arg.value === 'string' || arg.value instanceof Uint8Array
          ? bytesHex(arg.value)
          : integerText(arg.value, 16);
      return clause === 'X' ? hex.toUpperCase() : hex;
    }
    case 'o':
      if (!allowed('int', 'uint')) return failed('octal clause can only be used on integers');
      return check ? '' : integerText(arg.value, 8);
    default:
      // Go reads the clause as one byte: a letter beyond ASCII shows as its first byte's character.
      return new FormatError(
        `could not parse formatting clause: unrecognized formatting clause "${firstByteCharacter(clause)}"`,
      );
  }
}

const STRING_CLAUSE =
  'string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps';
const STRING_TYPES = [
  'list',
  'map',
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'google.protobuf.Timestamp',
  'bytes',
  'google.protobuf.Duration',
  'type',
  'null_type',
];
const SPECIAL_DOUBLES: ReadonlyMap<string, number> = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);

/** A formatting error of a nested value, wrapped as cel-go wraps it; or the text. */
function wrap(result: string | FormatError): string | FormatError {
  return result instanceof FormatError
    ? new FormatError(`error during formatting: ${result.message}`)
    : result;
}

/** The CEL type name of a cel-js value, as cel-go's `Type().TypeName()` gives it. */
export function typeName(value: unknown): string {
  if (value === null) return 'null_type';
  switch (typeof value) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
  }
  if (isUint(value)) return 'uint';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'google.protobuf.Timestamp';
  if (isDuration(value)) return 'google.protobuf.Duration';
  if (isType(value)) return 'type';
  if (value instanceof Map) return 'map';
  if (typeof value === 'object') {
    for (const [type, name] of KUBERNETES_TYPES) if (value instanceof type) return name;
    const prototype: unknown = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null ? 'map' : (value.constructor?.name ?? 'map');
  }
  return typeof value;
}

// The type names cel-go gives the libraries' values, by the class they have here (classes, not
// class names: a bundler may rename them).
const KUBERNETES_TYPES: readonly (readonly [abstract new (...args: never[]) => unknown, string])[] = [
  [Optional, 'optional_type'],
  [Quantity, 'kubernetes.Quantity'],
  [CelUrl, 'kubernetes.URL'],
  [CelFormat, 'kubernetes.NamedFormat'],
  [Semver, 'kubernetes.Semver'],
];

function isUint(value: unknown): value is UintValue {
  return value instanceof UnsignedInt;
}

// cel-js's class of type values, which its package does not export.
const TypeValue = (evaluate('type(1)') as object).constructor;

function isType(value: unknown): value is { readonly name: string } {
  return value instanceof TypeValue;
}

function integerText(value: unknown, radix: number): string {
  const n = isUint(value) ? value.valueOf() : (value as bigint);
  return n < 0n ? `-${(-n).toString(radix)}` : n.toString(radix);
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

function bytesHex(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? encoder.encode(value) : value;
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function firstByteCharacter(clause: string): string {
  const code = clause.codePointAt(0) ?? 0;
  if (code < 0x80) return clause.slice(0, 1);
  return String.fromCharCode(encoder.encode(String.fromCodePoint(code))[0] ?? 0);
}

/** `%s` of a value: what `string()` gives, lists and maps as CEL literals. */
function topLevelString(value: unknown): string | FormatError {
  const type = typeName(value);
  switch (type) {
    case 'list':
      return listText(value as unknown[]);
    case 'map':
      return mapText(value as object);
    case 'null_type':
      return 'null';
    default:
      return scalarText(value, type) ?? new FormatError(`${STRING_CLAUSE}, was given ${type}`);
  }
}

/** `string(value)` for the scalar types `%s` takes, or `undefined`. */
function scalarText(value: unknown, type: string): string | undefined {
  switch (type) {
    case 'int':
    case 'uint':
      return integerText(value, 10);
    case 'double':
      return formatDouble(value as number);
    case 'bool':
      return String(value);
    case 'string':
      return value as string;
    case 'bytes':
      try {
        return strictDecoder.decode(value as Uint8Array);
      } catch {
        return undefined;
      }
    case 'google.protobuf.Timestamp':
      return formatTimestamp(value as Date);
    case 'google.protobuf.Duration':
      return formatDuration(value as Parameters<typeof formatDuration>[0]);
    case 'type':
      return (value as { name: string }).name;
    default:
      return undefined;
  }
}

/** A value inside a list or map, as a CEL literal (cel-go's `clauseForType` and `quoteForCEL`). */
function memberText(value: unknown): string | FormatError {
  const type = typeName(value);
  switch (type) {
    case 'string':
      return goQuote(value as string);
    case 'bytes': {
      const text = scalarText(value, type);
      return text === undefined ? new FormatError(`${STRING_CLAUSE}, was given bytes`) : `b${goQuote(text)}`;
    }
    case 'null_type':
      return 'null';
    case 'google.protobuf.Timestamp':
      return `timestamp(${goQuote(formatTimestamp(value as Date))})`;
    case 'google.protobuf.Duration':
      return `duration(${goQuote(formatDuration(value as Parameters<typeof formatDuration>[0]))})`;
    case 'list':
      return listText(value as unknown[]);
    case 'map':
      return mapText(value as object);
    case 'double': {
      const n = value as number;
      if (Number.isNaN(n)) return '"NaN"';
      if (!Number.isFinite(n)) return n > 0 ? '"+Inf"' : '"-Inf"';
      return fixedDigits(n, 6);
    }
    default:
      // Ints, uints, bools and types print as `string()` prints them.
      return scalarText(value, type) ?? new FormatError(`no formatting function for ${type}`);
  }
}

function listText(list: readonly unknown[]): string | FormatError {
  const parts: string[] = [];
  for (const item of list) {
    const text = memberText(item);
    if (text instanceof FormatError) return text;
    parts.push(text);
  }
  return `[${parts.join(', ')}]`;
}

function mapText(map: object): string | FormatError {
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
  const parts: [string, string][] = [];
  for (const [key, value] of entries) {
    const keyType = typeName(key);
    let keyText: string;
    if (keyType === 'string') keyText = goQuote(key as string);
    else if (keyType === 'bool') keyText = String(key);
    else if (keyType === 'int' || keyType === 'uint') keyText = integerText(key, 10);
    else return new FormatError(`no formatting function for map key of type ${keyType}`);
    const valueText = memberText(value);
    if (valueText instanceof FormatError) return valueText;
    parts.push([keyText, valueText]);
  }
  parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${parts.map(([k, v]) => `${k}:${v}`).join(', ')}}`;
}

/**
 * The decimal digits of a finite double rounded to `precision` places, half to even on its exact
 * binary value (as Go's `%.<precision>f`); no grouping.
 */
export function fixedDigits(value: number, precision: number): string {
  const negative = value < 0 || Object.is(value, -0);
  const digits = roundScaled(Math.abs(value), precision)
    .toString()
    .padStart(precision + 1, '0');
  const text = precision === 0 ? digits : `${digits.slice(0, -precision)}.${digits.slice(-precision)}`;
  return negative ? `-${text}` : text;
}

/** A finite, non-negative double times 10^`power`, rounded half to even on its exact value. */
function roundScaled(value: number, power: number): bigint {
  const { numerator, denominator } = exactRatio(value);
  const top = power >= 0 ? numerator * 10n ** BigInt(power) : numerator;
  const bottom = power >= 0 ? denominator : denominator * 10n ** BigInt(-power);
  let units = top / bottom;
  const twice = (top % bottom) * 2n;
  if (twice > bottom || (twice === bottom && units % 2n === 1n)) units += 1n;
  return units;
}

/** A finite, non-negative double as an exact fraction. */
function exactRatio(value: number): { numerator: bigint; denominator: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const exponentBits = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? -1022 : exponentBits - 1023) - 52;
  return exponent >= 0
    ? { numerator: mantissa << BigInt(exponent), denominator: 1n }
    : { numerator: mantissa, denominator: 1n << BigInt(-exponent) };
}

/** `%f` through x/text's English printer: grouped thousands, `∞` for infinities. */
function englishFixed(value: number, precision: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const text = fixedDigits(value, precision);
  const sign = text.startsWith('-') ? '-' : '';
  const unsigned = sign ? text.slice(1) : text;
  const point = unsigned.indexOf('.');
  const whole = point < 0 ? unsigned : unsigned.slice(0, point);
  const rest = point < 0 ? '' : unsigned.slice(point);
  return `${sign}${whole.replace(/\B(?=(\d{3})+$)/g, ',')}${rest}`;
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * `%e` through x/text's English printer: six decimals, `× 10` and the exponent in superscript
 * (two digits at least). cel-go passes the clause's precision as a width: the text is padded
 * with spaces to it.
 */
function englishScientific(value: number, width: number): string {
  let text: string;
  if (Number.isNaN(value)) text = 'NaN';
  else if (!Number.isFinite(value)) text = value > 0 ? '∞' : '-∞';
  else {
    const negative = value < 0 || Object.is(value, -0);
    const magnitude = Math.abs(value);
    // Seven significant digits: the exponent e that puts the rounded value in [10^6, 10^7).
    let exponent = magnitude === 0 ? 0 : Math.floor(Math.log10(magnitude));
    let units = roundScaled(magnitude, 6 - exponent);
    if (magnitude !== 0) {
      while (units >= 10_000_000n) units = roundScaled(magnitude, 6 - ++exponent);
      while (units < 1_000_000n) units = roundScaled(magnitude, 6 - --exponent);
    }
    const digits = units.toString().padStart(7, '0');
    const mantissa = `${digits.slice(0, 1)}.${digits.slice(1)}`;
    const power = String(Math.abs(exponent))
      .padStart(2, '0')
      .replace(/[0-9]/g, (d) => SUPERSCRIPTS[Number(d)] ?? d);
    text = `${negative ? '-' : ''}${mantissa}\u202f×\u202f10${exponent < 0 ? '⁻' : ''}${power}`;
  }
  const length = Array.from(text).length;
  return length < width ? ' '.repeat(width - length) + text : text;
}
