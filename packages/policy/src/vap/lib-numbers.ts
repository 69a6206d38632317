import { type Environment, evaluate } from '@marcbachmann/cel-js';
import { IntOverflowError, MAX_INT, MIN_INT } from './cel-overflow.js';
import { registerOverload, registerReplacement } from './cel-replacements.js';

export const MAX_UINT = 2n ** 64n - 1n;
const TWO_TO_63 = 2 ** 63;
const TWO_TO_64 = 2 ** 64;

export interface UintValue {
  valueOf(): bigint;
}

/** cel-js's class of uint values, which its package does not export. */
export const UnsignedInt = (evaluate('0u') as object).constructor as new (value: bigint) => UintValue;

/** The error cel-go gives when a value does not fit a uint. */
export class UintOverflowError extends Error {
  readonly code = 'uint-overflow';
  constructor(operation: string) {
    super(`unsigned integer overflow: ${operation}`);
    this.name = 'UintOverflowError';
  }
}

function conversionError(value: string, type: string): Error {
  return new Error(`type conversion error from string ${JSON.stringify(value)} to '${type}'`);
}

/**
 * The conversions `int()`, `uint()` and `string()` as cel-go has them (`common/types`: double.go,
 * string.go, uint.go, timestamp.go; cel-spec `conversions.textproto`), where cel-js differs:
 * - `int(double)` and `uint(double)` refuse values outside the target range (cel-js gave
 *   `int(1e19)` = 10^19 and `uint(-0.5)` = 0); NaN and infinities too;
 * - `int(string)` and `uint(string)` are Go's `strconv.ParseInt`/`ParseUint` in base 10 (cel-js
 *   took `''` for 0 and `'0b1'` for 1);
 * - `string(double)` is Go's `%g` (`1e+06`, `-0`), `string(bytes)` refuses invalid UTF-8;
 * - `double(string)` is Go's `strconv.ParseFloat` (see {@link parseGoFloat}; cel-js took `''` for
 *   0, `' 1'` for 1, `'0x10'` for 16, and `'1e400'` for infinity);
 * - `int(uint)` and `int(timestamp)` (Unix seconds), which cel-js lacks.
 */
