import type { HealthStatus } from './health-status.js';
import { type JsonRecord, readInteger } from './object-reader.js';

/**
 * The health of one live object: a status and, when there is something to say, a message for
 * people. `message` is absent rather than empty; its wording follows Argo CD's where Argo CD has
 * one, but only the status is a contract.
 *
 * @example
 * ```ts
 * const health: Health = { status: 'Progressing', message: 'Waiting for 2 pods to be ready...' };
 * ```
 */
export interface Health {
  readonly status: HealthStatus;
  readonly message?: string;
}

/** Build a {@link Health}, leaving out an empty message (gitops-engine's `""`). */
export function health(status: HealthStatus, message?: string): Health {
  return message === undefined || message === '' ? { status } : { status, message };
}

/** `metadata.generation` and `status.observedGeneration`, 0 when absent (Go's zero values). */
export function generationsOf(object: JsonRecord): {
  readonly generation: number;
  readonly observed: number;
} {
  return {
    generation: readInteger(object, ['metadata', 'generation']) ?? 0,
    observed: readInteger(object, ['status', 'observedGeneration']) ?? 0,
  };
}

/**
 * Progressing while the controller has not observed the latest spec (`generation` newer than
 * `observedGeneration`), in kubectl's `rollout status` words for `what` (`deployment`, `replica
 * set`, …); `undefined` once it has.
 */
export function rolloutNotObserved(object: JsonRecord, what: string): Health | undefined {
  const { generation, observed } = generationsOf(object);
  if (generation <= observed) return undefined;
  return health(
    'Progressing',
    `Waiting for rollout to finish: observed ${what} generation less than desired generation`,
  );
}
