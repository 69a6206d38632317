/**
 * The int64 range of CEL ints. cel-go reports an overflow for every int operation whose result
 * leaves it (`common/types/overflow.go`) and its parser refuses literals outside it; cel-js
 * computes on unbounded bigints in places (`cel-operators.ts` guards those).
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

interface AstNode {
  readonly op: string;
  readonly args: unknown;
}

function isNode(value: object): value is AstNode {
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
