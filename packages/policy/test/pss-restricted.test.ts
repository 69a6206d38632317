import { RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { evaluatePodSecurity } from '../src/pss/index.js';
import { pod, pssRule } from './pss-helpers.js';

const container = (
  name: string,
  securityContext?: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  name,
  image: 'nginx',
  ...(securityContext ? { securityContext } : {}),
  ...extra,
});

describe('pss/restrictedVolumes', () => {
  it('allows the nine volume types and reports every other source at its key', () => {
    const allowed = [
      'configMap',
      'csi',
      'downwardAPI',
      'emptyDir',
      'ephemeral',
      'image',
      'persistentVolumeClaim',
      'projected',
      'secret',
    ];
    const spec = {
      containers: [container('app')],
      volumes: [
        { name: 'a', nfs: { server: 'x', path: '/' } },
        { name: 'b', secret: { secretName: 's' } },
        { name: 'c', hostPath: { path: '/' } },
        { name: 'd', gitRepo: { repository: 'x' } },
        { name: 'e', futureVolume: {} },
      ],
    };
    new RuleTester(pssRule('restrictedVolumes', 'restricted', '1.35')).assert({
      valid: [
        {
          name: 'allowed types',
          resources: [pod({ volumes: allowed.map((type, i) => ({ name: `v${i}`, [type]: {} })) })],
        },
        // The API server defaults a volume without a source to an emptyDir before admission.
        {
          name: 'no source',
          resources: [pod({ volumes: [{ name: 'scratch' }, { name: 'tmp', emptyDir: null }] })],
        },
      ],
      invalid: [
        {
          name: 'in-tree and unknown sources',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/volumes/0/nfs',
              message: 'restricted volume types (volume "a" uses restricted volume type "nfs")',
            },
            {
              path: '/spec/volumes/2/hostPath',
              message: 'restricted volume types (volume "c" uses restricted volume type "hostPath")',
            },
            { path: '/spec/volumes/3/gitRepo', message: /"gitRepo"/ },
            { path: '/spec/volumes/4/futureVolume', message: /"futureVolume"/ },
          ],
        },
        {
          // The API server rejects two sources in one volume; a restricted one is never let through.
          name: 'an allowed and a restricted source together',
          resources: [pod({ volumes: [{ name: 'x', emptyDir: {}, hostPath: { path: '/' } }] })],
          reports: ['/spec/volumes/0/hostPath'],
        },
      ],
    });
    const [failure] = evaluatePodSecurity(pod(spec), 'restricted', '1.35').failures.filter(
      (f) => f.check === 'restrictedVolumes',
    );
    expect(failure?.detail).toBe(
      'volumes "a", "c", "d", "e" use restricted volume types "futureVolume", "gitRepo", "hostPath", "nfs"',
    );
    expect(failure?.findings.every((f) => f.atKey === true)).toBe(true);
  });
});

describe('pss/allowPrivilegeEscalation', () => {
  it('requires false written on every container and points at the nearest parent when missing', () => {
    const spec = {
      initContainers: [container('init', { allowPrivilegeEscalation: false })],
      containers: [
        container('a'),
        container('b', { runAsUser: 1 }),
        container('c', { allowPrivilegeEscalation: true }),
      ],
      ephemeralContainers: [container('d', { allowPrivilegeEscalation: null })],
    };
    new RuleTester(pssRule('allowPrivilegeEscalation', 'restricted', '1.35')).assert({
      valid: [
        {
          name: 'false everywhere',
          resources: [pod({ containers: [container('a', { allowPrivilegeEscalation: false })] })],
        },
      ],
      invalid: [
        {
          name: 'missing, true and null',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/containers/0',
              message:
                'allowPrivilegeEscalation != false (container "a" must set securityContext.allowPrivilegeEscalation=false)',
            },
            { path: '/spec/containers/1/securityContext', message: /container "b"/ },
            { path: '/spec/containers/2/securityContext/allowPrivilegeEscalation', message: /container "c"/ },
            {
              path: '/spec/ephemeralContainers/0/securityContext/allowPrivilegeEscalation',
              message: /container "d"/,
            },
          ],
        },
      ],
    });
    const [failure] = evaluatePodSecurity(pod(spec), 'restricted', '1.35').failures.filter(
      (f) => f.check === 'allowPrivilegeEscalation',
    );
    expect(failure?.detail).toBe(
      'containers "a", "b", "c", "d" must set securityContext.allowPrivilegeEscalation=false',
    );
    expect(failure?.findings.map((f) => f.atKey ?? false)).toEqual([false, true, false, false]);
  });
});

