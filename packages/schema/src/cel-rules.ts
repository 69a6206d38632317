import { evaluate } from '@marcbachmann/cel-js';
import type { MessageEvaluator, RuleEvaluator } from './interpret.js';

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
    const message = (error instanceof Error ? error.message.split('\n')[0] : String(error)) ?? '';
    // A field the rule reads is absent: the API server rejects the object ("no such key").
    // Anything else (a Kubernetes library, int/double arithmetic this evaluator types otherwise)
    // is not guessed.
    if (/^No such key: /.test(message)) return { error: message.replace(/^No such key/, 'no such key') };
    return { notEvaluated: `CEL: ${message}` };
  }
};

/** A `messageExpression`'s text, when it evaluates to a string here. */
export const evaluateCelMessage: MessageEvaluator = (expression, self) => {
  try {
    const result: unknown = evaluate(expression, { self });
    return typeof result === 'string' ? result : undefined;
  } catch {
    return undefined;
  }
};
