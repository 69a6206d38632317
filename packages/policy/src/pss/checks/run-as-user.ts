import type { ContainerRef } from '../../workloads.js';
import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  type PodView,
  podSecurityContext,
  securityContextOf,
  usesUserNamespace,
} from '../pod-view.js';

const REASON = 'runAsUser=0';
const DETAIL = 'must not set runAsUser=0';

function setsRootUser(c: ContainerRef): boolean {
  return securityContextOf(c)?.['runAsUser'] === 0;
}

function runsAsRoot(pod: PodView): Violation | undefined {
  // Tested before any list is built: most pods pass, and then allocate nothing.
  if (podSecurityContext(pod)?.['runAsUser'] !== 0 && !pod.containers.some(setsRootUser)) return undefined;
  const setters: string[] = [];
  const findings: PodSecurityFinding[] = [];
  if (podSecurityContext(pod)?.['runAsUser'] === 0) {
    setters.push('pod');
    findings.push(finding(REASON, `pod ${DETAIL}`, { path: `${pod.specPointer}/securityContext/runAsUser` }));
  }
  const bad = pod.containers.filter(setsRootUser);
  for (const c of bad) {
    findings.push(
      finding(REASON, `container "${c.name}" ${DETAIL}`, { path: `${c.pointer}/securityContext/runAsUser` }),
    );
  }
  if (bad.length > 0) setters.push(containerList(bad.map((c) => c.name)));
  if (setters.length === 0) return undefined;
  return { reason: REASON, detail: `${setters.join(' and ')} ${DETAIL}`, findings };
}

/** `runAsUser: 0` on the pod or any container. */
export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  variants: [
    { since: 23, evaluate: runsAsRoot },
    { since: 35, evaluate: (pod) => (usesUserNamespace(pod) ? undefined : runsAsRoot(pod)) },
  ],
  docs: {
    summary: 'No pod or container sets runAsUser: 0.',
    details:
      '`runAsUser: 0` runs the container as root, and `runAsNonRoot: true` then stops it from starting ' +
      "at all (or, without it, it runs as root). Leave `runAsUser` unset (the image's user applies) or " +
      'choose a non-zero UID, on the pod and on every container. Part of the restricted level from ' +
      'policy v1.23; from v1.35 pods that set `hostUsers: false` are exempt (root in a user namespace ' +
      'is not root on the node).',
    examples: [
      {
        title: 'a non-root UID',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            securityContext:
              runAsUser: 10001
            containers:
              - name: app
                image: nginx:1.27
        `,
        reports: [],
      },
      {
        title: 'root for the pod and for one container',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            securityContext:
              runAsUser: 0
            containers:
              - name: app
                image: nginx:1.27
                securityContext:
                  runAsUser: 0
        `,
        reports: ['/spec/securityContext/runAsUser', '/spec/containers/0/securityContext/runAsUser'],
      },
    ],
  },
};
