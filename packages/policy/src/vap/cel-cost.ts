/**
 * The evaluation budget. cel-js bounds expressions only at parse time (AST size and depth), so a
 * comprehension nested in a comprehension over a long list could run for minutes. Each compiled
 * expression is rewritten so that the receiver of every macro that iterates (`all`, `exists`,
 * `exists_one`, `map`, `filter`) goes through {@link COST_FUNCTION}, which charges the size of the
 * list or map before the loop starts; library functions charge the size of what they walk. One
 * meter is shared by every expression of one policy evaluation (a binding, a param, a resource),
 * like the per-evaluation budget of the API server, and throws {@link CostLimitError} once spent.
 */

/** Units one policy evaluation may spend by default: about a million visited list elements. */
export const DEFAULT_COST_BUDGET = 1_000_000;

/** The name of the charging function the rewrite inserts; not meant to be written by users. */
export const COST_FUNCTION = 'shipshapeCost';

/** Thrown when an evaluation spends more than its budget. */
export class CostLimitError extends Error {
  readonly code = 'cost-limit';
  constructor(budget: number) {
    super(`the evaluation exceeded its cost budget of ${budget} (iterations over lists and maps)`);
    this.name = 'CostLimitError';
  }
}

/**
 * Counts what one evaluation spends. As on the API server, each expression may spend `budget`
 * (its per-call limit, 1,000,000 by default) and all the expressions of one evaluation ten times
 * that (the runtime budget of a policy evaluation, 10,000,000).
 */
export class CostMeter {
  readonly budget: number;
  /** What all the expressions of one evaluation may spend together. */
  readonly total: number;
  #spent = 0;
  #expressionStart = 0;

  constructor(budget: number = DEFAULT_COST_BUDGET) {
    this.budget = budget;
    this.total = budget * 10;
  }

  /** Start a new evaluation with the whole budget. */
  reset(): void {
    this.#spent = 0;
    this.#expressionStart = 0;
  }

  /** Start an expression: it may spend `budget` of what is left. */
  beginExpression(): void {
    this.#expressionStart = this.#spent;
  }

  get exhausted(): boolean {
    return this.#spent > this.total || this.#spent - this.#expressionStart > this.budget;
  }

  /** Whether the evaluation has spent more than its total (not only one expression its own limit). */
  get spentTotal(): boolean {
    return this.#spent > this.total;
  }

  /** The limit that was passed, for the message. */
  get limit(): number {
    return this.#spent > this.total ? this.total : this.budget;
  }

  /** Spend `units`; throw once a limit is exceeded (and on every call after that). */
  charge(units: number): void {
    this.#spent += units;
    if (this.exhausted) throw new CostLimitError(this.limit);
  }

  /** Charge the size of a list, map or string that is about to be walked. */
  chargeSize(value: unknown): void {
    this.charge(1 + sizeOf(value));
  }
}

/** `fn`, charging one unit per call: for library functions that do constant work. */
export function charged<A extends unknown[], R>(meter: CostMeter, fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    meter.charge(1);
    return fn(...args);
  };
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 0;
}
