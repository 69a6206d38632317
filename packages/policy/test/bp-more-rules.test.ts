import { RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { bpRule, container, deployment, pod } from './bp-helpers.js';

type Obj = Record<string, unknown>;

/** A workload of `kind` (`apiVersion`) whose pod template has this spec. */
function workload(kind: string, apiVersion: string, podSpec: Obj, jobSpec: Obj = {}): Obj {
  const template = { spec: { containers: [container('app')], ...podSpec } };
  const spec =
    kind === 'CronJob'
      ? { schedule: '@daily', jobTemplate: { spec: { ...jobSpec, template } } }
      : { ...jobSpec, template };
  return { apiVersion, kind, metadata: { name: 'app' }, spec };
}

describe('bp/restart-policy', () => {
  const tester = new RuleTester(bpRule('bp/restart-policy'));

  it('takes the values the API server takes for each kind', () => {
    tester.assert({
      valid: [
        { name: 'Job Never', resources: [workload('Job', 'batch/v1', { restartPolicy: 'Never' })] },
        {
          name: 'CronJob OnFailure',
          resources: [workload('CronJob', 'batch/v1', { restartPolicy: 'OnFailure' })],
        },
        {
          name: 'Job Never with a podFailurePolicy',
          resources: [
            workload('Job', 'batch/v1', { restartPolicy: 'Never' }, { podFailurePolicy: { rules: [] } }),
          ],
        },
        { name: 'Deployment without one', resources: [workload('Deployment', 'apps/v1', {})] },
        {
          name: 'DaemonSet Always',
          resources: [workload('DaemonSet', 'apps/v1', { restartPolicy: 'Always' })],
        },
        { name: 'Pod OnFailure', resources: [pod('p', [container('a')], { restartPolicy: 'OnFailure' })] },
        {
          name: 'a custom controller',
          resources: [{ ...workload('Job', 'batch.example.com/v1', {}), apiVersion: 'batch.example.com/v1' }],
        },
      ],
      invalid: [
        {
          name: 'Job without one',
          resources: [workload('Job', 'batch/v1', {})],
          reports: [
            {
              path: '/spec/template/spec',
              message:
                'Job pods need restartPolicy OnFailure or Never: the API server refuses the Job without it (the default, Always, is not allowed); set restartPolicy: Never or OnFailure',
            },
          ],
        },
        {
          name: 'CronJob Always',
          resources: [workload('CronJob', 'batch/v1', { restartPolicy: 'Always' })],
          reports: [
            {
              path: '/spec/jobTemplate/spec/template/spec/restartPolicy',
              message:
                /^CronJob pods need restartPolicy OnFailure or Never: the API server refuses restartPolicy Always/,
            },
          ],
        },
        {
          name: 'CronJob OnFailure with a podFailurePolicy',
          resources: [
            workload(
              'CronJob',
              'batch/v1',
              { restartPolicy: 'OnFailure' },
              { podFailurePolicy: { rules: [] } },
            ),
          ],
          reports: [
            {
              path: '/spec/jobTemplate/spec/template/spec/restartPolicy',
              message: /podFailurePolicy needs restartPolicy Never/,
            },
          ],
        },
        {
          name: 'StatefulSet Never',
          resources: [workload('StatefulSet', 'apps/v1', { restartPolicy: 'Never' })],
          reports: [
            {
              path: '/spec/template/spec/restartPolicy',
              message:
                'StatefulSet pods must restart Always: the API server refuses restartPolicy Never in a StatefulSet; remove it',
            },
          ],
        },
        {
          name: 'ReplicationController OnFailure',
          resources: [workload('ReplicationController', 'v1', { restartPolicy: 'OnFailure' })],
          reports: ['/spec/template/spec/restartPolicy'],
        },
      ],
    });
  });

  it('is an error', () => {
    const [found] = tester.findings({ name: 'job', resources: [workload('Job', 'batch/v1', {})] });
    expect(found?.severity).toBe('error');
  });
});

describe('bp/service-account', () => {
  const tester = new RuleTester(bpRule('bp/service-account'));
  const account = (name: string, namespace?: string): Obj => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, ...(namespace ? { namespace } : {}) },
  });

  it('looks the ServiceAccount up in the namespace, and reports the deprecated field', () => {
    tester.assert({
      valid: [
        {
          name: 'in the repository, in either order',
          resources: [
            deployment('web', [container('web')], { namespace: 'shop', spec: { serviceAccountName: 'web' } }),
            account('web', 'shop'),
          ],
        },
        {
          name: 'default',
          resources: [deployment('web', [container('web')], { spec: { serviceAccountName: 'default' } })],
        },
        { name: 'none named', resources: [pod('p', [container('a')])] },
        {
          name: 'neither has a namespace',
          resources: [account('runner'), pod('p', [container('a')], { serviceAccountName: 'runner' })],
        },
      ],
      invalid: [
        {
          name: 'in another namespace',
          resources: [
            deployment('web', [container('web')], { namespace: 'shop', spec: { serviceAccountName: 'web' } }),
            account('web', 'other'),
          ],
          reports: [
            {
              path: '/spec/template/spec/serviceAccountName',
              message:
                'Deployment web runs as ServiceAccount web, which is not in namespace shop in the repository: no pod of it is created until it exists; add the ServiceAccount or fix the name',
            },
          ],
        },
        {
          name: 'a Pod through the deprecated field',
          resources: [pod('p', [container('a')], { serviceAccount: 'runner' })],
          reports: [
            {
              path: '/spec/serviceAccount',
              message: 'serviceAccount is deprecated: rename it to serviceAccountName',
            },
            {
              path: '/spec/serviceAccount',
              message:
                /^Pod p runs as ServiceAccount runner, which is not in namespace \(unset\) .*the API server refuses the Pod/,
            },
          ],
        },
        {
          name: 'both fields',
          resources: [
            pod('p', [container('a')], { serviceAccount: 'old', serviceAccountName: 'new' }),
            account('new'),
          ],
          reports: [
            {
              path: '/spec/serviceAccount',
              message:
                'serviceAccount is deprecated, and serviceAccountName is set too: remove serviceAccount',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/service-type', () => {
  const tester = new RuleTester(bpRule('bp/service-type'));
  const service = (type: string | undefined, apiVersion = 'v1'): Obj => ({
    apiVersion,
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { ...(type ? { type } : {}), ports: [{ port: 80 }] },
  });

  it('reports NodePort Services only', () => {
    tester.assert({
      valid: [
        { name: 'ClusterIP by default', resources: [service(undefined)] },
        { name: 'LoadBalancer', resources: [service('LoadBalancer')] },
        { name: 'a Knative Service', resources: [service('NodePort', 'serving.knative.dev/v1')] },
      ],
      invalid: [
        {
          name: 'NodePort',
          resources: [service('NodePort')],
          reports: [{ path: '/spec/type', message: /^Service web is of type NodePort/ }],
        },
      ],
    });
  });
});

describe('bp/pdb-eviction-policy', () => {
  const tester = new RuleTester(bpRule('bp/pdb-eviction-policy'));
  const pdb = (spec: Obj | undefined): Obj => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web' },
    ...(spec ? { spec } : {}),
  });

  it('asks for the field where the target version has it', () => {
    tester.assert({
      valid: [
        {
          name: 'AlwaysAllow',
          resources: [pdb({ minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' })],
        },
        { name: 'IfHealthyBudget', resources: [pdb({ unhealthyPodEvictionPolicy: 'IfHealthyBudget' })] },
        { name: 'before 1.27', resources: [pdb({ minAvailable: 1 })], kubernetesVersion: '1.26' },
      ],
      invalid: [
        { name: 'unset', resources: [pdb({ minAvailable: 1 })], reports: ['/spec'] },
        {
          name: 'unset at 1.27',
          resources: [pdb({ maxUnavailable: 1 })],
          kubernetesVersion: '1.27',
          reports: ['/spec'],
        },
        {
          name: 'no spec',
          resources: [pdb(undefined)],
          reports: [{ path: '', message: /^PodDisruptionBudget web sets no unhealthyPodEvictionPolicy/ }],
        },
      ],
    });
  });
});

describe('bp/ssh-port', () => {
  const tester = new RuleTester(bpRule('bp/ssh-port'));

  it('reports containerPort 22 on containers and init containers', () => {
    tester.assert({
      valid: [
        {
          name: 'other ports',
          resources: [
            pod('p', [container('a', { ports: [{ containerPort: 2222 }, { containerPort: 8080 }] })]),
          ],
        },
        {
          name: 'a host port 22 is not the container port',
          resources: [pod('p', [container('a', { ports: [{ containerPort: 8022, hostPort: 22 }] })])],
        },
      ],
      invalid: [
        {
          name: 'init container',
          resources: [
            pod('p', [container('a')], {
              initContainers: [container('sshd', { ports: [{ containerPort: 22 }] })],
            }),
          ],
          reports: [
            {
              path: '/spec/initContainers/0/ports/0/containerPort',
              message:
                'init container sshd exposes port 22, the SSH port: use kubectl exec or debug instead of an SSH server',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/service-external-ips', () => {
  const tester = new RuleTester(bpRule('bp/service-external-ips'));
  const service = (spec: Obj, apiVersion = 'v1'): Obj => ({
    apiVersion,
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { ports: [{ port: 80 }], ...spec },
  });

  it('reports Services that claim external addresses', () => {
    tester.assert({
      valid: [
        { name: 'none', resources: [service({})] },
        { name: 'an empty list', resources: [service({ externalIPs: [] })] },
        {
          name: 'a Knative Service',
          resources: [service({ externalIPs: ['203.0.113.10'] }, 'serving.knative.dev/v1')],
        },
      ],
      invalid: [
        {
          name: 'one address',
          resources: [service({ externalIPs: ['203.0.113.10'] })],
          reports: [
            {
              path: '/spec/externalIPs',
              message:
                'Service web sets externalIPs: every node sends traffic for that address to it, whoever owns it; use an Ingress or a LoadBalancer',
            },
          ],
        },
        {
          name: 'two addresses',
          resources: [service({ type: 'LoadBalancer', externalIPs: ['203.0.113.10', '203.0.113.11'] })],
          reports: [{ path: '/spec/externalIPs', message: /for those addresses to it, whoever owns them/ }],
        },
      ],
    });
  });
});
