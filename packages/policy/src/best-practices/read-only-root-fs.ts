import type { Rule } from '../rule.js';
import { POD_KINDS } from '../workloads.js';
import { checkedContainers, describeContainer, securitySetting } from './containers.js';
import { linuxPodOf } from './custom-resources.js';
import { atField, locateField, polaris } from './locate.js';

// Reported for many containers: the keys are not rebuilt each time.
const FIELD = ['securityContext', 'readOnlyRootFilesystem'];

/**
 * `bp/read-only-root-fs`: containers mount their root file system read-only (Polaris
 * `notReadOnlyRootFilesystem`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [readOnlyRootFs], kubernetesVersion: '1.35' });
 * ```
 */
export const readOnlyRootFs: Rule = {
  id: 'bp/read-only-root-fs',
  category: 'security',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers set securityContext.readOnlyRootFilesystem: true.',
    details: `A writable root file system lets an intruder drop tools and change binaries or configuration in
the running container. Set \`readOnlyRootFilesystem: true\` and mount an \`emptyDir\` where the
process must write (\`/tmp\`, caches).

Matches Polaris \`notReadOnlyRootFilesystem\`, kube-score
\`container-security-context-readonlyrootfilesystem\`, kube-linter \`no-read-only-root-fs\` and Kyverno
\`require-ro-rootfs\`. As in
Polaris, only the container's own \`securityContext\` counts (the pod-level security context has no
such field), and init containers are checked too. Severity: warning (Polaris: warning). Windows pods (\`spec.os.name: windows\`) are not checked: the API server refuses this setting
there.`,
    upstream: [
      'polaris/notReadOnlyRootFilesystem',
      'kube-score/container-security-context-readonlyrootfilesystem',
      'kube-linter/no-read-only-root-fs',
      'kyverno/require-ro-rootfs',
    ],
    examples: [
      {
        title: 'read-only root',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: true
`,
        reports: [],
      },
      {
        title: 'writable root, and not set',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        readOnlyRootFilesystem: false
    - name: sidecar
      image: envoy:1.31
      securityContext:
        runAsNonRoot: true
`,
        reports: [
          '/spec/containers/0/securityContext/readOnlyRootFilesystem',
          '/spec/containers/1/securityContext',
        ],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(linuxPodOf(resource))) {
      if (securitySetting(c.container, 'readOnlyRootFilesystem') === true) continue;
      context.report(
        atField(locateField(c.pointer, c.container, FIELD), {
          message: `${describeContainer(c)} has a writable root file system: set securityContext.readOnlyRootFilesystem: true`,
          data: polaris('notReadOnlyRootFilesystem'),
        }),
      );
    }
  },
};
