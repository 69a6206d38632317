import { type Environment, evaluate } from '@marcbachmann/cel-js';
import { MAX_INT, MIN_INT } from './cel-overflow.js';
import { registerOverload, registerReplacement } from './cel-replacements.js';
import { formatFixed } from './lib-numbers.js';

/** cel-js's duration value: whole seconds and the nanoseconds left. */
export interface DurationValue {
  readonly seconds: bigint;
  readonly nanos: number;
}

/** cel-js's class of durations, which its package does not export. */
const Duration = (evaluate("duration('0s')") as object).constructor as new (
  seconds: bigint,
  nanos: number,
) => DurationValue;

const BILLION = 1_000_000_000n;

/** The error cel-go gives for a duration or timestamp outside its range. */
export class TimeOverflowError extends Error {
  readonly code = 'time-overflow';
  constructor(what: 'duration' | 'timestamp', detail: string) {
    super(`${what} overflow: ${detail}`);
    this.name = 'TimeOverflowError';
  }
}

export function isDuration(value: unknown): value is DurationValue {
  return value instanceof Duration;
}

export function nanosecondsOf(duration: DurationValue): bigint {
  return duration.seconds * BILLION + BigInt(duration.nanos);
}

/**
 * A duration of `total` nanoseconds: an error outside cel-go's `time.Duration` (int64
 * nanoseconds, about ±292 years); seconds and nanos of one sign, so that cel-js's `==` (which
 * compares the two fields) and `getSeconds()` see one duration however it was computed.
 */
export function durationOf(total: bigint): DurationValue {
  if (total > MAX_INT || total < MIN_INT) throw new TimeOverflowError('duration', `${total}ns`);
  return new Duration(total / BILLION, Number(total % BILLION));
}

/** A duration cel-js computed, checked and normalised as {@link durationOf} does. */
export function checkedDuration(duration: DurationValue): DurationValue {
  return durationOf(nanosecondsOf(duration));
}

/** 0001-01-01T00:00:00Z, the first instant of cel-go's timestamps. */
const FIRST_INSTANT = utcTime(1, 1, 1, 0, 0, 0, 0);
/** 9999-12-31T23:59:59.999Z, the last one in milliseconds. */
const LAST_INSTANT = utcTime(9999, 12, 31, 23, 59, 59, 999);

/** `time` when cel-go's range holds it (the years 1 to 9999), else an error. */
export function checkedTimestamp(time: Date): Date {
  const ms = time.getTime();
  if (!(ms >= FIRST_INSTANT && ms <= LAST_INSTANT)) {
    throw new TimeOverflowError('timestamp', 'outside the years 1 to 9999');
  }
  return time;
}

/** Milliseconds since the epoch of a UTC date and time; years below 100 stay as written. */
function utcTime(year: number, month: number, day: number, h: number, m: number, s: number, ms: number) {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(h, m, s, ms);
  return date.getTime();
}

const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5
  μs: 1_000n, // U+03BC
  ms: 1_000_000n,
  s: BILLION,
  m: 60n * BILLION,
  h: 3600n * BILLION,
};

/**
 * Go's `time.ParseDuration`, which cel-go's `duration(string)` is: a signed sequence of decimal
 * numbers, each with a unit (`1h30m`, `-1.5s`, `300ms`), or `0`. cel-js also took `s` for zero,
 * `1h 30m`'s parts and durations past int64 nanoseconds.
 */
