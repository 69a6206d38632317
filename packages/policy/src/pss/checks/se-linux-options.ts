import type { ContainerRef } from '../../workloads.js';
import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import type { PodView } from '../pod-view.js';
import {
  containerList,
  finding,
  isUnset,
  joinQuote,
  objectAt,
  pluralize,
  podSecurityContext,
  securityContextOf,
  show,
  sortedUnique,
} from '../pod-view.js';

const REASON = 'seLinuxOptions';
const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

/** What is wrong with one `seLinuxOptions`: the forbidden type, and whether user or role is set. */
interface Problems {
  type?: string;
  user: boolean;
  role: boolean;
}

function problemsOf(options: Record<string, unknown>, allowed: ReadonlySet<string>): Problems | undefined {
  const type = options['type'] ?? '';
  const user = options['user'];
  const role = options['role'];
  const out: Problems = {
    ...(typeof type === 'string' && allowed.has(type) ? {} : { type: show(type) }),
    user: !isUnset(user) && user !== '',
    role: !isUnset(role) && role !== '',
  };
  return out.type !== undefined || out.user || out.role ? out : undefined;
}

/** Whether {@link problemsOf} finds any, without building them. */
function hasProblems(
  securityContext: Record<string, unknown> | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  const options = objectAt(securityContext, 'seLinuxOptions');
  if (options === undefined) return false;
  const type = options['type'] ?? '';
  const user = options['user'];
  const role = options['role'];
  return (
    !(typeof type === 'string' && allowed.has(type)) ||
    (!isUnset(user) && user !== '') ||
    (!isUnset(role) && role !== '')
  );
}

/** Whether the pod or a container sets a forbidden label: the test alone, allocating nothing. */
function anyProblems(pod: PodView, allowed: ReadonlySet<string>): boolean {
  if (hasProblems(podSecurityContext(pod), allowed)) return true;
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    if (hasProblems(securityContextOf(containers[i] as ContainerRef), allowed)) return true;
  }
  return false;
}

function evaluateWith(allowedTypes: readonly string[]): (pod: PodView) => Violation | undefined {
  const allowed = new Set(allowedTypes);
  return (pod) => {
    // Most pods pass: tested first, they build no lists and no closure.
    if (!anyProblems(pod, allowed)) return undefined;
    const setters: string[] = [];
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const findings: PodSecurityFinding[] = [];
    const inspect = (who: string, base: string, securityContext: Record<string, unknown> | undefined) => {
      const options = objectAt(securityContext, 'seLinuxOptions');
      const problems = options && problemsOf(options, allowed);
      if (!problems) return false;
      const at = `${base}/securityContext/seLinuxOptions`;
      if (problems.type !== undefined) {
        badTypes.push(problems.type);
        const path = Object.hasOwn(options, 'type') ? { path: `${at}/type` } : { path: at, atKey: true };
        findings.push(
          finding(
            REASON,
            `${who} must not set securityContext.seLinuxOptions.type to "${problems.type}"`,
            path,
          ),
        );
      }
      for (const field of ['user', 'role'] as const) {
        if (!problems[field]) continue;
        findings.push(
          finding(REASON, `${who} must not set securityContext.seLinuxOptions.${field}`, {
            path: `${at}/${field}`,
          }),
        );
      }
      setUser ||= problems.user;
      setRole ||= problems.role;
      return true;
    };

    if (inspect('pod', pod.specPointer, podSecurityContext(pod))) setters.push('pod');
    const bad = pod.containers.filter((c: ContainerRef) =>
      inspect(`container "${c.name}"`, c.pointer, securityContextOf(c)),
    );
    if (bad.length > 0) setters.push(containerList(bad.map((c) => c.name)));
    if (setters.length === 0) return undefined;

    const types = sortedUnique(badTypes);
    const data = [
      ...(types.length > 0 ? [`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`] : []),
      ...(setUser ? ['user may not be set'] : []),
      ...(setRole ? ['role may not be set'] : []),
    ];
    return {
      reason: REASON,
      detail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
      findings,
    };
  };
}

/** Custom SELinux labels: `seLinuxOptions.type`, `.user` and `.role` of the pod and every container. */
export const seLinuxOptions: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  variants: [
    { since: 0, evaluate: evaluateWith(TYPES_1_0) },
    { since: 31, evaluate: evaluateWith(TYPES_1_31) },
  ],
  docs: {
    summary: 'Pods and containers use only the standard container SELinux types, with no user or role.',
    details:
      'An SELinux label decides what a container may touch on an SELinux node; a type such as `spc_t` ' +
      '(super-privileged container) or a custom user or role lifts the confinement. `seLinuxOptions.type` ' +
      'may be empty, `container_t`, `container_init_t` or `container_kvm_t`, and from policy v1.31 also ' +
      '`container_engine_t`; `seLinuxOptions.user` and `.role` must stay unset. The `level` (MCS ' +
      'categories) may be set freely. Checked on the pod and on every container.',
    examples: [
      {
        title: 'the standard container type with MCS categories',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            securityContext:
              seLinuxOptions:
                type: container_t
                level: s0:c123,c456
            containers:
              - name: app
                image: nginx:1.27
        `,
        reports: [],
      },
      {
        title: 'a super-privileged type and a custom user',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: agent
          spec:
            containers:
              - name: app
                image: busybox:1.36
                securityContext:
                  seLinuxOptions:
                    type: spc_t
                    user: system_u
        `,
        reports: [
          '/spec/containers/0/securityContext/seLinuxOptions/type',
          '/spec/containers/0/securityContext/seLinuxOptions/user',
        ],
      },
    ],
  },
};
