import type { Rule } from '../rule.js';
import { isObject } from '../workloads.js';
import { isKind } from './kinds.js';

/**
 * `bp/service-type`: Services are not of type `NodePort` (kube-score `service-type`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [serviceType], kubernetesVersion: '1.35' });
 * ```
 */
export const serviceType: Rule = {
  id: 'bp/service-type',
  category: 'security',
  severity: 'warning',
  kinds: ['Service'],
  docs: {
    summary: 'Services are not of type NodePort.',
    details: `A \`NodePort\` Service opens its port on every node of the cluster, on each node's own address:
whoever reaches a node reaches the Service, around the Ingress and its TLS, and a firewall must be
kept in step with a port range rather than one entry point. Expose workloads through a \`ClusterIP\`
Service behind an Ingress or a Gateway, or through a \`LoadBalancer\` Service where the cloud provides
one. On clusters without either (bare metal, a laboratory), add an exception with the reason.

Only \`type: NodePort\` is reported; a \`LoadBalancer\` Service also allocates node ports, but through
the provider's balancer. Matches kube-score \`service-type\`, kube-linter \`exposed-services\` (off by default there, with a
list of forbidden types) and Kyverno \`restrict-node-port\`. Severity: warning.`,
    upstream: ['kube-score/service-type', 'kube-linter/exposed-services', 'kyverno/restrict-node-port'],
    examples: [
      {
        title: 'a ClusterIP Service',
        yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
`,
        reports: [],
      },
      {
        title: 'a NodePort Service',
        yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
      nodePort: 30080
`,
        reports: ['/spec/type'],
      },
    ],
  },
  check(resource, context) {
    if (!isKind(resource, 'Service')) return;
    const spec = resource.object['spec'];
    if (!isObject(spec) || spec['type'] !== 'NodePort') return;
    context.report({
      path: '/spec/type',
      message: `Service ${resource.id.name} is of type NodePort, which opens its port on every node: use a ClusterIP Service behind an Ingress, or a LoadBalancer`,
    });
  },
};
