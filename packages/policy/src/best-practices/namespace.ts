import type { Rule } from '../rule.js';
import { dig } from '../workloads.js';
import { nameOf } from './show-value.js';

/**
 * `bp/namespace`: nothing is deployed to the `default` namespace (or another namespace named in
 * the `namespaces` option).
 *
 * @example
 * ```ts
 * createPolicyEngine({
 *   rules: [namespace],
 *   kubernetesVersion: '1.35',
 *   settings: { 'bp/namespace': { options: { namespaces: ['default', 'kube-public'] } } },
 * });
 * ```
 */
export const namespace: Rule = {
  id: 'bp/namespace',
  category: 'hygiene',
  severity: 'info',
  options: {
    namespaces: {
      description: 'Namespaces that resources must not name in metadata.namespace.',
      schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      default: ['default'],
    },
  },
  docs: {
    summary: 'Resources do not name the default namespace.',
    details: `The \`default\` namespace is where everything lands that nobody placed: RBAC, quotas and
NetworkPolicies written for an application's namespace do not cover it, and unrelated workloads
end up sharing it. Give each application its own namespace.

Only a written \`metadata.namespace\` is checked: a resource without one takes its namespace when it is
applied (from a Kustomization, a Flux or Argo CD target namespace, or \`kubectl -n\`), which this
rule cannot see. Matches kube-linter \`use-namespace\` and the Kyverno policy
\`disallow-default-namespace\`. Severity: info.`,
    upstream: ['kube-linter/use-namespace', 'kyverno/disallow-default-namespace'],
    examples: [
      {
        title: 'own namespace',
        yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: shop
data:
  mode: production
`,
        reports: [],
      },
      {
        title: 'default namespace',
        yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: default
data:
  mode: production
`,
        reports: ['/metadata/namespace'],
      },
    ],
  },
  check(resource, context) {
    const value = dig(resource.object, 'metadata', 'namespace');
    const forbidden = context.options['namespaces'];
    if (typeof value !== 'string' || !Array.isArray(forbidden) || !forbidden.includes(value)) return;
    context.report({
      path: '/metadata/namespace',
      message: `${resource.id.kind} ${nameOf(resource)} is in the ${value} namespace: move it to the application's own namespace`,
    });
  },
};
