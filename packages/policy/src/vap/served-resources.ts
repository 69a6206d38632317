// Which group/versions of its built-in resources a Kubernetes release serves, for `matchPolicy:
// Equivalent`. The API server records every group/version/resource it installs in an
// EquivalentResourceRegistry keyed by storage (one etcd prefix: `apps` and `extensions` Deployments
// share one); a rule matches a request through another version only if that version is installed.
// A version the release no longer serves is not there, and an object written in it is refused
// before admission. See docs/decisions.md (Policies) for how other versions are judged.

/** A resource in one group and version, as admission rules name them. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

/**
 * The newest minor the table describes in full (checked against that release's OpenAPI). Beyond
 * it, a version the table does not list may be new: it is not known to be unserved.
 */
export const NEWEST_DESCRIBED_MINOR = 35;

// Built-in resources served in more than one group or version since 1.16, or whose only version
// came or went since 1.29, by `group/resource` (core: `/resource`). Each version is
// `version since-until` in minors of 1.x: `since` the first release serving it (none: before 1.16
// or not needed), `until` the first that no longer does (none: served in 1.35). Removals come
// from the deprecation data (../shared/deprecations), and each release's set at 1.29, 1.33 and
// 1.35 is its OpenAPI (../shared/kubernetes-openapi); test/vap-served-resources.test.ts checks
// both. Starts of APIs and alpha removals between those releases are from the Kubernetes
// changelogs. Admission configuration (webhooks, policies, bindings) is left out: admission
// policies never see it.
const HISTORY: Readonly<Record<string, string>> = {
  '/events': 'v1',
  'events.k8s.io/events': 'v1beta1 -25, v1 19-',
  'apps/controllerrevisions': 'v1beta1 -16, v1beta2 -16, v1',
  'apps/daemonsets': 'v1beta2 -16, v1',
  'apps/deployments': 'v1beta1 -16, v1beta2 -16, v1',
  'apps/replicasets': 'v1beta1 -16, v1beta2 -16, v1',
  'apps/statefulsets': 'v1beta1 -16, v1beta2 -16, v1',
  'extensions/daemonsets': 'v1beta1 -16',
  'extensions/deployments': 'v1beta1 -16',
  'extensions/ingresses': 'v1beta1 -22',
  'extensions/networkpolicies': 'v1beta1 -16',
  'extensions/podsecuritypolicies': 'v1beta1 -16',
  'extensions/replicasets': 'v1beta1 -16',
  'networking.k8s.io/ingressclasses': 'v1beta1 18-22, v1 19-',
  'networking.k8s.io/ingresses': 'v1beta1 -22, v1 19-',
  'networking.k8s.io/ipaddresses': 'v1alpha1 27-33, v1beta1 31-, v1 33-',
  'networking.k8s.io/networkpolicies': 'v1',
  'networking.k8s.io/servicecidrs': 'v1alpha1 27-33, v1beta1 31-, v1 33-',
  'policy/poddisruptionbudgets': 'v1beta1 -25, v1 21-',
  'policy/podsecuritypolicies': 'v1beta1 -25',
  'batch/cronjobs': 'v2alpha1 -21, v1beta1 -25, v1 21-',
  'autoscaling/horizontalpodautoscalers': 'v1, v2beta1 -25, v2beta2 -26, v2 23-',
  'scheduling.k8s.io/priorityclasses': 'v1alpha1 -17, v1beta1 -22, v1',
  'scheduling.k8s.io/workloads': 'v1alpha1 35-',
  'node.k8s.io/runtimeclasses': 'v1beta1 -25, v1 20-',
  'rbac.authorization.k8s.io/clusterrolebindings': 'v1alpha1 -22, v1beta1 -22, v1',
  'rbac.authorization.k8s.io/clusterroles': 'v1alpha1 -22, v1beta1 -22, v1',
  'rbac.authorization.k8s.io/rolebindings': 'v1alpha1 -22, v1beta1 -22, v1',
  'rbac.authorization.k8s.io/roles': 'v1alpha1 -22, v1beta1 -22, v1',
  'storage.k8s.io/csidrivers': 'v1beta1 -22, v1 18-',
  'storage.k8s.io/csinodes': 'v1beta1 -22, v1 17-',
  'storage.k8s.io/csistoragecapacities': 'v1alpha1 19-24, v1beta1 21-27, v1 24-',
  'storage.k8s.io/storageclasses': 'v1beta1 -22, v1',
  'storage.k8s.io/volumeattachments': 'v1beta1 -22, v1',
  'storage.k8s.io/volumeattributesclasses': 'v1alpha1 29-35, v1beta1 31-, v1 34-',
  'apiextensions.k8s.io/customresourcedefinitions': 'v1beta1 -22, v1 16-',
  'apiregistration.k8s.io/apiservices': 'v1beta1 -22, v1',
  'certificates.k8s.io/certificatesigningrequests': 'v1beta1 -22, v1 19-',
  'certificates.k8s.io/clustertrustbundles': 'v1alpha1 27-, v1beta1 33-',
  'certificates.k8s.io/podcertificaterequests': 'v1alpha1 34-35, v1beta1 35-',
  'coordination.k8s.io/leasecandidates': 'v1alpha1 31-32, v1alpha2 32-, v1beta1 33-',
  'coordination.k8s.io/leases': 'v1beta1 -22, v1',
  'discovery.k8s.io/endpointslices': 'v1beta1 17-25, v1 21-',
  'flowcontrol.apiserver.k8s.io/flowschemas':
    'v1alpha1 -21, v1beta1 20-26, v1beta2 23-29, v1beta3 26-32, v1 29-',
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations':
    'v1alpha1 -21, v1beta1 20-26, v1beta2 23-29, v1beta3 26-32, v1 29-',
  'resource.k8s.io/deviceclasses': 'v1alpha3 31-34, v1beta1 32-36, v1beta2 33-, v1 34-',
  'resource.k8s.io/devicetaintrules': 'v1alpha3 33-',
  'resource.k8s.io/podschedulingcontexts': 'v1alpha2 27-31, v1alpha3 31-32',
  'resource.k8s.io/resourceclaims': 'v1alpha2 26-31, v1alpha3 31-34, v1beta1 32-36, v1beta2 33-, v1 34-',
  'resource.k8s.io/resourceclaimtemplates':
    'v1alpha2 26-31, v1alpha3 31-34, v1beta1 32-36, v1beta2 33-, v1 34-',
  'resource.k8s.io/resourceclasses': 'v1alpha2 26-31',
  'resource.k8s.io/resourceslices': 'v1alpha2 30-31, v1alpha3 31-34, v1beta1 32-36, v1beta2 33-, v1 34-',
  'storagemigration.k8s.io/storageversionmigrations': 'v1alpha1 30-35, v1beta1 35-',
};

