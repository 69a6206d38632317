import type { Rule } from '../rule.js';
import { isObject } from '../workloads.js';
import { pointerOf } from './locate.js';
import { ROLE_KINDS, roleKindOf } from './rbac.js';
import { nameOf } from './show-value.js';

/** The fields of a PolicyRule where a `*` is reported. */
const WILDCARD_FIELDS = ['resources', 'verbs'] as const;

/**
 * `bp/rbac-wildcards`: Role and ClusterRole rules name their resources and verbs instead of `*`.
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [rbacWildcards], kubernetesVersion: '1.35' });
 * ```
 */
export const rbacWildcards: Rule = {
  id: 'bp/rbac-wildcards',
  category: 'security',
  severity: 'warning',
  kinds: ROLE_KINDS,
  docs: {
    summary: 'Role and ClusterRole rules use no * for resources or verbs.',
    details: `A \`*\` grants every resource or verb that exists, including ones added later by upgrades and
CRDs (a future subresource, \`escalate\`, \`impersonate\`). List what the subject needs instead.

Matches kube-linter \`wildcard-in-rules\` (CIS benchmark 5.1.3): each \`*\` in a rule's \`resources\` or
\`verbs\` is one finding. A \`*\` in \`apiGroups\` alone is left to the other RBAC rules. Polaris has no
such check on its own (its cluster-admin checks look for full wildcards). Severity: warning.`,
    upstream: ['kube-linter/wildcard-in-rules'],
    examples: [
      {
        title: 'explicit resources and verbs',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: deployer
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: [get, list, watch, update, patch]
`,
        reports: [],
      },
      {
        title: 'every verb on deployments',
        yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: deployer
rules:
  - apiGroups: [apps]
    resources: [deployments]
    verbs: ["*"]
`,
        reports: ['/rules/0/verbs/0'],
      },
    ],
  },
  check(resource, context) {
    const kind = roleKindOf(resource);
    const rules = resource.object['rules'];
    if (!kind || !Array.isArray(rules)) return;
    // Index loops over a constant list, not `forEach` closures and a list per rule: every Role and
    // ClusterRole comes here (allocation: 1.1 → 0.2 MB a run for 2,800 Roles).
    for (let index = 0; index < rules.length; index++) {
      const rule: unknown = rules[index];
      if (!isObject(rule)) continue;
      for (const field of WILDCARD_FIELDS) {
        const list = rule[field];
        if (!Array.isArray(list)) continue;
        for (let at = 0; at < list.length; at++) {
          if (list[at] !== '*') continue;
          context.report({
            path: pointerOf('/rules', index, field, at),
            message: `${kind} ${nameOf(resource)} grants ${field === 'verbs' ? 'every verb' : 'every resource'} with *: list the ${field} needed`,
          });
        }
      }
    }
  },
};
