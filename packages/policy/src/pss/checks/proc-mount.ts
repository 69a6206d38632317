import type { ContainerRef } from '../../workloads.js';
import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  isUnset,
  joinQuote,
  type PodView,
  securityContextOf,
  show,
  sortedUnique,
  usesUserNamespace,
} from '../pod-view.js';

const REASON = 'procMount';

/** Whether a container sets a `procMount` other than `Default`. */
function unmasks(c: ContainerRef): boolean {
  const value = securityContextOf(c)?.['procMount'];
  return !isUnset(value) && value !== 'Default';
}

/** Containers whose `/proc` is not masked: any `securityContext.procMount` other than `Default`. */
export function unmaskedProcMounts(pod: PodView): Violation | undefined {
  // Tested before any list is built: most pods pass, and then allocate nothing.
  if (!pod.containers.some(unmasks)) return undefined;
  const bad: string[] = [];
  const values: string[] = [];
  const findings: PodSecurityFinding[] = [];
  for (const c of pod.containers) {
    const value = securityContextOf(c)?.['procMount'];
    if (isUnset(value) || value === 'Default') continue;
    bad.push(c.name);
    values.push(show(value));
    findings.push(
      finding(REASON, `container "${c.name}" must not set securityContext.procMount to "${show(value)}"`, {
        path: `${c.pointer}/securityContext/procMount`,
      }),
    );
  }
  if (bad.length === 0) return undefined;
  return {
    reason: REASON,
    detail: `${containerList(bad)} must not set securityContext.procMount to ${joinQuote(sortedUnique(values))}`,
    findings,
  };
}

/** The `/proc` mount type, relaxed from v1.35 for pods in a user namespace (`hostUsers: false`). */
export const procMount: PssCheck = {
  id: 'procMount',
  level: 'baseline',
  variants: [
    { since: 0, evaluate: unmaskedProcMounts },
    { since: 35, evaluate: (pod) => (usesUserNamespace(pod) ? undefined : unmaskedProcMounts(pod)) },
  ],
  docs: {
    summary: 'Containers keep the default, masked /proc (procMount: Default).',
    details:
      'The container runtime hides sensitive parts of `/proc` (kernel keys, timers, `sysrq-trigger`). ' +
      '`securityContext.procMount: Unmasked` exposes them, which is only safe inside a user namespace. ' +
      'Remove the field or set it to `Default`. From policy v1.35 baseline allows any value in a pod ' +
      "that sets `hostUsers: false` (its root is not the node's root); the restricted level does not " +
      '(see `pss/procMount_restricted`).',
    examples: [
      {
        title: 'the default /proc',
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
                  procMount: Default
        `,
        reports: [],
      },
      {
        title: "an unmasked /proc on the host's user namespace",
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: builder
          spec:
            containers:
              - name: app
                image: moby/buildkit:v0.16.0
                securityContext:
                  procMount: Unmasked
        `,
        reports: ['/spec/containers/0/securityContext/procMount'],
      },
    ],
  },
};