// Resources of several groups kept in one storage (the API server's cohabitating resources): the
// server converts between all their served versions.
const SHARED_STORAGE: readonly (readonly string[])[] = [
  ['/events', 'events.k8s.io/events'],
  ['apps/daemonsets', 'extensions/daemonsets'],
  ['apps/deployments', 'extensions/deployments'],
  ['apps/replicasets', 'extensions/replicasets'],
  ['networking.k8s.io/ingresses', 'extensions/ingresses'],
  ['networking.k8s.io/networkpolicies', 'extensions/networkpolicies'],
  ['policy/podsecuritypolicies', 'extensions/podsecuritypolicies'],
];

interface VersionSpan {
  readonly version: string;
  readonly since: number;
  readonly until: number;
}

const SPANS: ReadonlyMap<string, readonly VersionSpan[]> = new Map(
  Object.entries(HISTORY).map(([key, list]) => [
    key,
    list.split(', ').map((entry) => {
      const [version = '', range = '-'] = entry.split(' ');
      const [since = '', until = ''] = range.split('-');
      return { version, since: since ? Number(since) : 0, until: until ? Number(until) : Infinity };
    }),
  ]),
);

const servedAt = (span: VersionSpan, minor: number) => span.since <= minor && minor < span.until;

/**
 * The versions of a built-in `group`'s `resource` that Kubernetes 1.`minor` serves, or `undefined`
 * when the table does not describe the resource (its one version is served wherever it is known).
 *
 * @example
 * ```ts
 * servedVersions('autoscaling', 'horizontalpodautoscalers', 35); // ['v1', 'v2']
 * ```
 */
export function servedVersions(group: string, resource: string, minor: number): string[] | undefined {
  return SPANS.get(`${group}/${resource}`)
    ?.filter((s) => servedAt(s, minor))
    .map((s) => s.version);
}

/** How Kubernetes serves a built-in resource written in one group and version. */
export interface BuiltInServing {
  /** Whether the release serves the version the object is written in (if not, nothing admits it). */
  readonly served: boolean;
  /** The other served group/versions of the same storage, which `Equivalent` rules may name. */
  readonly equivalents: readonly GroupVersionResource[];
}

/**
 * How Kubernetes 1.`minor` serves `group/version` `resource`, or `undefined` when the table does
 * not describe the resource. Past {@link NEWEST_DESCRIBED_MINOR}, a version the table does not
 * list counts as served (it may be new) and the listed ones as the table says.
 *
 * @example
 * ```ts
 * builtInServing('batch', 'v1', 'cronjobs', 35); // { served: true, equivalents: [] }
 * builtInServing('batch', 'v1', 'cronjobs', 24)?.equivalents; // [{ group: 'batch', version: 'v1beta1', … }]
 * ```
 */
export function builtInServing(
  group: string,
  version: string,
  resource: string,
  minor: number,
): BuiltInServing | undefined {
  const key = `${group}/${resource}`;
  const own = SPANS.get(key);
  if (!own) return undefined;
  const span = own.find((s) => s.version === version);
  const served = span ? servedAt(span, minor) : minor > NEWEST_DESCRIBED_MINOR;
  const keys = SHARED_STORAGE.find((set) => set.includes(key)) ?? [key];
  const equivalents: GroupVersionResource[] = [];
  for (const k of keys) {
    const g = k.slice(0, k.indexOf('/'));
    for (const s of SPANS.get(k) ?? []) {
      if (servedAt(s, minor) && !(g === group && s.version === version))
        equivalents.push({ group: g, version: s.version, resource });
    }
  }
  return { served, equivalents };
}

/**
 * The minor of a Kubernetes version (`1.33`, `v1.33.2` → 33). Anything else counts as newer than
 * every release, as the CEL library checks take it.
 */
export function kubernetesMinor(version: string): number {
  const match = /^v?1\.(\d+)(?:\.|$)/.exec(version);
  return match ? Number(match[1]) : Infinity;
}
