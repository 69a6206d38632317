import type { Environment } from '@marcbachmann/cel-js';
import { celEquals, compareCelValues } from './cel-compare.js';
import type { CostMeter } from './cel-cost.js';
import { IntOverflowError, MAX_INT, MIN_INT } from './cel-overflow.js';
import { registerOverload } from './cel-replacements.js';
import { registerNamespace } from './cel-values.js';
import { MAX_UINT, UintOverflowError, type UintValue, UnsignedInt } from './lib-numbers.js';
import { durationOf, isDuration, nanosecondsOf } from './lib-time.js';

/**
 * The Kubernetes list library (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`) and
 * cel-go's sets extension (`sets.contains`, `sets.equivalent`, `sets.intersects`). Each call
 * charges the cost meter for the elements it walks.
 */
export function registerListLibrary(env: Environment, meter: CostMeter): void {
  env.registerFunction('list<A>.isSorted(): bool', (list: readonly unknown[]) => {
    meter.chargeSize(list);
    for (let i = 1; i < list.length; i++) if (compareCelValues(list[i - 1], list[i]) > 0) return false;
    return true;
  });
  env.registerFunction('list<A>.sum(): A', (list: readonly unknown[]) => {
    meter.chargeSize(list);
    return sum(list);
  });
  env.registerFunction('list<A>.min(): A', (list: readonly unknown[]) => extreme(list, -1, meter));
  env.registerFunction('list<A>.max(): A', (list: readonly unknown[]) => extreme(list, 1, meter));
  registerOverload(env, 'list<A>.indexOf(A): int', (list: readonly unknown[], item: unknown) => {
    meter.chargeSize(list);
    return BigInt(list.findIndex((x) => celEquals(x, item)));
  });
  registerOverload(env, 'list<A>.lastIndexOf(A): int', (list: readonly unknown[], item: unknown) => {
    meter.chargeSize(list);
    return BigInt(list.findLastIndex((x) => celEquals(x, item)));
  });

  registerNamespace(env, 'SetsNamespace', 'sets');
  const setOperation = (name: string, test: (a: readonly unknown[], b: readonly unknown[]) => boolean) =>
    env.registerFunction(
      `SetsNamespace.${name}(list<dyn>, list<dyn>): bool`,
      (_: unknown, a: readonly unknown[], b: readonly unknown[]) => {
        meter.charge(1 + a.length * Math.max(1, b.length));
        return test(a, b);
      },
    );
  const contains = (a: readonly unknown[], b: readonly unknown[]) =>
    b.every((x) => a.some((y) => celEquals(x, y)));
  setOperation('contains', contains);
  setOperation('equivalent', (a, b) => contains(a, b) && contains(b, a));
  setOperation('intersects', (a, b) => a.some((x) => b.some((y) => celEquals(x, y))));
}

/**
 * The Kubernetes `sum()`: of ints, uints, doubles or durations (an empty list gives 0), with the
 * overflow errors of CEL's own `+`.
 */
function sum(list: readonly unknown[]): unknown {
  if (list.length === 0) return 0n;
  if (list.every((x) => typeof x === 'bigint')) {
    let total = 0n;
    for (const x of list as bigint[]) {
      total += x;
      if (total > MAX_INT || total < MIN_INT) throw new IntOverflowError('sum()');
    }
    return total;
  }
  if (list.every((x) => typeof x === 'number')) return (list as number[]).reduce((a, b) => a + b, 0);
  if (list.every((x) => x instanceof UnsignedInt)) {
    let total = 0n;
    for (const x of list as UintValue[]) {
      total += x.valueOf();
      if (total > MAX_UINT) throw new UintOverflowError('sum()');
    }
    return new UnsignedInt(total);
  }
  if (list.every(isDuration)) return durationOf(list.reduce((a, d) => a + nanosecondsOf(d), 0n));
  throw new Error('no such overload: sum() takes a list of ints, uints, doubles or durations');
}

function extreme(list: readonly unknown[], sign: 1 | -1, meter: CostMeter): unknown {
  meter.chargeSize(list);
  if (list.length === 0) throw new Error(`${sign > 0 ? 'max' : 'min'} called on empty list`);
  let best = list[0];
  for (const item of list.slice(1)) if (compareCelValues(item, best) * sign > 0) best = item;
  return best;
}
