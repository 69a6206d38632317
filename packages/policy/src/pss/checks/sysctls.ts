import { isObject } from '../../workloads.js';
import type { PssCheck, Violation } from '../check.js';
import { yaml } from '../dedent.js';
import type { PodSecurityFinding } from '../model.js';
import { finding, listAt, type PodView, podSecurityContext, show } from '../pod-view.js';

const REASON = 'forbidden sysctls';

/** Safe sysctls by the policy version that first allows them: namespaced and isolated per pod. */
const ADDED: readonly (readonly [number, readonly string[]])[] = [
  [
    0,
    [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [
    29,
    [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  ],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

/** The allow-list of policy version v1.`since`. */
function safeSysctls(since: number): ReadonlySet<string> {
  return new Set(ADDED.filter(([from]) => from <= since).flatMap(([, names]) => names));
}

function evaluateWith(allowed: ReadonlySet<string>): (pod: PodView) => Violation | undefined {
  const safe = (sysctl: unknown): boolean => {
    const name = isObject(sysctl) ? sysctl['name'] : undefined;
    return typeof name === 'string' && allowed.has(name);
  };
  return (pod) => {
    // Tested before any list is built: most pods pass, and then allocate nothing.
    if (listAt(podSecurityContext(pod), 'sysctls').every(safe)) return undefined;
    const names: string[] = [];
    const findings: PodSecurityFinding[] = [];
    listAt(podSecurityContext(pod), 'sysctls').forEach((sysctl, i) => {
      if (safe(sysctl)) return;
      const name = isObject(sysctl) ? sysctl['name'] : undefined;
      const shown = show(name ?? '');
      names.push(shown);
      const at = `${pod.specPointer}/securityContext/sysctls/${i}`;
      findings.push(
        finding(REASON, `pod must not set sysctl "${shown}"`, {
          path: isObject(sysctl) && Object.hasOwn(sysctl, 'name') ? `${at}/name` : at,
        }),
      );
    });
    if (names.length === 0) return undefined;
    return { reason: REASON, detail: names.join(', '), findings };
  };
}

/** Sysctls outside the safe set: `spec.securityContext.sysctls[*].name`. */
export const sysctls: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  variants: ADDED.map(([since]) => ({ since, evaluate: evaluateWith(safeSysctls(since)) })),
  docs: {
    summary: 'Pods set only sysctls that are isolated per pod.',
    details:
      'Most kernel parameters are shared by every pod on the node, or can disable protections; only a ' +
      'short list is namespaced and safe. `spec.securityContext.sysctls[*].name` must be one of ' +
      '`kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.tcp_syncookies`, ' +
      '`net.ipv4.ping_group_range` and `net.ipv4.ip_unprivileged_port_start`; policy v1.27 adds ' +
      '`net.ipv4.ip_local_reserved_ports`; v1.29 adds `net.ipv4.tcp_keepalive_time`, ' +
      '`net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_keepalive_intvl` and `net.ipv4.tcp_keepalive_probes`; ' +
      'v1.32 adds `net.ipv4.tcp_rmem` and `net.ipv4.tcp_wmem`; v1.37 adds ' +
      '`net.ipv4.tcp_slow_start_after_idle` and `net.ipv4.tcp_notsent_lowat`. Set other parameters on ' +
      'the node, or move the workload to a namespace that allows them.',
    examples: [
      {
        title: 'a safe sysctl',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: web
          spec:
            securityContext:
              sysctls:
                - name: net.ipv4.ip_unprivileged_port_start
                  value: "80"
            containers:
              - name: app
                image: nginx:1.27
        `,
        reports: [],
      },
      {
        title: 'a node-wide kernel parameter',
        yaml: yaml`
          apiVersion: v1
          kind: Pod
          metadata:
            name: db
          spec:
            securityContext:
              sysctls:
                - name: net.ipv4.tcp_syncookies
                  value: "1"
                - name: kernel.msgmax
                  value: "65536"
            containers:
              - name: app
                image: postgres:17
        `,
        reports: ['/spec/securityContext/sysctls/1/name'],
      },
    ],
  },
};
