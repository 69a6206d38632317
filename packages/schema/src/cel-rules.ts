import { evaluate } from '@marcbachmann/cel-js';
import type { RuleEvaluator } from './interpret.js';

/**
 * Evaluate CRD validation rules with a standard CEL evaluator (@marcbachmann/cel-js: the CEL
 * spec's operators, macros and functions, no dependencies, runs in browsers). Rules that compare
 * with `oldSelf` need the object already in the cluster, and the Kubernetes CEL libraries
 * (`quantity()`, `url()`, `ip()`, …) are not in the standard set: those are reported as not
 * evaluated rather than guessed.
 */
export const evaluateCelRule: RuleEvaluator = (rule, self) => {
  if (/\boldSelf\b/.test(rule))
    return { notEvaluated: 'it is a transition rule (oldSelf): it needs the object stored in the cluster' };
  try {
    const result: unknown = evaluate(rule, { self });
    return result === true
      ? true
      : result === false
        ? false
        : { notEvaluated: `it did not give a boolean (${typeof result})` };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { notEvaluated: `CEL: ${message}` };
  }
};
