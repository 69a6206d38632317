import type { KubernetesObject, ResourceId, ResourceKey } from '@shipshape/core';
import { type Change, compareObjects } from './compare.js';
import { type HintNode, type HintsFor, hintTree } from './hints.js';
import type { CompiledIgnoreRule } from './ignore-rules.js';
import { ignoredPointers } from './ignore-rules.js';
import { identityOf, isObject, type JsonObject } from './json-value.js';
import { absentIn, logicalPath, resolveLogical, rewrite, type Step, without } from './logical-path.js';
import { ownedFields } from './managed-fields.js';
import { maskSecretValues } from './mask-secrets.js';
import { mergeLive } from './merge.js';
import { LAST_APPLIED, normalizeObject } from './normalize.js';
import { serverDefault, withServerDefaults } from './server-defaults.js';
import { revertUnowned } from './server-side.js';
import { unifiedText } from './unified-text.js';

/** What a diff says should happen to one resource. `as const` order: the order of the JSON output. */
export const DIFF_ACTIONS = ['create', 'update', 'delete', 'unchanged'] as const;
/** `create`: desired, not live. `update`: both, with drift. `delete`: live and ours, no longer desired. `unchanged`: no drift. */
export type DiffAction = (typeof DIFF_ACTIONS)[number];

/** The diff of one resource. Secret values are masked everywhere in it. */
export interface ResourceDiff {
  readonly key: ResourceKey;
  readonly resource: ResourceId;
  readonly action: DiffAction;
  /** Structural changes from live to desired, sorted by path (empty unless `update`). */
  readonly changes: readonly Change[];
  /** Unified diff of the normalised YAML, live (`---`) against predicted live (`+++`); `''` when unchanged. */
  readonly text: string;
  /** Live after applying desired, normalised (absent for `delete`). */
  readonly predictedLive?: JsonObject;
  /** Live, normalised (absent for `create`). */
  readonly normalizedLive?: JsonObject;
}

/** Options of {@link diffResource}; {@link diffResources} passes its own through. */
export interface DiffResourceOptions {
  /** Schema knowledge per kind: keyed lists, quantities, int-or-string (see `@shipshape/schema`'s `diffHints`). */
  readonly hints?: HintsFor;
  /** Compiled ignore rules that apply to this resource (see {@link compileIgnoreRules}). */
  readonly ignore?: readonly CompiledIgnoreRule[];
  /**
   * Field managers whose fields in live's `metadata.managedFields` are ours: one of them that is
   * no longer desired is drift (removed from Git). Default: none.
   */
  readonly fieldManagers?: readonly string[];
  /** Drop `rules` of Roles with an `aggregationRule` (a controller writes them). Default false. */
  readonly ignoreAggregatedRoles?: boolean;
  /**
   * Server-side diff: the API server's answer to a dry-run server-side apply of desired (with
   * `fieldManagers[0]` as the manager). When given, it is the predicted live state instead of the
   * local merge. Default: none (the diff is computed locally, offline).
   */
  readonly predictedLive?: KubernetesObject;
  /**
   * With `predictedLive`: fields of the answer our managers do not own (what mutating webhooks
   * added) take their live values. Default true, as Argo CD.
   */
  readonly ignoreMutationWebhook?: boolean;
}

/**
 * Diff one desired object against its live counterpart (either may be absent), without noise:
 * both sides are normalised, fields only live has are not drift unless we owned them (the
 * last-applied annotation, or `fieldManagers` in managed fields), keyed lists compare by key, and
 * Secret values are masked before anything is compared or printed.
 *
 * @example
 * ```ts
 * const d = diffResource(
 *   { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '2' } },
 *   { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', uid: 'u1' }, data: { x: '1' } },
 * );
 * d.action; // 'update'
 * d.changes; // [{ path: '/data/x', op: 'replace', from: '1', to: '2' }]
 * ```
 */
