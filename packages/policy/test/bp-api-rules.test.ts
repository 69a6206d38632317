import { RuleTester } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import { bpRule, container, deployment, pod } from './bp-helpers.js';

type Obj = Record<string, unknown>;

/** A controller of `kind` with this selector and these template labels. */
function controller(
  kind: string,
  apiVersion: string,
  selector: unknown,
  labels: Obj | undefined,
  extra: Obj = {},
): Obj {
  return {
    apiVersion,
    kind,
    metadata: { name: 'web' },
    spec: {
      ...(selector === undefined ? {} : { selector }),
      ...extra,
      template: {
        ...(labels === undefined ? {} : { metadata: { labels } }),
        spec: { containers: [container('web')] },
      },
    },
  };
}

describe('bp/selector-matches-template', () => {
  const tester = new RuleTester(bpRule('bp/selector-matches-template'));

  it('accepts selectors that select the template, as the API server does', () => {
    tester.assert({
      valid: [
        {
          name: 'matchLabels subset',
          resources: [
            controller('Deployment', 'apps/v1', { matchLabels: { app: 'web' } }, { app: 'web', tier: 'a' }),
          ],
        },
        {
          name: 'expressions',
          resources: [
            controller(
              'StatefulSet',
              'apps/v1',
              {
                matchExpressions: [
                  { key: 'app', operator: 'In', values: ['web', 'api'] },
                  { key: 'canary', operator: 'DoesNotExist' },
                  { key: 'tier', operator: 'NotIn', values: ['db'] },
                  { key: 'app', operator: 'Exists' },
                ],
              },
              { app: 'web', tier: 'front' },
            ),
          ],
        },
        {
          name: 'apps/v1 selector missing (schema reports it)',
          resources: [controller('Deployment', 'apps/v1', undefined, { app: 'web' })],
        },
        {
          name: 'extensions/v1beta1 selector defaulted',
          resources: [controller('Deployment', 'extensions/v1beta1', undefined, { app: 'web' })],
        },
        {
          name: 'ReplicationController map selector defaulted or matching',
          resources: [
            controller('ReplicationController', 'v1', undefined, { app: 'web' }),
            controller('ReplicationController', 'v1', {}, { app: 'web' }),
            controller('ReplicationController', 'v1', { app: 'web' }, { app: 'web', x: 'y' }),
          ],
        },
        {
          name: 'Job selector is generated unless manualSelector',
          resources: [
            controller('Job', 'batch/v1', { matchLabels: { app: 'other' } }, { app: 'web' }),
            controller('Job', 'batch/v1', {}, { app: 'web' }, { manualSelector: true }),
          ],
        },
        {
          name: 'a selector that is not one is left to the schema check',
          resources: [
            controller('Deployment', 'apps/v1', { matchExpressions: [{ key: 'a', operator: 'Near' }] }, {}),
          ],
        },
        {
          name: 'a custom resource with the name of a kind',
          resources: [
            controller('Deployment', 'example.com/v1', { matchLabels: { app: 'x' } }, { app: 'web' }),
          ],
        },
      ],
      invalid: [
        {
          name: 'label renamed on one side',
          resources: [
            controller('Deployment', 'apps/v1', { matchLabels: { app: 'web' } }, { app: 'webshop' }),
          ],
          reports: [
            {
              path: '/spec/selector',
              message:
                "selector app=web does not select the pod template's labels (app=webshop): the API server refuses this Deployment; make the selector match spec.template.metadata.labels",
            },
          ],
        },
        {
          name: 'template without labels',
          resources: [controller('DaemonSet', 'apps/v1', { matchLabels: { app: 'agent' } }, undefined)],
          reports: [{ path: '/spec/selector', message: /\(none\)/ }],
        },
        {
          name: 'expression not met',
          resources: [
            controller(
              'ReplicaSet',
              'apps/v1',
              {
                matchLabels: { app: 'web' },
                matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }],
              },
              { app: 'web', tier: 'c' },
            ),
          ],
          reports: [{ path: '/spec/selector', message: /^selector app=web,tier In \(a,b\) does not select/ }],
        },
        {
          name: 'empty selector',
          resources: [controller('Deployment', 'apps/v1', {}, { app: 'web' })],
          reports: [
            { path: '/spec/selector', message: /^selector is empty: the API server refuses this Deployment/ },
          ],
        },
        {
          name: 'empty selector of an older apps version',
          resources: [controller('StatefulSet', 'apps/v1beta1', { matchLabels: {} }, { app: 'web' })],
          reports: [{ path: '/spec/selector', message: /refuses this StatefulSet/ }],
        },
        {
          name: 'ReplicationController map',
          resources: [controller('ReplicationController', 'v1', { app: 'web', tier: 'x' }, { app: 'web' })],
          reports: [{ path: '/spec/selector', message: /^selector app=web,tier=x does not select/ }],
        },
        {
          name: 'CronJob with manualSelector',
          resources: [
            {
              apiVersion: 'batch/v1',
              kind: 'CronJob',
              metadata: { name: 'nightly' },
              spec: {
                schedule: '@daily',
                jobTemplate: {
                  spec: {
                    manualSelector: true,
                    selector: { matchLabels: { job: 'nightly' } },
                    template: {
                      metadata: { labels: { job: 'daily' } },
                      spec: { containers: [container('n')] },
                    },
                  },
                },
              },
            },
          ],
          reports: [{ path: '/spec/jobTemplate/spec/selector', message: /refuses this CronJob/ }],
        },
      ],
    });
  });

  it('is an error: the API server refuses the object', () => {
    const [found] = tester.findings({
      name: 'mismatch',
      resources: [controller('Deployment', 'apps/v1', { matchLabels: { a: 'b' } }, { a: 'c' })],
    });
    expect(found?.severity).toBe('error');
  });
});

