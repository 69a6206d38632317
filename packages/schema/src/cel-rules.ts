import { evaluate } from '@marcbachmann/cel-js';
import type { MessageEvaluator, RuleEvaluator, Transition } from './interpret.js';

/**
 * Evaluate CRD validation rules with a standard CEL evaluator (@marcbachmann/cel-js: the CEL
 * spec's operators, macros and functions, no dependencies, runs in browsers). Rules that compare
 * with `oldSelf` run on an update (given its `transition`), except with `optionalOldSelf`; the
 * Kubernetes CEL libraries (`quantity()`, `url()`, `ip()`, …) are not in the standard set: those
 * are reported as not evaluated rather than guessed.
 */
export const evaluateCelRule: RuleEvaluator = (rule, self, _schema, transition) => {
  const bound = transitionVariables(rule, self, transition);
  if (!('self' in bound)) return bound.skip;
  try {
    const result: unknown = evaluate(rule, bound);
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
export const evaluateCelMessage: MessageEvaluator = (expression, self, _schema, transition) => {
  const bound = transitionVariables(expression, self, transition);
  if (!('self' in bound)) return undefined;
  try {
    const result: unknown = evaluate(expression, bound);
    return typeof result === 'string' ? result : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The variables of a rule: `self`, and `oldSelf` for a transition rule with an old value; or what
 * the rule gives without running: `true` where the API server does not run it (no old value on an
 * update), not evaluated where it cannot tell (no update known, or `optionalOldSelf`, which needs
 * optional types).
 */
function transitionVariables(
  rule: string,
  self: unknown,
  transition: Transition | undefined,
): { self: unknown; oldSelf?: unknown } | { skip: true | { notEvaluated: string } } {
  if (!/\boldSelf\b/.test(rule)) return { self };
  if (transition === undefined)
    return {
      skip: { notEvaluated: 'it is a transition rule (oldSelf): it needs the object stored in the cluster' },
    };
  if (transition.optionalOldSelf)
    return {
      skip: { notEvaluated: 'optionalOldSelf needs optional types, which the standard evaluator lacks' },
    };
  if (transition.old === undefined) return { skip: true };
  return { self, oldSelf: transition.old.value };
}