export function diffResource(
  desiredGiven: KubernetesObject | null | undefined,
  liveGiven: KubernetesObject | null | undefined,
  options: DiffResourceOptions = {},
): ResourceDiff {
  // `null` is an absent side too, as for maskSecretValues.
  const desired = desiredGiven ?? undefined;
  const live = liveGiven ?? undefined;
  const base = desired ?? live;
  if (base === undefined) throw new TypeError('diffResource needs a desired or a live object');
  const ctx = contextOf(base, live, options);
  const { id, key, hints } = ctx;
  // Server-side diff compares the server's answer, so that is what gets masked alongside live.
  const answer = desired !== undefined && live !== undefined ? options.predictedLive : undefined;
  const masked = maskSecretValues(answer ?? desired, live);
  const rawLive = masked.live;
  const { d, l } = sidesOf(ctx, masked.desired, rawLive);
  if (rawLive === undefined || l === undefined) {
    return {
      key,
      resource: id,
      action: 'create',
      changes: [],
      text: unifiedText(key, undefined, d),
      ...(d ? { predictedLive: d } : {}),
    };
  }
  if (d === undefined) {
    return {
      key,
      resource: id,
      action: 'delete',
      changes: [],
      text: unifiedText(key, l, undefined),
      normalizedLive: l,
    };
  }
  // A local diff fills the server's well-known defaults into both sides (the server's answer has them),
  // after the ignore rules, as gitops-engine's scheme defaulting does: an ignored field with a
  // default shows that default on both sides (its case service-ignoreDifferences-threeway).
  const current = answer === undefined ? withServerDefaults(l, id.apiVersion, id.kind) : l;
  const predicted =
    answer === undefined
      ? mergedLive(ctx, rawLive, current, d)
      : serverPredicted(ctx, masked.desired as JsonObject, rawLive);
  const changes = compareObjects(current, predicted, hints);
  return {
    key,
    resource: id,
    action: changes.length > 0 ? 'update' : 'unchanged',
    changes,
    text: changes.length > 0 ? unifiedText(key, current, predicted) : '',
    predictedLive: predicted,
    normalizedLive: current,
  };
}

/** What every step of one resource's diff needs. */
interface Context {
  readonly id: ResourceId;
  readonly key: ResourceKey;
  readonly hints: HintNode;
  readonly options: DiffResourceOptions;
  readonly normalize: (o: JsonObject) => JsonObject;
  /** `o` without what the ignore rules select in it and without `extra` pointers. */
  readonly ignoring: (o: JsonObject, extra: readonly string[]) => JsonObject;
}

function contextOf(
  base: KubernetesObject,
  live: KubernetesObject | undefined,
  options: DiffResourceOptions,
): Context {
  const id = idOf(base, live);
  const hints = hintTree(options.hints?.(id.apiVersion, id.kind));
  const ignore = options.ignore ?? [];
  return {
    id,
    key: { group: id.group, kind: id.kind, namespace: id.namespace, name: id.name },
    hints,
    options,
    normalize: (o) =>
      normalizeObject(o, { hints, ignoreAggregatedRoles: options.ignoreAggregatedRoles ?? false }),
    ignoring: (o, extra) =>
      (without(o, [...ignoredPointers(ignore, o), ...extra]) as JsonObject | undefined) ?? {},
  };
}

/** Both sides normalised, with what the ignore rules select (pointers, expressions, managers' fields) removed. */
function sidesOf(
  ctx: Context,
  desired: JsonObject | undefined,
  rawLive: JsonObject | undefined,
): { d: JsonObject | undefined; l: JsonObject | undefined } {
  const managers = (ctx.options.ignore ?? []).flatMap((r) => r.managers);
  const owned = rawLive === undefined ? [] : managerPaths(rawLive, managers, ctx.hints, 'leaves');
  const side = (o: JsonObject | undefined): JsonObject | undefined => {
    if (o === undefined) return undefined;
    const normal = ctx.normalize(o);
    return ctx.ignoring(normal, resolveAll(normal, owned));
  };
  const d = side(desired);
  const l = side(rawLive);
  // Objects pair without their version: the API server serves one object in every version of its
  // group, and Argo CD reads live in the desired version. Offline there is no conversion, so live
  // is compared as if read in the desired version: the version itself is never drift (fields that
  // differ between the versions still are).
  if (d !== undefined && l !== undefined && d['apiVersion'] !== l['apiVersion'] && 'apiVersion' in d) {
    return { d, l: { ...l, apiVersion: d['apiVersion'] } };
  }
  return { d, l };
}

