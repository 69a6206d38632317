export { type AdmissionPolicyRuleOptions, admissionPolicyRule } from './admission-policy-rule.js';
export { DEFAULT_COST_BUDGET } from './cel-cost.js';
export { VAP_CODES } from './run-admission.js';
