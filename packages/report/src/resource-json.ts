import type { ResourceId } from '@shipshape/core';

/**
 * A resource as every `--format json` document of the CLI contract writes it: `apiVersion`, `kind`,
 * `namespace` (left out for cluster-scoped objects) and `name`, in that order.
 *
 * @example
 * ```ts
 * resourceJson({ apiVersion: 'v1', group: '', kind: 'Namespace', namespace: '', name: 'web' });
 * // { apiVersion: 'v1', kind: 'Namespace', name: 'web' }
 * ```
 */
export function resourceJson(id: ResourceId): Record<string, string> {
  const { apiVersion, kind, namespace, name } = id;
  return namespace === '' ? { apiVersion, kind, name } : { apiVersion, kind, namespace, name };
}
