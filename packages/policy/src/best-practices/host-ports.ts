import type { Rule } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { pointerOf, polaris } from './locate.js';
import { showValue } from './show-value.js';

/**
 * `bp/host-ports`: containers bind no port of the node (Polaris `hostPortSet`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [hostPorts], kubernetesVersion: '1.35' });
 * ```
 */
export const hostPorts: Rule = {
  id: 'bp/host-ports',
  category: 'security',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers set no hostPort.',
    details: `A \`hostPort\` binds the port on the node's address: it bypasses NetworkPolicies on some CNI
plugins, limits scheduling to one such pod per node, and exposes the pod outside the cluster network.
Remove \`hostPort\` and expose the pod through a Service.

Matches Polaris \`hostPortSet\` (a \`hostPort\` other than 0) and the PSS baseline check \`hostPorts\`.
Init containers are checked too. Severity: warning (Polaris: warning).`,
    upstream: ['polaris/hostPortSet'],
    examples: [
      {
        title: 'container port only',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 8080
`,
        reports: [],
      },
      {
        title: 'host port',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 8080
        - containerPort: 8443
          hostPort: 443
`,
        reports: ['/spec/containers/0/ports/1/hostPort'],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      const ports = c.container['ports'];
      if (!Array.isArray(ports)) continue;
      for (let index = 0; index < ports.length; index++) {
        const port: unknown = ports[index];
        if (!isObject(port)) continue; // holes too, which forEach skipped
        const hostPort = port['hostPort'];
        if (hostPort === undefined || hostPort === null || hostPort === 0) continue;
        context.report({
          path: pointerOf(c.pointer, 'ports', index, 'hostPort'),
          message: `${describeContainer(c)} binds host port ${showValue(hostPort)}: remove hostPort and expose the pod through a Service`,
          data: polaris('hostPortSet'),
        });
      }
    }
  },
};
