import type { SchemaBundle } from './bundle.js';
import { diffHints } from './diff-hints.js';

/** How the entries of one list are identified, for merging and diffing. */
export interface ListKeys {
  /** JSON Pointer pattern of the list; `*` stands for any index of an enclosing list. */
  readonly path: string;
  /** `x-kubernetes-list-type`: `atomic`, `set` or `map`. */
  readonly listType?: string;
  /** `x-kubernetes-list-map-keys` (server-side apply identity). */
  readonly mapKeys?: readonly string[];
  /** `x-kubernetes-patch-merge-key` (strategic merge patch identity). */
  readonly patchMergeKey?: string;
  /** `x-kubernetes-patch-strategy`, e.g. `merge` or `merge,retainKeys`. */
  readonly patchStrategy?: string;
}

/**
 * The keyed lists of a kind, for the diff engine: where they are and what identifies an entry.
 * Recursive definitions (JSONSchemaProps) are followed once per path.
 *
 * @example
 * ```ts
 * listKeys(bundle, 'apps/v1/Deployment').find((l) => l.path === '/spec/template/spec/containers');
 * // { path: '/spec/template/spec/containers', listType: 'map', mapKeys: ['name'], patchMergeKey: 'name', patchStrategy: 'merge' }
 * ```
 */
export function listKeys(bundle: SchemaBundle, gvk: string): ListKeys[] {
  return [...diffHints(bundle, gvk).lists];
}
