import type { Rule } from '../rule.js';
import { POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer, securitySetting } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { pointerOf, polaris } from './locate.js';
import { showValue } from './show-value.js';

/**
 * `bp/proc-mount`: containers keep the default /proc masks (Polaris `procMount`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [procMount], kubernetesVersion: '1.35' });
 * ```
 */
export const procMount: Rule = {
  id: 'bp/proc-mount',
  category: 'security',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers leave securityContext.procMount unset or Default.',
    details: `The runtime masks parts of \`/proc\` (kernel keys, timers, \`sysrq-trigger\`) that leak host
information or let a process disturb the node. \`procMount: Unmasked\` removes those masks. Remove the
field or set it to \`Default\`.

Matches Polaris \`procMount\` (any value other than \`Default\` fails), kube-linter \`unsafe-proc-mount\`
and the PSS baseline check \`procMount\`. Polaris looks only at \`containers\`; init containers are
checked here too, as PSS does, because they run with the same powers. Severity: warning (Polaris:
warning).`,
    upstream: ['polaris/procMount', 'kube-linter/unsafe-proc-mount'],
    examples: [
      {
        title: 'default masks',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        procMount: Default
`,
        reports: [],
      },
      {
        title: 'unmasked /proc',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        procMount: Unmasked
`,
        reports: ['/spec/containers/0/securityContext/procMount'],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(podSpecOf(resource, IN_CUSTOM_RESOURCES))) {
      const value = securitySetting(c.container, 'procMount');
      if (value === undefined || value === null || value === 'Default') continue;
      context.report({
        path: pointerOf(c.pointer, 'securityContext', 'procMount'),
        message: `${describeContainer(c)} sets procMount ${showValue(value)}: remove it or set it to Default`,
        data: polaris('procMount'),
      });
    }
  },
};
