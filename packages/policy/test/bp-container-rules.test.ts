import { parseManifests } from '@shipshape/manifests';
import { createPolicyEngine } from '@shipshape/policy';
import { RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { bpRule, container, deployment, pod } from './bp-helpers.js';

const hardened = { securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } };

describe('bp/privileged-container', () => {
  it('reports privileged containers, init containers included', () => {
    new RuleTester(bpRule('bp/privileged-container')).assert({
      valid: [
        { name: 'not set', resources: [pod('web', [container('web')])] },
        {
          name: 'false',
          resources: [pod('web', [container('web', { securityContext: { privileged: false } })])],
        },
      ],
      invalid: [
        {
          name: 'init container',
          resources: [
            pod('web', [container('web')], {
              initContainers: [container('setup', { securityContext: { privileged: true } })],
            }),
          ],
          reports: [
            {
              path: '/spec/initContainers/0/securityContext/privileged',
              message: 'init container setup runs privileged: remove securityContext.privileged',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/privilege-escalation', () => {
  it('needs an explicit false on the container; the pod level does not count', () => {
    new RuleTester(bpRule('bp/privilege-escalation')).assert({
      valid: [{ name: 'false', resources: [pod('web', [container('web', hardened)])] }],
      invalid: [
        {
          name: 'pod-level field ignored, container without securityContext',
          resources: [
            pod('web', [container('web')], { securityContext: { allowPrivilegeEscalation: false } }),
          ],
          reports: [
            {
              path: '/spec/containers/0',
              message:
                'container web does not forbid privilege escalation: set securityContext.allowPrivilegeEscalation: false',
            },
          ],
        },
        {
          name: 'true in a Deployment',
          resources: [
            deployment('web', [container('web', { securityContext: { allowPrivilegeEscalation: true } })]),
          ],
          reports: [
            {
              path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
              message:
                'container web allows privilege escalation: set securityContext.allowPrivilegeEscalation to false',
            },
          ],
        },
        {
          name: 'securityContext without the field',
          resources: [pod('web', [container('web', { securityContext: { runAsNonRoot: true } })])],
          reports: ['/spec/containers/0/securityContext'],
        },
      ],
    });
  });
});

describe('bp/run-as-non-root', () => {
  it('accepts the pod or the container level, and reports overrides', () => {
    new RuleTester(bpRule('bp/run-as-non-root')).assert({
      valid: [
        {
          name: 'pod runAsNonRoot',
          resources: [pod('a', [container('a')], { securityContext: { runAsNonRoot: true } })],
        },
        {
          name: 'pod runAsUser',
          resources: [pod('a', [container('a')], { securityContext: { runAsUser: 1000 } })],
        },
        {
          name: 'container runAsUser beats pod root',
          resources: [
            pod('a', [container('a', { securityContext: { runAsUser: 1000 } })], {
              securityContext: { runAsUser: 0 },
            }),
          ],
        },
      ],
      invalid: [
        {
          name: 'nothing set',
          resources: [pod('a', [container('a')])],
          reports: [
            {
              path: '/spec/containers/0',
              message:
                'container a may run as root: set securityContext.runAsNonRoot: true or a runAsUser above 0',
            },
          ],
        },
        {
          name: 'container runAsNonRoot false undoes the pod',
          resources: [
            pod('a', [container('a', { securityContext: { runAsNonRoot: false } })], {
              securityContext: { runAsNonRoot: true },
            }),
          ],
          reports: ['/spec/containers/0/securityContext/runAsNonRoot'],
        },
        {
          name: 'pod runAsUser 0',
          resources: [
            pod('a', [container('a', { securityContext: {} })], { securityContext: { runAsUser: 0 } }),
          ],
          reports: ['/spec/containers/0/securityContext'],
        },
      ],
    });
  });
});

describe('bp/read-only-root-fs', () => {
  it('needs readOnlyRootFilesystem: true on each container', () => {
    new RuleTester(bpRule('bp/read-only-root-fs')).assert({
      valid: [{ name: 'true', resources: [pod('web', [container('web', hardened)])] }],
      invalid: [
        {
          name: 'one of two containers',
          resources: [pod('web', [container('web', hardened), container('log')])],
          reports: [
            {
              path: '/spec/containers/1',
              message:
                'container log has a writable root file system: set securityContext.readOnlyRootFilesystem: true',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/added-capabilities', () => {
  it('reports ALL, SYS_ADMIN and NET_ADMIN in any case', () => {
    const caps = (add: unknown) =>
      pod('web', [container('web', { securityContext: { capabilities: { add } } })]);
    new RuleTester(bpRule('bp/added-capabilities')).assert({
      valid: [
        { name: 'narrow', resources: [caps(['NET_BIND_SERVICE', 'CAP_SYS_ADMIN_X'])] },
        { name: 'null add', resources: [caps(null)] },
      ],
      invalid: [
        {
          name: 'mixed case',
          resources: [caps(['Sys_Admin', 'CHOWN', 'all'])],
          reports: [
            {
              path: '/spec/containers/0/securityContext/capabilities/add/0',
              message:
                'container web adds capability Sys_Admin: remove it and add only the narrow capability the process needs',
            },
            '/spec/containers/0/securityContext/capabilities/add/2',
          ],
        },
      ],
    });
  });
});

describe('bp/drop-capabilities', () => {
  it('passes ALL or the whole default set', () => {
    const drop = (list: unknown) =>
      pod('web', [container('web', { securityContext: { capabilities: { drop: list } } })]);
    const defaults = [
      'NET_ADMIN',
      'CHOWN',
      'DAC_OVERRIDE',
      'FSETID',
      'FOWNER',
      'MKNOD',
      'NET_RAW',
      'SETGID',
      'SETUID',
      'SETFCAP',
      'SETPCAP',
      'NET_BIND_SERVICE',
      'SYS_CHROOT',
      'KILL',
      'AUDIT_WRITE',
    ];
    new RuleTester(bpRule('bp/drop-capabilities')).assert({
      valid: [
        { name: 'all, lower case', resources: [drop(['all'])] },
        { name: 'the default set', resources: [drop(defaults)] },
      ],
      invalid: [
        {
          name: 'part of the set',
          resources: [drop(defaults.slice(1))],
          reports: [
            {
              path: '/spec/containers/0/securityContext/capabilities/drop',
              message:
                'container web keeps the default capabilities: set securityContext.capabilities.drop: [ALL]',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/linux-hardening', () => {
  it('follows Polaris: seccomp, SELinux, AppArmor or dropped capabilities', () => {
    const rule = bpRule('bp/linux-hardening');
    new RuleTester(rule).assert({
      valid: [
        {
          name: 'AppArmor annotation on the template',
          resources: [
            deployment('web', [container('web')], {
              template: {
                annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'runtime/default' },
              },
            }),
          ],
        },
        {
          name: 'appArmorProfile field on the pod',
          resources: [
            pod('web', [container('web')], {
              securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
            }),
          ],
        },
        {
          name: 'pod SELinux',
          resources: [
            pod('web', [container('web')], { securityContext: { seLinuxOptions: { level: 's0:c1,c2' } } }),
          ],
        },
        {
          name: 'drop one capability',
          resources: [
            pod('web', [container('web', { securityContext: { capabilities: { drop: ['NET_RAW'] } } })]),
          ],
        },
      ],
      invalid: [
        {
          name: 'unconfined AppArmor annotation does not count',
          resources: [
            pod(
              'web',
              [container('web')],
              {},
              {
                annotations: { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' },
              },
            ),
          ],
          reports: [
            {
              path: '/spec/containers/0',
              message:
                'container web has no seccomp, SELinux or AppArmor profile and drops no capabilities: set securityContext.seccompProfile.type: RuntimeDefault',
            },
          ],
        },
        {
          name: 'container Unconfined overrides the pod profile',
          resources: [
            pod('web', [container('web', { securityContext: { seccompProfile: { type: 'Unconfined' } } })], {
              securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            }),
          ],
          reports: ['/spec/containers/0/securityContext/seccompProfile/type'],
        },
        {
          name: 'init containers are checked',
          resources: [
            pod('web', [container('web')], {
              securityContext: { seccompProfile: { type: 'Unconfined' } },
              initContainers: [
                container('setup', { securityContext: { seccompProfile: { type: 'Localhost' } } }),
              ],
            }),
          ],
          reports: ['/spec/containers/0'],
        },
      ],
    });
  });
});

describe('bp/proc-mount and bp/windows-host-process', () => {
  it('report unmasked /proc and HostProcess, init containers included', () => {
    new RuleTester(bpRule('bp/proc-mount')).assert({
      valid: [
        {
          name: 'Default',
          resources: [pod('a', [container('a', { securityContext: { procMount: 'Default' } })])],
        },
      ],
      invalid: [
        {
          name: 'init container Unmasked',
          resources: [
            pod('a', [container('a')], {
              initContainers: [container('setup', { securityContext: { procMount: 'Unmasked' } })],
            }),
          ],
          reports: [
            {
              path: '/spec/initContainers/0/securityContext/procMount',
              message: 'init container setup sets procMount Unmasked: remove it or set it to Default',
            },
          ],
        },
      ],
    });
    new RuleTester(bpRule('bp/windows-host-process')).assert({
      valid: [
        {
          name: 'false',
          resources: [
            pod('a', [container('a')], { securityContext: { windowsOptions: { hostProcess: false } } }),
          ],
        },
      ],
      invalid: [
        {
          name: 'init container',
          resources: [
            pod('a', [container('a')], {
              initContainers: [
                container('setup', { securityContext: { windowsOptions: { hostProcess: true } } }),
              ],
            }),
          ],
          reports: [
            {
              path: '/spec/initContainers/0/securityContext/windowsOptions/hostProcess',
              message:
                'init container setup runs as a Windows HostProcess container: remove securityContext.windowsOptions.hostProcess',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/host-ports', () => {
  it('reports each non-zero hostPort', () => {
    new RuleTester(bpRule('bp/host-ports')).assert({
      valid: [
        {
          name: 'hostPort 0',
          resources: [pod('a', [container('a', { ports: [{ containerPort: 80, hostPort: 0 }] })])],
        },
      ],
      invalid: [
        {
          name: 'two ports',
          resources: [
            pod('a', [
              container('a', {
                ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 81 }, { hostPort: 9100 }],
              }),
            ]),
          ],
          reports: [
            {
              path: '/spec/containers/0/ports/0/hostPort',
              message: 'container a binds host port 80: remove hostPort and expose the pod through a Service',
            },
            '/spec/containers/0/ports/2/hostPort',
          ],
        },
      ],
    });
  });
});

describe('bp/image-tag', () => {
  it('parses registry ports and digests', () => {
    const image = (ref: unknown) => pod('a', [{ name: 'a', image: ref }]);
    new RuleTester(bpRule('bp/image-tag')).assert({
      valid: [
        { name: 'tag', resources: [image('nginx:1.27')] },
        { name: 'port and tag', resources: [image('registry:5000/team/app:2.1')] },
        { name: 'digest', resources: [image('nginx@sha256:0123abcd')] },
        { name: 'latest pinned by digest', resources: [image('nginx:latest@sha256:0123abcd')] },
        { name: 'LATEST is another tag', resources: [image('nginx:LATEST')] },
      ],
      invalid: [
        {
          name: 'port without tag',
          resources: [image('registry:5000/team/app')],
          reports: [
            {
              path: '/spec/containers/0/image',
              message:
                'container a uses image registry:5000/team/app without a tag: pin a version tag or a digest',
            },
          ],
        },
        {
          name: 'latest',
          resources: [image('ghcr.io/org/app:latest')],
          reports: [
            {
              path: '/spec/containers/0/image',
              message: 'container a uses the latest tag of ghcr.io/org/app: pin a version tag or a digest',
            },
          ],
        },
        {
          name: 'no image',
          resources: [pod('a', [{ name: 'a' }])],
          reports: [
            {
              path: '/spec/containers/0',
              message: 'container a names no image: set image to a pinned reference',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/image-pull-policy', () => {
  it('requires Always by default, or what the option allows', () => {
    const policy = (p?: string) => pod('a', [container('a', p ? { imagePullPolicy: p } : {})]);
    new RuleTester(bpRule('bp/image-pull-policy')).assert({
      valid: [
        { name: 'Always', resources: [policy('Always')] },
        {
          name: 'IfNotPresent allowed',
          resources: [policy('IfNotPresent')],
          options: { allowed: ['Always', 'IfNotPresent'] },
        },
      ],
      invalid: [
        {
          name: 'IfNotPresent',
          resources: [policy('IfNotPresent')],
          reports: [
            {
              path: '/spec/containers/0/imagePullPolicy',
              message: 'container a has imagePullPolicy IfNotPresent: set it to Always',
            },
          ],
        },
        {
          name: 'unset with two allowed',
          resources: [policy()],
          options: { allowed: ['Always', 'IfNotPresent'] },
          reports: [
            {
              path: '/spec/containers/0',
              message: 'container a does not set imagePullPolicy: set it to Always or IfNotPresent',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/resources', () => {
  it('reports each missing quantity separately, skipping init containers', () => {
    new RuleTester(bpRule('bp/resources')).assert({
      valid: [
        {
          name: 'numbers count as quantities; init containers are not checked',
          resources: [
            pod(
              'a',
              [
                container('a', {
                  resources: { requests: { cpu: 1, memory: '1Gi' }, limits: { cpu: 2, memory: '1Gi' } },
                }),
              ],
              {
                initContainers: [container('setup')],
              },
            ),
          ],
        },
        {
          name: 'limits turned off',
          resources: [
            pod('a', [container('a', { resources: { requests: { cpu: '100m', memory: '1Gi' } } })]),
          ],
          options: { cpuLimit: false, memoryLimit: false },
        },
      ],
      invalid: [
        {
          name: 'empty cpu request and no memory limit',
          resources: [
            pod('a', [
              container('a', { resources: { requests: { cpu: '', memory: '1Gi' }, limits: { cpu: '1' } } }),
            ]),
          ],
          reports: [
            {
              path: '/spec/containers/0/resources/requests/cpu',
              message: 'container a has no CPU request: set resources.requests.cpu',
            },
            {
              path: '/spec/containers/0/resources/limits',
              message: 'container a has no memory limit: set resources.limits.memory',
            },
          ],
        },
        {
          name: 'only the CPU limit turned off',
          resources: [pod('a', [container('a')])],
          options: { cpuLimit: false },
          reports: ['/spec/containers/0', '/spec/containers/0', '/spec/containers/0'],
        },
      ],
    });
  });
});

describe('bp/liveness-probe and bp/readiness-probe', () => {
  it('skip Jobs, CronJobs and init containers; a null probe points at its key', () => {
    for (const [id, field] of [
      ['bp/liveness-probe', 'livenessProbe'],
      ['bp/readiness-probe', 'readinessProbe'],
    ] as const) {
      new RuleTester(bpRule(id)).assert({
        valid: [
          {
            name: 'probe, init container without',
            resources: [
              pod('a', [container('a', { [field]: { tcpSocket: { port: 80 } } })], {
                initContainers: [container('i')],
              }),
            ],
          },
          {
            name: 'CronJob',
            resources: [
              {
                apiVersion: 'batch/v1',
                kind: 'CronJob',
                metadata: { name: 'c' },
                spec: { jobTemplate: { spec: { template: { spec: { containers: [container('c')] } } } } },
              },
            ],
          },
        ],
        invalid: [
          {
            name: 'null probe',
            resources: [deployment('web', [container('web', { [field]: null })])],
            reports: [
              {
                path: `/spec/template/spec/containers/0/${field}`,
                message: `container web has no ${field}: add one`,
              },
            ],
          },
        ],
      });
    }
  });
});

describe('bp/secrets-in-env (containers)', () => {
  it('names the variable, never the value, and points at the key', () => {
    const env = (list: unknown[]) => pod('api', [container('api', { env: list })]);
    const tester = new RuleTester(bpRule('bp/secrets-in-env'));
    tester.assert({
      valid: [
        { name: 'harmless', resources: [env([{ name: 'GREETING', value: 'hello' }])] },
        { name: 'empty value', resources: [env([{ name: 'API_TOKEN', value: '' }])] },
        {
          name: 'from a Secret',
          resources: [env([{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } }])],
        },
        { name: 'AZURE_KEY needs a middle part', resources: [env([{ name: 'AZURE_KEY', value: 'x' }])] },
      ],
      invalid: [
        {
          name: 'credential names and a private key',
          resources: [
            env([
              { name: 'bearer_header', value: 'Bearer abc' },
              { name: 'Azure_Storage_Key', value: 'k' },
              {
                name: 'CERT',
                value: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n',
              },
              { name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/run/key.json' },
            ]),
          ],
          reports: [
            {
              path: '/spec/containers/0/env/0/value',
              message:
                'container api sets environment variable bearer_header to a literal value: read it from a Secret with valueFrom.secretKeyRef',
            },
            '/spec/containers/0/env/1/value',
            {
              path: '/spec/containers/0/env/2/value',
              message:
                'container api sets environment variable CERT to a literal private key: read it from a Secret with valueFrom.secretKeyRef',
            },
            '/spec/containers/0/env/3/value',
          ],
        },
      ],
    });
    const [d] = tester.findings({
      name: 'key',
      resources: [env([{ name: 'DB_PASSWORD', value: 'hunter2' }])],
    });
    if (!d || d.message.includes('hunter2') || JSON.stringify(d.data).includes('hunter2')) {
      throw new Error('the finding must exist and must not contain the value');
    }
  });
});

describe('finding placement', () => {
  it('puts a missing field on the key of its parent, a wrong value on the value, never on a secret', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        runAsNonRoot: true
      env:
        - name: DB_PASSWORD
          value: hunter2
    - name: log
      image: fluent-bit:3.1
      securityContext:
        allowPrivilegeEscalation: true
`;
    const set = parseManifests([{ path: 'pod.yaml', content: yaml }]);
    const rules = [bpRule('bp/privilege-escalation'), bpRule('bp/secrets-in-env')];
    const engine = createPolicyEngine({ rules, kubernetesVersion: '1.35', locator: set.locator });
    const found = [...set.resources.flatMap((r) => engine.check(r)), ...engine.finish()];
    const at = found.map((d) => {
      const line = yaml.split('\n')[(d.span?.start.line ?? 0) - 1] ?? '';
      return `${d.code} ${line.slice((d.span?.start.column ?? 1) - 1)}`;
    });
    expect(at).toEqual([
      'bp/privilege-escalation securityContext:',
      'bp/privilege-escalation true',
      'bp/secrets-in-env value: hunter2',
    ]);
    const secret = found[2]?.span;
    expect(secret && secret.end.offset - secret.start.offset).toBe('value'.length);
  });
});
