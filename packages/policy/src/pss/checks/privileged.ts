import type { ContainerRef } from '../../workloads.js';
import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import { containerList, finding, isUnset, securityContextOf } from '../pod-view.js';

const REASON = 'privileged';

/** Whether a container sets `privileged` to anything but `false`. */
function isPrivileged(c: ContainerRef): boolean {
  const value = securityContextOf(c)?.['privileged'];
  return !isUnset(value) && value !== false;
}

/** Privileged containers: `securityContext.privileged` of every container. */
export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        // Tested before any list is built: most pods pass, and then allocate nothing.
        if (!pod.containers.some(isPrivileged)) return undefined;
        const bad: string[] = [];
        const findings: PodSecurityFinding[] = [];
        for (const c of pod.containers) {
          if (!isPrivileged(c)) continue;
          bad.push(c.name);
          findings.push(
            finding(REASON, `container "${c.name}" must not set securityContext.privileged=true`, {
              path: `${c.pointer}/securityContext/privileged`,
            }),
          );
        }
        if (bad.length === 0) return undefined;
        return {
          reason: REASON,
          detail: `${containerList(bad)} must not set securityContext.privileged=true`,
          findings,
        };
      },
    },
  ],
  docs: {
    summary: 'Containers do not run privileged.',
    details:
      'A privileged container gets every capability, every device of the node and no seccomp or ' +
      'AppArmor confinement: it is root on the node in all but name. Remove `securityContext.privileged` ' +
      'or set it to `false`, and grant only the capability the program needs (baseline allows a short ' +
      'list, see `pss/capabilities_baseline`). Applies to init, regular and ephemeral containers, at ' +
      'every policy version.',
    examples: [
      {
        title: 'an unprivileged container',
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
                  privileged: false
        `,
        reports: [],
      },
      {
        title: 'a privileged init container',
        yaml: yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            selector:
              matchLabels: { app: web }
            template:
              metadata:
                labels: { app: web }
              spec:
                initContainers:
                  - name: setup
                    image: busybox:1.36
                    securityContext:
                      privileged: true
                containers:
                  - name: app
                    image: nginx:1.27
        `,
        reports: ['/spec/template/spec/initContainers/0/securityContext/privileged'],
      },
    ],
  },
};
