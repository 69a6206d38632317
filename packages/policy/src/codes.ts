import type { Severity } from '@shipshape/core';

/** A diagnostic code of the policy engine itself, with its title and help. */
export interface PolicyCodeInfo {
  readonly code: string;
  readonly title: string;
  readonly help: string;
  readonly defaultSeverity: Severity;
}

/**
 * Codes the engine reports about exceptions and rules (rules report under their own ids).
 *
 * @example
 * ```ts
 * POLICY_CODES.map((c) => c.code); // ['policy/invalid-exception', 'policy/unused-exception', 'policy/rule-error']
 * ```
 */
export const POLICY_CODES: readonly PolicyCodeInfo[] = [
  {
    code: 'policy/invalid-exception',
    title: 'Exception annotation cannot be read',
    help: 'Each line of the `shipshape.dev/exceptions` annotation is `rule-id[, rule-id…]: reason`; the reason is required.',
    defaultSeverity: 'error',
  },
  {
    code: 'policy/unused-exception',
    title: 'Exception annotation matches nothing',
    help: 'An entry of `shipshape.dev/exceptions` names rules that report nothing on this resource; remove it so exceptions stay meaningful.',
    defaultSeverity: 'warning',
  },
  {
    code: 'policy/rule-error',
    title: 'A rule failed',
    help: 'A rule threw while checking; the check went on without it. For a custom rule, fix the rule; for a built-in one, report a bug.',
    defaultSeverity: 'error',
  },
];
