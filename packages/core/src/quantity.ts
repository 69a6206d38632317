/**
 * Kubernetes `resource.Quantity` (apimachinery `pkg/api/resource`), exactly: what a quantity
 * parses to and the string the API server serialises it to. All arithmetic is on BigInt.
 *
 * Grammar: `[+-]` digits `[.digits]` suffix, where the suffix is binary (`Ki` … `Ei`), decimal
 * (`n u m "" k M G T P E`) or an exponent (`e`/`E` with a signed integer). Parsing rounds a value
 * finer than `1n` away from zero, caps a binary value at 2^63-1, and remembers the suffix family.
 */

/** The suffix family a quantity was written in; the canonical form keeps it where it can. */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A parsed quantity: the exact amount `mantissa × 10^exponent`, its format and canonical text. */
export interface Quantity {
  /** Signed digits of the amount without trailing zeros (`0n` for zero). */
  readonly mantissa: bigint;
  /** Power of ten (`0` for zero); together with `mantissa` a unique form of the amount. */
  readonly exponent: number;
  readonly format: QuantityFormat;
  /** What Kubernetes serialises the quantity to (Go `Quantity.String()`). */
  readonly canonical: string;
}

const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const DECIMAL_NAMES: ReadonlyMap<number, string> = new Map(
  [...DECIMAL_SUFFIXES].map(([name, exponent]) => [exponent, name]),
);
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const BINARY_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const NANO = -9;
const SHAPE = /^([+-]?)(0*)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[+-]?[0-9]*)$/;
// Go's strings.TrimSpace (Unicode White_Space), which Quantity.UnmarshalJSON applies.
const SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

interface Scanned {
  readonly text: string;
  readonly negative: boolean;
  /** Integer digits without leading zeros, `'0'` when there are none. */
  readonly num: string;
  readonly denom: string;
  readonly hasDigit: boolean;
  readonly suffix: string;
}

/**
 * Parse a quantity as the API server decodes it from JSON: a string (surrounding white space
 * ignored, as Go's `UnmarshalJSON` does), a JSON number (`0.2`, written as Go writes it) or a
 * bigint. Anything else, or text that is not a quantity, gives `undefined`.
 *
 * @example
 * ```ts
 * parseQuantity('1.5Gi'); // { mantissa: 1610612736n, exponent: 0, format: 'BinarySI', canonical: '1536Mi' }
 * parseQuantity(0.2)?.canonical; // '200m'
 * parseQuantity('1KiB'); // undefined
 * ```
 */
export function parseQuantity(value: unknown): Quantity | undefined {
  const text = quantityText(value);
  if (text === undefined || text === '') return undefined;
  const scanned = scan(text);
  if (scanned === undefined) return undefined;
  const suffix = interpretSuffix(scanned.suffix);
  if (suffix === undefined) return undefined;
  return build(scanned, suffix.base, suffix.exponent, suffix.format);
}

/**
 * The string Kubernetes stores for a quantity (Go `Quantity.String()`), or `undefined` when
 * `value` is not a quantity. The largest suffix of the same family that keeps an integer
 * mantissa wins; a binary amount below 1024 or not whole is written in decimal. Like Go, an
 * input already in a canonical-looking shape is kept as written (so `'+1'` stays `'+1'`).
 *
 * @example
 * ```ts
 * canonicalQuantity('1000m'); // '1'
 * canonicalQuantity('1024Mi'); // '1Gi'
 * canonicalQuantity('0.5'); // '500m'
 * canonicalQuantity('invalid'); // undefined
 * ```
 */
export function canonicalQuantity(value: unknown): string | undefined {
  return parseQuantity(value)?.canonical;
}

/**
 * Whether two values are quantities of the same amount, as Kubernetes' semantic equality
 * (`Quantity.Cmp(...) == 0`) sees them: formats do not matter, so `'1Gi'` and `'1073741824'`
 * are the same although their canonical strings differ (compare `canonicalQuantity` results for
 * byte-wise, Argo-style equality). `false` when either value is not a quantity.
 *
 * @example
 * ```ts
 * sameQuantity('1', '1000m'); // true
 * sameQuantity('1Gi', 1073741824); // true
 * sameQuantity('1Gi', '1G'); // false
 * ```
 */
export function sameQuantity(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  return x !== undefined && y !== undefined && x.mantissa === y.mantissa && x.exponent === y.exponent;
}

/**
 * How two quantities compare by amount (Go `Quantity.Cmp`): `-1`, `0` or `1`, or `undefined` when
 * either value is not a quantity.
 *
 * @example
 * ```ts
 * compareQuantities('10Gi', '20Gi'); // -1
 * compareQuantities('1Gi', '1G'); // 1
 * compareQuantities('1', '1000m'); // 0
 * ```
 */
export function compareQuantities(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return undefined;
  // Scale the one with the larger exponent down to the other's: both are then integers of one unit.
  const [left, right] =
    x.exponent >= y.exponent
      ? [x.mantissa * 10n ** BigInt(x.exponent - y.exponent), y.mantissa]
      : [x.mantissa, y.mantissa * 10n ** BigInt(y.exponent - x.exponent)];
  return left < right ? -1 : left > right ? 1 : 0;
}

function quantityText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.replace(SPACE, '');
  // JavaScript and Go write a float64 the same way (`0.2`, `1e+21`, `1e-7`).
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

