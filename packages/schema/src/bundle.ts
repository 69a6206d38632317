import deprecationData from '../generated/deprecations.js';
import bundledVersions from '../generated/versions.js';

/** A JSON Schema object as found in the Kubernetes OpenAPI documents. */
export type JsonSchema = Record<string, unknown>;

/**
 * The schemas of one Kubernetes version: shared definitions (descriptions dropped, `$ref`s kept),
 * which definition describes each `apiVersion/kind`, and which kinds are namespaced.
 */
export interface SchemaBundle {
  /** `X.Y` */
  readonly version: string;
  readonly definitions: Readonly<Record<string, JsonSchema>>;
  /** `apps/v1/Deployment` → `io.k8s.api.apps.v1.Deployment` */
  readonly kinds: Readonly<Record<string, string>>;
  /** `apps/v1/Deployment` → true */
  readonly namespaced: Readonly<Record<string, boolean>>;
}

/** One deprecated or removed `apiVersion`/`kind` (from Pluto's table). */
export interface Deprecation {
  readonly apiVersion: string;
  readonly kind: string;
  /** `vX.Y.Z`, when deprecated. */
  readonly deprecatedIn?: string;
  /** `vX.Y.Z`, when removed. */
  readonly removedIn?: string;
  /** The apiVersion to move to, when there is one. */
  readonly replacement?: string;
  readonly replacementAvailableIn?: string;
  /** `k8s`, `cert-manager`, `istio`, … */
  readonly component: string;
}

/**
 * The Kubernetes versions whose schemas are embedded, oldest first.
 *
 * @example
 * ```ts
 * BUNDLED_KUBERNETES_VERSIONS; // ['1.29', '1.33', '1.35']
 * ```
 */
export const BUNDLED_KUBERNETES_VERSIONS: readonly string[] = bundledVersions;

/**
 * The deprecated and removed APIs known to shipshape.
 *
 * @example
 * ```ts
 * DEPRECATIONS.find((d) => d.apiVersion === 'extensions/v1beta1' && d.kind === 'Ingress')?.removedIn; // 'v1.22.0'
 * ```
 */
export const DEPRECATIONS: readonly Deprecation[] = deprecationData;

/** Which bundle serves a requested version, and why. */
export interface ResolvedVersion {
  /** The bundled version to use. */
  readonly version: string;
  /** The version asked for (`X.Y`), or the bundled default. */
  readonly requested: string;
  /** Set when the bundle differs from the request: a sentence saying which one is used. */
  readonly note?: string;
}

/**
 * Pick the bundle for a Kubernetes version: the same minor if bundled, else the nearest older
 * bundled one (the API only grows between bundles, except for removals the deprecation table
 * covers), else the oldest. Default: the newest bundled. Throws a `RangeError` for text that is
 * not `X.Y` or `X.Y.Z`.
 *
 * @example
 * ```ts
 * resolveKubernetesVersion('1.31'); // { version: '1.29', requested: '1.31', note: 'no schemas for Kubernetes 1.31 are bundled; using 1.29, the nearest older' }
 * resolveKubernetesVersion(); // { version: '1.35', requested: '1.35' }
 * ```
 */
export function resolveKubernetesVersion(requested?: string): ResolvedVersion {
  const newest = BUNDLED_KUBERNETES_VERSIONS.at(-1) ?? '';
  if (requested === undefined) return { version: newest, requested: newest };
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(requested.trim());
  if (!m) throw new RangeError(`"${requested}" is not a Kubernetes version such as 1.33`);
  if (m[1] !== '1')
    throw new RangeError(`"${requested}" is not a Kubernetes version: they are 1.x, such as 1.33`);
  const want = `${m[1]}.${Number(m[2])}`;
  if (BUNDLED_KUBERNETES_VERSIONS.includes(want)) return { version: want, requested: want };
  const older = BUNDLED_KUBERNETES_VERSIONS.filter((v) => compareVersions(v, want) < 0).at(-1);
  if (older)
    return {
      version: older,
      requested: want,
      note: `no schemas for Kubernetes ${want} are bundled; using ${older}, the nearest older`,
    };
  const oldest = BUNDLED_KUBERNETES_VERSIONS[0] ?? newest;
  return {
    version: oldest,
    requested: want,
    note: `no schemas for Kubernetes ${want} or older are bundled; using ${oldest}, the oldest`,
  };
}

/**
 * Load the embedded schemas of a bundled version (see {@link resolveKubernetesVersion}). The data
 * ships inside the package: no file outside it and no network is read.
 *
 * @example
 * ```ts
 * const bundle = await loadKubernetesSchemas('1.33');
 * bundle.kinds['apps/v1/Deployment']; // 'io.k8s.api.apps.v1.Deployment'
 * ```
 */
export async function loadKubernetesSchemas(version: string): Promise<SchemaBundle> {
  if (!BUNDLED_KUBERNETES_VERSIONS.includes(version)) {
    throw new RangeError(
      `Kubernetes ${version} is not bundled (bundled: ${BUNDLED_KUBERNETES_VERSIONS.join(', ')})`,
    );
  }
  const cached = loaded.get(version);
  if (cached) return cached;
  const promise = import(`../generated/kubernetes-${version}.js`).then(
    (m: { default: SchemaBundle }) => m.default,
  );
  loaded.set(version, promise);
  return promise;
}

const loaded = new Map<string, Promise<SchemaBundle>>();

/** Compare `X.Y` / `vX.Y.Z` versions by major and minor. */
export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.replace(/^v/, '').split('.').map(Number);
  const [bm = 0, bn = 0] = b.replace(/^v/, '').split('.').map(Number);
  return am - bm || an - bn;
}
