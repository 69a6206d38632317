import type { ContainerRef } from '../../workloads.js';
import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  isUnset,
  type PodView,
  podSecurityContext,
  pointAt,
  securityContextOf,
  usesUserNamespace,
} from '../pod-view.js';

const REASON = 'runAsNonRoot != true';
const MUST_NOT = 'must not set securityContext.runAsNonRoot=false';
const MUST = 'must set securityContext.runAsNonRoot=true';

/**
 * Whether the check fails: `false` written anywhere, or a container without the field in a pod
 * without `true`. The test alone, allocating nothing, so the pods that pass build no lists.
 */
function mayRunAsRoot(pod: PodView): boolean {
  const podValue = podSecurityContext(pod)?.['runAsNonRoot'];
  if (!isUnset(podValue) && podValue !== true) return true;
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    const value = securityContextOf(containers[i] as ContainerRef)?.['runAsNonRoot'];
    if (isUnset(value) ? podValue !== true : value !== true) return true;
  }
  return false;
}

function rootAllowed(pod: PodView): Violation | undefined {
  if (!mayRunAsRoot(pod)) return undefined;
  const findings: PodSecurityFinding[] = [];
  const setters: string[] = [];
  const podValue = podSecurityContext(pod)?.['runAsNonRoot'];
  const podNonRoot = podValue === true;
  if (!isUnset(podValue) && !podNonRoot) {
    setters.push('pod');
    findings.push(
      finding(REASON, `pod ${MUST_NOT}`, { path: `${pod.specPointer}/securityContext/runAsNonRoot` }),
    );
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of pod.containers) {
    const value = securityContextOf(c)?.['runAsNonRoot'];
    if (!isUnset(value)) {
      if (value === true) continue;
      explicit.push(c.name);
      findings.push(
        finding(REASON, `container "${c.name}" ${MUST_NOT}`, {
          path: `${c.pointer}/securityContext/runAsNonRoot`,
        }),
      );
    } else if (!podNonRoot) {
      implicit.push(c.name);
      findings.push(
        finding(
          REASON,
          `pod or container "${c.name}" ${MUST}`,
          pointAt(c.pointer, c.container, ['securityContext', 'runAsNonRoot']),
        ),
      );
    }
  }
  if (explicit.length > 0) setters.push(containerList(explicit));
  // Like upstream, the detail names what is set wrong first; what is missing only when nothing is.
  if (setters.length > 0) return { reason: REASON, detail: `${setters.join(' and ')} ${MUST_NOT}`, findings };
  if (implicit.length > 0)
    return { reason: REASON, detail: `pod or ${containerList(implicit)} ${MUST}`, findings };
  return undefined;
}

/** `runAsNonRoot: true` on the pod or on every container, and `false` nowhere. */
export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  variants: [
    { since: 0, evaluate: rootAllowed },
    // In a user namespace (hostUsers: false), the container's root maps to an unprivileged host user.
    { since: 35, evaluate: (pod) => (usesUserNamespace(pod) ? undefined : rootAllowed(pod)) },
  ],
  docs: {
    summary: 'Containers must run as non-root: runAsNonRoot: true on the pod or on every container.',
    details:
      'With `runAsNonRoot: true` the kubelet refuses to start a container whose user is root (UID 0), ' +
      'whatever the image says. The restricted level requires `securityContext.runAsNonRoot: true` on ' +
      'the pod (containers inherit it) or on every container, and forbids `false` anywhere. Set it on ' +
      'the pod, and give the image a non-root user (or set `runAsUser`). From policy v1.35 pods that ' +
      'set `hostUsers: false` are exempt: in a user namespace, root in the container is not root on ' +
      'the node.',
    examples: [
      {
        title: 'non-root for the whole pod',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            securityContext:
              runAsNonRoot: true
              runAsUser: 10001
            containers:
              - name: app
                image: nginx:1.27
        `,
        reports: [],
      },
      {
        title: 'one container opts out, another leaves it unset',
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
                  runAsNonRoot: false
              - name: sidecar
                image: busybox:1.36
                securityContext:
                  readOnlyRootFilesystem: true
        `,
        reports: ['/spec/containers/0/securityContext/runAsNonRoot', '/spec/containers/1/securityContext'],
      },
    ],
  },
};
