import { type Resource, syncOptions } from '@shipshape/core';
import { dig } from '../workloads.js';

/**
 * Whether a sync that prunes leaves `object` in the cluster when the repository no longer has it,
 * so that no DELETE is sent:
 *
 * - Argo CD: `argocd.argoproj.io/sync-options` lists `Prune=false` (options are separated by
 *   commas, white space around them trimmed; the resource's option overrides the Application's).
 *   `Prune=confirm` still deletes, once someone confirms: that is a DELETE.
 * - Flux: `kustomize.toolkit.fluxcd.io/prune: disabled`, as an annotation or a label.
 * - Helm: `helm.sh/resource-policy: keep`, which keeps a resource a release no longer renders.
 * - Hooks (`argocd.argoproj.io/hook`, `helm.sh/hook`): deleted by their own delete policy, never
 *   pruned.
 *
 * @example
 * ```ts
 * keptWhenPruning({ metadata: { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false' } } }); // true
 * ```
 */
export function keptWhenPruning(object: Readonly<Record<string, unknown>>): boolean {
  const annotation = (key: string) => stringAt(object, 'annotations', key);
  if (syncOptions(object).includes('Prune=false')) return true;
  const flux = 'kustomize.toolkit.fluxcd.io/prune';
  if (annotation(flux) === 'disabled' || stringAt(object, 'labels', flux) === 'disabled') return true;
  if (annotation('argocd.argoproj.io/hook') !== undefined || annotation('helm.sh/hook') !== undefined)
    return true;
  return annotation('helm.sh/resource-policy') === 'keep';
}

/**
 * The objects of `previous` that a sync which prunes deletes: those whose identity none of
 * `present` has, one per identity (the last given, as when they were applied), unless that one is
 * {@link keptWhenPruning}. `identity` names what counts as the same object (the caller's namespace
 * defaulting, version conversion, …); `undefined` leaves an object out.
 *
 * @example
 * ```ts
 * prunedObjects(before, now, (r) => `${r.id.group}/${r.id.kind}/${r.id.namespace}/${r.id.name}`);
 * ```
 */
export function prunedObjects(
  previous: readonly Resource[],
  present: readonly Resource[],
  identity: (resource: Resource) => string | undefined,
): Resource[] {
  const here = new Set(present.map(identity));
  const gone = new Map<string, Resource>();
  for (const old of previous) {
    const key = identity(old);
    if (key === undefined || here.has(key)) continue;
    gone.delete(key);
    if (!keptWhenPruning(old.object)) gone.set(key, old);
  }
  return [...gone.values()];
}

function stringAt(object: unknown, map: 'annotations' | 'labels', key: string): string | undefined {
  const value = dig(object, 'metadata', map, key);
  return typeof value === 'string' ? value : undefined;
}
