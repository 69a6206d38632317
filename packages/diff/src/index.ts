export { canonicalQuantity, parseQuantity, type Quantity, sameQuantity } from '@shipshape/core';
export type { Change } from './compare.js';
export {
  DIFF_ACTIONS,
  type DiffAction,
  type DiffResourceOptions,
  diffResource,
  type ResourceDiff,
} from './diff-resource.js';
export {
  type DiffOptions,
  type DiffResult,
  type DiffSummary,
  diffResources,
  isTrackedObject,
} from './diff-resources.js';
export type { DiffHints, HintsFor } from './hints.js';
export { type CompiledIgnoreRule, compileIgnoreRules, type IgnoreRule } from './ignore-rules.js';
export { type FieldSet, type ManagerSelector, ownedFields } from './managed-fields.js';
export { type MaskSecretOptions, maskSecretValues } from './mask-secrets.js';
export {
  evaluatePathExpression,
  type MatchOptions,
  matchPaths,
  type PathExpression,
  type PathMatch,
  parsePathExpression,
} from './path-expression.js';
