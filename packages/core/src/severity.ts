/**
 * How serious a diagnostic is, most serious first.
 *
 * @example
 * ```ts
 * SEVERITIES.indexOf('error'); // 0
 * ```
 */
export const SEVERITIES = ['error', 'warning', 'info'] as const;

/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/**
 * Whether `severity` is at or above `threshold` (`error` > `warning` > `info`).
 *
 * @example
 * ```ts
 * isAtLeast('error', 'warning'); // true
 * isAtLeast('info', 'warning'); // false
 * ```
 */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/** Type guard for {@link Severity}. */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
