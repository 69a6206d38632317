import type { Rule } from '../rule.js';
import { fieldOf, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer, securitySetting } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { pointerOf, polaris } from './locate.js';

// Polaris: '^(?i)ALL$', '^(?i)SYS_ADMIN$', '^(?i)NET_ADMIN$' (RE2 inline flag; `i` in JavaScript).
const DANGEROUS = /^(ALL|SYS_ADMIN|NET_ADMIN)$/i;

/**
 * `bp/added-capabilities`: containers add none of ALL, SYS_ADMIN or NET_ADMIN (Polaris
 * `dangerousCapabilities`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [addedCapabilities], kubernetesVersion: '1.35' });
 * ```
 */
export const addedCapabilities: Rule = {
  id: 'bp/added-capabilities',
  category: 'security',
  severity: 'error',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers do not add the ALL, SYS_ADMIN or NET_ADMIN capability.',
    details: `\`SYS_ADMIN\` is close to full root on the node (mounts, namespaces, BPF), \`NET_ADMIN\` lets the
container rewrite the node's network setup when it shares it, and \`ALL\` grants both and more.
Remove them from \`securityContext.capabilities.add\` and add only the narrow capability the process
needs (for example \`NET_BIND_SERVICE\`).

Matches Polaris \`dangerousCapabilities\` (names compared without regard to case, as Polaris' \`(?i)\`
patterns do) and the PSS baseline check \`capabilities\`, which allows a fixed list instead. Init
containers are checked too. Severity: error (Polaris: danger).`,
    upstream: ['polaris/dangerousCapabilities'],
    examples: [
      {
        title: 'narrow capability',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        capabilities:
          drop: [ALL]
          add: [NET_BIND_SERVICE]
`,
        reports: [],
      },
      {
        title: 'SYS_ADMIN and all capabilities',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        capabilities:
          add: [CHOWN, sys_admin, ALL]
`,
        reports: [
          '/spec/containers/0/securityContext/capabilities/add/1',
          '/spec/containers/0/securityContext/capabilities/add/2',
        ],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      const added = fieldOf(securitySetting(c.container, 'capabilities'), 'add');
      if (!Array.isArray(added)) continue;
      for (let index = 0; index < added.length; index++) {
        const capability: unknown = added[index];
        if (typeof capability !== 'string' || !DANGEROUS.test(capability)) continue;
        context.report({
          path: pointerOf(c.pointer, 'securityContext', 'capabilities', 'add', index),
          message: `${describeContainer(c)} adds capability ${capability}: remove it and add only the narrow capability the process needs`,
          data: polaris('dangerousCapabilities'),
        });
      }
    }
  },
};
