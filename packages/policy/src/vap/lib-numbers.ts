import { type Environment, evaluate } from '@marcbachmann/cel-js';
import { IntOverflowError, MAX_INT, MIN_INT } from './cel-overflow.js';
import { registerOverload, registerReplacement } from './cel-replacements.js';

const MAX_UINT = 2n ** 64n - 1n;
const TWO_TO_63 = 2 ** 63;
const TWO_TO_64 = 2 ** 64;

interface UintValue {
  valueOf(): bigint;
}

/** cel-js's class of uint values, which its package does not export. */
const UnsignedInt = (evaluate('0u') as object).constructor as new (value: bigint) => UintValue;

/** The error cel-go gives when a value does not fit a uint. */
class UintOverflowError extends Error {
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