export function parseDuration(text: string): DurationValue {
  const invalid = () => new Error(`invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  const negative = rest.startsWith('-');
  if (negative || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return durationOf(0n);
  if (rest === '') throw invalid();
  let total = 0n;
  while (rest !== '') {
    const match = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/.exec(rest);
    const [whole = '', integer = '', fraction = '', unitName = ''] = match ?? [];
    const unit = Object.hasOwn(UNIT_NANOS, unitName) ? UNIT_NANOS[unitName] : undefined;
    if (whole === '' || (integer === '' && fraction === '') || unit === undefined) throw invalid();
    total += BigInt(integer || '0') * unit;
    if (fraction !== '') total += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    rest = rest.slice(whole.length);
  }
  return durationOf(negative ? -total : total);
}

const RFC3339 =
  /^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})T(?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(?:\.(?<f>[0-9]+))?(?:Z|(?<sign>[+-])(?<oh>[0-9]{2}):(?<om>[0-9]{2}))$/;

/**
 * Go's `time.Parse(time.RFC3339, …)` within cel-go's range, which cel-go's `timestamp(string)`
 * is (`common/types/string.go`). cel-js handed the text to `Date`, which also takes
 * `2024-01-01 00:00:00Z`, `Mon, 01 Jan 2024 00:00:00 GMT` and February 30 (as March 1).
 * Fractions beyond milliseconds are dropped: cel-js keeps timestamps as `Date`s.
 */
export function parseTimestamp(text: string): Date {
  const fields = RFC3339.exec(text)?.groups;
  const n = (name: string) => Number(fields?.[name] ?? 0);
  const ms = Number((fields?.f ?? '').padEnd(3, '0').slice(0, 3));
  const time = utcTime(n('y'), n('mo'), n('d'), n('h'), n('mi'), n('s'), ms);
  const date = new Date(time);
  const valid =
    fields !== undefined &&
    date.getUTCMonth() + 1 === n('mo') &&
    date.getUTCDate() === n('d') &&
    n('h') <= 23 &&
    n('mi') <= 59 &&
    n('s') <= 59 &&
    n('oh') <= 23 &&
    n('om') <= 59;
  if (!valid) throw new Error(`invalid timestamp ${JSON.stringify(text)}: not RFC 3339`);
  const offset = (n('oh') * 60 + n('om')) * 60_000 * (fields.sign === '-' ? -1 : 1);
  return checkedTimestamp(new Date(time - offset));
}

/** Go's `Format(time.RFC3339Nano)` of a UTC time, which cel-go's `string(timestamp)` is. */
export function formatTimestamp(time: Date): string {
  return time.toISOString().replace(/\.([0-9]*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

/** cel-go's `string(duration)`: seconds with the fraction they need (`5400s`, `1.5s`). */
export function formatDuration(duration: DurationValue): string {
  const total = nanosecondsOf(duration);
  return `${formatFixed(Number(total / BILLION) + Number(total % BILLION) / 1e9)}s`;
}

/**
 * Durations and timestamps as cel-go has them (`common/types` duration.go, timestamp.go,
 * overflow.go; `common/stdlib`), where cel-js differs: `duration(string)` and
 * `timestamp(string)` parse as Go does and refuse what is out of range (int64 nanoseconds; the
 * years 1 to 9999); `duration(int)` (nanoseconds), `duration(duration)`,
 * `timestamp(timestamp)`, `int(duration)`, `string(duration)` (`5400s`), `string(timestamp)`
 * and `-duration`, which cel-js lacks. Arithmetic is checked in `cel-operators.ts`.
 */
export function registerTimeLibrary(env: Environment): void {
  const D = 'google.protobuf.Duration';
  const T = 'google.protobuf.Timestamp';
  registerReplacement(env, `duration(string): ${D}`, parseDuration);
  registerOverload(env, `duration(${D}): ${D}`, (duration: DurationValue) => duration);
  registerOverload(env, `duration(int): ${D}`, durationOf);
  registerReplacement(env, `timestamp(string): ${T}`, parseTimestamp);
  registerReplacement(env, `timestamp(int): ${T}`, (seconds: bigint) => {
    const ms = Number(seconds) * 1000;
    return checkedTimestamp(new Date(Number.isFinite(ms) ? ms : NaN));
  });
  registerOverload(env, `timestamp(${T}): ${T}`, (time: Date) => time);
  registerOverload(env, `int(${D}): int`, nanosecondsOf);
  registerOverload(env, `string(${D}): string`, formatDuration);
  registerOverload(env, `string(${T}): string`, formatTimestamp);
  env.registerOperator(`-${D}`, (duration: DurationValue) => durationOf(-nanosecondsOf(duration)));
}
