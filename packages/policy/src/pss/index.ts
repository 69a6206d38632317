export {
  type PodSecurityConfig,
  type PodSecurityConfigProblem,
  podSecurityOptions,
} from './admission-config.js';
export { evaluatePodSecurity, evaluateWorkloadSecurity } from './evaluate.js';
export {
  type PodSecurityFailure,
  type PodSecurityFinding,
  type PodSecurityResult,
  PSS_CHECK_IDS,
  PSS_LEVELS,
  type PssCheckId,
  type PssLevel,
} from './model.js';
export { pssRules } from './rules.js';
