import type { Environment } from '@marcbachmann/cel-js';
import { type CostMeter, charged } from './cel-cost.js';
import { goQuote } from './cel-values.js';

/** A semantic version (semver.org 2.0.0); build metadata does not take part in comparisons. */
export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly prerelease: readonly string[],
  ) {}

  compare(other: Semver): number {
    for (const key of ['major', 'minor', 'patch'] as const) {
      if (this[key] !== other[key]) return this[key] < other[key] ? -1 : 1;
    }
    return comparePrerelease(this.prerelease, other.prerelease);
  }
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * Parse a version. With `normalize`, a leading `v` is dropped, missing minor and patch numbers
 * become 0 and leading zeros are removed (as Kubernetes' `semver(s, true)` does).
 */
export function parseSemver(text: string, normalize = false): Semver | undefined {
  const match = SEMVER.exec(normalize ? normalizeSemver(text) : text);
  if (!match) return undefined;
  const [, major = '0', minor = '0', patch = '0', prerelease] = match;
  return new Semver(BigInt(major), BigInt(minor), BigInt(patch), prerelease ? prerelease.split('.') : []);
}

function normalizeSemver(text: string): string {
  const trimmed = text.startsWith('v') ? text.slice(1) : text;
  const end = trimmed.search(/[-+]/);
  const core = end >= 0 ? trimmed.slice(0, end) : trimmed;
  const parts = core.split('.');
  if (parts.length > 3 || parts.some((p) => !/^\d+$/.test(p))) return text;
  while (parts.length < 3) parts.push('0');
  return parts.map((p) => String(BigInt(p))).join('.') + (end >= 0 ? trimmed.slice(end) : '');
}

function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  // A release ranks above its pre-releases.
  if (a.length === 0 || b.length === 0) return Math.sign(b.length - a.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x === y) continue;
    const xNum = /^\d+$/.test(x);
    const yNum = /^\d+$/.test(y);
    if (xNum && yNum) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xNum !== yNum) return xNum ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

function semverOf(text: string, normalize: boolean): Semver {
  const version = parseSemver(text, normalize);
  if (!version) throw new Error(semverProblem(normalize ? normalizeSemver(text) : text));
  return version;
}

/** Why blang/semver's `Parse` (which the library calls) refuses `text`, in its words. */
function semverProblem(text: string): string {
  if (text === '') return 'Version string empty';
  const parts = text.split('.');
  if (parts.length < 3) return 'No Major.Minor.Patch elements found';
  const [major = '', minor = '', ...rest] = parts;
  let patch = rest.join('.');
  const number = (part: string, name: string): string | undefined => {
    if (!/^[0-9]*$/.test(part))
      return `Invalid character(s) found in ${name.toLowerCase()} number ${goQuote(part)}`;
    if (part.length > 1 && part.startsWith('0'))
      return `${name} number must not contain leading zeroes ${goQuote(part)}`;
    if (part === '') return 'strconv.ParseUint: parsing "": invalid syntax';
    return undefined;
  };
  const early = number(major, 'Major') ?? number(minor, 'Minor');
  if (early !== undefined) return early;
  let build: string[] = [];
  let prerelease: string[] = [];
  const plus = patch.indexOf('+');
  if (plus >= 0) {
    build = patch.slice(plus + 1).split('.');
    patch = patch.slice(0, plus);
  }
  const dash = patch.indexOf('-');
  if (dash >= 0) {
    prerelease = patch.slice(dash + 1).split('.');
    patch = patch.slice(0, dash);
  }
  const late = number(patch, 'Patch');
  if (late !== undefined) return late;
  for (const part of prerelease) {
    if (part === '') return 'Prerelease is empty';
    if (/^[0-9]+$/.test(part) && part.length > 1 && part.startsWith('0'))
      return `Numeric PreRelease version must not contain leading zeroes ${goQuote(part)}`;
    if (!/^[0-9A-Za-z-]+$/.test(part)) return `Invalid character(s) found in prerelease ${goQuote(part)}`;
  }
  for (const part of build) {
    if (part === '') return 'Buildmetadata is empty';
    if (!/^[0-9A-Za-z-]+$/.test(part))
      return `Invalid character(s) found in build meta data ${goQuote(part)}`;
  }
  return `invalid semver: ${goQuote(text)}`;
}

/**
 * The Kubernetes semver library: `semver()`, `isSemver()` (both with an optional `normalize`
 * flag), `major()`, `minor()`, `patch()`, `isGreaterThan()`, `isLessThan()`, `compareTo()`, `==`.
 */
export function registerSemverLibrary(env: Environment, meter: CostMeter): void {
  env.registerType('Semver', Semver);
  env.registerFunction(
    'semver(string): Semver',
    charged(meter, (text: string) => semverOf(text, false)),
  );
  env.registerFunction('semver(string, bool): Semver', charged(meter, semverOf));
  env.registerFunction(
    'isSemver(string): bool',
    charged(meter, (text: string) => parseSemver(text) !== undefined),
  );
  env.registerFunction(
    'isSemver(string, bool): bool',
    charged(meter, (text: string, n: boolean) => parseSemver(text, n) !== undefined),
  );
  env.registerFunction('Semver.major(): int', (v: Semver) => v.major);
  env.registerFunction('Semver.minor(): int', (v: Semver) => v.minor);
  env.registerFunction('Semver.patch(): int', (v: Semver) => v.patch);
  env.registerFunction('Semver.isGreaterThan(Semver): bool', (a: Semver, b: Semver) => a.compare(b) > 0);
  env.registerFunction('Semver.isLessThan(Semver): bool', (a: Semver, b: Semver) => a.compare(b) < 0);
  env.registerFunction('Semver.compareTo(Semver): int', (a: Semver, b: Semver) => BigInt(a.compare(b)));
  env.registerOperator('Semver == Semver', (a: Semver, b: Semver) => a.compare(b) === 0);
}
