export {
  type Diagnostic,
  type Result,
  type SeverityCounts,
  compareDiagnostics,
  countSeverities,
  sortDiagnostics,
} from './diagnostic.js';
export { formatPointer, parsePointer, valueAtPointer } from './json-pointer.js';
export type { KubernetesObject, Resource, ResourceSource, SpanLocator } from './resource.js';
export {
  type ResourceId,
  type ResourceKey,
  compareResourceKeys,
  compareText,
  formatResourceKey,
  parseResourceKey,
  sameResourceKey,
  splitApiVersion,
} from './resource-key.js';
export { SEVERITIES, type Severity, isAtLeast, isSeverity } from './severity.js';
export { LineIndex, type SourcePosition, type SourceSpan } from './source-span.js';
