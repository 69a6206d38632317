import type { Diagnostic, Resource } from '@shipshape/core';
import { keptWhenPruning } from '@shipshape/policy';
import type { PreviousObjects } from './previous-objects.js';

/** The code of {@link destructivePrunes}. */
export const DESTRUCTIVE_PRUNE = 'check/destructive-prune';

const HOW_TO_KEEP =
  'if that is not meant, keep it in the repository or opt it out of pruning (Argo CD: the sync option Prune=false, or Prune=confirm to be asked first; Flux: kustomize.toolkit.fluxcd.io/prune: disabled)';

/**
 * With `--changed-since`, the objects the changed files held at the base ref that no checked
 * resource has now, whose deletion by a pruning sync (Argo CD's prune, Flux's `prune: true`)
 * deletes more than themselves: a Namespace (every object in it), a CustomResourceDefinition (every
 * custom resource of its kind), a PersistentVolumeClaim (its volume and data, when the volume's
 * reclaim policy is Delete, the default of dynamically provisioned ones). Each is a warning on the
 * object in its file at the base ref. Objects that opt out of pruning, that ask for a confirmation
 * first (Argo CD's `Prune=confirm`), or are hooks (deleted by their own policy, never pruned) are
 * left out.
 */
export function destructivePrunes(previous: PreviousObjects, present: readonly Resource[]): Diagnostic[] {
  const key = (r: Resource) => {
    const kind = CASCADES[`${r.id.group}/${r.id.kind}`];
    if (kind === undefined) return undefined;
    const namespace = kind.namespaced ? r.id.namespace || 'default' : '';
    return `${r.id.group}\u0000${r.id.kind}\u0000${namespace}\u0000${r.id.name}`;
  };
  const here = new Set(present.map(key));
  // Of two previous objects of one identity the last counts, as when they were applied.
  const gone = new Map<string, Resource>();
  for (const old of previous.resources) {
    const k = key(old);
    if (k === undefined || old.id.name === '' || here.has(k)) continue;
    gone.delete(k);
    if (!keptWhenPruning(old.object) && !guarded(old.object)) gone.set(k, old);
  }
  const out: Diagnostic[] = [];
  for (const old of gone.values()) {
    const cascade = CASCADES[`${old.id.group}/${old.id.kind}`];
    if (cascade === undefined) continue;
    let span: Diagnostic['span'];
    try {
      span = previous.locator.locate(old.source, '');
    } catch {
      span = undefined;
    }
    const name = old.id.namespace && cascade.namespaced ? `${old.id.namespace}/${old.id.name}` : old.id.name;
    out.push({
      code: DESTRUCTIVE_PRUNE,
      severity: 'warning',
      message: `a pruning sync deletes ${old.id.kind} ${name}, which the checked files no longer have, and with it ${cascade.what(old)}; ${HOW_TO_KEEP}`,
      resource: old.id,
      path: '',
      ...(span ? { span } : {}),
    });
  }
  return out;
}

interface Cascade {
  readonly namespaced: boolean;
  readonly what: (old: Resource) => string;
}

const CASCADES: Readonly<Record<string, Cascade>> = {
  '/Namespace': { namespaced: false, what: () => 'every object in it' },
  'apiextensions.k8s.io/CustomResourceDefinition': {
    namespaced: false,
    what: (old) => `every ${crdKind(old.object) ?? 'custom resource'} in the cluster`,
  },
  '/PersistentVolumeClaim': {
    namespaced: true,
    what: () =>
      'its volume and the data on it when the volume is reclaimed with Delete (the default of dynamically provisioned volumes)',
  },
};

function crdKind(object: Readonly<Record<string, unknown>>): string | undefined {
  const spec = field(object, 'spec');
  const names = field(spec, 'names');
  const kind = names !== undefined && Object.hasOwn(names, 'kind') ? names['kind'] : undefined;
  return typeof kind === 'string' && kind !== '' ? kind : undefined;
}

/** Argo CD's `Prune=confirm` (pruned only once someone confirms), and hooks, which are never pruned. */
function guarded(object: Readonly<Record<string, unknown>>): boolean {
  const annotations = field(field(object, 'metadata'), 'annotations');
  if (annotations === undefined) return false;
  const note = (k: string) => (Object.hasOwn(annotations, k) ? annotations[k] : undefined);
  if (note('argocd.argoproj.io/hook') !== undefined || note('helm.sh/hook') !== undefined) return true;
  const options = note('argocd.argoproj.io/sync-options');
  return typeof options === 'string' && options.split(',').some((o) => o.trim() === 'Prune=confirm');
}

function field(value: unknown, key: string): Readonly<Record<string, unknown>> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const found = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  return found !== null && typeof found === 'object' && !Array.isArray(found)
    ? (found as Record<string, unknown>)
    : undefined;
}
