import { compareQuantities, type Diagnostic, type Resource, type SpanLocator } from '@shipshape/core';
import { dig } from '@shipshape/policy';
import type { PreviousObjects } from './previous-objects.js';

/** The code of {@link refusedClaimResizes}. */
export const CLAIM_RESIZE_REFUSED = 'check/claim-resize-refused';

const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

/**
 * With `--changed-since`, the PersistentVolumeClaims whose storage request the change raises where
 * the API server's `PersistentVolumeClaimResize` admission refuses it: the claim's StorageClass
 * (its `volume.beta.kubernetes.io/storage-class` annotation, else `spec.storageClassName`, else the
 * repository's one default class, which the server filled in at creation) is `""`, or is a
 * StorageClass of the repository (as changed, else as it was) without `allowVolumeExpansion: true`.
 * A class the repository does not hold is the cluster's business: nothing is said.
 */
export function refusedClaimResizes(
  previous: PreviousObjects,
  present: readonly Resource[],
  locator: SpanLocator,
): Diagnostic[] {
  const key = (r: Resource) => `${r.id.namespace || 'default'}/${r.id.name}`;
  const before = new Map<string, Resource>();
  for (const old of previous.resources) if (isClaim(old)) before.set(key(old), old);
  if (before.size === 0) return [];
  // The repository's classes as the change leaves them; a class it deletes, as it was.
  const classes = new Map<string, Readonly<Record<string, unknown>>>();
  for (const r of [...previous.resources, ...present]) {
    if (r.id.group === 'storage.k8s.io' && r.id.kind === 'StorageClass') classes.set(r.id.name, r.object);
  }
  const defaults = [...classes].filter(
    ([, o]) => dig(o, 'metadata', 'annotations', DEFAULT_CLASS) === 'true',
  );
  const out: Diagnostic[] = [];
  for (const claim of present) {
    if (!isClaim(claim)) continue;
    const old = before.get(key(claim));
    if (old === undefined) continue;
    const now = storageOf(claim.object);
    const was = storageOf(old.object);
    if (compareQuantities(now, was) !== 1) continue;
    const named =
      classOf(claim.object) ?? classOf(old.object) ?? (defaults.length === 1 ? defaults[0]?.[0] : undefined);
    if (named === undefined) continue;
    let why: string;
    if (named === '') {
      why = 'it names no StorageClass (storageClassName: "")';
    } else {
      const storageClass = classes.get(named);
      if (storageClass === undefined || storageClass['allowVolumeExpansion'] === true) continue;
      why = `its StorageClass ${named} does not set allowVolumeExpansion: true`;
    }
    const pointer = '/spec/resources/requests/storage';
    let span: Diagnostic['span'];
    try {
      span = locator.locate(claim.source, pointer);
    } catch {
      span = undefined;
    }
    out.push({
      code: CLAIM_RESIZE_REFUSED,
      severity: 'error',
      message: `the API server refuses to grow this claim from ${String(was)} to ${String(now)}: ${why} ("only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize"); allow expansion on the class first, or keep the size`,
      resource: claim.id,
      path: pointer,
      ...(span ? { span } : {}),
    });
  }
  return out;
}

function isClaim(r: Resource): boolean {
  return r.id.group === '' && r.id.kind === 'PersistentVolumeClaim';
}

function storageOf(object: Readonly<Record<string, unknown>>): unknown {
  return dig(object, 'spec', 'resources', 'requests', 'storage');
}

/** The class a claim names, as the API server reads it (the beta annotation first). */
function classOf(object: Readonly<Record<string, unknown>>): string | undefined {
  const annotated = dig(object, 'metadata', 'annotations', BETA_CLASS);
  if (typeof annotated === 'string') return annotated;
  const named = dig(object, 'spec', 'storageClassName');
  return typeof named === 'string' ? named : undefined;
}