export function registerNumberLibrary(env: Environment): void {
  registerReplacement(env, 'int(int): int', (value: bigint) => value);
  registerReplacement(env, 'int(double): int', doubleToInt);
  registerReplacement(env, 'int(string): int', (text: string) => {
    const value = /^[+-]?[0-9]+$/.test(text) ? BigInt(text) : undefined;
    if (value === undefined || value > MAX_INT || value < MIN_INT) throw conversionError(text, 'int');
    return value;
  });
  registerOverload(env, 'int(uint): int', (value: UintValue) => {
    const n = value.valueOf();
    if (n > MAX_INT) throw new IntOverflowError(`int(${n}u)`);
    return n;
  });
  registerOverload(env, 'int(google.protobuf.Timestamp): int', (time: Date) =>
    BigInt(Math.floor(time.getTime() / 1000)),
  );

  registerReplacement(env, 'uint(uint): uint', (value: UintValue) => value);
  registerReplacement(env, 'uint(int): uint', (value: bigint) => {
    if (value < 0n) throw new UintOverflowError(`uint(${value})`);
    return new UnsignedInt(value);
  });
  registerReplacement(env, 'uint(double): uint', (value: number) => {
    if (!(value >= 0 && value < TWO_TO_64)) throw new UintOverflowError(`uint(${formatDouble(value)})`);
    return new UnsignedInt(BigInt(Math.trunc(value)));
  });
  registerReplacement(env, 'uint(string): uint', (text: string) => {
    const value = /^[0-9]+$/.test(text) ? BigInt(text) : undefined;
    if (value === undefined || value > MAX_UINT) throw conversionError(text, 'uint');
    return new UnsignedInt(value);
  });

  registerReplacement(env, 'double(double): double', (value: number) => value);
  registerReplacement(env, 'double(int): double', (value: bigint) => Number(value));
  registerReplacement(env, 'double(uint): double', (value: UintValue) => Number(value.valueOf()));
  registerReplacement(env, 'double(string): double', (text: string) => {
    const value = parseGoFloat(text);
    if (value === undefined) throw conversionError(text, 'double');
    return value;
  });

  registerReplacement(env, 'string(string): string', (text: string) => text);
  registerReplacement(env, 'string(bool): string', (value: boolean) => String(value));
  registerReplacement(env, 'string(int): string', (value: bigint) => value.toString());
  registerReplacement(env, 'string(uint): string', (value: UintValue) => value.valueOf().toString());
  registerReplacement(env, 'string(double): string', formatDouble);
  registerReplacement(env, 'string(bytes): string', (bytes: Uint8Array) => {
    try {
      return STRICT_UTF8.decode(bytes);
    } catch {
      throw new Error('string(bytes): invalid UTF-8');
    }
  });
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** cel-go's `int(double)`: truncation, and an error outside (-2^63, 2^63), as `doubleToInt64Checked`. */
function doubleToInt(value: number): bigint {
  if (!(value > -TWO_TO_63 && value < TWO_TO_63)) throw new IntOverflowError(`int(${formatDouble(value)})`);
  return BigInt(Math.trunc(value));
}

/**
 * A double as Go's `fmt` prints it with `%g`, which cel-go's `string(double)` uses: the shortest
 * digits that read back as the same double (as JavaScript's), in exponent form when the exponent
 * is below -4 or at least 6 (`1e+06`, `1e-05`, two exponent digits at least), `+Inf`, `-Inf`,
 * `NaN`, and `-0`.
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const { sign, digits, exponent } = shortestDigits(value);
  if (exponent >= -4 && exponent < 6) return sign + positional(digits, exponent);
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const magnitude = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${magnitude}`;
}

/** A finite double in positional notation with its shortest digits, as Go's `FormatFloat(v, 'f', -1, 64)`. */
export function formatFixed(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const { sign, digits, exponent } = shortestDigits(value);
  return sign + positional(digits, exponent);
}

/** The shortest decimal digits of a finite, non-zero double, and the exponent of the first. */
function shortestDigits(value: number): { sign: string; digits: string; exponent: number } {
  const [mantissa = '', power = '0'] = Math.abs(value).toExponential().split('e');
  return { sign: value < 0 ? '-' : '', digits: mantissa.replace('.', ''), exponent: Number(power) };
}

function positional(digits: string, exponent: number): string {
  const point = exponent + 1; // digits before the decimal point
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

// Go's float syntax (strconv.ParseFloat): a sign, decimal digits with an optional point and `e`
// exponent, or `0x` hex digits with an optional point and a required `p` exponent (in decimal).
// Underscores may stand between two digits, or between `0x` and a digit.
const DECIMAL_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX_FLOAT =
  /^([+-]?)0[xX](?:_?([0-9a-fA-F](?:_?[0-9a-fA-F])*)(?:\.([0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?|\.([0-9a-fA-F](?:_?[0-9a-fA-F])*))[pP]([+-]?\d(?:_?\d)*)$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

/**
 * A double read as Go's `strconv.ParseFloat(text, 64)` reads it (what cel-go's `double(string)`
 * calls), or `undefined` where Go gives an error: no surrounding spaces, no empty string, no
 * `0x` integer without a `p` exponent, no `0b`/`0o`; underscores between digits; `inf`,
 * `infinity` (signed or not) and `nan` in any case; hex floats (`0x1p-4`); a value past the
 * largest double is an error (Go's ErrRange), one below the smallest rounds to 0.
 *
 * @example
 * ```ts
 * parseGoFloat('1_000.5'); // 1000.5
 * parseGoFloat('0x1.8p1'); // 3
 * parseGoFloat('0x10'); // undefined
 * ```
 */
export function parseGoFloat(text: string): number | undefined {
  if (/^nan$/i.test(text)) return Number.NaN;
  const infinity = INFINITY.exec(text);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  let value: number;
  if (DECIMAL_FLOAT.test(text)) {
    // JavaScript reads decimal text with the same correct rounding as Go.
    value = Number(text.replaceAll('_', ''));
  } else {
    const hex = HEX_FLOAT.exec(text);
    if (!hex) return undefined;
    const whole = (hex[2] ?? '').replaceAll('_', '');
    const fraction = (hex[3] ?? hex[4] ?? '').replaceAll('_', '');
    const exponent = Number((hex[5] ?? '0').replaceAll('_', ''));
    value = hexFloat(BigInt(`0x0${whole}${fraction}`), exponent - 4 * fraction.length);
    if (hex[1] === '-') value = -value;
  }
  return Number.isFinite(value) ? value : undefined;
}

/** `mantissa × 2^exponent`, rounded to the nearest double (ties to even), as Go rounds a hex float. */
function hexFloat(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  const bits = mantissa.toString(2).length;
  // The exponent of the leading bit decides how many bits a double keeps (fewer when subnormal).
  const top = bits - 1 + exponent;
  if (top > 1100) return Infinity;
  const precision = top >= -1022 ? 53 : 53 - (-1022 - top);
  if (precision <= 0) {
    // Below half the smallest subnormal: 0; above it: the smallest subnormal.
    const halfway = precision === 0 && mantissa > 1n << BigInt(bits - 1);
    return halfway ? 2 ** -1074 : 0;
  }
  let kept = mantissa;
  let scale = exponent;
  if (bits > precision) {
    const drop = BigInt(bits - precision);
    kept = mantissa >> drop;
    const rest = mantissa - (kept << drop);
    const half = 1n << (drop - 1n);
    if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
    scale += bits - precision;
  }
  // Exact: `kept` fits in 53 bits and the result is a double; scaled in steps a double can hold.
  let result = Number(kept);
  while (scale > 0) {
    const step = Math.min(scale, 1000);
    result *= 2 ** step;
    scale -= step;
  }
  while (scale < 0) {
    const step = Math.max(scale, -1000);
    result *= 2 ** step;
    scale -= step;
  }
  return result;
}
