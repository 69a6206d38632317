import { RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { evaluatePodSecurity, PSS_CHECK_IDS, pssRules } from '../src/pss/index.js';
import { pod, pssRule, ruleIds } from './pss-helpers.js';

const BASELINE_1_0 = [
  'hostNamespaces',
  'privileged',
  'capabilities_baseline',
  'hostPathVolumes',
  'hostPorts',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'seccompProfile_baseline',
  'sysctls',
  'windowsHostProcess',
];

describe('which checks run at which version', () => {
  it.each([
    ['baseline', '1.0', BASELINE_1_0],
    ['baseline', '1.33', BASELINE_1_0],
    ['baseline', '1.34', [...BASELINE_1_0, 'hostProbesAndHostLifecycle']],
    ['baseline', 'latest', PSS_CHECK_IDS.slice(0, 12)],
    [
      'restricted',
      '1.0',
      [...BASELINE_1_0.filter((c) => c !== 'hostPathVolumes'), 'restrictedVolumes', 'runAsNonRoot'],
    ],
    [
      'restricted',
      '1.8',
      [
        ...BASELINE_1_0.filter((c) => c !== 'hostPathVolumes'),
        'restrictedVolumes',
        'allowPrivilegeEscalation',
        'runAsNonRoot',
      ],
    ],
    [
      'restricted',
      '1.19',
      [
        ...BASELINE_1_0.filter((c) => c !== 'hostPathVolumes' && c !== 'seccompProfile_baseline'),
        'restrictedVolumes',
        'allowPrivilegeEscalation',
        'runAsNonRoot',
        'seccompProfile_restricted',
      ],
    ],
    [
      'restricted',
      '1.23',
      [
        ...BASELINE_1_0.filter(
          (c) => !['hostPathVolumes', 'seccompProfile_baseline', 'capabilities_baseline'].includes(c),
        ),
        'restrictedVolumes',
        'allowPrivilegeEscalation',
        'runAsNonRoot',
        'runAsUser',
        'seccompProfile_restricted',
        'capabilities_restricted',
      ],
    ],
    [
      'restricted',
      '1.35',
      [
        'hostNamespaces',
        'privileged',
        'hostPorts',
        'appArmorProfile',
        'seLinuxOptions',
        'sysctls',
        'windowsHostProcess',
        'hostProbesAndHostLifecycle',
        ...PSS_CHECK_IDS.slice(12),
      ],
    ],
  ] as const)('%s at %s', (level, version, ids) => {
    expect(ruleIds(level, version)).toEqual(ids);
  });

  it('runs no runAsUser before v1.23 and no allowPrivilegeEscalation before v1.8', () => {
    expect(ruleIds('restricted', '1.22')).not.toContain('runAsUser');
    expect(ruleIds('restricted', '1.7')).not.toContain('allowPrivilegeEscalation');
    const root = pod({
      securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        { name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
      ],
    });
    expect(evaluatePodSecurity(root, 'restricted', '1.22').allowed).toBe(true);
    expect(evaluatePodSecurity(root, 'restricted', '1.23').failures.map((f) => f.check)).toEqual([
      'runAsUser',
    ]);
  });

  it('adds hostProbesAndHostLifecycle to baseline at v1.34', () => {
    const probing = pod({
      containers: [{ name: 'a', livenessProbe: { httpGet: { host: 'example.com', port: 80 } } }],
    });
    expect(evaluatePodSecurity(probing, 'baseline', '1.33').allowed).toBe(true);
    expect(evaluatePodSecurity(probing, 'baseline', '1.34').failures).toMatchObject([
      {
        check: 'hostProbesAndHostLifecycle',
        reason: 'probe or lifecycle host',
        detail: 'container "a" uses probe or lifecycle host "example.com"',
      },
    ]);
  });

  it('allows SELinux type container_engine_t from v1.31', () => {
    const engine = pod({
      securityContext: { seLinuxOptions: { type: 'container_engine_t' } },
      containers: [],
    });
    expect(evaluatePodSecurity(engine, 'baseline', '1.30').failures.map((f) => f.detail)).toEqual([
      'pod set forbidden securityContext.seLinuxOptions: type "container_engine_t"',
    ]);
    expect(evaluatePodSecurity(engine, 'baseline', '1.31').allowed).toBe(true);
  });

  it.each([
    ['net.ipv4.ip_unprivileged_port_start', 0],
    ['net.ipv4.ip_local_reserved_ports', 27],
    ['net.ipv4.tcp_keepalive_time', 29],
    ['net.ipv4.tcp_fin_timeout', 29],
    ['net.ipv4.tcp_keepalive_intvl', 29],
    ['net.ipv4.tcp_keepalive_probes', 29],
    ['net.ipv4.tcp_rmem', 32],
    ['net.ipv4.tcp_wmem', 32],
    ['net.ipv4.tcp_slow_start_after_idle', 37],
    ['net.ipv4.tcp_notsent_lowat', 37],
  ])('allows sysctl %s from v1.%i', (name, since) => {
    const spec = { securityContext: { sysctls: [{ name, value: '1' }] }, containers: [] };
    const rule = (minor: number) => pssRule('sysctls', 'baseline', `1.${minor}`);
    if (since > 0) {
      new RuleTester(rule(since - 1)).assert({
        invalid: [
          { name: 'before', resources: [pod(spec)], reports: ['/spec/securityContext/sysctls/0/name'] },
        ],
      });
    }
    new RuleTester(rule(since)).assert({ valid: [{ name: 'from', resources: [pod(spec)] }] });
    new RuleTester(rule(37)).assert({ valid: [{ name: 'newest', resources: [pod(spec)] }] });
  });

  it('switches seccomp from annotations to fields at v1.19', () => {
    const annotated = pod(
      { containers: [{ name: 'a' }] },
      { annotations: { 'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined' } },
    );
    const field = pod({
      containers: [{ name: 'a', securityContext: { seccompProfile: { type: 'Unconfined' } } }],
    });
    expect(evaluatePodSecurity(annotated, 'baseline', '1.18').allowed).toBe(false);
    expect(evaluatePodSecurity(annotated, 'baseline', '1.19').allowed).toBe(true);
    expect(evaluatePodSecurity(field, 'baseline', '1.18').allowed).toBe(true);
    expect(evaluatePodSecurity(field, 'baseline', '1.19').allowed).toBe(false);
  });

  it('relaxes baseline procMount for user-namespaced pods from v1.35, but not restricted', () => {
    const unmasked = pod({
      hostUsers: false,
      containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }],
    });
    expect(evaluatePodSecurity(unmasked, 'baseline', '1.34').allowed).toBe(false);
    expect(evaluatePodSecurity(unmasked, 'baseline', '1.35').allowed).toBe(true);
    const checks = (v: string) => evaluatePodSecurity(unmasked, 'restricted', v).failures.map((f) => f.check);
    expect(checks('1.34')).toContain('procMount');
    expect(checks('1.35')).toContain('procMount_restricted');
    expect(checks('1.35')).not.toContain('procMount');
  });
});

