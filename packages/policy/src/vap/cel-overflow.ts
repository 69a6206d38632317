/**
 * The int64 range of CEL ints. cel-go reports an overflow for every int operation whose result
 * leaves it (`common/types/overflow.go`) and its parser refuses literals outside it; cel-js
 * computes on unbounded bigints in places (`cel-operators.ts` guards those, `cel-analysis.ts`
 * finds the literals).
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