describe('pss/runAsNonRoot', () => {
  const rule = () => pssRule('runAsNonRoot', 'restricted', '1.35');

  it('accepts true on the pod or on every container', () => {
    new RuleTester(rule()).assert({
      valid: [
        {
          name: 'pod',
          resources: [
            pod({
              securityContext: { runAsNonRoot: true },
              containers: [container('a'), container('b', {})],
            }),
          ],
        },
        {
          name: 'every container',
          resources: [
            pod({
              containers: [container('a', { runAsNonRoot: true })],
              initContainers: [container('i', { runAsNonRoot: true })],
            }),
          ],
        },
      ],
    });
  });

  it('reports false where it is written and each container left to a pod that does not set true', () => {
    const spec = {
      securityContext: { runAsNonRoot: false },
      containers: [
        container('a'),
        container('b', { runAsNonRoot: false }),
        container('c', { runAsNonRoot: true }),
      ],
    };
    new RuleTester(rule()).assert({
      invalid: [
        {
          name: 'pod false',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/securityContext/runAsNonRoot',
              message: 'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)',
            },
            {
              path: '/spec/containers/0',
              message:
                'runAsNonRoot != true (pod or container "a" must set securityContext.runAsNonRoot=true)',
            },
            {
              path: '/spec/containers/1/securityContext/runAsNonRoot',
              message: 'runAsNonRoot != true (container "b" must not set securityContext.runAsNonRoot=false)',
            },
          ],
        },
        {
          name: 'pod true, a container false',
          resources: [
            pod({
              securityContext: { runAsNonRoot: true },
              containers: [container('a'), container('b', { runAsNonRoot: false })],
            }),
          ],
          reports: ['/spec/containers/1/securityContext/runAsNonRoot'],
        },
      ],
    });
    const detail = (s: Record<string, unknown>) =>
      evaluatePodSecurity(pod(s), 'restricted', '1.35').failures.find((f) => f.check === 'runAsNonRoot')
        ?.detail;
    expect(detail(spec)).toBe('pod and container "b" must not set securityContext.runAsNonRoot=false');
    expect(detail({ containers: [container('a'), container('b', {})] })).toBe(
      'pod or containers "a", "b" must set securityContext.runAsNonRoot=true',
    );
  });

  it('lets user-namespaced pods run as root from v1.35', () => {
    const spec = { hostUsers: false, containers: [container('a', { runAsNonRoot: false })] };
    new RuleTester(rule()).assert({ valid: [{ name: 'hostUsers: false', resources: [pod(spec)] }] });
    new RuleTester(pssRule('runAsNonRoot', 'restricted', '1.34')).assert({
      invalid: [
        {
          name: 'before v1.35',
          resources: [pod(spec)],
          reports: ['/spec/containers/0/securityContext/runAsNonRoot'],
        },
      ],
    });
  });
});

describe('pss/runAsUser', () => {
  it('forbids UID 0 on the pod and on containers', () => {
    const spec = {
      securityContext: { runAsUser: 0 },
      containers: [container('a', { runAsUser: 1000 }), container('b', { runAsUser: 0 })],
    };
    new RuleTester(pssRule('runAsUser', 'restricted', '1.35')).assert({
      valid: [
        {
          name: 'non-zero',
          resources: [pod({ securityContext: { runAsUser: 1 }, containers: [container('a')] })],
        },
        { name: 'user namespace', resources: [pod({ ...spec, hostUsers: false })] },
      ],
      invalid: [
        {
          name: 'pod and container',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/securityContext/runAsUser',
              message: 'runAsUser=0 (pod must not set runAsUser=0)',
            },
            {
              path: '/spec/containers/1/securityContext/runAsUser',
              message: 'runAsUser=0 (container "b" must not set runAsUser=0)',
            },
          ],
        },
      ],
    });
    new RuleTester(pssRule('runAsUser', 'restricted', '1.34')).assert({
      invalid: [
        {
          name: 'user namespace before v1.35',
          resources: [pod({ ...spec, hostUsers: false })],
          reports: ['/spec/securityContext/runAsUser', '/spec/containers/1/securityContext/runAsUser'],
        },
      ],
    });
    expect(
      evaluatePodSecurity(pod(spec), 'restricted', '1.35').failures.find((f) => f.check === 'runAsUser')
        ?.detail,
    ).toBe('pod and container "b" must not set runAsUser=0');
  });
});

describe('pss/seccompProfile_restricted', () => {
  const rule = () => pssRule('seccompProfile_restricted', 'restricted', '1.35');

  it('accepts RuntimeDefault or Localhost on the pod or on every container', () => {
    new RuleTester(rule()).assert({
      valid: [
        {
          name: 'pod',
          resources: [
            pod({
              securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
              containers: [container('a')],
            }),
          ],
        },
        {
          name: 'containers',
          resources: [
            pod({
              containers: [
                container('a', { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }),
                container('b', { seccompProfile: { type: 'RuntimeDefault' } }),
              ],
            }),
          ],
        },
      ],
    });
  });

  it('reports a bad type even under a good pod profile, and each container without one', () => {
    new RuleTester(rule()).assert({
      invalid: [
        {
          name: 'container Unconfined under a good pod',
          resources: [
            pod({
              securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
              containers: [container('a', { seccompProfile: { type: 'Unconfined' } })],
            }),
          ],
          reports: [
            {
              path: '/spec/containers/0/securityContext/seccompProfile/type',
              message:
                'seccompProfile (container "a" must not set securityContext.seccompProfile.type to "Unconfined")',
            },
          ],
        },
        {
          name: 'nothing set',
          resources: [pod({ containers: [container('a'), container('b', { runAsNonRoot: true })] })],
          reports: [
            {
              path: '/spec/containers/0',
              message:
                'seccompProfile (pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
            },
            { path: '/spec/containers/1/securityContext', message: /pod or container "b"/ },
          ],
        },
        {
          name: 'pod Unconfined',
          resources: [
            pod({
              securityContext: { seccompProfile: { type: 'Unconfined' } },
              containers: [container('a')],
            }),
          ],
          reports: [
            { path: '/spec/securityContext/seccompProfile/type', message: /pod must not set/ },
            { path: '/spec/containers/0', message: /pod or container "a" must set/ },
          ],
        },
      ],
    });
    const failure = evaluatePodSecurity(
      pod({ securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [container('a')] }),
      'restricted',
      '1.35',
    ).failures.find((f) => f.check === 'seccompProfile_restricted');
    expect(failure?.detail).toBe('pod must not set securityContext.seccompProfile.type to "Unconfined"');
  });
});

