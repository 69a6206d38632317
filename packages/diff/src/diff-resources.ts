import {
  builtInKind,
  compareResourceKeys,
  type Diagnostic,
  formatResourceKey,
  type KubernetesObject,
  type Resource,
  type ResourceKey,
  splitApiVersion,
} from '@shipshape/core';
import {
  type DiffAction,
  type DiffResourceOptions,
  diffResource,
  type ResourceDiff,
} from './diff-resource.js';
import { type CompiledIgnoreRule, compileIgnoreRules, type IgnoreRule } from './ignore-rules.js';
import { identityOf, isObject } from './json-value.js';

/** Options of {@link diffResources}. */
export interface DiffOptions extends Omit<DiffResourceOptions, 'ignore'> {
  /** What to ignore, per resource selector. */
  readonly ignore?: readonly IgnoreRule[];
  /** Namespace of desired namespaced objects written without one (as `kubectl apply` would use). Default `default`. */
  readonly defaultNamespace?: string;
  /**
   * Whether a live object no longer desired belongs to this application, so that it is a `delete`.
   * Default {@link isTrackedObject}.
   */
  readonly isOwned?: (live: KubernetesObject) => boolean;
  /** Ignore `/spec/replicas` of workloads that a desired HorizontalPodAutoscaler scales. Default true. */
  readonly hpaReplicas?: boolean;
}

/** Counts of each action, in {@link DIFF_ACTIONS} order. */
export type DiffSummary = Readonly<Record<DiffAction, number>>;

/** What {@link diffResources} returns. */
export interface DiffResult {
  /** One entry per desired resource and per owned live resource no longer desired, sorted by key. */
  readonly resources: readonly ResourceDiff[];
  /** Problems with the inputs or options (duplicates, bad ignore rules); the diff goes on. */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: DiffSummary;
}

/**
 * Pair desired resources with live objects by {@link ResourceKey} (group, kind, namespace, name; no
 * version) and diff each pair: `create` for desired objects not live, `delete` for live objects
 * this application owns that are no longer desired, `update` or `unchanged` for the rest.
 *
 * @example
 * ```ts
 * const { resources, summary } = diffResources(desiredResources, liveObjects, {
 *   hints: (apiVersion, kind) => diffHints(bundle, `${apiVersion}/${kind}`),
 *   ignore: [{ kind: 'Deployment', jsonPointers: ['/spec/template/metadata/annotations'] }],
 * });
 * summary; // { create: 1, update: 2, delete: 0, unchanged: 40 }
 * ```
 */
export function diffResources(
  desired: readonly (Resource | KubernetesObject)[],
  live: readonly KubernetesObject[],
  options: DiffOptions = {},
): DiffResult {
  const compiled = compileIgnoreRules(options.ignore ?? []);
  const diagnostics: Diagnostic[] = [...compiled.diagnostics];
  const liveByKey = new Map<string, KubernetesObject>();
  for (const object of live) {
    if (unnamed(object, 'live', diagnostics)) continue;
    const key = keyOf(object, '', options);
    const id = formatResourceKey(key);
    if (liveByKey.has(id)) {
      diagnostics.push(duplicate('live', id));
      continue;
    }
    liveByKey.set(id, object);
  }
  const desiredByKey = new Map<string, { key: ResourceKey; object: KubernetesObject }>();
  for (const item of desired) {
    const object = isResource(item) ? item.object : item;
    if (unnamed(object, 'desired', diagnostics)) continue;
    const key = keyOf(object, options.defaultNamespace ?? 'default', options, liveByKey);
    const id = formatResourceKey(key);
    if (desiredByKey.has(id)) {
      diagnostics.push(duplicate('desired', id));
      continue;
    }
    desiredByKey.set(id, { key, object });
  }
  const scaled = options.hpaReplicas === false ? new Set<string>() : hpaTargets([...desiredByKey.values()]);
  const owned = options.isOwned ?? isTrackedObject;
  const out: ResourceDiff[] = [];
  for (const [id, { key, object }] of desiredByKey) {
    // Diffed under the key it was paired by: a namespaced object written without a namespace is in
    // the default one (names, labels and text say so too).
    out.push(
      diffResource(
        inNamespace(object, key.namespace),
        liveByKey.get(id),
        resourceOptions(options, compiled.rules, key, scaled.has(id)),
      ),
    );
  }
  for (const [id, object] of liveByKey) {
    if (desiredByKey.has(id) || !owned(object)) continue;
    out.push(
      diffResource(
        undefined,
        object,
        resourceOptions(options, compiled.rules, keyOf(object, '', options), false),
      ),
    );
  }
  out.sort((a, b) => compareResourceKeys(a.key, b.key));
  const summary: Record<DiffAction, number> = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const d of out) summary[d.action]++;
  return { resources: out, diagnostics, summary };
}

function resourceOptions(
  options: DiffOptions,
  rules: readonly CompiledIgnoreRule[],
  key: ResourceKey,
  scaled: boolean,
): DiffResourceOptions {
  const ignore = rules.filter((r) => r.matches(key));
  if (scaled) ignore.push({ matches: () => true, jsonPointers: ['/spec/replicas'], paths: [], managers: [] });
  return { ...options, ignore };
}