describe('bp/env-duplicates', () => {
  const tester = new RuleTester(bpRule('bp/env-duplicates'));
  const env = (...names: string[]) => names.map((name, i) => ({ name, value: String(i) }));

  it('reports every repeated variable at its entry, naming the first', () => {
    tester.assert({
      valid: [
        { name: 'distinct', resources: [pod('a', [container('a', { env: env('A', 'B', 'C') })])] },
        {
          name: 'the same name in two containers, and envFrom',
          resources: [
            deployment('a', [
              container('a', { env: env('A'), envFrom: [{ configMapRef: { name: 'c' } }] }),
              container('b', { env: env('A') }),
            ]),
          ],
        },
        { name: 'names differing in case', resources: [pod('a', [container('a', { env: env('a', 'A') })])] },
      ],
      invalid: [
        {
          name: 'twice and three times',
          resources: [pod('a', [container('a', { env: env('A', 'B', 'A', 'C', 'A') })])],
          reports: [
            {
              path: '/spec/containers/0/env/2/name',
              message:
                'container a sets environment variable A again (first at env[0]): the last entry wins and hides the first; keep one',
            },
            { path: '/spec/containers/0/env/4/name', message: /first at env\[0\]/ },
          ],
        },
        {
          name: 'init container of a Deployment',
          resources: [
            deployment('a', [container('a')], {
              spec: {
                initContainers: [
                  container('setup', {
                    env: [
                      { name: 'X', value: '1' },
                      { name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                    ],
                  }),
                ],
              },
            }),
          ],
          reports: [
            {
              path: '/spec/template/spec/initContainers/0/env/1/name',
              message: /^init container setup sets/,
            },
          ],
        },
      ],
    });
  });
});

describe('bp/ingress-service, bp/network-policy-targets, bp/hpa-target, bp/probes-identical', () => {
  const service = (name: string, ports: Obj[], namespace = 'shop'): Obj => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports },
  });

  it('reads v1beta1 backends and compares ports by number and name', () => {
    new RuleTester(bpRule('bp/ingress-service')).assert({
      valid: [
        {
          name: 'v1beta1 by port name',
          resources: [
            {
              apiVersion: 'networking.k8s.io/v1beta1',
              kind: 'Ingress',
              metadata: { name: 'i', namespace: 'shop' },
              spec: { backend: { serviceName: 'web', servicePort: 'http' } },
            },
            service('web', [{ name: 'http', port: 80 }]),
          ],
        },
        {
          name: 'resource backend',
          resources: [
            {
              apiVersion: 'networking.k8s.io/v1',
              kind: 'Ingress',
              metadata: { name: 'i', namespace: 'shop' },
              spec: { defaultBackend: { resource: { apiGroup: 'x', kind: 'Bucket', name: 'b' } } },
            },
          ],
        },
      ],
      invalid: [
        {
          name: 'port the Service lacks, and a Service in another namespace',
          resources: [
            {
              apiVersion: 'networking.k8s.io/v1',
              kind: 'Ingress',
              metadata: { name: 'i', namespace: 'shop' },
              spec: {
                defaultBackend: { service: { name: 'web', port: { number: 8080 } } },
                rules: [
                  {
                    http: {
                      paths: [{ path: '/', backend: { service: { name: 'api', port: { number: 80 } } } }],
                    },
                  },
                ],
              },
            },
            service('web', [{ name: 'http', port: 80 }]),
            service('api', [{ port: 80 }], 'other'),
          ],
          reports: [
            {
              path: '/spec/defaultBackend/service/name',
              message:
                'Ingress i sends traffic to port 8080 of Service web, which has no such port (ports: 80, http): use one the Service declares',
            },
            {
              path: '/spec/rules/0/http/paths/0/backend/service/name',
              message: /Service api, which is not in namespace shop/,
            },
          ],
        },
        {
          name: 'v1 backend written the v1beta1 way (kube-score issue 363)',
          resources: [
            {
              apiVersion: 'networking.k8s.io/v1',
              kind: 'Ingress',
              metadata: { name: 'i' },
              spec: { rules: [{ http: { paths: [{ backend: { serviceName: 'web', servicePort: 80 } }] } }] },
            },
          ],
          reports: [{ path: '/spec/rules/0/http/paths/0/backend', message: /names no Service/ }],
        },
      ],
    });
  });

  it('passes an empty podSelector and matches expressions', () => {
    const policy = (podSelector: Obj): Obj => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { podSelector },
    });
    const web = deployment('web', [container('web')], {
      namespace: 'shop',
      template: { labels: { app: 'web' } },
    });
    new RuleTester(bpRule('bp/network-policy-targets')).assert({
      valid: [
        { name: 'default deny', resources: [policy({})] },
        {
          name: 'expression',
          resources: [policy({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }), web],
        },
      ],
      invalid: [
        {
          name: 'pods of another namespace',
          resources: [
            policy({ matchLabels: { app: 'web' } }),
            { ...web, metadata: { name: 'web', namespace: 'other' } },
          ],
          reports: [
            { path: '/spec/podSelector', message: /selects no pod or pod template in namespace shop/ },
          ],
        },
      ],
    });
  });

  it('looks for built-in scale targets by kind, name and namespace', () => {
    const hpa = (kind: string, name: string): Obj => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name }, minReplicas: 2, maxReplicas: 4 },
    });
    new RuleTester(bpRule('bp/hpa-target')).assert({
      valid: [
        { name: 'custom kind not judged', resources: [hpa('Rollout', 'web')] },
        {
          name: 'found',
          resources: [hpa('Deployment', 'web'), deployment('web', [container('web')], { namespace: 'shop' })],
        },
      ],
      invalid: [
        {
          name: 'a StatefulSet of that name is not the Deployment',
          resources: [
            hpa('Deployment', 'web'),
            { ...deployment('web', [container('web')], { namespace: 'shop' }), kind: 'StatefulSet' },
          ],
          reports: [
            {
              path: '/spec/scaleTargetRef/name',
              message:
                'HorizontalPodAutoscaler h scales Deployment web, which is not in namespace shop in the repository: name an existing workload',
            },
          ],
        },
      ],
    });
  });

  it('takes unset probe fields at their defaults', () => {
    const probe = (extra: Obj = {}): Obj => ({ tcpSocket: { port: 8080 }, ...extra });
    new RuleTester(bpRule('bp/probes-identical')).assert({
      valid: [
        {
          name: 'other period',
          resources: [
            pod('a', [
              container('a', { livenessProbe: probe({ periodSeconds: 30 }), readinessProbe: probe() }),
            ]),
          ],
        },
        {
          name: 'other handler',
          resources: [
            pod('a', [
              container('a', { livenessProbe: { exec: { command: ['true'] } }, readinessProbe: probe() }),
            ]),
          ],
        },
        { name: 'one probe', resources: [pod('a', [container('a', { readinessProbe: probe() })])] },
      ],
      invalid: [
        {
          name: 'defaults written out on one side',
          resources: [
            pod('a', [
              container('a', {
                livenessProbe: probe({ periodSeconds: 10, failureThreshold: 3 }),
                readinessProbe: probe(),
              }),
            ]),
          ],
          reports: [
            {
              path: '/spec/containers/0/livenessProbe',
              message: /^container a has a livenessProbe identical to its readinessProbe/,
            },
          ],
        },
      ],
    });
  });
});