/** Live after a local apply of `d`: what we owned and no longer want removed (or back to its server default), then `d` merged in. */
function mergedLive(ctx: Context, rawLive: JsonObject, l: JsonObject, d: JsonObject): JsonObject {
  const { id, hints } = ctx;
  const defaults = new Map<string, { value: unknown } | undefined>();
  const removed: string[] = [];
  for (const pointer of removals(rawLive, l, d, hints, ctx.options, ctx.normalize)) {
    const value = serverDefault(id.apiVersion, id.kind, pointer);
    if (value === undefined) removed.push(pointer);
    else defaults.set(pointer, { value });
  }
  const base = (rewrite(without(l, removed) ?? {}, defaults) as JsonObject) ?? {};
  return (mergeLive(base, d, [hints]) as JsonObject) ?? {};
}

/** The server's dry-run answer, webhook mutations undone (unless asked not to), normalised and with ignore rules applied. */
function serverPredicted(ctx: Context, answer: JsonObject, rawLive: JsonObject): JsonObject {
  const reverted =
    ctx.options.ignoreMutationWebhook === false
      ? answer
      : revertUnowned(answer, rawLive, ctx.options.fieldManagers ?? [], ctx.hints);
  return ctx.ignoring(ctx.normalize(reverted), []);
}

/**
 * Pointers into normalised live `l` of what we owned and desired `d` no longer has: the topmost
 * places of the last-applied configuration that desired lacks, and fields of our managers.
 */
function removals(
  rawLive: JsonObject,
  l: JsonObject,
  d: JsonObject,
  hints: HintNode,
  options: DiffResourceOptions,
  normalize: (o: JsonObject) => JsonObject,
): string[] {
  const out: string[] = [];
  const annotations = isObject(rawLive['metadata']) ? rawLive['metadata']['annotations'] : undefined;
  const applied = isObject(annotations) ? annotations[LAST_APPLIED] : undefined;
  if (typeof applied === 'string') {
    const original = parseJsonObject(applied);
    if (original)
      for (const path of absentIn(normalize(original), d, hints)) push(out, resolveLogical(l, path));
  }
  for (const path of managerPaths(rawLive, options.fieldManagers ?? [], hints, 'all')) {
    if (resolveLogical(d, path) === undefined) push(out, resolveLogical(l, path));
  }
  return out;
}

function push(out: string[], pointer: string | undefined): void {
  if (pointer !== undefined && pointer !== '') out.push(pointer);
}

/**
 * The fields `managers` own in live, as logical paths (so they can be found in either side): the
 * leaves they set (`leaves`, for ignore rules: a manager that keeps an entry does not own its other
 * fields), or also the entries they own whole (`all`, for removals: an entry Git dropped goes whole).
 */
function managerPaths(
  rawLive: JsonObject,
  managers: readonly string[],
  hints: HintNode,
  which: 'leaves' | 'all',
): Step[][] {
  if (managers.length === 0) return [];
  const owned = ownedFields(rawLive, managers);
  const out: Step[][] = [];
  for (const pointer of which === 'leaves' ? owned.leaves() : owned.pointers()) {
    if (pointer === '' || pointer.startsWith('/status') || pointer === '/metadata') continue;
    const path = logicalPath(rawLive, pointer, hints);
    if (path) out.push(path);
  }
  return out;
}

function resolveAll(object: JsonObject | undefined, paths: readonly Step[][]): string[] {
  if (object === undefined) return [];
  const out: string[] = [];
  for (const path of paths) push(out, resolveLogical(object, path));
  return out;
}

function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function idOf(object: KubernetesObject, live: KubernetesObject | undefined): ResourceId {
  const id = identityOf(object);
  const liveNamespace = live === undefined ? '' : identityOf(live).namespace;
  return liveNamespace === '' ? id : { ...id, namespace: liveNamespace };
}
