/**
 * Every health status, best first: Argo CD's order (gitops-engine `healthOrder`, used by
 * `IsWorse`). An application's health is the worst of its resources' health.
 *
 * - `Healthy`: the object is what its spec asks for.
 * - `Suspended`: paused or suspended on purpose (a paused Deployment, a suspended Job or CronJob).
 * - `Progressing`: not there yet, but may still get there (a rollout, a pending Pod).
 * - `Missing`: the object is not in the cluster. No check returns it; a caller that compares
 *   desired with live objects sets it.
 * - `Degraded`: failed, or will not get there without help.
 * - `Unknown`: the health could not be assessed (unsupported apiVersion, malformed status, a
 *   custom check that threw).
 *
 * @example
 * ```ts
 * HEALTH_STATUSES.indexOf('Healthy'); // 0
 * HEALTH_STATUSES.at(-1); // 'Unknown'
 * ```
 */
export const HEALTH_STATUSES = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
] as const;

/**
 * One of {@link HEALTH_STATUSES}.
 *
 * @example
 * ```ts
 * const status: HealthStatus = 'Progressing';
 * ```
 */
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/**
 * Type guard for {@link HealthStatus}, for statuses read from configuration or returned by
 * untyped code.
 *
 * @example
 * ```ts
 * isHealthStatus('Degraded'); // true
 * isHealthStatus('degraded'); // false
 * ```
 */
export function isHealthStatus(value: unknown): value is HealthStatus {
  return typeof value === 'string' && (HEALTH_STATUSES as readonly string[]).includes(value);
}

/**
 * Whether `a` is strictly worse than `b` in {@link HEALTH_STATUSES} order. Note the argument
 * order: Argo CD's `IsWorse(current, new)` asks whether its *second* argument is worse.
 *
 * @example
 * ```ts
 * isWorse('Degraded', 'Progressing'); // true
 * isWorse('Healthy', 'Healthy'); // false
 * ```
 */
export function isWorse(a: HealthStatus, b: HealthStatus): boolean {
  return HEALTH_STATUSES.indexOf(a) > HEALTH_STATUSES.indexOf(b);
}

/**
 * The worst of `statuses`, as Argo CD aggregates an application's health. `Healthy` (the best
 * status) when there are none, which is what an application with no resources reports.
 *
 * @example
 * ```ts
 * worstHealth(['Healthy', 'Progressing', 'Suspended']); // 'Progressing'
 * worstHealth([]); // 'Healthy'
 * ```
 */
export function worstHealth(statuses: Iterable<HealthStatus>): HealthStatus {
  let worst: HealthStatus = 'Healthy';
  for (const status of statuses) {
    if (isWorse(status, worst)) worst = status;
  }
  return worst;
}