describe('bp/probe-ports', () => {
  it('reports named probe ports the container does not declare, and numbers written as strings', () => {
    const ports = [{ name: 'http', containerPort: 8080 }];
    new RuleTester(bpRule('bp/probe-ports')).assert({
      valid: [
        {
          name: 'declared name, any number, grpc',
          resources: [
            pod('a', [
              container('a', {
                ports,
                livenessProbe: { tcpSocket: { port: 'http' } },
                readinessProbe: { httpGet: { port: 9090 } },
                startupProbe: { grpc: { port: 9000 } },
              }),
            ]),
          ],
        },
      ],
      invalid: [
        {
          name: 'startup probe of an init container, and a quoted number',
          resources: [
            deployment('a', [container('a', { ports, readinessProbe: { httpGet: { port: '8080' } } })], {
              spec: {
                initContainers: [container('init', { startupProbe: { tcpSocket: { port: 'admin' } } })],
              },
            }),
          ],
          reports: [
            {
              path: '/spec/template/spec/initContainers/0/startupProbe/tcpSocket/port',
              message:
                "init container init's startupProbe names port admin, which the container does not declare (it names no port), so the probe always fails: declare it or use the port number",
            },
            {
              path: '/spec/template/spec/containers/0/readinessProbe/httpGet/port',
              message: /names port "8080", a string the kubelet reads as a port name/,
            },
          ],
        },
      ],
    });
  });
});

describe('bp/spread: written constraints', () => {
  it('reports what the API server refuses and a constraint without a labelSelector', () => {
    const constraint = (extra: Obj): Obj => ({
      maxSkew: 1,
      topologyKey: 'zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { app: 'a' } },
      ...extra,
    });
    const withConstraints = (...list: Obj[]) =>
      pod('a', [container('a')], { topologySpreadConstraints: list });
    new RuleTester(bpRule('bp/spread')).assert({
      valid: [{ name: 'sound', resources: [withConstraints(constraint({ minDomains: 2 }))] }],
      invalid: [
        {
          name: 'each problem',
          resources: [
            withConstraints(
              constraint({ maxSkew: 0 }),
              constraint({ minDomains: 0 }),
              constraint({ minDomains: 2, whenUnsatisfiable: 'ScheduleAnyway' }),
              { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
            ),
          ],
          reports: [
            {
              path: '/spec/topologySpreadConstraints/0/maxSkew',
              message:
                'topology spread constraint 0 has maxSkew 0: the API server refuses the pod; use 1 or more',
            },
            { path: '/spec/topologySpreadConstraints/1/minDomains', message: /has minDomains 0/ },
            {
              path: '/spec/topologySpreadConstraints/2/minDomains',
              message: /minDomains needs DoNotSchedule/,
            },
            {
              path: '/spec/topologySpreadConstraints/3',
              message: /has no labelSelector, so it counts no pods/,
            },
          ],
        },
      ],
    });
  });
});

describe('bp/port-names', () => {
  it('reports port names the API server refuses, on containers and Service targetPorts', () => {
    const named = (...names: string[]) => names.map((name, i) => ({ name, containerPort: 8000 + i }));
    new RuleTester(bpRule('bp/port-names')).assert({
      valid: [
        {
          name: 'valid',
          resources: [pod('a', [container('a', { ports: named('http', 'metrics-9090', 'h2c') })])],
        },
        {
          name: 'numbers',
          resources: [
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 's' },
              spec: {
                ports: [
                  { port: 80, targetPort: 8080 },
                  { port: 81, targetPort: 'web' },
                ],
              },
            },
          ],
        },
      ],
      invalid: [
        {
          name: 'each rule of IsValidPortName',
          resources: [
            pod('a', [
              container('a', {
                ports: named('http_metrics', 'prometheus-metric', '8080', 'a--b', '-a', 'HTTP'),
              }),
            ]),
          ],
          reports: [
            {
              path: '/spec/containers/0/ports/0/name',
              message:
                'container a names a port http_metrics, which the API server refuses: a port name may hold only lower-case letters, digits and -',
            },
            { path: '/spec/containers/0/ports/1/name', message: /is longer than 15 characters/ },
            { path: '/spec/containers/0/ports/2/name', message: /must hold at least one letter/ },
            { path: '/spec/containers/0/ports/3/name', message: /must not hold --/ },
            { path: '/spec/containers/0/ports/4/name', message: /must not begin or end with -/ },
            { path: '/spec/containers/0/ports/5/name', message: /lower-case/ },
          ],
        },
        {
          name: 'Service targetPort',
          resources: [
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 's' },
              spec: {
                ports: [
                  { port: 80, targetPort: '8080' },
                  { port: 81, targetPort: 'web_ui' },
                ],
              },
            },
          ],
          reports: [
            {
              path: '/spec/ports/0/targetPort',
              message: /targetPort "8080", a string the API server reads as a port name/,
            },
            {
              path: '/spec/ports/1/targetPort',
              message: /targets the port name web_ui, which the API server refuses/,
            },
          ],
        },
      ],
    });
  });
});

describe('bp/service-selector: named target ports', () => {
  it('reports a named targetPort that no selected pod declares', () => {
    const svc = (targetPort: string | number): Obj => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort }] },
    });
    const web = (ports: Obj[]) =>
      deployment('web', [container('web', { ports })], {
        namespace: 'shop',
        template: { labels: { app: 'web' } },
      });
    new RuleTester(bpRule('bp/service-selector')).assert({
      valid: [
        { name: 'declared', resources: [svc('http'), web([{ name: 'http', containerPort: 8080 }])] },
        { name: 'a number', resources: [svc(8080), web([])] },
      ],
      invalid: [
        {
          name: 'renamed in the container',
          resources: [svc('http'), web([{ name: 'web', containerPort: 8080 }])],
          reports: [
            {
              path: '/spec/ports/0/targetPort',
              message:
                'Service web targets the port name http, which no pod it selects declares: the Service gets no endpoints for this port; name the container port http or target its number',
            },
          ],
        },
      ],
    });
  });
});

describe('bp/statefulset-service', () => {
  it('wants a headless Service of that name selecting the pods', () => {
    const set: Obj = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'data' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [container('db')] } },
      },
    };
    const svc = (spec: Obj, namespace = 'data'): Obj => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace },
      spec,
    });
    new RuleTester(bpRule('bp/statefulset-service')).assert({
      valid: [
        {
          name: 'headless and selecting',
          resources: [set, svc({ clusterIP: 'None', selector: { app: 'db' } })],
        },
        {
          name: 'no serviceName',
          resources: [{ ...set, spec: { ...(set['spec'] as Obj), serviceName: undefined } }],
        },
      ],
      invalid: [
        {
          name: 'missing',
          resources: [set, svc({ clusterIP: 'None', selector: { app: 'db' } }, 'other')],
          reports: [
            {
              path: '/spec/serviceName',
              message:
                'StatefulSet db names Service db, which is not in namespace data in the repository: its pods get no stable DNS names; point serviceName at a headless Service that selects them',
            },
          ],
        },
        {
          name: 'not headless',
          resources: [set, svc({ selector: { app: 'db' } })],
          reports: [{ path: '/spec/serviceName', message: /which is not headless/ }],
        },
        {
          name: 'selects other pods',
          resources: [set, svc({ clusterIP: 'None', selector: { app: 'cache' } })],
          reports: [{ path: '/spec/serviceName', message: /whose selector does not select/ }],
        },
      ],
    });
  });
});

describe('pods that run to completion', () => {
  it('are not asked for probes or spread constraints; pods that keep running are', () => {
    const test = (restartPolicy: string) =>
      pod('web-test', [container('wget')], { restartPolicy }, { annotations: { 'helm.sh/hook': 'test' } });
    for (const id of ['bp/liveness-probe', 'bp/readiness-probe']) {
      new RuleTester(bpRule(id)).assert({
        valid: [
          { name: 'a Helm test Pod', resources: [test('Never')] },
          { name: 'restarted on failure only', resources: [test('OnFailure')] },
        ],
        invalid: [
          { name: 'restarted always', resources: [test('Always')], reports: ['/spec/containers/0'] },
          {
            name: 'restartPolicy unset',
            resources: [pod('web', [container('web')])],
            reports: ['/spec/containers/0'],
          },
          {
            name: 'a Deployment',
            resources: [deployment('web', [container('web')])],
            reports: ['/spec/template/spec/containers/0'],
          },
        ],
      });
    }
    new RuleTester(bpRule('bp/spread')).assert({
      valid: [{ name: 'a Helm test Pod', resources: [test('Never')] }],
      invalid: [
        {
          name: 'restarted always',
          resources: [test('Always')],
          reports: ['/spec'],
        },
      ],
    });
  });
});
