import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import { containerList, finding, isUnset, securityContextOf } from '../pod-view.js';

const REASON = 'privileged';

/** Privileged containers: `securityContext.privileged` of every container. */
export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  variants: [
    {
      since: 0,
      evaluate(pod) {
        const bad: string[] = [];
        const findings: PodSecurityFinding[] = [];
        for (const c of pod.containers) {
          const value = securityContextOf(c)?.['privileged'];
          if (isUnset(value) || value === false) continue;
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
