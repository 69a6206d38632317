import type { Resource } from '@shipshape/core';
import type { Rule } from '../rule.js';
import { locateField, polaris } from './locate.js';
import {
  bindingKindOf,
  describeRef,
  isSystemName,
  lookupRole,
  RBAC_KINDS,
  type RoleRef,
  RoleTable,
  roleFacts,
  roleKindOf,
  roleRefOf,
} from './rbac.js';
import { nameOf } from './show-value.js';

interface PendingBinding {
  readonly resource: Resource;
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly ref: RoleRef | undefined;
}

function polarisCheck(kind: PendingBinding['kind'], ref: RoleRef | undefined): string {
  if (kind === 'ClusterRoleBinding') return 'clusterrolebindingClusterAdmin';
  return ref?.kind === 'ClusterRole' ? 'rolebindingClusterAdminClusterRole' : 'rolebindingClusterAdminRole';
}

/**
 * `bp/rbac-cluster-admin` (Polaris `clusterrolebindingClusterAdmin`,
 * `rolebindingClusterAdminClusterRole`, `rolebindingClusterAdminRole`): no binding hands out
 * cluster-admin or a role with the same wildcards.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: [createRbacClusterAdmin()], kubernetesVersion: '1.35' });
 * ```
 */
export function createRbacClusterAdmin(): Rule {
  // Per run: what every Role and ClusterRole grants, and the bindings to resolve at the end.
  let roles = new RoleTable();
  let bindings: PendingBinding[] = [];
  return {
    id: 'bp/rbac-cluster-admin',
    category: 'security',
    severity: 'error',
    kinds: RBAC_KINDS,
    docs: {
      summary: 'No binding grants cluster-admin or a role with wildcard permissions.',
      details: `A subject bound to \`cluster-admin\`, or to a role with \`*\` API groups, \`*\` resources and every
verb, can do anything in its scope, including granting itself more. Bind a role that lists the
resources and verbs the subject needs.

Matches Polaris \`clusterrolebindingClusterAdmin\`, \`rolebindingClusterAdminClusterRole\` and
\`rolebindingClusterAdminRole\`: a binding fails when it names \`cluster-admin\`, or a role with a rule of
\`*\` apiGroups, \`*\` resources and verb \`*\` (or all of get, list, watch, create, update, patch and
delete). Bindings named \`system:…\` are left alone, and so are a ClusterRoleBinding named
\`cluster-admin\` and one to \`view\`. Roles are looked up across all files: a Role in the binding's
namespace, a ClusterRole anywhere, else the built-in ClusterRoles \`admin\`, \`edit\` and \`view\`. As in
Polaris, a binding to a role that cannot be found fails, with severity warning, since what it grants
cannot be checked. Unlike Polaris, a RoleBinding finds its ClusterRole although the ClusterRole has
no namespace, and a rule with extra verbs beyond the seven still counts as a wildcard. Also
kube-linter \`cluster-admin-role-binding\`. Severity: error (Polaris: danger).`,
      upstream: [
        'polaris/clusterrolebindingClusterAdmin',
        'polaris/rolebindingClusterAdminClusterRole',
        'polaris/rolebindingClusterAdminRole',
        'kube-linter/cluster-admin-role-binding',
      ],
      examples: [
        {
          title: 'binding to a narrow ClusterRole',
          yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: monitoring-read
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: metrics-reader
subjects:
  - kind: ServiceAccount
    name: prometheus
    namespace: monitoring
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: metrics-reader
rules:
  - apiGroups: [""]
    resources: [pods, nodes, endpoints]
    verbs: [get, list, watch]
`,
          reports: [],
        },
        {
          title: 'binding to cluster-admin',
          yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: ci
`,
          reports: ['/roleRef/name'],
        },
        {
          title: 'binding to a wildcard Role',
          yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ops-all
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: everything
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: ops
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: everything
  namespace: shop
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
`,
          reports: ['/roleRef/name'],
        },
      ],
    },
    check(resource, context) {
      const roleKind = roleKindOf(resource);
      if (roleKind) {
        roles.set(roleKind, resource.id.namespace, resource.id.name, roleFacts(resource.object));
        return;
      }
      const kind = bindingKindOf(resource);
      if (!kind || isSystemName(resource.id.name)) return;
      if (kind === 'ClusterRoleBinding' && resource.id.name === 'cluster-admin') return;
      const valid = roleRefOf(resource.object);
      const ref = kind === 'ClusterRoleBinding' && valid?.kind === 'Role' ? undefined : valid;
      if (ref?.kind === 'ClusterRole' && ref.name === 'cluster-admin') {
        context.report({
          path: '/roleRef/name',
          message: `${kind} ${nameOf(resource)} grants cluster-admin: bind a role that lists only the resources and verbs needed`,
          data: polaris(polarisCheck(kind, ref)),
        });
        return;
      }
      if (kind === 'ClusterRoleBinding' && ref?.name === 'view') return;
      bindings.push({ resource, kind, ref });
    },
    finish(context) {
      // Data objects are made for findings only: most bindings pass.
      for (const { resource, kind, ref } of bindings) {
        if (!ref) {
          context.report({
            resource,
            ...locateField('', resource.object, ['roleRef']),
            severity: 'warning',
            message: `${kind} ${nameOf(resource)} has an incomplete roleRef: name apiGroup rbac.authorization.k8s.io, a kind and a name`,
            data: { polaris: polarisCheck(kind, ref) },
          });
          continue;
        }
        const facts = lookupRole(roles, ref, resource.id.namespace);
        if (facts && facts.wildcardRule === undefined) continue;
        context.report({
          resource,
          path: '/roleRef/name',
          ...(facts ? {} : { severity: 'warning' as const }),
          message: facts
            ? `${kind} ${nameOf(resource)} binds ${describeRef(ref)}, which has wildcard permissions like cluster-admin: bind a role that lists only the resources and verbs needed`
            : `${kind} ${nameOf(resource)} binds ${describeRef(ref)}, which is not in the repository: cannot check it for wildcard permissions`,
          data: { polaris: polarisCheck(kind, ref) },
        });
      }
      roles = new RoleTable();
      bindings = [];
    },
  };
}
