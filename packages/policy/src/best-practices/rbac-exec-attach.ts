import type { Resource } from '@shipshape/core';
import type { Rule } from '../rule.js';
import { locateField, pointerOf, polaris } from './locate.js';
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

// Default ClusterRoles that grant exec on purpose; Polaris leaves them alone.
const DEFAULT_EXEC_ROLES = new Set(['admin', 'cluster-admin', 'edit']);

function polarisCheck(kind: PendingBinding['kind'], ref: RoleRef | undefined): string {
  if (kind === 'ClusterRoleBinding') return 'clusterrolebindingPodExecAttach';
  return ref?.kind === 'ClusterRole' ? 'rolebindingClusterRolePodExecAttach' : 'rolebindingRolePodExecAttach';
}

/**
 * `bp/rbac-exec-attach` (Polaris `rolePodExecAttach`, `clusterrolePodExecAttach` and the three
 * `*bindingPodExecAttach` checks): no role grants, and no binding hands out, exec into or attach
 * to pods.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: [createRbacExecAttach()], kubernetesVersion: '1.35' });
 * ```
 */
export function createRbacExecAttach(): Rule {
  // Per run: what every Role and ClusterRole grants, and the bindings to resolve at the end.
  let roles = new RoleTable();
  let bindings: PendingBinding[] = [];
  return {
    id: 'bp/rbac-exec-attach',
    category: 'security',
    severity: 'error',
    kinds: RBAC_KINDS,
    docs: {
      summary: 'No Role or binding grants exec into or attach to pods.',
      details: `\`pods/exec\` and \`pods/attach\` give a shell in any pod the subject can reach: its Secrets, its
ServiceAccount token and its network position come with it. Grant them to people through
short-lived access, not to workloads or standing groups: remove \`pods/exec\`, \`pods/attach\` (or \`*\`)
with the \`create\`, \`get\` (a websocket upgrade) or \`*\` verb from the rule.

Matches Polaris \`rolePodExecAttach\` and \`clusterrolePodExecAttach\` (reported on the role's rule;
\`system:\` roles and the default \`admin\`, \`edit\` and \`cluster-admin\` ClusterRoles are left alone), and
\`rolebindingRolePodExecAttach\`, \`rolebindingClusterRolePodExecAttach\` and
\`clusterrolebindingPodExecAttach\` (reported on the binding's \`roleRef\`; bindings named \`system:…\`
are left alone, and so is a ClusterRoleBinding to \`view\`). Roles are looked up across all files: a
Role in the binding's namespace, a ClusterRole anywhere, else the built-in ClusterRoles \`admin\`,
\`edit\`, \`view\` and \`cluster-admin\`. As in Polaris, a binding to a role that cannot be found fails,
with severity warning, since what it grants cannot be checked. Unlike Polaris, a role without
\`rules\` (or an aggregated ClusterRole) passes, and a RoleBinding finds its ClusterRole although the
ClusterRole has no namespace. Severity: error (Polaris: danger).`,
      upstream: [
        'polaris/rolePodExecAttach',
        'polaris/clusterrolePodExecAttach',
        'polaris/rolebindingRolePodExecAttach',
        'polaris/rolebindingClusterRolePodExecAttach',
        'polaris/clusterrolebindingPodExecAttach',
      ],
      examples: [
        {
          title: 'read-only access to pods',
          yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: [pods, pods/log]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: developers-read
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: pod-reader
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: developers
`,
          reports: [],
        },
        {
          title: 'a Role that allows exec',
          yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debugger
  namespace: shop
rules:
  - apiGroups: [""]
    resources: [pods]
    verbs: [get, list]
  - apiGroups: [""]
    resources: [pods/exec]
    verbs: [create]
`,
          reports: ['/rules/1'],
        },
        {
          title: 'a binding to a role that allows exec',
          yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-debug
  namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: shop
`,
          reports: ['/roleRef/name'],
        },
      ],
    },
    check(resource, context) {
      const roleKind = roleKindOf(resource);
      if (roleKind) {
        const facts = roleFacts(resource.object);
        roles.set(roleKind, resource.id.namespace, resource.id.name, facts);
        const exempt =
          isSystemName(resource.id.name) ||
          (roleKind === 'ClusterRole' && DEFAULT_EXEC_ROLES.has(resource.id.name));
        if (exempt || facts.execAttachRule === undefined) return;
        context.report({
          path: pointerOf('/rules', facts.execAttachRule),
          message: `${roleKind} ${nameOf(resource)} lets its subjects exec into or attach to pods: remove pods/exec and pods/attach (or the get/create verbs) from this rule`,
          data: polaris(roleKind === 'Role' ? 'rolePodExecAttach' : 'clusterrolePodExecAttach'),
        });
        return;
      }
      const kind = bindingKindOf(resource);
      if (!kind || isSystemName(resource.id.name)) return;
      if (kind === 'ClusterRoleBinding' && resource.id.name === 'cluster-admin') return;
      const ref = roleRefOf(resource.object);
      if (kind === 'ClusterRoleBinding' && ref?.kind === 'ClusterRole' && ref.name === 'view') return;
      bindings.push({
        resource,
        kind,
        ref: kind === 'ClusterRoleBinding' && ref?.kind === 'Role' ? undefined : ref,
      });
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
        if (facts && facts.execAttachRule === undefined) continue;
        context.report({
          resource,
          path: '/roleRef/name',
          ...(facts ? {} : { severity: 'warning' as const }),
          message: facts
            ? `${kind} ${nameOf(resource)} binds ${describeRef(ref)}, which allows exec into or attach to pods: bind a role without pods/exec and pods/attach`
            : `${kind} ${nameOf(resource)} binds ${describeRef(ref)}, which is not in the repository: cannot check that it does not allow exec into pods`,
          data: { polaris: polarisCheck(kind, ref) },
        });
      }
      roles = new RoleTable();
      bindings = [];
    },
  };
}
