import type { Rule } from '../rule.js';
import { fieldOf, POD_KINDS } from '../workloads.js';
import { checkedContainers, describeContainer, securitySetting } from './containers.js';
import { linuxPodOf } from './custom-resources.js';
import { atField, locateField, polaris } from './locate.js';

// Docker's default capability set: dropping all of these is as good as dropping ALL.
const DEFAULT_CAPABILITIES = [
  'NET_ADMIN',
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
];

/** Whether a drop list names ALL, in any case (the test below, without its arrays). */
function dropsAll(dropped: unknown): boolean {
  if (!Array.isArray(dropped)) return false;
  for (let i = 0; i < dropped.length; i++) {
    const v: unknown = dropped[i];
    if (typeof v === 'string' && v.toUpperCase() === 'ALL') return true;
  }
  return false;
}

/**
 * `bp/drop-capabilities`: containers drop ALL capabilities (Polaris `insecureCapabilities`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [dropCapabilities], kubernetesVersion: '1.35' });
 * ```
 */
export const dropCapabilities: Rule = {
  id: 'bp/drop-capabilities',
  category: 'security',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers drop ALL capabilities.',
    details: `Containers start with the runtime's default capabilities (\`NET_RAW\`, \`SETUID\`, \`CHOWN\`, …),
which most processes never use and attackers do. Set \`securityContext.capabilities.drop: [ALL]\`
and add back only what the process needs.

Matches Polaris \`insecureCapabilities\` (passes when \`drop\` holds \`ALL\`, in any case, or every one of
the 15 default capabilities), kube-linter \`drop-net-raw-capability\` and Kyverno \`require-drop-cap-net-raw\` (which ask only for
NET_RAW), Kyverno \`require-drop-all\` and the PSS restricted check \`capabilities\`. Polaris would fail a list holding both \`ALL\` and the 15
names; this rule does not. Init containers are checked too. Severity: warning (Polaris: warning). Windows pods (\`spec.os.name: windows\`) are not checked: the API server refuses this setting
there.`,
    upstream: [
      'polaris/insecureCapabilities',
      'kube-linter/drop-net-raw-capability',
      'kyverno/require-drop-all',
      'kyverno/require-drop-cap-net-raw',
    ],
    examples: [
      {
        title: 'drops ALL',
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
`,
        reports: [],
      },
      {
        title: 'drops only NET_RAW, and drops nothing',
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
          drop: [NET_RAW]
    - name: sidecar
      image: envoy:1.31
`,
        reports: ['/spec/containers/0/securityContext/capabilities/drop', '/spec/containers/1'],
      },
    ],
  },
  check(resource, context) {
    for (const c of checkedContainers(linuxPodOf(resource))) {
      const dropped = fieldOf(securitySetting(c.container, 'capabilities'), 'drop');
      // Most containers drop ALL: found without building the list of names.
      if (dropsAll(dropped)) continue;
      const names = Array.isArray(dropped)
        ? dropped.filter((v): v is string => typeof v === 'string').map((v) => v.toUpperCase())
        : [];
      if (names.includes('ALL') || DEFAULT_CAPABILITIES.every((cap) => names.includes(cap))) continue;
      context.report(
        atField(locateField(c.pointer, c.container, ['securityContext', 'capabilities', 'drop']), {
          message: `${describeContainer(c)} keeps the default capabilities: set securityContext.capabilities.drop: [ALL]`,
          data: polaris('insecureCapabilities'),
        }),
      );
    }
  },
};
