import type { Resource } from '@shipshape/core';

/** The RBAC API group. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

// API groups each kind has lived in. The core group ('') is accepted for every kind as well:
// hand-written manifests sometimes carry a bare `apiVersion: v1`, and Polaris matches its targets
// by kind alone, so such objects are checked rather than skipped.
const KIND_GROUPS = {
  ClusterRole: [RBAC_GROUP],
  ClusterRoleBinding: [RBAC_GROUP],
  ConfigMap: [],
  HorizontalPodAutoscaler: ['autoscaling'],
  Ingress: ['networking.k8s.io', 'extensions'],
  NetworkPolicy: ['networking.k8s.io', 'extensions'],
  PodDisruptionBudget: ['policy'],
  Role: [RBAC_GROUP],
  RoleBinding: [RBAC_GROUP],
  Service: [],
  ServiceAccount: [],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/** Names of the kinds {@link isKind} knows. */
export type KnownKind = keyof typeof KIND_GROUPS;

/**
 * Whether a resource is a built-in kind, by kind and API group (see `KIND_GROUPS`); a custom
 * resource that reuses the name in another group (an OpenShift `config.openshift.io` Ingress, a
 * Knative Service) is not.
 *
 * @example
 * ```ts
 * isKind(resource, 'PodDisruptionBudget'); // true for policy/v1 and policy/v1beta1
 * ```
 */
export function isKind(resource: Pick<Resource, 'id'>, kind: KnownKind): boolean {
  if (resource.id.kind !== kind) return false;
  const group = resource.id.group;
  return group === '' || (KIND_GROUPS[kind] as readonly string[]).includes(group);
}

/** Whether a workload is a Job or a CronJob: pods that run to completion. */
export function isJobKind(resource: Pick<Resource, 'id'>): boolean {
  return resource.id.kind === 'Job' || resource.id.kind === 'CronJob';
}

/**
 * Whether a workload's pods run to completion: a Job, a CronJob, or a bare Pod whose
 * `restartPolicy` is `Never` or `OnFailure` (a Helm test hook, a one-off task). Probes and spread
 * constraints are for pods that keep serving.
 *
 * @example
 * ```ts
 * runsToCompletion(asResource({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 't' }, spec: { restartPolicy: 'Never' } })); // true
 * ```
 */
export function runsToCompletion(resource: Pick<Resource, 'id' | 'object'>): boolean {
  if (isJobKind(resource)) return true;
  if (resource.id.kind !== 'Pod' || resource.id.group !== '') return false;
  const spec = Object.hasOwn(resource.object, 'spec') ? resource.object['spec'] : undefined;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return false;
  const policy = Object.hasOwn(spec, 'restartPolicy')
    ? (spec as Record<string, unknown>)['restartPolicy']
    : undefined;
  return policy === 'Never' || policy === 'OnFailure';
}
