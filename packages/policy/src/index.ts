export { EXCEPTIONS_ANNOTATION, matchesRule } from './annotations.js';
export { bestPracticeRules, createBestPracticeRules, POLARIS_CHECKS } from './best-practices/index.js';
export { type RuleGroup, ruleCatalogue } from './catalogue.js';
export { POLICY_CODES, type PolicyCodeInfo } from './codes.js';
export {
  createPolicyEngine,
  type PolicyEngine,
  type PolicyEngineOptions,
  type PolicyTimings,
  type RuleSetting,
  type RuleTiming,
} from './engine.js';
export { isPackName, loadPack, PACK_NAMES, type PackName, packConflict, packRules } from './packs.js';
export {
  evaluatePodSecurity,
  evaluateWorkloadSecurity,
  type PodSecurityConfig,
  type PodSecurityConfigProblem,
  type PodSecurityFailure,
  type PodSecurityFinding,
  type PodSecurityResult,
  PSS_CHECK_IDS,
  PSS_LEVELS,
  type PssCheckId,
  type PssLevel,
  podSecurityOptions,
  pssRules,
} from './pss/index.js';
export type {
  Finding,
  FinishContext,
  HeldFinding,
  ResourceFinding,
  RestatedFinding,
  Rule,
  RuleCategory,
  RuleContext,
  RuleDocs,
  RuleExample,
  RuleOption,
  RulePack,
} from './rule.js';
export { renderRuleIndex, renderRulePage, rulePageName } from './rule-docs.js';
export { type OptionProblem, ruleOptionProblems } from './rule-options.js';
export {
  type AdmissionPolicyRuleOptions,
  admissionPolicyRule,
  type CrdRuleEvaluatorOptions,
  type CrdRuleEvaluators,
  type CrdRuleOutcome,
  crdRuleEvaluators,
  DEFAULT_COST_BUDGET,
  type KindSchemas,
  keptWhenPruning,
  prunedObjects,
  VAP_CODES,
} from './vap/index.js';
export {
  type ContainerRef,
  containersOf,
  dig,
  isObject,
  isWorkload,
  POD_KINDS,
  type PodSpecOptions,
  type PodSpecRef,
  podSpecOf,
  pointerToken,
} from './workloads.js';
