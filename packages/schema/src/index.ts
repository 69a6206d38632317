export { closest } from '@shipshape/core';
export {
  BUNDLED_KUBERNETES_VERSIONS,
  compareVersions,
  DEPRECATIONS,
  type Deprecation,
  type JsonSchema,
  loadKubernetesSchemas,
  type ResolvedVersion,
  resolveKubernetesVersion,
  type SchemaBundle,
} from './bundle.js';
export { SCHEMA_CODES, type SchemaCodeInfo } from './codes.js';
export type { CelCompiler } from './crd-validation-rules.js';
export { crdDiffHints, type DiffHints, diffHints } from './diff-hints.js';
export {
  interpretSchema,
  type MessageEvaluator,
  type RuleEvaluator,
  type SchemaError,
  type Transition,
} from './interpret.js';
export { type ListKeys, listKeys } from './list-keys.js';
export {
  type CelEvaluators,
  createSchemaValidator,
  type SchemaValidator,
  type SchemaValidatorOptions,
  validateResources,
} from './validator.js';
