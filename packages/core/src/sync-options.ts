import { valueAtPointer } from './json-pointer.js';

const SYNC_OPTIONS = '/metadata/annotations/argocd.argoproj.io~1sync-options';

/**
 * The Argo CD sync options an object sets on itself (its `argocd.argoproj.io/sync-options`
 * annotation: options separated by commas, each trimmed), as Argo CD reads them. They decide how
 * the object is synced: `Prune=false`, `Prune=confirm`, `Replace=true`, `Force=true`, …
 *
 * @example
 * ```ts
 * syncOptions({ metadata: { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=confirm, Replace=true' } } }); // ['Prune=confirm', 'Replace=true']
 * ```
 */
export function syncOptions(object: unknown): string[] {
  const options = valueAtPointer(object, SYNC_OPTIONS);
  return typeof options === 'string' ? options.split(',').map((option) => option.trim()) : [];
}
