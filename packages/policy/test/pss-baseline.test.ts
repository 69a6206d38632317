import { RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { evaluatePodSecurity } from '../src/pss/index.js';
import { pod, pssRule } from './pss-helpers.js';

const app = (securityContext: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'app',
  image: 'nginx',
  securityContext,
  ...extra,
});

describe('pss/hostNamespaces', () => {
  it('forbids each host namespace at its own field', () => {
    new RuleTester(pssRule('hostNamespaces', 'baseline', '1.35')).assert({
      valid: [
        { name: 'unset', resources: [pod({ containers: [{ name: 'app' }] })] },
        {
          name: 'false',
          resources: [pod({ hostNetwork: false, hostPID: false, hostIPC: false, containers: [] })],
        },
      ],
      invalid: [
        {
          name: 'all three',
          resources: [pod({ hostIPC: true, hostPID: true, hostNetwork: true, containers: [] })],
          reports: [
            { path: '/spec/hostNetwork', message: 'host namespaces (pod must not set hostNetwork=true)' },
            { path: '/spec/hostPID', message: 'host namespaces (pod must not set hostPID=true)' },
            { path: '/spec/hostIPC', message: 'host namespaces (pod must not set hostIPC=true)' },
          ],
        },
      ],
    });
    const result = evaluatePodSecurity(pod({ hostNetwork: true, hostIPC: true }), 'baseline', 'latest');
    expect(result.failures).toMatchObject([
      { reason: 'host namespaces', detail: 'hostNetwork=true, hostIPC=true' },
    ]);
  });
});

describe('pss/privileged', () => {
  it('forbids privileged: true in every container list', () => {
    const spec = {
      initContainers: [app({ privileged: true }, { name: 'init' })],
      containers: [app({ privileged: false }), app({ privileged: true }, { name: 'side' })],
      ephemeralContainers: [app({ privileged: true }, { name: 'debug' })],
    };
    new RuleTester(pssRule('privileged', 'baseline', '1.35')).assert({
      valid: [
        {
          name: 'false or unset',
          resources: [pod({ containers: [app({ privileged: false }), { name: 'b' }] })],
        },
      ],
      invalid: [
        {
          name: 'three lists',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/initContainers/0/securityContext/privileged',
              message: 'privileged (container "init" must not set securityContext.privileged=true)',
            },
            {
              path: '/spec/containers/1/securityContext/privileged',
              message: 'privileged (container "side" must not set securityContext.privileged=true)',
            },
            {
              path: '/spec/ephemeralContainers/0/securityContext/privileged',
              message: 'privileged (container "debug" must not set securityContext.privileged=true)',
            },
          ],
        },
      ],
    });
    expect(evaluatePodSecurity(pod(spec), 'baseline', '1.35').failures[0]?.detail).toBe(
      'containers "init", "side", "debug" must not set securityContext.privileged=true',
    );
  });
});

