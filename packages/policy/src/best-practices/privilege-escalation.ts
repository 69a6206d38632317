import type { Rule } from '../rule.js';
import { POD_KINDS } from '../workloads.js';
import { checkedContainers, describeContainer, securitySetting } from './containers.js';
import { linuxPodOf } from './custom-resources.js';
import { atField, locateField, polaris } from './locate.js';

// Reported for many containers: the keys are not rebuilt each time.
const FIELD = ['securityContext', 'allowPrivilegeEscalation'];

/**
 * `bp/privilege-escalation`: every container sets `allowPrivilegeEscalation: false` (Polaris
 * `privilegeEscalationAllowed`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [privilegeEscalation], kubernetesVersion: '1.35' });
 * ```
 */
export const privilegeEscalation: Rule = {
  id: 'bp/privilege-escalation',
  category: 'security',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers set securityContext.allowPrivilegeEscalation: false.',
    details: `Unless \`allowPrivilegeEscalation\` is \`false\`, a process can gain more privileges than its
parent (setuid binaries, file capabilities): the kernel's \`no_new_privs\` flag is not set. The
default is to allow it, so the field must be written on each container.

Matches Polaris \`privilegeEscalationAllowed\`, kube-linter \`privilege-escalation-container\` and the
PSS restricted check \`allowPrivilegeEscalation\`. As in Polaris, only the container's own
\`securityContext\` counts (the pod-level security context has no such field), and init containers
are checked too. Severity: warning (Polaris: danger): it hardens the container
rather than guarding a boundary, which is what \`bp/privileged-container\` does. Windows pods (\`spec.os.name: windows\`) are not checked: the API server refuses this setting
there.`,
    upstream: ['polaris/privilegeEscalationAllowed', 'kube-linter/privilege-escalation-container'],
    examples: [
      {
        title: 'escalation disabled',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        allowPrivilegeEscalation: false
`,
        reports: [],
      },
      {
        title: 'field not set, and set to true',
        yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
        - name: sidecar
          image: envoy:1.31
          securityContext:
            allowPrivilegeEscalation: true
`,
        reports: [
          '/spec/template/spec/containers/0',
          '/spec/template/spec/containers/1/securityContext/allowPrivilegeEscalation',
        ],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(linuxPodOf(resource))) {
      const value = securitySetting(c.container, 'allowPrivilegeEscalation');
      if (value === false) continue;
      context.report(
        atField(locateField(c.pointer, c.container, FIELD), {
          message:
            value === true
              ? `${describeContainer(c)} allows privilege escalation: set securityContext.allowPrivilegeEscalation to false`
              : `${describeContainer(c)} does not forbid privilege escalation: set securityContext.allowPrivilegeEscalation: false`,
          data: polaris('privilegeEscalationAllowed'),
        }),
      );
    }
  },
};
