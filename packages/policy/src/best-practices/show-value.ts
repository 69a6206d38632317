import type { Resource } from '@shipshape/core';

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

/**
 * How a message names a resource: its name, or its `generateName` prefix with `…` (the server adds
 * the rest), or `(unnamed)`.
 *
 * @example
 * ```ts
 * nameOf(job); // 'migrate-…' for `generateName: migrate-`
 * ```
 */
export function nameOf(resource: Pick<Resource, 'id' | 'object'>): string {
  if (resource.id.name !== '') return resource.id.name;
  const metadata = resource.object['metadata'];
  const prefix =
    metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)
      ? (metadata as Record<string, unknown>)['generateName']
      : undefined;
  return typeof prefix === 'string' && prefix !== '' ? `${prefix}…` : '(unnamed)';
}