/**
 * Whether a live object carries the marks GitOps tools put on what they apply: Argo CD's
 * `argocd.argoproj.io/tracking-id` annotation or `app.kubernetes.io/instance` label, or Flux's
 * `kustomize.toolkit.fluxcd.io/name` / `helm.toolkit.fluxcd.io/name` labels. Objects a controller
 * made (with `ownerReferences`) are never ours.
 *
 * @example
 * ```ts
 * isTrackedObject({ metadata: { labels: { 'app.kubernetes.io/instance': 'shop' } } }); // true
 * ```
 */
export function isTrackedObject(live: KubernetesObject): boolean {
  const metadata = isObject(live['metadata']) ? live['metadata'] : {};
  if (Array.isArray(metadata['ownerReferences']) && metadata['ownerReferences'].length > 0) return false;
  const labels = isObject(metadata['labels']) ? metadata['labels'] : {};
  const annotations = isObject(metadata['annotations']) ? metadata['annotations'] : {};
  return (
    typeof annotations['argocd.argoproj.io/tracking-id'] === 'string' ||
    typeof labels['app.kubernetes.io/instance'] === 'string' ||
    typeof labels['kustomize.toolkit.fluxcd.io/name'] === 'string' ||
    typeof labels['helm.toolkit.fluxcd.io/name'] === 'string'
  );
}

function keyOf(
  object: KubernetesObject,
  defaultNamespace: string,
  options: DiffOptions,
  live?: ReadonlyMap<string, KubernetesObject>,
): ResourceKey {
  const { apiVersion, group, kind, namespace: written, name } = identityOf(object);
  const namespaced = options.hints?.(apiVersion, kind)?.namespaced ?? builtInKind(group, kind)?.namespaced;
  const clusterScoped = { group, kind, namespace: '', name };
  // The API server drops the namespace of a cluster-scoped object, whatever was written.
  if (namespaced === false) return clusterScoped;
  if (written !== '' || live === undefined) return { group, kind, namespace: written, name };
  // Written without a namespace: cluster-scoped when live has it that way.
  if (live.has(formatResourceKey(clusterScoped))) return clusterScoped;
  return { group, kind, namespace: defaultNamespace, name };
}

/** Keys of the workloads that desired HorizontalPodAutoscalers scale. */
function hpaTargets(desired: readonly { key: ResourceKey; object: KubernetesObject }[]): Set<string> {
  const out = new Set<string>();
  for (const { key, object } of desired) {
    if (key.kind !== 'HorizontalPodAutoscaler' || key.group !== 'autoscaling') continue;
    const spec = isObject(object['spec']) ? object['spec'] : {};
    const target = isObject(spec['scaleTargetRef']) ? spec['scaleTargetRef'] : {};
    if (typeof target['kind'] !== 'string' || typeof target['name'] !== 'string') continue;
    const apiVersion = typeof target['apiVersion'] === 'string' ? target['apiVersion'] : 'apps/v1';
    out.add(
      formatResourceKey({
        group: splitApiVersion(apiVersion).group,
        kind: target['kind'],
        namespace: key.namespace,
        name: target['name'],
      }),
    );
  }
  return out;
}

/**
 * `object` with `metadata.namespace` set to `namespace` when it has none, or without it when the
 * key has none (a cluster-scoped object written with one): a shallow copy; never the input changed.
 */
function inNamespace(object: KubernetesObject, namespace: string): KubernetesObject {
  const metadata = isObject(object['metadata']) ? object['metadata'] : undefined;
  if (namespace === '' && metadata !== undefined && Object.hasOwn(metadata, 'namespace')) {
    const rest = { ...metadata };
    delete rest['namespace'];
    return { ...object, metadata: rest };
  }
  if (
    namespace === '' ||
    metadata === undefined ||
    (typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '')
  ) {
    return object;
  }
  return { ...object, metadata: { ...metadata, namespace } };
}

/** A `Resource` (from `@shipshape/manifests`) rather than a bare object: it has an id, a source and an object. */
function isResource(item: Resource | KubernetesObject): item is Resource {
  return isObject(item['id']) && isObject(item['source']) && isObject(item['object']);
}

/**
 * An object without a kind or a name cannot be paired, nor applied: reported
 * (`diff/unnamed-resource`) and left out, never diffed as a create of `(unnamed)`.
 */
function unnamed(object: KubernetesObject, side: 'desired' | 'live', diagnostics: Diagnostic[]): boolean {
  const { kind, name } = identityOf(object);
  if (kind !== '' && name !== '') return false;
  diagnostics.push({
    code: 'diff/unnamed-resource',
    severity: 'error',
    message: `a ${side} object has no ${kind === '' ? 'kind' : 'metadata.name'}${kind === '' ? '' : ` (${kind})`}: it cannot be paired with another, and is left out`,
    data: { side },
  });
  return true;
}

function duplicate(side: 'desired' | 'live', id: string): Diagnostic {
  return {
    code: 'diff/duplicate-resource',
    severity: 'error',
    message: `${id} appears more than once in the ${side} objects; the first one is diffed`,
    data: { side, resource: id },
  };
}