describe('pss/capabilities_restricted', () => {
  it('requires drop ALL and allows adding only NET_BIND_SERVICE', () => {
    const spec = {
      containers: [
        container('a'),
        container('b', { capabilities: { drop: ['NET_RAW'] } }),
        container('c', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] } }),
        container('d', { capabilities: { add: ['SYS_ADMIN'] } }),
      ],
    };
    new RuleTester(pssRule('capabilities_restricted', 'restricted', '1.35')).assert({
      valid: [
        {
          name: 'drop ALL, add NET_BIND_SERVICE',
          resources: [
            pod({
              containers: [container('a', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })],
            }),
          ],
        },
      ],
      invalid: [
        {
          name: 'four ways wrong',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/containers/0',
              message:
                'unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"])',
            },
            {
              path: '/spec/containers/1/securityContext/capabilities/drop',
              message: /container "b" must set/,
            },
            {
              path: '/spec/containers/2/securityContext/capabilities/add/1',
              message:
                'unrestricted capabilities (container "c" must not include "CHOWN" in securityContext.capabilities.add)',
            },
            { path: '/spec/containers/3/securityContext/capabilities', message: /container "d" must set/ },
            { path: '/spec/containers/3/securityContext/capabilities/add/0', message: /"SYS_ADMIN"/ },
          ],
        },
      ],
    });
    const failure = evaluatePodSecurity(pod(spec), 'restricted', '1.35').failures.find(
      (f) => f.check === 'capabilities_restricted',
    );
    expect(failure?.detail).toBe(
      'containers "a", "b", "d" must set securityContext.capabilities.drop=["ALL"]; containers "c", "d" must not include "CHOWN", "SYS_ADMIN" in securityContext.capabilities.add',
    );
    expect(failure?.findings.map((f) => f.atKey ?? false)).toEqual([false, true, false, true, false]);
  });
});

describe('pss/procMount_restricted', () => {
  it('forbids an unmasked /proc even in a user namespace', () => {
    new RuleTester(pssRule('procMount_restricted', 'restricted', '1.35')).assert({
      valid: [
        {
          name: 'Default',
          resources: [pod({ hostUsers: false, containers: [container('a', { procMount: 'Default' })] })],
        },
      ],
      invalid: [
        {
          name: 'userns',
          resources: [pod({ hostUsers: false, containers: [container('a', { procMount: 'Unmasked' })] })],
          reports: [
            {
              path: '/spec/containers/0/securityContext/procMount',
              message: 'procMount (container "a" must not set securityContext.procMount to "Unmasked")',
            },
          ],
        },
      ],
    });
  });
});

describe('Windows pods', () => {
  const windows = {
    os: { name: 'windows' },
    securityContext: { runAsNonRoot: true },
    containers: [container('a')],
  };

  it('are exempt from allowPrivilegeEscalation, capabilities_restricted and seccompProfile_restricted from v1.25', () => {
    expect(evaluatePodSecurity(pod(windows), 'restricted', '1.25')).toMatchObject({
      allowed: true,
      failures: [],
    });
    expect(evaluatePodSecurity(pod(windows), 'restricted', '1.24').failures.map((f) => f.check)).toEqual([
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'seccompProfile_restricted',
    ]);
    expect(
      evaluatePodSecurity(pod({ ...windows, os: { name: 'linux' } }), 'restricted', '1.25').allowed,
    ).toBe(false);
  });
});

describe('levels', () => {
  it('refuses a level that is not one, instead of checking less and calling the pod allowed', async () => {
    const { pssRules } = await import('@shipshape/policy');
    const bare = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    };
    expect(evaluatePodSecurity(bare, 'restricted', 'v1.33').allowed).toBe(false);
    for (const level of ['Restricted', 'restricted ', 'nope']) {
      expect(() => evaluatePodSecurity(bare, level as 'restricted', 'v1.33')).toThrow(
        new RangeError(
          `Pod Security Standards: ${JSON.stringify(level)} is not a level; use privileged, baseline or restricted`,
        ),
      );
      expect(() => pssRules(level as 'restricted', '1.33')).toThrow(RangeError);
    }
  });
});
