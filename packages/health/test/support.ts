import { assessHealth, type Health, type HealthOptions, type HealthStatus } from '@shipshape/health';
import { expect, it } from 'vitest';

/** A status alone asserts only the status; a `Health` asserts status and message exactly. */
export type Want = HealthStatus | Health | null;

export interface Case {
  readonly name: string;
  readonly object: unknown;
  readonly want: Want;
  readonly options?: HealthOptions;
}

type Json = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * `base` with `changes` merged in: objects merge key by key, anything else (arrays included)
 * replaces, and `undefined` removes the key. Returns a new object; `base` is left alone.
 */
export function patch(base: Json, changes: Json): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = patch(out[key], value);
    else out[key] = value;
  }
  return out;
}

/** Freeze a value and everything in it, so a rule that writes to its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function expectHealth(got: Health | null, want: Want): void {
  if (want === null) expect(got).toBeNull();
  else if (typeof want === 'string') expect(got?.status).toBe(want);
  else expect(got).toEqual(want);
}

/** One test per case; the input is deep-frozen first, which also proves it is not mutated. */
export function runCases(cases: readonly Case[]): void {
  it.each(cases)('$name', ({ object, want, options }) => {
    expectHealth(assessHealth(deepFreeze(structuredClone(object)), options), want);
  });
}

/** A healthy one-replica Deployment, the base of the cases about the order of checks. */
export const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'web', generation: 1 },
  spec: { replicas: 1 },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
};

/** A kind with no health. */
export const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings' },
  data: { a: 'b' },
};

/** The patch that marks an object as being deleted. */
export const deleting = { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } };
