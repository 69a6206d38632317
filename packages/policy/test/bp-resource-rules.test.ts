import { RuleTester } from '@shipshape/policy/testing';
import { describe, it } from 'vitest';
import { bpRule, container, deployment, pod } from './bp-helpers.js';

describe('bp/host-namespaces', () => {
  it('reports each host namespace with its Polaris check', () => {
    const tester = new RuleTester(bpRule('bp/host-namespaces'));
    tester.assert({
      valid: [
        { name: 'false', resources: [pod('a', [container('a')], { hostNetwork: false, hostPID: false })] },
      ],
      invalid: [
        {
          name: 'all three',
          resources: [
            deployment('agent', [container('agent')], {
              spec: { hostIPC: true, hostPID: true, hostNetwork: true },
            }),
          ],
          reports: [
            {
              path: '/spec/template/spec/hostNetwork',
              message: "pod sets hostNetwork: true and shares the node's network; remove hostNetwork",
            },
            {
              path: '/spec/template/spec/hostPID',
              message: "pod sets hostPID: true and shares the node's process table; remove hostPID",
            },
            {
              path: '/spec/template/spec/hostIPC',
              message: "pod sets hostIPC: true and shares the node's IPC namespace; remove hostIPC",
            },
          ],
        },
      ],
    });
    const found = tester.findings({
      name: 'pid',
      resources: [pod('a', [container('a')], { hostPID: true })],
    });
    if (found[0]?.data?.['polaris'] !== 'hostPIDSet')
      throw new Error('hostPID findings stand for Polaris hostPIDSet');
  });
});

describe('bp/host-path-volumes', () => {
  it('reports hostPath volumes by name', () => {
    new RuleTester(bpRule('bp/host-path-volumes')).assert({
      valid: [
        {
          name: 'configMap',
          resources: [pod('a', [container('a')], { volumes: [{ name: 'c', configMap: { name: 'c' } }] })],
        },
      ],
      invalid: [
        {
          name: 'hostPath',
          resources: [pod('a', [container('a')], { volumes: [{ name: 'root', hostPath: { path: '/' } }] })],
          reports: [
            {
              path: '/spec/volumes/0/hostPath',
              message:
                'volume root mounts a path of the node: use a PersistentVolumeClaim, emptyDir or CSI volume instead',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/priority-class and bp/spread', () => {
  it('point at the pod spec key when the field is missing', () => {
    new RuleTester(bpRule('bp/priority-class')).assert({
      valid: [{ name: 'set', resources: [pod('a', [container('a')], { priorityClassName: 'high' })] }],
      invalid: [
        {
          name: 'empty name',
          resources: [pod('a', [container('a')], { priorityClassName: '' })],
          reports: [
            { path: '/spec/priorityClassName', message: 'pod names no PriorityClass: set priorityClassName' },
          ],
        },
        {
          name: 'Jobs too',
          resources: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              metadata: { name: 'j' },
              spec: { template: { spec: { containers: [] } } },
            },
          ],
          reports: ['/spec/template/spec'],
        },
      ],
    });
    new RuleTester(bpRule('bp/spread')).assert({
      valid: [
        {
          name: 'Job is not checked',
          resources: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              metadata: { name: 'j' },
              spec: { template: { spec: { containers: [] } } },
            },
          ],
        },
      ],
      invalid: [
        {
          name: 'StatefulSet without constraints',
          resources: [
            {
              apiVersion: 'apps/v1',
              kind: 'StatefulSet',
              metadata: { name: 'db' },
              spec: { template: { spec: { containers: [container('db')] } } },
            },
          ],
          reports: [
            {
              path: '/spec/template/spec',
              message: 'pod sets no topologySpreadConstraints: spread replicas across nodes or zones',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/labels', () => {
  it('wants app.kubernetes.io/instance equal to the name on workloads only', () => {
    new RuleTester(bpRule('bp/labels')).assert({
      valid: [
        {
          name: 'match',
          resources: [
            pod('web', [container('web')], {}, { labels: { 'app.kubernetes.io/instance': 'web' } }),
          ],
        },
        {
          name: 'not a workload',
          resources: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }],
        },
      ],
      invalid: [
        {
          name: 'labels without the instance label',
          resources: [pod('web', [container('web')], {}, { labels: { app: 'web' } })],
          reports: [
            {
              path: '/metadata/labels',
              message: 'label app.kubernetes.io/instance is missing: set it to the name web',
            },
          ],
        },
        {
          name: 'other value',
          resources: [
            pod('web', [container('web')], {}, { labels: { 'app.kubernetes.io/instance': 'api' } }),
          ],
          reports: [
            {
              path: '/metadata/labels/app.kubernetes.io~1instance',
              message: 'label app.kubernetes.io/instance is api, not the name web: set it to web',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/namespace', () => {
  it('reports a written default namespace, or the namespaces of the option', () => {
    const cm = (namespace?: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', ...(namespace ? { namespace } : {}) },
    });
    new RuleTester(bpRule('bp/namespace')).assert({
      valid: [
        { name: 'unset', resources: [cm()] },
        { name: 'own', resources: [cm('shop')] },
        {
          name: 'default allowed by the option',
          resources: [cm('default')],
          options: { namespaces: ['kube-public'] },
        },
      ],
      invalid: [
        {
          name: 'default',
          resources: [cm('default')],
          reports: [
            {
              path: '/metadata/namespace',
              message: "ConfigMap c is in the default namespace: move it to the application's own namespace",
            },
          ],
        },
        {
          name: 'option',
          resources: [cm('kube-public')],
          options: { namespaces: ['kube-public'] },
          reports: ['/metadata/namespace'],
        },
      ],
    });
  });
});

describe('bp/ingress-tls', () => {
  it('requires a non-empty spec.tls on Ingresses of the networking groups', () => {
    const ingress = (spec: unknown, apiVersion = 'networking.k8s.io/v1') => ({
      apiVersion,
      kind: 'Ingress',
      metadata: { name: 'shop' },
      ...(spec === undefined ? {} : { spec }),
    });
    new RuleTester(bpRule('bp/ingress-tls')).assert({
      valid: [
        { name: 'tls', resources: [ingress({ tls: [{ secretName: 's' }] })] },
        {
          name: "OpenShift's cluster Ingress config is another kind",
          resources: [ingress({}, 'config.openshift.io/v1')],
        },
      ],
      invalid: [
        {
          name: 'empty tls list',
          resources: [ingress({ tls: [] }, 'extensions/v1beta1')],
          reports: [
            {
              path: '/spec/tls',
              message:
                'Ingress shop configures no TLS: add spec.tls with the hosts and their certificate Secret',
            },
          ],
        },
        { name: 'no spec', resources: [ingress(undefined)], reports: [''] },
      ],
    });
  });
});

describe('bp/hpa-replicas', () => {
  it('checks minReplicas against the minimum and maxReplicas against minReplicas', () => {
    const hpa = (spec: unknown) => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec,
    });
    new RuleTester(bpRule('bp/hpa-replicas')).assert({
      valid: [
        { name: 'minReplicas unset, as in Polaris', resources: [hpa({ maxReplicas: 3 })] },
        { name: 'three', resources: [hpa({ minReplicas: 3, maxReplicas: 5 })], options: { minimum: 3 } },
      ],
      invalid: [
        {
          name: 'below the option',
          resources: [hpa({ minReplicas: 2, maxReplicas: 5 })],
          options: { minimum: 3 },
          reports: [{ path: '/spec/minReplicas', message: 'minReplicas is 2: keep at least 3 replicas' }],
        },
        {
          name: 'no maxReplicas',
          resources: [hpa({ minReplicas: 2 })],
          reports: [
            {
              path: '/spec',
              message:
                'maxReplicas is not set to a positive number: set the most replicas the autoscaler may run',
            },
          ],
        },
        {
          name: 'max equals min',
          resources: [hpa({ minReplicas: 4, maxReplicas: 4 })],
          reports: [
            {
              path: '/spec/maxReplicas',
              message: 'maxReplicas 4 is not above minReplicas 4: raise it so the autoscaler can scale',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/pdb-sane', () => {
  it('reports budgets that allow no eviction', () => {
    const pdb = (spec: unknown) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec,
    });
    new RuleTester(bpRule('bp/pdb-sane')).assert({
      valid: [{ name: '50%', resources: [pdb({ minAvailable: '50%' })] }],
      invalid: [
        {
          name: 'maxUnavailable 0%',
          resources: [pdb({ maxUnavailable: '0%' })],
          reports: [
            {
              path: '/spec/maxUnavailable',
              message: 'PodDisruptionBudget web allows no pod to be evicted: set maxUnavailable to 1 or more',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/secrets-in-env (ConfigMaps)', () => {
  it('reports credential keys and private keys, escaping the pointer', () => {
    const cm = (data: unknown) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data });
    new RuleTester(bpRule('bp/secrets-in-env')).assert({
      valid: [
        { name: 'no data', resources: [cm(undefined)] },
        {
          name: 'plain',
          resources: [cm({ 'app.properties': 'mode=prod', public_cert: '-----BEGIN CERTIFICATE-----' })],
        },
      ],
      invalid: [
        {
          name: 'key with a slash-free name and a PEM value',
          resources: [cm({ 'OAuth_Token~x': 'abc', 'tls.key': '-----BEGIN EC PRIVATE KEY-----\nabc\n' })],
          reports: [
            {
              path: '/data/OAuth_Token~0x',
              message: 'ConfigMap key OAuth_Token~x looks like a credential: move it to a Secret',
            },
            {
              path: '/data/tls.key',
              message: 'ConfigMap key tls.key holds a private key: move it to a Secret',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/rbac-wildcards', () => {
  it('reports each * in resources and verbs', () => {
    const role = (rules: unknown) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', namespace: 'shop' },
      rules,
    });
    new RuleTester(bpRule('bp/rbac-wildcards')).assert({
      valid: [
        {
          name: 'apiGroups * alone',
          resources: [role([{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }])],
        },
      ],
      invalid: [
        {
          name: 'resources and verbs',
          resources: [
            role([
              { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
              { apiGroups: [''], resources: ['*'], verbs: ['get', '*'] },
            ]),
          ],
          reports: [
            {
              path: '/rules/1/resources/0',
              message: 'Role r grants every resource with *: list the resources needed',
            },
            { path: '/rules/1/verbs/1', message: 'Role r grants every verb with *: list the verbs needed' },
          ],
        },
      ],
    });
  });
});
