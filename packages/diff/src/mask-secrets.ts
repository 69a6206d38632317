import { type KubernetesObject, splitApiVersion } from '@shipshape/core';
import { isObject, type JsonObject, put } from './json-value.js';
import { normalizeSecret } from './normalize-kinds.js';

/** Options of {@link maskSecretValues}. */
export interface MaskSecretOptions {
  /**
   * Annotation keys whose values are masked like Secret data (gitops-engine's
   * `hideAnnotations`). Listing `kubectl.kubernetes.io/last-applied-configuration` masks that
   * annotation whole. Default: none.
   */
  readonly hideAnnotations?: readonly string[];
}

/** Desired and live after {@link maskSecretValues}. */
export interface MaskedPair {
  readonly desired: JsonObject | undefined;
  readonly live: JsonObject | undefined;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const FIRST_MASK = '++++++++';

/** A working copy: its `data`, `metadata` and `annotations` are fresh objects we may write to. */
type Working = JsonObject;

/**
 * Mask the values of Secrets (core group) the way gitops-engine's `HideSecretData` does, so a
 * diff can show which keys changed without showing a value. `stringData` is folded into `data`
 * first ({@link normalizeSecret}) on desired, live and the last-applied configuration kept in
 * live's annotation. Then, per key, each distinct value across (desired, live, last-applied), in
 * that order, becomes a run of `+` of its own length (8, 12, 16, …): equal values mask equally
 * and a change stays visible. The last-applied annotation is written back masked, as JSON; if it
 * cannot be read it becomes `++++++++`, as does one on desired. Non-Secrets come back as they are.
 *
 * @example
 * ```ts
 * const secret = (v: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: v } });
 * const { desired, live } = maskSecretValues(secret('dGVzdA=='), secret('dGVzdC0x'));
 * desired?.data; // { k: '++++++++' }
 * live?.data; // { k: '++++++++++++' }
 * ```
 */
export function maskSecretValues(
  desired: KubernetesObject | null | undefined,
  live: KubernetesObject | null | undefined,
  options: MaskSecretOptions = {},
): MaskedPair {
  const desiredSecret = isSecret(desired);
  const liveSecret = isSecret(live);
  if (!desiredSecret && !liveSecret) {
    return { desired: desired ?? undefined, live: live ?? undefined };
  }
  const target = desiredSecret ? working(desired) : undefined;
  const current = liveSecret ? working(live) : undefined;
  const lastApplied = liveSecret ? readLastApplied(live) : undefined;
  const origin = isObject(lastApplied) ? working(lastApplied) : undefined;
  const sides = [target, current, origin];
  maskValues(sides, (side) => side['data']);
  const hidden = new Set(options.hideAnnotations ?? []);
  if (hidden.size > 0) {
    maskValues(
      sides,
      (side) => {
        const annotations = annotationsOf(side);
        if (annotations === undefined) return undefined;
        const picked: JsonObject = {};
        for (const key of Object.keys(annotations)) if (hidden.has(key)) put(picked, key, annotations[key]);
        return picked;
      },
      (side, key, mask) => put(annotationsOf(side) ?? {}, key, mask),
    );
  }
  if (current !== undefined && lastApplied !== undefined) {
    const text = origin === undefined || hidden.has(LAST_APPLIED) ? FIRST_MASK : JSON.stringify(origin);
    put(annotationsOf(current) ?? {}, LAST_APPLIED, text);
  }
  return {
    desired: desiredSecret ? target : (desired ?? undefined),
    live: liveSecret ? current : (live ?? undefined),
  };
}

function isSecret(object: KubernetesObject | null | undefined): object is KubernetesObject {
  if (!isObject(object)) return false;
  const apiVersion = object['apiVersion'];
  const group = typeof apiVersion === 'string' ? splitApiVersion(apiVersion).group : '';
  return group === '' && object['kind'] === 'Secret';
}

/**
 * A normalised copy whose containers we may write to. Whatever the normalisation left that
 * could still hold a value in clear (a `data` or `stringData` that is not a map, a last-applied
 * annotation) is replaced by a mask right away.
 */
function working(object: KubernetesObject): Working {
  const normalized = normalizeSecret(object);
  const out: Working = {};
  for (const [key, value] of Object.entries(normalized)) {
    if (key === 'data' && isObject(value)) put(out, key, { ...value });
    else if ((key === 'data' || key === 'stringData') && value !== null) put(out, key, FIRST_MASK);
    else if (key === 'metadata' && isObject(value)) put(out, key, workingMetadata(value));
    else put(out, key, value);
  }
  return out;
}

function workingMetadata(metadata: JsonObject): JsonObject {
  const out: JsonObject = { ...metadata };
  const annotations = metadata['annotations'];
  if (isObject(annotations)) {
    const copy: JsonObject = { ...annotations };
    if (Object.hasOwn(copy, LAST_APPLIED)) put(copy, LAST_APPLIED, FIRST_MASK);
    put(out, 'annotations', copy);
  }
  return out;
}

function annotationsOf(side: Working): JsonObject | undefined {
  const metadata = side['metadata'];
  const annotations = isObject(metadata) ? metadata['annotations'] : undefined;
  return isObject(annotations) ? annotations : undefined;
}

/**
 * Live's last-applied configuration: an object, `null` when the annotation is there but is not a
 * JSON object, `undefined` when there is none.
 */
function readLastApplied(live: KubernetesObject): JsonObject | null | undefined {
  const metadata = live['metadata'];
  const annotations = isObject(metadata) ? metadata['annotations'] : undefined;
  if (!isObject(annotations) || !Object.hasOwn(annotations, LAST_APPLIED)) return undefined;
  const text = annotations[LAST_APPLIED];
  if (typeof text !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Per key of the maps that `mapOf` finds on the sides, give each distinct value its own mask,
 * in side order; `write` stores a mask (default: into the found map itself).
 */
function maskValues(
  sides: readonly (Working | undefined)[],
  mapOf: (side: Working) => unknown,
  write: (side: Working, key: string, mask: string) => void = (side, key, mask) =>
    put(mapOf(side) as JsonObject, key, mask),
): void {
  const maps = sides.map((side) => {
    const map = side === undefined ? undefined : mapOf(side);
    return isObject(map) ? map : undefined;
  });
  const keys = new Set(maps.flatMap((map) => (map === undefined ? [] : Object.keys(map))));
  for (const key of [...keys].sort()) {
    const masks = new Map<string, string>();
    sides.forEach((side, i) => {
      const map = maps[i];
      if (side === undefined || map === undefined || !Object.hasOwn(map, key)) return;
      const identity = valueIdentity(map[key]);
      let mask = masks.get(identity);
      if (mask === undefined) {
        mask = FIRST_MASK + '++++'.repeat(masks.size);
        masks.set(identity, mask);
      }
      write(side, key, mask);
    });
  }
}

/** Go compares values as text, `nil` as `""`; other JSON values by their JSON. */
function valueIdentity(value: unknown): string {
  if (value === null || value === undefined) return 's:';
  return typeof value === 'string' ? `s:${value}` : `j:${JSON.stringify(value)}`;
}
