import { IntOverflowError, MIN_INT } from './cel-overflow.js';
import { checkedDuration, checkedTimestamp, isDuration } from './lib-time.js';

/**
 * The checks cel-go makes on operators and cel-js does not (`common/types/overflow.go`):
 * - `-x`, `x / y` and `x % y` on ints overflow for the smallest int (cel-js computes on unbounded
 *   bigints: `-(-9223372036854775807 - 1)` gave 2^63, `(min int) % -1` gave 0);
 * - `+` and `-` on durations and timestamps stay within their ranges (a duration is int64
 *   nanoseconds, a timestamp lies in the years 1 to 9999), and a duration result is normalised
 *   so that cel-js's `==` sees equal durations as equal.
 *
 * cel-js has no way to replace a built-in operator (registering one again throws), so
 * {@link guardOperators} wraps the handler cel-js's type checker stores on each such node
 * (`node.handle`, an internal of cel-js 8). The tests of `vap-cel.test.ts` fail if that changes.
 */

type Handle = (...args: unknown[]) => unknown;

interface CheckedNode {
  readonly op: string;
  readonly args: unknown;
  handle?: Handle;
}

/** Make a type-checked program check its operators as cel-go does. Walks the syntax tree once. */
export function guardOperators(ast: unknown): void {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) {
      // The arguments of a comprehension: iterable, step, condition, as an object.
      for (const item of Object.values(value)) visit(item);
      return;
    }
    guard(value);
    if (value.op !== 'value' && value.op !== 'id') visit(value.args);
  };
  visit(ast);
}

function guard(node: CheckedNode): void {
  const handle = node.handle;
  if (typeof handle !== 'function') return;
  switch (node.op) {
    case '-_':
      node.handle = (operand: unknown, ...rest: unknown[]) => {
        if (operand === MIN_INT) throw new IntOverflowError(`-(${MIN_INT})`);
        return handle(operand, ...rest);
      };
      return;
    case '/':
    case '%': {
      const op = node.op;
      node.handle = (left: unknown, right: unknown, ...rest: unknown[]) => {
        if (left === MIN_INT && right === -1n) throw new IntOverflowError(`${MIN_INT} ${op} -1`);
        return handle(left, right, ...rest);
      };
      return;
    }
    case '+':
    case '-':
      node.handle = (...args: unknown[]) => {
        const result = handle(...args);
        if (result instanceof Date) return checkedTimestamp(result);
        return isDuration(result) ? checkedDuration(result) : result;
      };
      return;
  }
}

function isNode(value: object): value is CheckedNode {
  return typeof (value as { op?: unknown }).op === 'string' && 'args' in value;
}
