import { splitApiVersion, valueAtPointer } from '@shipshape/core';
import { isObject, type JsonObject, put } from './json-value.js';

/**
 * Values the API server gives a field when an apply removes it, for fields whose default the
 * OpenAPI documents do not state (they come from the API server's defaulting code). Used only to
 * show what a field we owned becomes once Git drops it. Keys: `group/Kind`, then the pointer.
 */
const DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  '/Service': {
    '/spec/type': 'ClusterIP',
    '/spec/sessionAffinity': 'None',
    '/spec/internalTrafficPolicy': 'Cluster',
  },
  'apps/Deployment': {
    '/spec/replicas': 1,
    '/spec/revisionHistoryLimit': 10,
    '/spec/progressDeadlineSeconds': 600,
  },
  'apps/StatefulSet': { '/spec/replicas': 1, '/spec/podManagementPolicy': 'OrderedReady' },
  'apps/ReplicaSet': { '/spec/replicas': 1 },
};

/**
 * The value the API server would set at `pointer` of a `apiVersion`/`kind` object once the field is
 * removed, when it is one of the well-known defaults; `undefined` otherwise.
 *
 * @example
 * ```ts
 * serverDefault('v1', 'Service', '/spec/type'); // 'ClusterIP'
 * ```
 */
export function serverDefault(apiVersion: string, kind: string, pointer: string): unknown {
  const table = DEFAULTS[`${splitApiVersion(apiVersion).group}/${kind}`];
  return table !== undefined && Object.hasOwn(table, pointer) ? table[pointer] : undefined;
}

/**
 * `object` with the well-known server defaults of its kind filled in where the field is absent and
 * its parent object exists, as the API server (and gitops-engine's scheme defaulting of both sides)
 * would have them. Applied to both sides of a local diff, so it never creates drift by itself.
 */
export function withServerDefaults(object: JsonObject, apiVersion: string, kind: string): JsonObject {
  const table = DEFAULTS[`${splitApiVersion(apiVersion).group}/${kind}`];
  if (table === undefined) return object;
  const changes = new Map<string, { value: unknown }>();
  for (const [pointer, value] of Object.entries(table)) {
    const parent = pointer.slice(0, pointer.lastIndexOf('/'));
    if (valueAtPointer(object, pointer) === undefined && isObject(valueAtPointer(object, parent)))
      changes.set(pointer, { value });
  }
  return changes.size === 0 ? object : addAt(object, changes);
}

function addAt(object: JsonObject, changes: ReadonlyMap<string, { value: unknown }>): JsonObject {
  const walk = (node: unknown, pointer: string): unknown => {
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) put(out, key, walk(value, `${pointer}/${key}`));
    for (const [at, { value }] of changes) {
      if (at.slice(0, at.lastIndexOf('/')) === pointer) put(out, at.slice(at.lastIndexOf('/') + 1), value);
    }
    return out;
  };
  return walk(object, '') as JsonObject;
}
