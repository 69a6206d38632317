import type { Rule } from '../rule.js';
import { isObject, POD_KINDS, podSpecOf } from '../workloads.js';
import { checkedContainers, describeContainer } from './containers.js';
import { IN_CUSTOM_RESOURCES } from './custom-resources.js';
import { atField, locateField, pointerOf, polaris } from './locate.js';

/** A security context that makes the container non-root: `runAsNonRoot: true` or a UID above 0. */
function setsNonRoot(sc: unknown): boolean {
  if (!isObject(sc)) return false;
  const uid = sc['runAsUser'];
  return sc['runAsNonRoot'] === true || (typeof uid === 'number' && uid >= 1);
}

/** The field of a container's security context that undoes a pod-level non-root setting, if any. */
function rootOverride(sc: unknown): 'runAsUser' | 'runAsNonRoot' | undefined {
  if (!isObject(sc)) return undefined;
  const uid = sc['runAsUser'];
  if (uid !== undefined && uid !== null && !(typeof uid === 'number' && uid >= 1)) return 'runAsUser';
  const nonRoot = sc['runAsNonRoot'];
  if (nonRoot !== undefined && nonRoot !== null && nonRoot !== true) return 'runAsNonRoot';
  return undefined;
}

/**
 * `bp/run-as-non-root`: containers cannot run as root (Polaris `runAsRootAllowed`).
 *
 * @example
 * ```ts
 * createPolicyEngine({ rules: [runAsNonRoot], kubernetesVersion: '1.35' });
 * ```
 */
export const runAsNonRoot: Rule = {
  id: 'bp/run-as-non-root',
  category: 'security',
  severity: 'warning',
  kinds: POD_KINDS,
  customResources: true,
  docs: {
    summary: 'Containers set runAsNonRoot: true or a non-zero runAsUser.',
    details: `A process running as UID 0 is root for every file the container can reach and for any kernel bug
that crosses the container boundary. Set \`runAsNonRoot: true\` (and a \`runAsUser\` if the image has no
numeric user) in the pod's or the container's \`securityContext\`.

Matches Polaris \`runAsRootAllowed\`: it passes when the container's own security context sets
\`runAsNonRoot: true\` or \`runAsUser\` ≥ 1, or when the pod's does and the container does not undo it
(with \`runAsUser: 0\` or \`runAsNonRoot: false\`). Also kube-linter \`run-as-non-root\`, kube-score
\`container-security-context-user-group-id\` and the PSS restricted checks \`runAsNonRoot\` and
\`runAsUser\`. Init containers are checked too. Severity: warning (Polaris: danger): root inside an
unprivileged container is still confined by it; this is hardening, not a boundary.`,
    upstream: [
      'polaris/runAsRootAllowed',
      'kube-linter/run-as-non-root',
      'kube-score/container-security-context-user-group-id',
    ],
    examples: [
      {
        title: 'non-root at the pod level',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
    - name: web
      image: nginx:1.27
`,
        reports: [],
      },
      {
        title: 'nothing set',
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
`,
        reports: ['/spec/template/spec/containers/0'],
      },
      {
        title: 'a container undoes the pod setting',
        yaml: `apiVersion: v1
kind: Pod
metadata:
  name: tools
spec:
  securityContext:
    runAsNonRoot: true
  containers:
    - name: web
      image: nginx:1.27
    - name: debug
      image: busybox:1.37
      securityContext:
        runAsUser: 0
`,
        reports: ['/spec/containers/1/securityContext/runAsUser'],
      },
    ],
  },
  check(resource, context) {
    const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
    if (!pod) return;
    const podContext = pod.spec['securityContext'];
    for (const c of checkedContainers(pod)) {
      const sc = c.container['securityContext'];
      const override = rootOverride(sc);
      if (setsNonRoot(sc) || (setsNonRoot(podContext) && override === undefined)) continue;
      const location = override
        ? { path: pointerOf(c.pointer, 'securityContext', override), atKey: false }
        : locateField(c.pointer, c.container, ['securityContext', 'runAsNonRoot']);
      context.report(
        atField(location, {
          message: `${describeContainer(c)} may run as root: set securityContext.runAsNonRoot: true or a runAsUser above 0`,
          data: polaris('runAsRootAllowed'),
        }),
      );
    }
  },
};
