/** Codes of the errors that stop a run before any check (exit code 2). */
export type ShipshapeErrorCode = 'usage' | 'config' | 'io';

/**
 * A usage, configuration or I/O problem that stops a run: the CLI prints its message (never a
 * stack trace) and exits 2.
 *
 * @example
 * ```ts
 * try { await check({ paths: ['missing'] }); } catch (e) { if (e instanceof ShipshapeError) console.error(e.message); }
 * ```
 */
export class ShipshapeError extends Error {
  readonly code: ShipshapeErrorCode;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(
    code: ShipshapeErrorCode,
    message: string,
    options: { cause?: unknown; data?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShipshapeError';
    this.code = code;
    this.data = options.data ?? {};
  }
}
