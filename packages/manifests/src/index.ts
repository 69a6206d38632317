export { type CodeInfo, MANIFEST_CODES } from './codes.js';
export type { FileLocator } from './document-locator.js';
export { findDuplicateResources } from './duplicates.js';
export {
  isKustomizationPath,
  isManifestPath,
  type KustomizationInputs,
  readKustomization,
} from './kustomize-files.js';
export {
  DEFAULT_PARSE_OPTIONS,
  type ManifestFile,
  type ParsedFile,
  type ParseOptions,
  parseManifestFile,
} from './parse-file.js';
export {
  type CollectorOptions,
  ManifestCollector,
  type ManifestSet,
  parseManifests,
} from './parse-manifests.js';
export { type DocumentRange, splitDocuments } from './split-documents.js';
export { KUBERNETES_YAML_SCHEMA } from './yaml-schema.js';