describe('pss/capabilities_baseline', () => {
  it('allows the runtime defaults and reports each other capability', () => {
    new RuleTester(pssRule('capabilities_baseline', 'baseline', '1.35')).assert({
      valid: [
        {
          name: 'defaults',
          resources: [
            pod({
              containers: [app({ capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT'] } })],
            }),
          ],
        },
        {
          name: 'drop anything',
          resources: [pod({ containers: [app({ capabilities: { drop: ['ALL'] } })] })],
        },
      ],
      invalid: [
        {
          name: 'SYS_ADMIN and a lower-case name',
          resources: [pod({ containers: [app({ capabilities: { add: ['SYS_ADMIN', 'KILL', 'chown'] } })] })],
          reports: [
            {
              path: '/spec/containers/0/securityContext/capabilities/add/0',
              message:
                'non-default capabilities (container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
            },
            { path: '/spec/containers/0/securityContext/capabilities/add/2', message: /"chown"/ },
          ],
        },
      ],
    });
    const result = evaluatePodSecurity(
      pod({ containers: [app({ capabilities: { add: ['SYS_TIME', 'NET_ADMIN'] } })] }),
      'baseline',
      '1.35',
    );
    expect(result.failures[0]).toMatchObject({
      reason: 'non-default capabilities',
      detail: 'container "app" must not include "NET_ADMIN", "SYS_TIME" in securityContext.capabilities.add',
    });
  });
});

describe('pss/hostPathVolumes', () => {
  it('points at the hostPath key of each volume', () => {
    const spec = {
      containers: [{ name: 'app' }],
      volumes: [
        { name: 'ok', emptyDir: {} },
        { name: 'root', hostPath: { path: '/' } },
      ],
    };
    new RuleTester(pssRule('hostPathVolumes', 'baseline', '1.35')).assert({
      valid: [{ name: 'emptyDir', resources: [pod({ volumes: [{ name: 'a', emptyDir: {} }] })] }],
      invalid: [
        {
          name: 'hostPath',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/volumes/1/hostPath',
              message: 'hostPath volumes (volume "root" must not use hostPath)',
            },
          ],
        },
      ],
    });
    const [failure] = evaluatePodSecurity(pod(spec), 'baseline', '1.35').failures;
    expect(failure).toMatchObject({ reason: 'hostPath volumes', detail: 'volume "root"' });
    expect(failure?.findings[0]?.atKey).toBe(true);
  });
});

describe('pss/hostPorts', () => {
  it('reports each non-zero hostPort', () => {
    const spec = {
      containers: [
        { name: 'a', ports: [{ containerPort: 80, hostPort: 0 }] },
        { name: 'b', ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 443 }] },
      ],
      initContainers: [{ name: 'c', ports: [{ hostPort: 8080 }] }],
    };
    new RuleTester(pssRule('hostPorts', 'baseline', '1.35')).assert({
      valid: [{ name: 'zero', resources: [pod({ containers: [{ name: 'a', ports: [{ hostPort: 0 }] }] })] }],
      invalid: [
        {
          name: 'two containers',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/initContainers/0/ports/0/hostPort',
              message: 'hostPort (container "c" uses hostPort 8080)',
            },
            {
              path: '/spec/containers/1/ports/1/hostPort',
              message: 'hostPort (container "b" uses hostPort 443)',
            },
          ],
        },
      ],
    });
    expect(evaluatePodSecurity(pod(spec), 'baseline', '1.35').failures[0]?.detail).toBe(
      'containers "c", "b" use hostPorts 443, 8080',
    );
  });
});

describe('pss/appArmorProfile', () => {
  it('checks the pod and container fields and the beta annotations', () => {
    const spec = {
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
      containers: [
        app({ appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' } }),
        app({ appArmorProfile: {} }, { name: 'b' }),
      ],
    };
    const metadata = {
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/b': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/c': 'localhost/custom',
      },
    };
    new RuleTester(pssRule('appArmorProfile', 'baseline', '1.35')).assert({
      valid: [
        {
          name: 'allowed values',
          resources: [
            pod(
              {
                securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
                containers: [{ name: 'app' }],
              },
              { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': '' } },
            ),
          ],
        },
      ],
      invalid: [
        {
          name: 'field and annotation',
          resources: [pod(spec, metadata)],
          reports: [
            {
              path: '/spec/securityContext/appArmorProfile/type',
              message:
                'forbidden AppArmor profiles (pod must not set securityContext.appArmorProfile.type to "Unconfined")',
            },
            {
              path: '/spec/containers/1/securityContext/appArmorProfile',
              message:
                'forbidden AppArmor profiles (container "b" must not set securityContext.appArmorProfile.type to "")',
            },
            {
              path: '/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1b',
              message:
                'forbidden AppArmor profiles (annotation container.apparmor.security.beta.kubernetes.io/b must not be "unconfined"; use runtime/default or localhost/<profile>)',
            },
          ],
        },
      ],
    });
    expect(evaluatePodSecurity(pod(spec, metadata), 'baseline', '1.35').failures[0]).toMatchObject({
      reason: 'forbidden AppArmor profiles',
      detail:
        'pod and container "b" and annotation must not set AppArmor profile type to "", "Unconfined", "container.apparmor.security.beta.kubernetes.io/b="unconfined""',
    });
  });
});

describe('pss/seLinuxOptions', () => {
  it('reports the type, user and role fields', () => {
    const spec = {
      securityContext: { seLinuxOptions: { type: 'spc_t', level: 's0:c1,c2' } },
      containers: [app({ seLinuxOptions: { type: 'container_t', user: 'system_u', role: 'sysadm_r' } })],
    };
    new RuleTester(pssRule('seLinuxOptions', 'baseline', '1.35')).assert({
      valid: [
        {
          name: 'allowed types and a level',
          resources: [
            pod({
              securityContext: { seLinuxOptions: { type: 'container_init_t', level: 's0' } },
              containers: [app({ seLinuxOptions: { type: 'container_kvm_t', user: '' } })],
            }),
          ],
        },
      ],
      invalid: [
        {
          name: 'type, user and role',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/securityContext/seLinuxOptions/type',
              message: 'seLinuxOptions (pod must not set securityContext.seLinuxOptions.type to "spc_t")',
            },
            {
              path: '/spec/containers/0/securityContext/seLinuxOptions/user',
              message: 'seLinuxOptions (container "app" must not set securityContext.seLinuxOptions.user)',
            },
            {
              path: '/spec/containers/0/securityContext/seLinuxOptions/role',
              message: 'seLinuxOptions (container "app" must not set securityContext.seLinuxOptions.role)',
            },
          ],
        },
      ],
    });
    expect(evaluatePodSecurity(pod(spec), 'baseline', '1.35').failures[0]?.detail).toBe(
      'pod and container "app" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set',
    );
  });
});

