import type { Rule } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { pointerOf } from './locate.js';

/** The SSH port. */
const SSH = 22;

/**
 * `bp/ssh-port`: containers do not declare port 22 (kube-linter `ssh-port`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [sshPort], kubernetesVersion: '1.35' });
 * ```
 */
export const sshPort: Rule = {
  id: 'bp/ssh-port',
  category: 'security',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers do not expose port 22 (SSH).',
    details: `A container that listens on port 22 usually runs an SSH server: a second way in that bypasses the
API server's authentication, audit log and RBAC, with keys that live in the image or a Secret. Use
\`kubectl exec\` or \`kubectl debug\` for access instead, and remove the SSH server. A container that
must serve SSH (a Git server) gets an exception with the reason.

Every \`ports[].containerPort\` of the pod's containers and init containers is looked at, whatever its
protocol. Matches kube-linter \`ssh-port\`. Severity: warning.`,
    upstream: ['kube-linter/ssh-port'],
    examples: [
      {
        title: 'a web port',
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
        title: 'an SSH server',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: registry.example.com/web-with-sshd:3.2
      ports:
        - name: http
          containerPort: 8080
        - name: ssh
          containerPort: 22
`,
        reports: ['/spec/containers/0/ports/1/containerPort'],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      const ports = c.container['ports'];
      if (!Array.isArray(ports)) continue;
      for (let index = 0; index < ports.length; index++) {
        const port: unknown = ports[index];
        if (!isObject(port) || port['containerPort'] !== SSH) continue;
        context.report({
          path: pointerOf(c.pointer, 'ports', index, 'containerPort'),
          message: `${describeContainer(c)} exposes port 22, the SSH port: use kubectl exec or debug instead of an SSH server`,
        });
      }
    }
  },
};
