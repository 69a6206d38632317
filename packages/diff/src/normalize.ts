import { canonicalQuantity } from '@shipshape/core';
import { type HintNode, stepHints } from './hints.js';
import { emptyOf, isObject, type JsonObject, put } from './json-value.js';
import { normalizeKind } from './normalize-kinds.js';

/** Fields of `metadata` the API server writes; they never count as drift. */
export const SERVER_METADATA: readonly string[] = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/** The annotation `kubectl apply` keeps the last applied desired state in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** What {@link normalizeObject} needs to know. */
export interface NormalizeOptions {
  readonly hints: HintNode;
  /** Drop `rules` of Roles that aggregate others (their rules are written by a controller). */
  readonly ignoreAggregatedRoles?: boolean;
}

/**
 * An object as the comparison sees it, new and unshared:
 * - server-populated fields removed (`status`, the metadata in {@link SERVER_METADATA}, the
 *   last-applied annotation) and `metadata.namespace`, which is identity, not content;
 * - kind rules applied (Secret `stringData` folded into `data`, empty Role rules, Endpoints order);
 * - quantities in canonical form (`1000m` → `1`) and int-or-string numbers from strings (`"80"` →
 *   `80`) where the hints say so;
 * - `null`, `{}` and `[]` removed as fields (the API treats them as absent); list entries stay.
 */
export function normalizeObject(object: JsonObject, options: NormalizeOptions): JsonObject {
  const kindNormalized = normalizeKind(object, {
    ignoreAggregatedRoles: options.ignoreAggregatedRoles ?? false,
  });
  const top: JsonObject = {};
  for (const [key, value] of Object.entries(kindNormalized)) {
    if (key === 'status') continue;
    if (key === 'metadata' && isObject(value)) {
      const metadata = stripMetadata(value);
      if (metadata !== undefined) put(top, key, metadata);
      continue;
    }
    put(top, key, value);
  }
  return (normalizeValue(top, [options.hints]) as JsonObject | undefined) ?? {};
}

function stripMetadata(metadata: JsonObject): JsonObject | undefined {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key === 'namespace' || SERVER_METADATA.includes(key)) continue;
    if (key === 'annotations' && isObject(value) && Object.hasOwn(value, LAST_APPLIED)) {
      const annotations: JsonObject = {};
      for (const [name, text] of Object.entries(value))
        if (name !== LAST_APPLIED) put(annotations, name, text);
      put(out, key, annotations);
      continue;
    }
    put(out, key, value);
  }
  return out;
}

/** Normalise one value below the top; `undefined` means "absent". */
function normalizeValue(value: unknown, hints: readonly HintNode[]): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const items = stepHints(hints, '*');
    // Entries stay even when empty: removing one would shift the others.
    return value.map((item) => normalizeValue(item, items) ?? emptyOf(item));
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    let any = false;
    for (const [key, child] of Object.entries(value)) {
      const normalized = normalizeValue(child, stepHints(hints, key));
      if (normalized === undefined) continue;
      put(out, key, normalized);
      any = true;
    }
    return any ? out : undefined;
  }
  for (const node of hints) {
    if (node.quantity) return canonicalQuantity(value) ?? value;
    if (node.intOrString && typeof value === 'string' && /^-?(0|[1-9][0-9]*)$/.test(value))
      return Number(value);
  }
  return value;
}
