import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import { containerList, finding, isWindowsPod, joinQuote, type PodView, sortedUnique } from '../pod-view.js';
import { readSeccomp, seccompOutcome } from './seccomp.js';

const REASON = 'seccompProfile';
const MUST = 'must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"';

function withoutSeccomp(pod: PodView): Violation | undefined {
  if (seccompOutcome(pod) === 'allowed') return undefined;
  const { podAllowed, bad, unset } = readSeccomp(pod);
  const missing = podAllowed ? [] : unset;
  const findings = [
    ...bad.map((b) => ({
      order: b.order,
      finding: finding(
        REASON,
        `${b.who} must not set securityContext.seccompProfile.type to "${b.type}"`,
        b.at,
      ),
    })),
    ...missing.map((m) => ({
      order: m.order,
      finding: finding(REASON, `pod or container "${m.name}" ${MUST}`, m.at),
    })),
  ]
    .sort((a, b) => a.order - b.order)
    .map((f) => f.finding);
  if (bad.length > 0) {
    const containers = bad.flatMap((b) => (b.container === undefined ? [] : [b.container]));
    const setters = [
      ...(bad.some((b) => b.who === 'pod') ? ['pod'] : []),
      ...(containers.length > 0 ? [containerList(containers)] : []),
    ];
    return {
      reason: REASON,
      detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(bad.map((b) => b.type)))}`,
      findings,
    };
  }
  if (missing.length > 0) {
    return {
      reason: REASON,
      detail: `pod or ${containerList(missing.map((m) => m.name))} ${MUST}`,
      findings,
    };
  }
  return undefined;
}

/** A seccomp profile is required: `RuntimeDefault` or `Localhost` on the pod or on every container. */
export const seccompProfileRestricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  overrides: 'seccompProfile_baseline',
  variants: [
    { since: 19, evaluate: withoutSeccomp },
    { since: 25, evaluate: (pod) => (isWindowsPod(pod) ? undefined : withoutSeccomp(pod)) },
  ],
  docs: {
    summary: 'Every container runs under a seccomp profile: RuntimeDefault or Localhost.',
    details:
      'Without a profile a container may make any system call, including the rarely needed ones most ' +
      'kernel exploits start from. The restricted level requires `securityContext.seccompProfile.type` ' +
      'set to `RuntimeDefault` or `Localhost`, on the pod (containers inherit it) or on every container, ' +
      'and forbids any other type anywhere, even where the pod sets a good one. Setting ' +
      '`seccompProfile: {type: RuntimeDefault}` on the pod is usually all it takes. From policy v1.19 ' +
      '(it replaces `pss/seccompProfile_baseline` at this level); from v1.25 pods with ' +
      '`spec.os.name: windows` are exempt.',
    examples: [
      {
        title: "the runtime's default profile for the whole pod",
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            securityContext:
              seccompProfile:
                type: RuntimeDefault
            containers:
              - name: app
                image: nginx:1.27
        `,
        reports: [],
      },
      {
        title: 'no profile for one container, Unconfined for another',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            containers:
              - name: app
                image: nginx:1.27
              - name: debug
                image: busybox:1.36
                securityContext:
                  seccompProfile:
                    type: Unconfined
        `,
        reports: ['/spec/containers/0', '/spec/containers/1/securityContext/seccompProfile/type'],
      },
    ],
  },
};
