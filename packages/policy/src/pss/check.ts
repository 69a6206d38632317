import type { RuleExample } from '../rule.js';
import type { PodSecurityFailure, PssCheckId } from './model.js';
import type { PodView } from './pod-view.js';

/** What a check variant reports when it forbids the pod (the check id is added by the caller). */
export type Violation = Omit<PodSecurityFailure, 'check'>;

/** One versioned behaviour of a check: it applies from policy version `v1.<since>` on. */
export interface CheckVariant {
  readonly since: number;
  readonly evaluate: (pod: PodView) => Violation | undefined;
  /** Examples for this variant, when its fields differ from the check's (seccomp annotations). */
  readonly examples?: readonly RuleExample[];
}

/** A check of the standard, with its variants (ascending `since`) and its documentation. */
export interface PssCheck {
  readonly id: PssCheckId;
  readonly level: 'baseline' | 'restricted';
  readonly variants: readonly CheckVariant[];
  /** The baseline check this restricted check replaces whenever it runs. */
  readonly overrides?: PssCheckId;
  readonly docs: {
    readonly summary: string;
    readonly details: string;
    readonly examples: readonly RuleExample[];
  };
}
