import type { PssCheck } from '../check.js';
import { yaml } from '../dedent.js';
import { unmaskedProcMounts } from './proc-mount.js';

/** The `/proc` mount type with no user-namespace relaxation; replaces baseline's from v1.35. */
export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  overrides: 'procMount',
  variants: [{ since: 35, evaluate: unmaskedProcMounts }],
  docs: {
    summary: 'Containers keep the default, masked /proc, even in a user namespace.',
    details:
      'From policy v1.35 baseline lets pods with `hostUsers: false` unmask `/proc`; the restricted level ' +
      'keeps the stricter rule: `securityContext.procMount` must be unset or `Default` on every ' +
      'container, user namespace or not. It replaces `pss/procMount` at the restricted level from v1.35 ' +
      '(before, `pss/procMount` itself runs and has no relaxation).',
    examples: [
      {
        title: 'a user-namespaced pod with the default /proc',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: builder
          spec:
            hostUsers: false
            containers:
              - name: app
                image: moby/buildkit:v0.16.0
        `,
        reports: [],
      },
      {
        title: 'a user-namespaced pod with an unmasked /proc',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: builder
          spec:
            hostUsers: false
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
