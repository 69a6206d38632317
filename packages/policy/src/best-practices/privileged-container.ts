import type { Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer, securitySetting } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { pointerOf, polaris } from './locate.js';

/**
 * `bp/privileged-container`: no container runs privileged (Polaris `runAsPrivileged`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [privilegedContainer], kubernetesVersion: '1.35' });
 * ```
 */
export const privilegedContainer: Rule = {
  id: 'bp/privileged-container',
  category: 'security',
  severity: 'error',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers do not run privileged.',
    details: `A privileged container has every capability and all host devices: root in it is root on
the node. Remove \`securityContext.privileged: true\`; grant the one capability the process needs
instead, if any.

Matches Polaris \`runAsPrivileged\`, kube-score \`container-security-context-privileged\`, kube-linter
\`privileged-container\` and the PSS baseline check \`privileged\`. Init containers are checked too.
Severity: error (Polaris: danger).`,
    upstream: [
      'polaris/runAsPrivileged',
      'kube-score/container-security-context-privileged',
      'kube-linter/privileged-container',
    ],
    examples: [
      {
        title: 'unprivileged container',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: false
`,
        reports: [],
      },
      {
        title: 'privileged container',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true
`,
        reports: ['/spec/containers/0/securityContext/privileged'],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      if (securitySetting(c.container, 'privileged') !== true) continue;
      context.report({
        path: pointerOf(c.pointer, 'securityContext', 'privileged'),
        message: `${describeContainer(c)} runs privileged: remove securityContext.privileged`,
        data: polaris('runAsPrivileged'),
      });
    }
  },
};
