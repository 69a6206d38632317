export { type AdmissionPolicyRuleOptions, admissionPolicyRule } from './admission-policy-rule.js';
export { DEFAULT_COST_BUDGET } from './cel-cost.js';
export {
  type CrdRuleEvaluatorOptions,
  type CrdRuleEvaluators,
  type CrdRuleOutcome,
  crdRuleEvaluators,
} from './crd-rules.js';
export { keptWhenPruning, prunedObjects } from './pruning.js';
export { VAP_CODES } from './run-admission.js';
export type { KindSchemas } from './type-check.js';
