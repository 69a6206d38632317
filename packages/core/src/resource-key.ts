/**
 * Identity of a Kubernetes object without its version, as Argo CD and Flux use it: two manifests
 * with the same key describe the same object in the cluster.
 */
export interface ResourceKey {
  /** API group; `''` for the core group (`v1`). */
  readonly group: string;
  readonly kind: string;
  /** `''` for cluster-scoped objects or objects whose namespace is not set. */
  readonly namespace: string;
  readonly name: string;
}

/** A {@link ResourceKey} plus the `apiVersion` the manifest was written against. */
export interface ResourceId extends ResourceKey {
  readonly apiVersion: string;
}

/**
 * Split an `apiVersion` into group and version.
 *
 * @example
 * ```ts
 * splitApiVersion('apps/v1'); // { group: 'apps', version: 'v1' }
 * splitApiVersion('v1'); // { group: '', version: 'v1' }
 * ```
 */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The one formatter for resource keys: `[group/]Kind/namespace/name`, or `[group/]Kind/name` for
 * cluster-scoped objects. The group is left out for the core group.
 *
 * @example
 * ```ts
 * formatResourceKey({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'api' });
 * // 'apps/Deployment/web/api'
 * formatResourceKey({ group: '', kind: 'Namespace', namespace: '', name: 'web' });
 * // 'Namespace/web'
 * formatResourceKey({ group: '', kind: 'Service', namespace: 'web', name: '' });
 * // 'Service/web/(unnamed)'
 * ```
 */
export function formatResourceKey(key: ResourceKey): string {
  const prefix = key.group === '' ? '' : `${key.group}/`;
  const scope = key.namespace === '' ? '' : `${key.namespace}/`;
  // An object whose name is missing (the subject of a diagnostic) still gets a readable key.
  return `${prefix}${key.kind}/${scope}${key.name === '' ? '(unnamed)' : key.name}`;
}

/**
 * Parse what {@link formatResourceKey} prints (and `Kind//name` for cluster-scoped objects).
 * Kinds start with an upper-case letter and groups do not, which tells a leading group apart
 * from a kind. Returns `undefined` for anything else.
 *
 * @example
 * ```ts
 * parseResourceKey('Deployment/web/api');
 * // { group: '', kind: 'Deployment', namespace: 'web', name: 'api' }
 * parseResourceKey('rbac.authorization.k8s.io/ClusterRole/admin');
 * // { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'admin' }
 * ```
 */
export function parseResourceKey(text: string): ResourceKey | undefined {
  const parts = text.split('/');
  let group = '';
  const first = parts[0] ?? '';
  if (first !== '' && !/^[A-Z]/.test(first)) {
    group = first;
    parts.shift();
  }
  const [kind, a, b, ...rest] = parts;
  if (rest.length > 0 || kind === undefined || !/^[A-Z]/.test(kind) || a === undefined) {
    return undefined;
  }
  if (b === undefined) {
    return a === '' ? undefined : { group, kind, namespace: '', name: a };
  }
  return b === '' ? undefined : { group, kind, namespace: a, name: b };
}

/**
 * Whether two keys name the same object.
 *
 * @example
 * ```ts
 * sameResourceKey(a, b);
 * ```
 */
export function sameResourceKey(a: ResourceKey, b: ResourceKey): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/**
 * Order keys by group, kind, namespace, name (plain code-unit order), for deterministic output.
 *
 * @example
 * ```ts
 * keys.sort(compareResourceKeys);
 * ```
 */
export function compareResourceKeys(a: ResourceKey, b: ResourceKey): number {
  return (
    compareText(a.group, b.group) ||
    compareText(a.kind, b.kind) ||
    compareText(a.namespace, b.namespace) ||
    compareText(a.name, b.name)
  );
}

/** Code-unit order, independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
