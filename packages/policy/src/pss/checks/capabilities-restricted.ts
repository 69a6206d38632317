import type { ContainerRef } from '../../workloads.js';
import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import {
  containerList,
  finding,
  isWindowsPod,
  joinQuote,
  listAt,
  objectAt,
  type PodView,
  pointAt,
  securityContextOf,
  show,
  sortedUnique,
} from '../pod-view.js';

const REASON = 'unrestricted capabilities';
const MUST_DROP = 'must set securityContext.capabilities.drop=["ALL"]';

/**
 * Whether some container may not drop ALL or adds more than NET_BIND_SERVICE: the test alone,
 * allocating nothing, so the pods that pass (most) build no lists.
 */
function anyUnrestricted(pod: PodView): boolean {
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    const capabilities = objectAt(securityContextOf(containers[i] as ContainerRef), 'capabilities');
    if (!listAt(capabilities, 'drop').includes('ALL')) return true;
    const add = listAt(capabilities, 'add');
    for (let j = 0; j < add.length; j++) if (add[j] !== 'NET_BIND_SERVICE') return true;
  }
  return false;
}

function unrestricted(pod: PodView): Violation | undefined {
  if (!anyUnrestricted(pod)) return undefined;
  const missingDrop: string[] = [];
  const adding: string[] = [];
  const added: string[] = [];
  const findings: PodSecurityFinding[] = [];
  for (const c of pod.containers) {
    const capabilities = objectAt(securityContextOf(c), 'capabilities');
    if (!listAt(capabilities, 'drop').includes('ALL')) {
      missingDrop.push(c.name);
      const at = pointAt(c.pointer, c.container, ['securityContext', 'capabilities', 'drop']);
      // A drop list without ALL is pointed at by its key, like the parent of a missing one.
      const where = at.path.endsWith('/drop') ? { path: at.path, atKey: true } : at;
      findings.push(finding(REASON, `container "${c.name}" ${MUST_DROP}`, where));
    }
    let forbidden = false;
    listAt(capabilities, 'add').forEach((cap, i) => {
      if (cap === 'NET_BIND_SERVICE') return;
      forbidden = true;
      added.push(show(cap));
      findings.push(
        finding(
          REASON,
          `container "${c.name}" must not include "${show(cap)}" in securityContext.capabilities.add`,
          {
            path: `${c.pointer}/securityContext/capabilities/add/${i}`,
          },
        ),
      );
    });
    if (forbidden) adding.push(c.name);
  }
  const details = [
    ...(missingDrop.length > 0 ? [`${containerList(missingDrop)} ${MUST_DROP}`] : []),
    ...(adding.length > 0
      ? [
          `${containerList(adding)} must not include ${joinQuote(sortedUnique(added))} in securityContext.capabilities.add`,
        ]
      : []),
  ];
  if (details.length === 0) return undefined;
  return { reason: REASON, detail: details.join('; '), findings };
}

/** Every container drops ALL capabilities and adds back at most NET_BIND_SERVICE. */
export const capabilitiesRestricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  overrides: 'capabilities_baseline',
  variants: [
    { since: 22, evaluate: unrestricted },
    // Windows containers have no Linux capabilities.
    { since: 25, evaluate: (pod) => (isWindowsPod(pod) ? undefined : unrestricted(pod)) },
  ],
  docs: {
    summary: 'Containers drop ALL capabilities and add back only NET_BIND_SERVICE.',
    details:
      "Even the runtime's default capabilities (`CHOWN`, `DAC_OVERRIDE`, `SETUID`, `NET_RAW`, …) are " +
      'more than most programs need. The restricted level requires `securityContext.capabilities.drop` ' +
      'to contain `ALL` on every container, and allows only `NET_BIND_SERVICE` (binding ports below 1024) ' +
      'in `capabilities.add`. Names are exact and upper-case. Part of the restricted level from policy ' +
      'v1.22, where it replaces `pss/capabilities_baseline`; from v1.25 pods with `spec.os.name: windows` ' +
      'are exempt.',
    examples: [
      {
        title: 'everything dropped, port binding added back',
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
                    drop: [ALL]
                    add: [NET_BIND_SERVICE]
        `,
        reports: [],
      },
      {
        title: 'only NET_RAW dropped, and CHOWN added',
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
                    drop: [NET_RAW]
                    add: [CHOWN]
        `,
        reports: [
          '/spec/containers/0/securityContext/capabilities/drop',
          '/spec/containers/0/securityContext/capabilities/add/0',
        ],
      },
    ],
  },
};
