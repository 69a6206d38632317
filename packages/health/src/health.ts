import type { HealthStatus } from './health-status.js';

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