describe('pss/procMount', () => {
  it('forbids anything but Default, except in a user namespace from v1.35', () => {
    const spec = {
      containers: [app({ procMount: 'Default' }), app({ procMount: 'Unmasked' }, { name: 'b' })],
    };
    const report = {
      path: '/spec/containers/1/securityContext/procMount',
      message: 'procMount (container "b" must not set securityContext.procMount to "Unmasked")',
    };
    new RuleTester(pssRule('procMount', 'baseline', '1.35')).assert({
      valid: [{ name: 'userns', resources: [pod({ ...spec, hostUsers: false })] }],
      invalid: [
        { name: 'unmasked', resources: [pod(spec)], reports: [report] },
        { name: 'hostUsers true', resources: [pod({ ...spec, hostUsers: true })], reports: [report] },
      ],
    });
    new RuleTester(pssRule('procMount', 'baseline', '1.34')).assert({
      invalid: [
        { name: 'userns before v1.35', resources: [pod({ ...spec, hostUsers: false })], reports: [report] },
      ],
    });
  });
});

describe('pss/seccompProfile_baseline', () => {
  it('reads the fields from v1.19', () => {
    new RuleTester(pssRule('seccompProfile_baseline', 'baseline', '1.19')).assert({
      valid: [
        { name: 'unset', resources: [pod({ containers: [{ name: 'app' }] })] },
        {
          name: 'annotation ignored',
          resources: [
            pod(
              { containers: [{ name: 'app' }] },
              { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } },
            ),
          ],
        },
      ],
      invalid: [
        {
          name: 'Unconfined and an empty profile',
          resources: [
            pod({
              securityContext: { seccompProfile: { type: 'Unconfined' } },
              containers: [
                app({ seccompProfile: {} }),
                app({ seccompProfile: { type: 'RuntimeDefault' } }, { name: 'b' }),
              ],
            }),
          ],
          reports: [
            {
              path: '/spec/securityContext/seccompProfile/type',
              message:
                'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
            },
            {
              path: '/spec/containers/0/securityContext/seccompProfile',
              message:
                'seccompProfile (container "app" must not set securityContext.seccompProfile.type to "")',
            },
          ],
        },
      ],
    });
  });

  it('reads the annotations before v1.19', () => {
    const metadata = {
      annotations: {
        'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
        'container.seccomp.security.alpha.kubernetes.io/app': 'docker/default',
        'container.seccomp.security.alpha.kubernetes.io/b': 'localhost/x',
        'container.seccomp.security.alpha.kubernetes.io/gone': 'unconfined',
      },
    };
    const spec = {
      containers: [{ name: 'app' }, app({ seccompProfile: { type: 'Unconfined' } }, { name: 'b' })],
    };
    new RuleTester(pssRule('seccompProfile_baseline', 'baseline', '1.18')).assert({
      valid: [
        {
          name: 'fields ignored, annotation of a missing container ignored',
          resources: [
            pod(spec, {
              annotations: { 'container.seccomp.security.alpha.kubernetes.io/gone': 'unconfined' },
            }),
          ],
        },
      ],
      invalid: [
        {
          name: 'pod annotation',
          resources: [pod(spec, metadata)],
          reports: [
            {
              path: '/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod',
              message:
                'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"; use runtime/default or localhost/<profile>)',
            },
          ],
        },
      ],
    });
    expect(evaluatePodSecurity(pod(spec, metadata), 'baseline', 'v1.18').failures[0]?.detail).toBe(
      'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
    );
  });
});

