import type { ContainerRef } from '../../workloads.js';
import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  joinQuote,
  listAt,
  objectAt,
  type PodView,
  securityContextOf,
  show,
  sortedUnique,
} from '../pod-view.js';

const REASON = 'non-default capabilities';

/** The capabilities a container runtime grants by default; adding them again changes nothing. */
const ALLOWED = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Whether a capability may be added: one of the runtime's defaults. */
function allowedCapability(cap: unknown): boolean {
  return typeof cap === 'string' && ALLOWED.has(cap);
}

/**
 * Whether some container adds a capability beyond the defaults: the test alone, allocating
 * nothing, so the pods that pass (most) build no lists.
 */
function addsCapabilities(pod: PodView): boolean {
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    const add = listAt(objectAt(securityContextOf(containers[i] as ContainerRef), 'capabilities'), 'add');
    for (let j = 0; j < add.length; j++) if (!allowedCapability(add[j])) return true;
  }
  return false;
}

/** Capabilities added beyond the runtime's default set: `securityContext.capabilities.add`. */
export const capabilitiesBaseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        if (!addsCapabilities(pod)) return undefined;
        const bad: string[] = [];
        const added: string[] = [];
        const findings: PodSecurityFinding[] = [];
        for (const c of pod.containers) {
          const add = listAt(objectAt(securityContextOf(c), 'capabilities'), 'add');
          let forbidden = false;
          add.forEach((cap, i) => {
            if (allowedCapability(cap)) return;
            forbidden = true;
            added.push(show(cap));
            findings.push(
              finding(
                REASON,
                `container "${c.name}" must not include "${show(cap)}" in securityContext.capabilities.add`,
                { path: `${c.pointer}/securityContext/capabilities/add/${i}` },
              ),
            );
          });
          if (forbidden) bad.push(c.name);
        }
        if (bad.length === 0) return undefined;
        return {
          reason: REASON,
          detail: `${containerList(bad)} must not include ${joinQuote(sortedUnique(added))} in securityContext.capabilities.add`,
          findings,
        };
      },
    },
  ],
  docs: {
    summary: 'Containers add no Linux capability beyond the runtime defaults.',
    details:
      'Capabilities such as `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE` or `NET_RAW` each hand a container a ' +
      'piece of root: mounting file systems, rewriting the network, reading other processes. Baseline ' +
      'allows only the runtime defaults in `securityContext.capabilities.add`: `AUDIT_WRITE`, `CHOWN`, ' +
      '`DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, ' +
      '`SETPCAP`, `SETUID` and `SYS_CHROOT` (exact, upper-case names). Remove the others. At the ' +
      'restricted level this check gives way to `pss/capabilities_restricted` from policy v1.22 on.',
    examples: [
      {
        title: 'a default capability',
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
                  capabilities:
                    add: [NET_BIND_SERVICE]
        `,
        reports: [],
      },
      {
        title: 'SYS_ADMIN and NET_RAW added',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: tools
          spec:
            containers:
              - name: app
                image: busybox:1.36
                securityContext:
                  capabilities:
                    add: [CHOWN, SYS_ADMIN, NET_RAW]
        `,
        reports: [
          '/spec/containers/0/securityContext/capabilities/add/1',
          '/spec/containers/0/securityContext/capabilities/add/2',
        ],
      },
    ],
  },
};
