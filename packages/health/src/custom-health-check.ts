import type { KubernetesObject } from '@shipshape/core';
import { type Health, health } from './health.js';
import { isHealthStatus } from './health-status.js';
import { isRecord } from './object-reader.js';

/**
 * A health rule supplied by the caller for one group and kind, like an Argo CD Lua health check
 * (`resource.customizations.health.<group>_<kind>`). It runs before the built-in rule for that
 * kind and replaces it when it returns a {@link Health}; returning `null` hands the object on to
 * the next matching check, then to the built-in rule. A check that throws, or returns something
 * that is not a `Health`, gives `Unknown` with the error's message.
 *
 * - `group`: the API group, `''` for the core group (`v1`). Matched exactly.
 * - `kind`: the kind, matched exactly, or `'*'` for every kind of the group. Checks for the exact
 *   kind are tried before `'*'` checks; within each, in the order given.
 * - `check`: receives the live object as it was passed in. It must not change it.
 *
 * @example
 * ```ts
 * // What Argo CD suggests for app-of-apps: use the child Application's own health.
 * const application: CustomHealthCheck = {
 *   group: 'argoproj.io', // '' for the core group
 *   kind: 'Application', // or '*' for every kind of the group
 *   check(object) {
 *     const health = (object['status'] as { health?: { status?: unknown; message?: string } } | undefined)?.health;
 *     return isHealthStatus(health?.status) ? { status: health.status, message: health.message } : null;
 *   },
 * };
 * assessHealth(app, { checks: [application] });
 * ```
 */
export interface CustomHealthCheck {
  readonly group: string;
  readonly kind: string;
  check(object: KubernetesObject): Health | null;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'custom health check failed';
}

/** Validate and copy what a check returned; `undefined` means "no answer" (null/undefined). */
function checked(result: unknown, label: string): Health | undefined {
  if (result === null || result === undefined) return undefined;
  if (!isRecord(result) || !isHealthStatus(result['status'])) {
    return health('Unknown', `custom health check for ${label} returned no valid health status`);
  }
  const message = result['message'];
  if (message !== undefined && typeof message !== 'string') {
    return health('Unknown', `custom health check for ${label} returned a message that is not a string`);
  }
  return health(result['status'], message);
}

/**
 * Run the caller's checks that match `group`/`kind`, exact kinds first. The first one that
 * answers wins; `undefined` when none does.
 */
export function runCustomChecks(
  object: KubernetesObject,
  group: string,
  kind: string,
  checks: readonly CustomHealthCheck[],
): Health | undefined {
  const matching = [
    ...checks.filter((c) => c.group === group && c.kind === kind),
    ...checks.filter((c) => c.group === group && c.kind === '*' && kind !== '*'),
  ];
  const label = group === '' ? kind : `${group}/${kind}`;
  for (const custom of matching) {
    let result: unknown;
    try {
      result = custom.check(object);
    } catch (error) {
      return health('Unknown', errorMessage(error));
    }
    const answer = checked(result, label);
    if (answer !== undefined) return answer;
  }
  return undefined;
}
