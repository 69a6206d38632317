import type { Environment } from '@marcbachmann/cel-js';
import { compareCelValues } from './cel-compare.js';
import type { CostMeter } from './cel-cost.js';

/**
 * cel-go extensions the API server enables that cel-js lacks: `base64.encode`/`base64.decode`,
 * `strings.quote`, and the math extension (`math.greatest`, `math.least` of up to six values or a
 * list, `ceil`, `floor`, `round`, `trunc`, `abs`, `sign`, `isInf`, `isNaN`, `isFinite`, and the
 * bit operations on ints). Each walk of a list or string is charged to `meter`.
 */
export function registerExtensionLibrary(env: Environment, meter: CostMeter): void {
  const namespace = (type: string, name: string): void => {
    const Namespace = class {};
    Object.defineProperty(Namespace, 'name', { value: type });
    env.registerType(type, Namespace);
    env.registerConstant(name, type, new Namespace());
  };

  namespace('Base64Namespace', 'base64');
  env.registerFunction('Base64Namespace.encode(bytes): string', (_: unknown, data: Uint8Array) => {
    meter.charge(1 + data.length);
    let binary = '';
    for (const byte of data) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  env.registerFunction('Base64Namespace.decode(string): bytes', (_: unknown, text: string) => {
    meter.chargeSize(text);
    let binary: string;
    try {
      // cel-go accepts the encoding with or without padding.
      const padded = text.length % 4 === 0 ? text : text + '='.repeat(4 - (text.length % 4));
      binary = atob(padded);
    } catch {
      throw new Error('base64.decode: illegal base64 data');
    }
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  });

  namespace('StringsNamespace', 'strings');
  env.registerFunction('StringsNamespace.quote(string): string', (_: unknown, text: string) => {
    meter.chargeSize(text);
    let out = '"';
    for (const c of text) out += QUOTED[c] ?? c;
    return `${out}"`;
  });

  namespace('MathNamespace', 'math');
  const extreme = (values: readonly unknown[], sign: 1 | -1, name: string): unknown => {
    meter.charge(1 + values.length);
    if (values.length === 0) throw new Error(`math.${name}(): no arguments`);
    let best = values[0];
    for (const value of values.slice(1)) if (compareCelValues(value, best) * sign > 0) best = value;
    return best;
  };
  for (const [name, sign] of [
    ['greatest', 1],
    ['least', -1],
  ] as const) {
    // One argument may be a list of the values (`math.greatest([1, 2])`).
    for (let arity = 1; arity <= 6; arity++) {
      const params = Array.from({ length: arity }, () => 'dyn').join(', ');
      env.registerFunction(`MathNamespace.${name}(${params}): dyn`, (_: unknown, ...values: unknown[]) =>
        values.length === 1 && Array.isArray(values[0])
          ? extreme(values[0] as unknown[], sign, name)
          : extreme(values, sign, name),
      );
    }
  }
  const doubles: Record<string, (x: number) => number> = {
    ceil: Math.ceil,
    floor: Math.floor,
    // Half away from zero, as Go's math.Round.
    round: (x) => Math.sign(x) * Math.round(Math.abs(x)),
    trunc: Math.trunc,
  };
  for (const [name, fn] of Object.entries(doubles)) {
    env.registerFunction(`MathNamespace.${name}(double): double`, (_: unknown, x: number) => fn(x));
  }
  env.registerFunction('MathNamespace.abs(int): int', (_: unknown, x: bigint) => {
    if (x === -(2n ** 63n)) throw new Error('math.abs() overflow');
    return x < 0n ? -x : x;
  });
  env.registerFunction('MathNamespace.abs(double): double', (_: unknown, x: number) => Math.abs(x));
  env.registerFunction('MathNamespace.sign(int): int', (_: unknown, x: bigint) =>
    x > 0n ? 1n : x < 0n ? -1n : 0n,
  );
  env.registerFunction('MathNamespace.sign(double): double', (_: unknown, x: number) =>
    Number.isNaN(x) ? x : Math.sign(x),
  );
  env.registerFunction(
    'MathNamespace.isInf(double): bool',
    (_: unknown, x: number) => Math.abs(x) === Infinity,
  );
  env.registerFunction('MathNamespace.isNaN(double): bool', (_: unknown, x: number) => Number.isNaN(x));
  env.registerFunction('MathNamespace.isFinite(double): bool', (_: unknown, x: number) => Number.isFinite(x));
  const toInt64 = (x: bigint): bigint => BigInt.asIntN(64, x);
  env.registerFunction('MathNamespace.bitAnd(int, int): int', (_: unknown, a: bigint, b: bigint) => a & b);
  env.registerFunction('MathNamespace.bitOr(int, int): int', (_: unknown, a: bigint, b: bigint) => a | b);
  env.registerFunction('MathNamespace.bitXor(int, int): int', (_: unknown, a: bigint, b: bigint) => a ^ b);
  env.registerFunction('MathNamespace.bitNot(int): int', (_: unknown, a: bigint) => ~a);
  env.registerFunction('MathNamespace.bitShiftLeft(int, int): int', (_: unknown, a: bigint, n: bigint) => {
    if (n < 0n) throw new Error('math.bitShiftLeft() negative offset');
    return n > 63n ? 0n : toInt64(a << n);
  });
  env.registerFunction('MathNamespace.bitShiftRight(int, int): int', (_: unknown, a: bigint, n: bigint) => {
    if (n < 0n) throw new Error('math.bitShiftRight() negative offset');
    // cel-go shifts ints as unsigned 64-bit values.
    return n > 63n ? 0n : toInt64(BigInt.asUintN(64, a) >> n);
  });
}

const QUOTED: Readonly<Record<string, string>> = {
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
