import type { ContainerRef } from '../../workloads.js';
import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import {
  containerList,
  finding,
  isWindowsPod,
  type PodView,
  pointAt,
  securityContextOf,
} from '../pod-view.js';

const REASON = 'allowPrivilegeEscalation != false';
const DETAIL = 'must set securityContext.allowPrivilegeEscalation=false';

/** Whether `c` fails: anything but `allowPrivilegeEscalation: false`. */
function escalates(c: ContainerRef): boolean {
  return securityContextOf(c)?.['allowPrivilegeEscalation'] !== false;
}

function escalating(pod: PodView): Violation | undefined {
  // Tested before any list is built: most pods pass, and then allocate nothing.
  if (!pod.containers.some(escalates)) return undefined;
  const bad = pod.containers.filter(escalates);
  if (bad.length === 0) return undefined;
  return {
    reason: REASON,
    detail: `${containerList(bad.map((c) => c.name))} ${DETAIL}`,
    findings: bad.map((c) =>
      finding(
        REASON,
        `container "${c.name}" ${DETAIL}`,
        pointAt(c.pointer, c.container, ['securityContext', 'allowPrivilegeEscalation']),
      ),
    ),
  };
}

/** `securityContext.allowPrivilegeEscalation` must be written as `false` on every container. */
export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  variants: [
    { since: 8, evaluate: escalating },
    // Windows has no setuid binaries or no_new_privs; the field is meaningless there.
    { since: 25, evaluate: (pod) => (isWindowsPod(pod) ? undefined : escalating(pod)) },
  ],
  docs: {
    summary: 'Every container sets allowPrivilegeEscalation: false.',
    details:
      'Unless `allowPrivilegeEscalation` is `false`, a process can gain more privileges than its ' +
      'parent, through setuid binaries or file capabilities, which turns a foothold into root. The ' +
      'field defaults to allowing it, so the restricted level requires ' +
      '`securityContext.allowPrivilegeEscalation: false` written on every init, regular and ephemeral ' +
      'container. From policy v1.8; from v1.25 pods with `spec.os.name: windows` are exempt.',
    examples: [
      {
        title: 'escalation turned off',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
                securityContext:
                  allowPrivilegeEscalation: false
        `,
        reports: [],
      },
      {
        title: 'one container allows escalation, another leaves the default',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
                securityContext:
                  allowPrivilegeEscalation: true
              - name: sidecar
                image: busybox:1.36
        `,
        reports: ['/spec/containers/0/securityContext/allowPrivilegeEscalation', '/spec/containers/1'],
      },
    ],
  },
};
