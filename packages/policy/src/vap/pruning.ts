/**
 * Whether a sync that prunes leaves `object` in the cluster when the repository no longer has it:
 * the object opts out of pruning itself, so no DELETE is sent.
 *
 * - Argo CD: `argocd.argoproj.io/sync-options` lists `Prune=false` (options are separated by
 *   commas, white space around them trimmed; the resource's option overrides the Application's).
 *   `Prune=confirm` still deletes, once someone confirms: that is a DELETE.
 * - Flux: `kustomize.toolkit.fluxcd.io/prune: disabled`, as an annotation or a label.
 * - Helm: `helm.sh/resource-policy: keep`, which keeps a resource a release no longer renders.
 *
 * @example
 * ```ts
 * keptWhenPruning({ metadata: { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } } }); // true
 * ```
 */
export function keptWhenPruning(object: Readonly<Record<string, unknown>>): boolean {
  const metadata = fieldOf(object, 'metadata');
  const annotations = fieldOf(metadata, 'annotations');
  const labels = fieldOf(metadata, 'labels');
  const options = stringAt(annotations, 'argocd.argoproj.io/sync-options');
  if (options?.split(',').some((option) => option.trim() === 'Prune=false')) return true;
  const flux = 'kustomize.toolkit.fluxcd.io/prune';
  if (stringAt(annotations, flux) === 'disabled' || stringAt(labels, flux) === 'disabled') return true;
  return stringAt(annotations, 'helm.sh/resource-policy') === 'keep';
}

function fieldOf(value: unknown, key: string): Readonly<Record<string, unknown>> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const field = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  return field !== null && typeof field === 'object' && !Array.isArray(field)
    ? (field as Record<string, unknown>)
    : undefined;
}

function stringAt(map: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  const value = map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