describe('pss/sysctls', () => {
  it('reports each sysctl outside the allow-list', () => {
    const spec = {
      securityContext: {
        sysctls: [
          { name: 'kernel.shm_rmid_forced', value: '1' },
          { name: 'kernel.msgmax', value: '1' },
          { name: 'net.core.somaxconn', value: '1024' },
        ],
      },
      containers: [],
    };
    new RuleTester(pssRule('sysctls', 'baseline', '1.35')).assert({
      invalid: [
        {
          name: 'two unsafe',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/securityContext/sysctls/1/name',
              message: 'forbidden sysctls (pod must not set sysctl "kernel.msgmax")',
            },
            {
              path: '/spec/securityContext/sysctls/2/name',
              message: 'forbidden sysctls (pod must not set sysctl "net.core.somaxconn")',
            },
          ],
        },
      ],
    });
    expect(evaluatePodSecurity(pod(spec), 'baseline', '1.35').failures[0]).toMatchObject({
      reason: 'forbidden sysctls',
      detail: 'kernel.msgmax, net.core.somaxconn',
    });
  });
});

describe('pss/windowsHostProcess', () => {
  it('forbids hostProcess on the pod and on containers', () => {
    const spec = {
      securityContext: { windowsOptions: { hostProcess: true } },
      containers: [
        app({ windowsOptions: { hostProcess: false } }),
        app({ windowsOptions: { hostProcess: true } }, { name: 'b' }),
      ],
    };
    new RuleTester(pssRule('windowsHostProcess', 'baseline', '1.35')).assert({
      invalid: [
        {
          name: 'pod and container',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/securityContext/windowsOptions/hostProcess',
              message: 'hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)',
            },
            {
              path: '/spec/containers/1/securityContext/windowsOptions/hostProcess',
              message:
                'hostProcess (container "b" must not set securityContext.windowsOptions.hostProcess=true)',
            },
          ],
        },
      ],
    });
    expect(evaluatePodSecurity(pod(spec), 'baseline', '1.35').failures[0]?.detail).toBe(
      'pod and container "b" must not set securityContext.windowsOptions.hostProcess=true',
    );
  });
});

describe('pss/hostProbesAndHostLifecycle', () => {
  it('reports each probe or hook host', () => {
    const spec = {
      containers: [
        {
          name: 'b',
          livenessProbe: { httpGet: { host: 'localhost', port: 80 } },
          startupProbe: { tcpSocket: { host: '', port: 80 } },
          lifecycle: { postStart: { tcpSocket: { host: '10.0.0.1', port: 80 } } },
        },
        {
          name: 'a',
          readinessProbe: { httpGet: { host: 'localhost', port: 80 }, tcpSocket: { host: '::1', port: 1 } },
        },
      ],
    };
    new RuleTester(pssRule('hostProbesAndHostLifecycle', 'baseline', '1.34')).assert({
      valid: [
        {
          name: 'no host',
          resources: [
            pod({
              containers: [
                { name: 'a', livenessProbe: { httpGet: { port: 80 } }, lifecycle: { preStop: { exec: {} } } },
              ],
            }),
          ],
        },
      ],
      invalid: [
        {
          name: 'probes and hooks',
          resources: [pod(spec)],
          reports: [
            {
              path: '/spec/containers/0/livenessProbe/httpGet/host',
              message:
                'probe or lifecycle host (container "b" must not set livenessProbe.httpGet.host ("localhost"))',
            },
            {
              path: '/spec/containers/0/lifecycle/postStart/tcpSocket/host',
              message:
                'probe or lifecycle host (container "b" must not set lifecycle.postStart.tcpSocket.host ("10.0.0.1"))',
            },
            {
              path: '/spec/containers/1/readinessProbe/httpGet/host',
              message: /readinessProbe\.httpGet\.host/,
            },
            { path: '/spec/containers/1/readinessProbe/tcpSocket/host', message: /"::1"/ },
          ],
        },
      ],
    });
    expect(evaluatePodSecurity(pod(spec), 'baseline', '1.34').failures[0]?.detail).toBe(
      'containers "a", "b" use probe or lifecycle hosts "10.0.0.1", "::1", "localhost"',
    );
  });
});
