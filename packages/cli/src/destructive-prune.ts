import { type Diagnostic, type Resource, syncOptions } from '@shipshape/core';
import { dig, prunedObjects } from '@shipshape/policy';
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
  const identity = (r: Resource) => {
    const kind = CASCADES[`${r.id.group}/${r.id.kind}`];
    if (kind === undefined || r.id.name === '') return undefined;
    const namespace = kind.namespaced ? r.id.namespace || 'default' : '';
    return `${r.id.group}\u0000${r.id.kind}\u0000${namespace}\u0000${r.id.name}`;
  };
  // Argo CD's `Prune=confirm` asks someone first: that is guard enough.
  const gone = prunedObjects(previous.resources, present, identity).filter(
    (old) => !syncOptions(old.object).includes('Prune=confirm'),
  );
  const out: Diagnostic[] = [];
  for (const old of gone) {
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
  const kind = dig(object, 'spec', 'names', 'kind');
  return typeof kind === 'string' && kind !== '' ? kind : undefined;
}
