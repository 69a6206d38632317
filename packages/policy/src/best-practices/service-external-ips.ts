import type { Rule } from '../rule.js';
import { isObject } from '../workloads.js';
import { isKind } from './kinds.js';

/**
 * `bp/service-external-ips`: Services set no `externalIPs` (Kyverno
 * `restrict-service-external-ips`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [serviceExternalIps], kubernetesVersion: '1.35' });
 * ```
 */
export const serviceExternalIps: Rule = {
  id: 'bp/service-external-ips',
  category: 'security',
  severity: 'warning',
  kinds: ['Service'],
  docs: {
    summary: 'Services set no externalIPs.',
    details: `Every node sends traffic for a Service's \`externalIPs\` to that Service, and Kubernetes does not check
that the addresses belong to whoever wrote them. Anyone who may create a Service can so take over
traffic meant for another address, inside or outside the cluster (CVE-2020-8554, which has no fix in
Kubernetes itself; the \`DenyServiceExternalIPs\` admission plugin refuses such Services). Expose a
Service with an Ingress, a Gateway or a \`LoadBalancer\` instead; where a Service truly needs an
external address, add an exception with the reason.

Matches Kyverno \`restrict-service-external-ips\`. Severity: warning.`,
    upstream: ['kyverno/restrict-service-external-ips'],
    examples: [
      {
        title: 'no external addresses',
        yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
`,
        reports: [],
      },
      {
        title: 'an external address',
        yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  externalIPs:
    - 203.0.113.10
  ports:
    - port: 80
`,
        reports: ['/spec/externalIPs'],
      },
    ],
  },
  check(resource, context) {
    if (!isKind(resource, 'Service')) return;
    const spec = resource.object['spec'];
    const addresses = isObject(spec) ? spec['externalIPs'] : undefined;
    if (!Array.isArray(addresses) || addresses.length === 0) return;
    context.report({
      path: '/spec/externalIPs',
      message: `Service ${resource.id.name} sets externalIPs: every node sends traffic for ${addresses.length === 1 ? 'that address' : 'those addresses'} to it, whoever owns ${addresses.length === 1 ? 'it' : 'them'}; use an Ingress or a LoadBalancer`,
    });
  },
};