describe('policy versions', () => {
  const privileged = pod({ containers: [{ name: 'a', securityContext: { privileged: true } }] });

  it('reads 1.N, v1.N, patch versions and latest; clamps newer versions to the newest', () => {
    expect(evaluatePodSecurity(privileged, 'baseline', '1.31').policyVersion).toBe('v1.31');
    expect(evaluatePodSecurity(privileged, 'baseline', 'v1.31').policyVersion).toBe('v1.31');
    expect(evaluatePodSecurity(privileged, 'baseline', '1.31.4').policyVersion).toBe('v1.31');
    expect(evaluatePodSecurity(privileged, 'baseline', '1.31.4-eks.2').policyVersion).toBe('v1.31');
    expect(evaluatePodSecurity(privileged, 'baseline', 'latest').policyVersion).toBe('v1.37');
    expect(evaluatePodSecurity(privileged, 'baseline', '1.99').policyVersion).toBe('v1.37');
    expect(ruleIds('restricted', '1.99')).toEqual(ruleIds('restricted', 'latest'));
  });

  it.each(['2.0', '1', '1.x', 'v2.1', '', 'lates'])('refuses %j', (version) => {
    expect(() => pssRules('baseline', version)).toThrow(RangeError);
    expect(() => evaluatePodSecurity(privileged, 'baseline', version)).toThrow(/cannot read the version/);
  });

  it('allows anything at the privileged level', () => {
    expect(evaluatePodSecurity(privileged, 'privileged', 'latest')).toEqual({
      allowed: true,
      level: 'privileged',
      policyVersion: 'v1.37',
      failures: [],
    });
  });
});
