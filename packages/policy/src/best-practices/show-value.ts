/**
 * A value as a message shows it: strings as written, anything else as JSON (`0`, `true`,
 * `{"port":80}`). Only for values that cannot be secrets.
 *
 * @example
 * ```ts
 * showValue('Unmasked'); // 'Unmasked'
 * showValue(null); // 'null'
 * ```
 */
export function showValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
