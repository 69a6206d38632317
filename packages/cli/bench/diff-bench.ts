/// <reference types="node" />
import type { KubernetesObject } from '@shipshape/core';
import { type DiffResult, diffResources, type HintsFor } from '@shipshape/diff';
import { diffHints, loadKubernetesSchemas } from '@shipshape/schema';
import { measurePair, type SideResult } from './measure.js';

// `pnpm bench`, diff part: diffResources on 30,000 desired/live pairs built from the generated
// repository, against the cheapest comparison that could answer "did it change?": JSON.stringify
// of both sides, compared as strings (which is what a noisy diff amounts to). See bench/README.md.

type Json = Record<string, unknown>;

/** The diff bench's figures. */
export interface DiffBenchResult {
  readonly pairs: number;
  readonly diff: SideResult<DiffResult['summary']>;
  readonly baseline: SideResult<number>;
  /** Pairs the generator changed on purpose (image, env, replicas): the diff must find exactly these. */
  readonly changed: number;
}

/**
 * What the API server would return for `desired`: server fields, defaults, status, managed
 * fields, the last-applied annotation, equivalent quantities written another way, keyed lists
 * in another order, and every 20th object changed (a new image, or an env value).
 */
export function liveOf(desired: Json, index: number): { live: Json; changed: boolean } {
  const live = structuredClone(desired);
  live['metadata'] ??= {};
  const metadata = live['metadata'] as Json;
  metadata['annotations'] ??= {};
  const annotations = metadata['annotations'] as Json;
  annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(desired);
  if (live['kind'] !== 'Namespace') metadata['namespace'] ??= 'default';
  Object.assign(metadata, {
    uid: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
    resourceVersion: String(1000 + index),
    generation: 2,
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { ...((metadata['labels'] as Json | undefined) ?? {}), 'app.kubernetes.io/instance': 'bench' },
    managedFields: [
      {
        manager: 'argocd-controller',
        operation: 'Apply',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': {} } },
      },
    ],
  });
  let changed = false;
  const spec = live['spec'] as Json | undefined;
  const pod = ((spec?.['template'] as Json | undefined)?.['spec'] as Json | undefined) ?? undefined;
  if (live['kind'] === 'Deployment' && spec && pod) {
    withDefaults(spec, { revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    Object.assign(pod, {
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
    });
    const containers = (pod['containers'] as Json[] | undefined) ?? [];
    for (const c of containers) {
      withDefaults(c, { terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent' });
      const requests = (c['resources'] as Json | undefined)?.['requests'] as Json | undefined;
      if (requests && typeof requests['cpu'] === 'string' && requests['cpu'].endsWith('m')) {
        requests['cpu'] = String(Number(requests['cpu'].slice(0, -1)) / 1000);
      }
      if (Array.isArray(c['env'])) c['env'] = [...c['env']].reverse();
    }
    pod['containers'] = [...containers].reverse();
    live['status'] = {
      observedGeneration: 2,
      replicas: spec['replicas'] ?? 1,
      readyReplicas: spec['replicas'] ?? 1,
    };
    if (index % 20 === 0 && containers[0]) {
      containers[0]['image'] = `${String(containers[0]['image'])}-old`;
      changed = true;
    }
  } else if (live['kind'] === 'ConfigMap' && index % 20 === 0 && live['data']) {
    live['data'] = { ...(live['data'] as Json), drift: 'yes' };
    // A key only live has is not drift, unless last-applied had it: make it ours.
    annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify({
      ...desired,
      data: { ...(desired['data'] as Json), drift: 'yes' },
    });
    changed = true;
  }
  return { live, changed };
}

/** Set the fields of `values` that `target` lacks, as the API server's defaulting does. */
function withDefaults(target: Json, values: Json): void {
  for (const [key, value] of Object.entries(values)) target[key] ??= value;
}

/** Measure the diff of every pair built from `objects` (the generated repository's resources). */
export async function measureDiff(
  objects: readonly KubernetesObject[],
  iterations: number,
): Promise<DiffBenchResult> {
  const desired = objects.map((o) => structuredClone(o) as Json);
  const pairs = desired.map((d, i) => liveOf(d, i));
  const live = pairs.map((p) => p.live);
  const changed = pairs.filter((p) => p.changed).length;
  const bundle = await loadKubernetesSchemas('1.35');
  const cache = new Map<string, ReturnType<typeof diffHints>>();
  const hints: HintsFor = (apiVersion, kind) => {
    const gvk = `${apiVersion}/${kind}`;
    let found = cache.get(gvk);
    if (!found) {
      found = diffHints(bundle, gvk);
      cache.set(gvk, found);
    }
    return found;
  };
  const measured = await measurePair(
    () => Promise.resolve(diffResources(desired, live, { hints, hpaReplicas: false }).summary),
    () => {
      let same = 0;
      for (let i = 0; i < desired.length; i++)
        if (JSON.stringify(desired[i]) === JSON.stringify(live[i])) same++;
      return same;
    },
    iterations,
  );
  return {
    pairs: desired.length,
    diff: measured.check as SideResult<DiffResult['summary']>,
    baseline: measured.baseline,
    changed,
  };
}

/** The diff bench's summary line. */
export function formatDiffBench(r: DiffBenchResult): string {
  const perPair = (r.diff.stats.medianMs * 1000) / r.pairs;
  const ratio = r.diff.stats.medianMs / r.baseline.stats.medianMs;
  const s = r.diff.count;
  const found = s.update === r.changed ? '✓' : `✗ expected ${r.changed}`;
  return (
    `diff: ${r.pairs} desired/live pairs: median ${r.diff.stats.medianMs.toFixed(0)} ms ` +
    `(${r.diff.stats.minMs.toFixed(0)}…${r.diff.stats.maxMs.toFixed(0)}), ${perPair.toFixed(1)} µs a pair, ` +
    `${Math.round(r.pairs / (r.diff.stats.medianMs / 1000))} pairs/s, CPU ${r.diff.stats.medianCpuMs.toFixed(0)} ms, ` +
    `peak heap +${(r.diff.stats.heapPeakDelta / 1048576).toFixed(0)} MiB; ` +
    `baseline JSON.stringify compare ${r.baseline.stats.medianMs.toFixed(0)} ms (${r.baseline.count} of ${r.pairs} byte-equal); ` +
    `ratio ${ratio.toFixed(1)}×; updates found ${s.update} ${found}, unchanged ${s.unchanged}, create ${s.create}, delete ${s.delete}`
  );
}