function scan(text: string): Scanned | undefined {
  const match = SHAPE.exec(text);
  if (match === null) return undefined;
  const [, sign = '', zeros = '', digits = '', denom = '', suffix = ''] = match;
  return {
    text,
    negative: sign === '-',
    num: digits === '' ? '0' : digits,
    denom,
    hasDigit: zeros.length + digits.length + denom.length > 0,
    suffix,
  };
}

function interpretSuffix(
  suffix: string,
): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  const decimal = DECIMAL_SUFFIXES.get(suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_NAMES.indexOf(suffix as (typeof BINARY_NAMES)[number]);
  if (binary > 0) return { base: 2, exponent: binary * 10, format: 'BinarySI' };
  if (!/^[eE][+-]?[0-9]+$/.test(suffix)) return undefined;
  const parsed = BigInt(suffix.slice(1));
  if (parsed < INT64_MIN || parsed > BINARY_MAX) return undefined;
  // Go keeps the exponent in an int32, so a larger one wraps.
  return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
}

function build(
  s: Scanned,
  base: 2 | 10,
  suffixExponent: number,
  parsedFormat: QuantityFormat,
): Quantity | undefined {
  const fast = onFastPath(s, base, suffixExponent);
  // Off Go's int64 fast path the digits go through inf.Dec, which needs at least one.
  if (!fast && !s.hasDigit) return undefined;
  const cached = fast && keptAsWritten(s, base, suffixExponent) ? s.text : undefined;
  const digits = BigInt(s.num + s.denom);
  let mantissa = base === 2 ? digits << BigInt(suffixExponent) : digits;
  let exponent = base === 2 ? -s.denom.length : suffixExponent - s.denom.length;
  let format = parsedFormat;
  if (mantissa !== 0n && exponent < NANO) {
    mantissa = roundUpDivide(mantissa, NANO - exponent);
    exponent = NANO;
  }
  if (format === 'BinarySI') {
    if (mantissa > BINARY_MAX * 10n ** BigInt(-exponent)) [mantissa, exponent] = [BINARY_MAX, 0];
    if (mantissa !== 0n && mantissa < 10n ** BigInt(-exponent)) format = 'DecimalSI';
  }
  if (s.negative) mantissa = -mantissa;
  [mantissa, exponent] = stripZeros(mantissa, exponent);
  return { mantissa, exponent, format, canonical: cached ?? formatCanonical(mantissa, exponent, format) };
}

/** Whether Go's `ParseQuantity` takes its int64 fast path (exact; no rounding, no cap). */
function onFastPath(s: Scanned, base: 2 | 10, suffixExponent: number): boolean {
  if (base === 2) return s.denom === '' && 14 - s.num.length - (suffixExponent / 10) * 3 >= 0;
  return (s.num + s.denom).length <= 18 && suffixExponent - s.denom.length >= NANO;
}

/**
 * On its fast path Go keeps the input string as the serialised form when the digits look
 * canonical; that is how `'+1'`, `'01'` or `'1.'` survive as written.
 */
function keptAsWritten(s: Scanned, base: 2 | 10, suffixExponent: number): boolean {
  if (s.text === '0') return true;
  if (base === 2) return (BigInt(s.num) & 7n) !== 0n;
  const shifted = s.num + s.denom;
  return (suffixExponent - s.denom.length) % 3 === 0 && !shifted.endsWith('000') && !shifted.startsWith('0');
}

/** `ceil(value / 10^places)` for a positive value. */
function roundUpDivide(value: bigint, places: number): bigint {
  // A value with no more digits than places is below 10^places: it rounds up to 1.
  if (value.toString().length <= places) return 1n;
  const divisor = 10n ** BigInt(places);
  return (value + divisor - 1n) / divisor;
}

function stripZeros(mantissa: bigint, exponent: number): [bigint, number] {
  if (mantissa === 0n) return [0n, 0];
  const text = mantissa.toString();
  const zeros = text.length - text.replace(/0+$/, '').length;
  return zeros === 0 ? [mantissa, exponent] : [BigInt(text.slice(0, text.length - zeros)), exponent + zeros];
}

function formatCanonical(mantissa: bigint, exponent: number, format: QuantityFormat): string {
  if (mantissa === 0n) return '0';
  if (format === 'BinarySI') {
    const binary = binaryCanonical(mantissa, exponent);
    if (binary !== undefined) return binary;
  }
  // Lower the exponent to a multiple of three, growing the mantissa.
  const spare = ((exponent % 3) + 3) % 3;
  const digits = mantissa * 10n ** BigInt(spare);
  const power = exponent - spare;
  if (format === 'DecimalExponent') return power === 0 ? `${digits}` : `${digits}e${power}`;
  // Past `E` (10^18) DecimalSI has no suffix; Kubernetes then writes an exponent.
  return `${digits}${DECIMAL_NAMES.get(power) ?? `e${power}`}`;
}

/** Binary form, or `undefined` when the amount is below 1024 or not whole (then decimal). */
function binaryCanonical(mantissa: bigint, exponent: number): string | undefined {
  if (exponent < 0) return undefined;
  let whole = mantissa * 10n ** BigInt(exponent);
  if (whole > -1024n && whole < 1024n) return undefined;
  let power = 0;
  while ((whole >= 1024n || whole <= -1024n) && whole % 1024n === 0n && power < BINARY_NAMES.length - 1) {
    whole /= 1024n;
    power += 1;
  }
  return `${whole}${BINARY_NAMES[power]}`;
}
