export { builtInKind, type KindInfo } from './built-in-kinds.js';
export { closest } from './closest.js';
export {
  compareDiagnostics,
  countSeverities,
  type Diagnostic,
  type Result,
  type SeverityCounts,
  type Suppression,
  sortDiagnostics,
} from './diagnostic.js';
export { formatPointer, parsePointer, valueAtPointer } from './json-pointer.js';
export { keepShape } from './keep-shape.js';
export { ownString, sharedString, stringPool } from './own-string.js';
export {
  canonicalQuantity,
  compareQuantities,
  parseQuantity,
  type Quantity,
  type QuantityFormat,
  sameQuantity,
} from './quantity.js';
export type { KubernetesObject, PlaceQuery, Resource, ResourceSource, SpanLocator } from './resource.js';
export {
  compareResourceKeys,
  compareText,
  formatResourceKey,
  parseResourceKey,
  type ResourceId,
  type ResourceKey,
  sameResourceKey,
  splitApiVersion,
} from './resource-key.js';
export { isAtLeast, isSeverity, SEVERITIES, type Severity } from './severity.js';
export { LineIndex, type SourcePosition, type SourceSpan } from './source-span.js';
export { syncOptions } from './sync-options.js';
