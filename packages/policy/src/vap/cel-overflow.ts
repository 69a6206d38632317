/**
 * int64 overflow of the operators cel-js leaves unchecked. cel-go reports an overflow for every
 * int operation whose result leaves the int64 range (`common/types/overflow.go`); cel-js checks
 * `+`, `-` and `*` but computes `-x`, `x / y` and `x % y` on unbounded bigints, so
 * `-(-9223372036854775807 - 1)` gives 2^63 and `(-9223372036854775807 - 1) % -1` gives 0.
 *
 * cel-js has no way to replace a built-in operator (registering one again throws), so
 * {@link guardIntegerOperators} wraps the handler cel-js's type checker stores on each such node
 * (`node.handle`, an internal of cel-js 8). The tests of `vap-cel.test.ts` fail if that changes.
 */

export const MIN_INT = -(2n ** 63n);
export const MAX_INT = 2n ** 63n - 1n;

/** The error cel-go gives when an int operation leaves the int64 range. */
export class IntOverflowError extends Error {
  readonly code = 'int-overflow';
  constructor(operation: string) {
    super(`integer overflow: ${operation}`);
    this.name = 'IntOverflowError';
  }
}

type Handle = (...args: unknown[]) => unknown;

interface CheckedNode {
  readonly op: string;
  readonly args: unknown;
  handle?: Handle;
}

/**
 * Make a type-checked program report int overflow of unary minus, `/` and `%` as cel-go does.
 * Walks the syntax tree once; the wrappers test their operands before calling cel-js.
 */
export function guardIntegerOperators(ast: unknown): void {
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
  if (node.op === '-_') {
    node.handle = (operand: unknown, ...rest: unknown[]) => {
      if (operand === MIN_INT) throw new IntOverflowError(`-(${MIN_INT})`);
      return handle(operand, ...rest);
    };
  } else if (node.op === '/' || node.op === '%') {
    const op = node.op;
    node.handle = (left: unknown, right: unknown, ...rest: unknown[]) => {
      if (left === MIN_INT && right === -1n) throw new IntOverflowError(`${MIN_INT} ${op} -1`);
      return handle(left, right, ...rest);
    };
  }
}

function isNode(value: object): value is CheckedNode {
  return typeof (value as { op?: unknown }).op === 'string' && 'args' in value;
}

/**
 * Int literals outside the int64 range, which cel-go's parser refuses and cel-js reads as
 * unbounded bigints. `-9223372036854775808` is one literal in CEL's grammar (the sign belongs to
 * it), so 2^63 directly under a minus is allowed.
 */
export function outOfRangeIntLiterals(source: string, ast: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, negated: boolean): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item, false);
      return;
    }
    if (!isNode(value)) {
      for (const item of Object.values(value)) visit(item, false);
      return;
    }
    if (value.op === 'value') {
      const literal = value.args;
      const allowed = negated && literal === -MIN_INT;
      if (typeof literal === 'bigint' && !allowed && (literal > MAX_INT || literal < MIN_INT)) {
        const { start, end } = value as unknown as { start: number; end: number };
        out.push(source.slice(start, end));
      }
      return;
    }
    if (value.op === 'id') return;
    visit(value.args, value.op === '-_');
  };
  visit(ast, false);
  return out;
}
