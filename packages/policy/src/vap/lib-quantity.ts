import type { Environment } from '@marcbachmann/cel-js';
import { type CostMeter, charged as chargedBy } from './cel-cost.js';
import { MAX_INT, MIN_INT } from './cel-overflow.js';

/**
 * A Kubernetes resource quantity (`500m`, `1.5Gi`, `2e3`) held exactly as a fraction, so that
 * comparisons never round. Quantities beyond 10^±100 are refused rather than capped.
 */
export class Quantity {
  /** Numerator; the sign lives here. */
  readonly num: bigint;
  /** Denominator, always positive. */
  readonly den: bigint;

  constructor(num: bigint, den: bigint) {
    const divisor = gcd(num < 0n ? -num : num, den);
    this.num = num / divisor;
    this.den = den / divisor;
  }

  compare(other: Quantity): number {
    const left = this.num * other.den;
    const right = other.num * this.den;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  negate(): Quantity {
    return new Quantity(-this.num, this.den);
  }

  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
}

const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;
const MAX_EXPONENT = 100;

/** Parse a quantity, or return `undefined` when the text is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign = '', number = '', suffix, exponentText] = match;
  const [whole = '', fraction = ''] = number.split('.');
  let num = BigInt(`${whole}${fraction}` || '0');
  let den = 10n ** BigInt(fraction.length);
  if (sign === '-') num = -num;
  let exponent = 0;
  if (suffix !== undefined && BINARY[suffix] !== undefined) num *= 2n ** BigInt(BINARY[suffix]);
  else if (suffix !== undefined) exponent = DECIMAL[suffix] ?? 0;
  else if (exponentText !== undefined) exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  if (exponent >= 0) num *= 10n ** BigInt(exponent);
  else den *= 10n ** BigInt(-exponent);
  return new Quantity(num, den);
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

/** apimachinery's ParseQuantity: the quantity, or its error (its format check, then its suffix). */
function quantityOf(text: string): Quantity {
  const q = parseQuantity(text);
  if (!q) throw new Error(SUFFIX_ONLY.test(text) ? "unable to parse quantity's suffix" : FORMAT_WRONG);
  return q;
}

// A number followed by suffix characters passes apimachinery's format check; only an unknown
// suffix ("10Mm") is left to fail.
const SUFFIX_ONLY = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eEinumkKMGTP]*[-+]?[0-9]*$/;
const FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function fromInt(value: bigint): Quantity {
  return new Quantity(value, 1n);
}

function isInt64(q: Quantity): boolean {
  return q.den === 1n && q.num >= MIN_INT && q.num <= MAX_INT;
}

/**
 * The Kubernetes quantity library: `quantity()`, `isQuantity()`, `sign()`, `isInteger()`,
 * `asInteger()`, `asApproximateFloat()`, `add()`, `sub()` (with a quantity or an int),
 * `isGreaterThan()`, `isLessThan()`, `compareTo()` and `==` (equal values, whatever the notation).
 */
export function registerQuantityLibrary(env: Environment, meter: CostMeter): void {
  const charged = <A extends unknown[], R>(fn: (...args: A) => R) => chargedBy(meter, fn);
  env.registerType('Quantity', Quantity);
  env.registerFunction('quantity(string): Quantity', charged(quantityOf));
  env.registerFunction(
    'isQuantity(string): bool',
    charged((text: string) => parseQuantity(text) !== undefined),
  );
  // Kubernetes declares sign as a function (`sign(q)`); its documentation calls it as a method.
  const sign = charged((q: Quantity) => BigInt(q.compare(fromInt(0n))));
  env.registerFunction('sign(Quantity): int', sign);
  env.registerFunction('Quantity.sign(): int', sign);
  env.registerFunction('Quantity.isInteger(): bool', charged(isInt64));
  env.registerFunction(
    'Quantity.asInteger(): int',
    charged((q: Quantity) => {
      if (!isInt64(q)) throw new Error('cannot convert value to integer');
      return q.num;
    }),
  );
  env.registerFunction(
    'Quantity.asApproximateFloat(): double',
    charged((q: Quantity) => Number(q.num) / Number(q.den)),
  );
  env.registerFunction(
    'Quantity.add(Quantity): Quantity',
    charged((a: Quantity, b: Quantity) => a.add(b)),
  );
  env.registerFunction(
    'Quantity.add(int): Quantity',
    charged((a: Quantity, b: bigint) => a.add(fromInt(b))),
  );
  env.registerFunction(
    'Quantity.sub(Quantity): Quantity',
    charged((a: Quantity, b: Quantity) => a.add(b.negate())),
  );
  env.registerFunction(
    'Quantity.sub(int): Quantity',
    charged((a: Quantity, b: bigint) => a.add(fromInt(-b))),
  );
  env.registerFunction(
    'Quantity.isGreaterThan(Quantity): bool',
    charged((a: Quantity, b: Quantity) => a.compare(b) > 0),
  );
  env.registerFunction(
    'Quantity.isLessThan(Quantity): bool',
    charged((a: Quantity, b: Quantity) => a.compare(b) < 0),
  );
  env.registerFunction(
    'Quantity.compareTo(Quantity): int',
    charged((a: Quantity, b: Quantity) => BigInt(a.compare(b))),
  );
  env.registerOperator('Quantity == Quantity', (a: Quantity, b: Quantity) => a.compare(b) === 0);
}
