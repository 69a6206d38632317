// RoleBindings and ClusterRoleBindings: rbac.authorization.k8s.io v1alpha1 (up to 1.21), v1beta1
// (up to 1.21) and v1. v1beta1 and v1 have the same fields; the internal type has them too, so v1
// is the hub. A v1alpha1 subject names its kind's API by `apiVersion` where the others name its
// group by `apiGroup`. Facts from kubernetes/kubernetes `pkg/apis/rbac/v1alpha1/conversion.go`.
//
// Towards the hub, a subject's group is `""` for a ServiceAccount, the RBAC group for a User or a
// Group, and otherwise the group part of its `apiVersion` (none when that does not parse as a
// group/version); a v1alpha1 User named `*` stood for every authenticated user, and becomes the
// Group `system:authenticated`. Towards v1alpha1, a ServiceAccount of the core group gets `v1`, a
// User or Group of the RBAC group `rbac.authorization.k8s.io/v1alpha1`, any other subject its group
// followed by `/` (no version: v1 does not know one), and nothing for the core group. An empty
// `apiGroup` or `apiVersion` is left out, as the server leaves it out. Roles, ClusterRoles and role
// references have the same fields in all three versions: nothing to convert.
//
// Not converted here: the decoding defaults of a subject without `apiGroup` (v1beta1, v1) or
// `apiVersion` (v1alpha1), which belong to decoding.

import { mapObjects, withoutKeys } from './convert-fields.js';
import type { CelObject, GroupVersion, StorageConversion } from './convert-versions.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const V1ALPHA1 = `${RBAC_GROUP}/v1alpha1`;

const isRbacKind = (kind: unknown): boolean => kind === 'User' || kind === 'Group';

/** The group of a `group/version` or `version` string, as Kubernetes parses it ('' when it does not). */
function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const parts = apiVersion.split('/');
  return parts.length === 2 ? (parts[0] ?? '') : '';
}

function subjectToHub(subject: CelObject): CelObject {
  const { kind, apiVersion } = subject;
  const out = withoutKeys(subject, ['apiVersion', 'apiGroup']);
  let group = groupOf(apiVersion);
  if (kind === 'ServiceAccount') group = '';
  else if (isRbacKind(kind)) group = RBAC_GROUP;
  if (kind === 'User' && group === RBAC_GROUP && out['name'] === '*') {
    out['kind'] = 'Group';
    out['name'] = 'system:authenticated';
  }
  return group === '' ? out : { ...out, apiGroup: group };
}

function subjectFromHub(subject: CelObject): CelObject {
  const { kind } = subject;
  const group = typeof subject['apiGroup'] === 'string' ? subject['apiGroup'] : '';
  const out = withoutKeys(subject, ['apiGroup', 'apiVersion']);
  let apiVersion = group === '' ? '' : `${group}/`;
  if (kind === 'ServiceAccount' && group === '') apiVersion = 'v1';
  else if (isRbacKind(kind) && group === RBAC_GROUP) apiVersion = V1ALPHA1;
  return apiVersion === '' ? out : { ...out, apiVersion };
}

function convertSubjects(object: CelObject, convert: (subject: CelObject) => CelObject): CelObject {
  mapObjects(object, 'subjects', convert);
  return object;
}

/**
 * RoleBindings and ClusterRoleBindings between rbac.authorization.k8s.io v1alpha1, v1beta1 and v1.
 *
 * @example
 * ```ts
 * ROLE_BINDING_CONVERSION.fromHub(binding, { group: 'rbac.authorization.k8s.io', version: 'v1alpha1' });
 * // subjects[0] { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', … } → { kind: 'Group', apiVersion: 'rbac.authorization.k8s.io/v1alpha1', … }
 * ```
 */
export const ROLE_BINDING_CONVERSION: StorageConversion = {
  resources: [`${RBAC_GROUP}/rolebindings`, `${RBAC_GROUP}/clusterrolebindings`],
  toHub(object: CelObject, from: GroupVersion): CelObject {
    return from.version === 'v1alpha1' ? convertSubjects(object, subjectToHub) : object;
  },
  fromHub(object: CelObject, to: GroupVersion): CelObject {
    return to.version === 'v1alpha1' ? convertSubjects(object, subjectFromHub) : object;
  },
};
