import { describe, expect, it } from 'vitest';
import { toCelValue } from '../src/vap/cel-values.js';
import { type CelObject, convertBuiltIn, type GroupVersion } from '../src/vap/convert-versions.js';
import { binding, type Obj, policy, runVap } from './vap-fixtures.js';

// Built-in objects converted between the versions of their storage as the API server converts them
// for a policy naming another version (events, ingresses, endpoint slices, priority levels,
// disruption budgets, role bindings), and storages whose versions differ only in `apiVersion`.
// Expected objects are written out in full; `back` is what converting the result back gives when
// Kubernetes does not restore the original.

function groupVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `object` converted to `apiVersion`, as CEL sees it. */
function convert(object: Obj, apiVersion: string, resource: string): unknown {
  const from = groupVersion(object['apiVersion'] as string);
  return convertBuiltIn(toCelValue(object) as CelObject, from, groupVersion(apiVersion), resource);
}

interface Case {
  readonly name: string;
  readonly resource: string;
  readonly from: Obj;
  readonly to: Obj;
  /** `to` converted back to `from`'s version, when that is not `from`. */
  readonly back?: Obj;
}

function checkCases(cases: readonly Case[]): void {
  it.each(cases)('$name', (c) => {
    expect(convert(c.from, c.to['apiVersion'] as string, c.resource)).toEqual(toCelValue(c.to));
    expect(convert(c.to, c.from['apiVersion'] as string, c.resource)).toEqual(toCelValue(c.back ?? c.from));
  });
}

const meta = { name: 'it', namespace: 'x' };

describe('convertBuiltIn: Events (core/v1 ↔ events.k8s.io)', () => {
  const pod = { kind: 'Pod', namespace: 'x', name: 'web', uid: 'u1', apiVersion: 'v1' };
  const node = { kind: 'Node', name: 'node-1' };
  const shared = {
    kind: 'Event',
    metadata: meta,
    reason: 'Pulled',
    type: 'Normal',
    eventTime: '2026-01-02T03:04:05.000000Z',
    series: { count: 2, lastObservedTime: '2026-01-02T03:05:05.000000Z' },
    action: 'Pull',
    related: node,
    reportingInstance: 'kubelet-node-1',
  };
  const core = {
    apiVersion: 'v1',
    ...shared,
    involvedObject: pod,
    message: 'Pulled image nginx',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-01-02T03:00:00Z',
    lastTimestamp: '2026-01-02T03:04:00Z',
    count: 3,
    reportingComponent: 'kubelet',
  };
  const events = {
    apiVersion: 'events.k8s.io/v1',
    ...shared,
    regarding: pod,
    note: 'Pulled image nginx',
    deprecatedSource: { component: 'kubelet', host: 'node-1' },
    deprecatedFirstTimestamp: '2026-01-02T03:00:00Z',
    deprecatedLastTimestamp: '2026-01-02T03:04:00Z',
    deprecatedCount: 3,
    reportingController: 'kubelet',
  };
  checkCases([
    { name: 'core/v1 ↔ events.k8s.io/v1, every field', resource: 'events', from: core, to: events },
    {
      name: 'core/v1 ↔ events.k8s.io/v1beta1, a minimal Event',
      resource: 'events',
      from: { apiVersion: 'v1', kind: 'Event', metadata: meta, involvedObject: pod, message: 'hi' },
      to: { apiVersion: 'events.k8s.io/v1beta1', kind: 'Event', metadata: meta, regarding: pod, note: 'hi' },
    },
    {
      name: 'events.k8s.io/v1 ↔ v1beta1: the same fields',
      resource: 'events',
      from: events,
      to: { ...events, apiVersion: 'events.k8s.io/v1beta1' },
    },
    {
      name: 'a field the target version does not have is dropped',
      resource: 'events',
      from: { apiVersion: 'v1', kind: 'Event', metadata: meta, message: 'real', note: 'stray' },
      to: { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta, note: 'real' },
      back: { apiVersion: 'v1', kind: 'Event', metadata: meta, message: 'real' },
    },
  ]);
});

describe('convertBuiltIn: Ingresses (extensions, networking.k8s.io v1beta1 ↔ v1)', () => {
  const ingress = (apiVersion: string, spec: Obj): Obj => ({
    apiVersion,
    kind: 'Ingress',
    metadata: meta,
    spec,
  });
  const tls = [{ hosts: ['web.example.com'], secretName: 'web-tls' }];
  const bucket = { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' };
  checkCases([
    {
      name: 'v1beta1 ↔ v1: default backend, numbered and named ports',
      resource: 'ingresses',
      from: ingress('networking.k8s.io/v1beta1', {
        ingressClassName: 'nginx',
        backend: { serviceName: 'web', servicePort: 80 },
        tls,
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { serviceName: 'web', servicePort: 'http' } },
                { path: '/static', pathType: 'Prefix', backend: { resource: bucket } },
              ],
            },
          },
        ],
      }),
      to: ingress('networking.k8s.io/v1', {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'web', port: { number: 80 } } },
        tls,
        rules: [
          {
            host: 'web.example.com',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'web', port: { name: 'http' } } },
                },
                { path: '/static', pathType: 'Prefix', backend: { resource: bucket } },
              ],
            },
          },
        ],
      }),
    },
    {
      name: 'extensions/v1beta1 ↔ v1: a resource default backend',
      resource: 'ingresses',
      from: ingress('extensions/v1beta1', { backend: { resource: bucket } }),
      to: ingress('networking.k8s.io/v1', { defaultBackend: { resource: bucket } }),
    },
    {
      name: 'extensions/v1beta1 ↔ networking.k8s.io/v1beta1: the same fields; a quoted number is a port name',
      resource: 'ingresses',
      from: ingress('extensions/v1beta1', { backend: { serviceName: 'web', servicePort: '8080' } }),
      to: ingress('networking.k8s.io/v1beta1', { backend: { serviceName: 'web', servicePort: '8080' } }),
    },
    {
      name: 'v1 → v1beta1: a Service without a port gets port 0; back, an empty port',
      resource: 'ingresses',
      from: ingress('networking.k8s.io/v1', { defaultBackend: { service: { name: 'web' } } }),
      to: ingress('networking.k8s.io/v1beta1', { backend: { serviceName: 'web', servicePort: 0 } }),
      back: ingress('networking.k8s.io/v1', { defaultBackend: { service: { name: 'web', port: {} } } }),
    },
    {
      name: 'v1beta1 → v1: a port without a Service name gets an empty name',
      resource: 'ingresses',
      from: ingress('networking.k8s.io/v1beta1', { backend: { servicePort: 'http' } }),
      to: ingress('networking.k8s.io/v1', {
        defaultBackend: { service: { name: '', port: { name: 'http' } } },
      }),
    },
  ]);
});

describe('convertBuiltIn: EndpointSlices (discovery.k8s.io v1beta1 ↔ v1)', () => {
  const slice = (apiVersion: string, endpoints: Obj[]): Obj => ({
    apiVersion,
    kind: 'EndpointSlice',
    metadata: meta,
    addressType: 'IPv4',
    endpoints,
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });
  const base = { addresses: ['10.0.0.1'], conditions: { ready: true } };
  const ZONE = 'topology.kubernetes.io/zone';
  const HOST = 'kubernetes.io/hostname';
  checkCases([
    {
      name: 'v1beta1 → v1: zone and hostname labels become fields; back, nodeName stays',
      resource: 'endpointslices',
      from: slice('discovery.k8s.io/v1beta1', [
        { ...base, topology: { [HOST]: 'node-1', [ZONE]: 'zone-a', 'example.com/rack': 'r1' } },
      ]),
      to: slice('discovery.k8s.io/v1', [
        { ...base, nodeName: 'node-1', zone: 'zone-a', deprecatedTopology: { 'example.com/rack': 'r1' } },
      ]),
      back: slice('discovery.k8s.io/v1beta1', [
        {
          ...base,
          nodeName: 'node-1',
          topology: { 'example.com/rack': 'r1', [ZONE]: 'zone-a', [HOST]: 'node-1' },
        },
      ]),
    },
    {
      name: 'v1beta1 ↔ v1: a hostname label unlike nodeName stays in the topology',
      resource: 'endpointslices',
      from: slice('discovery.k8s.io/v1beta1', [
        { ...base, nodeName: 'node-b', topology: { [HOST]: 'node-a' } },
      ]),
      to: slice('discovery.k8s.io/v1', [
        { ...base, nodeName: 'node-b', deprecatedTopology: { [HOST]: 'node-a' } },
      ]),
    },
    {
      name: 'v1 ↔ v1beta1: nodeName is copied into the topology',
      resource: 'endpointslices',
      from: slice('discovery.k8s.io/v1', [{ ...base, nodeName: 'node-1', zone: 'zone-a' }]),
      to: slice('discovery.k8s.io/v1beta1', [
        { ...base, nodeName: 'node-1', topology: { [ZONE]: 'zone-a', [HOST]: 'node-1' } },
      ]),
    },
    {
      name: 'v1 ↔ v1beta1: an endpoint without topology, zone or node',
      resource: 'endpointslices',
      from: slice('discovery.k8s.io/v1', [{ ...base, hints: { forZones: [{ name: 'zone-a' }] } }]),
      to: slice('discovery.k8s.io/v1beta1', [{ ...base, hints: { forZones: [{ name: 'zone-a' }] } }]),
    },
    {
      name: 'v1beta1 → v1: an empty topology leaves nothing',
      resource: 'endpointslices',
      from: slice('discovery.k8s.io/v1beta1', [{ ...base, topology: {} }]),
      to: slice('discovery.k8s.io/v1', [base]),
      back: slice('discovery.k8s.io/v1beta1', [base]),
    },
    {
      name: 'a topology key named constructor converts like any other',
      resource: 'endpointslices',
      from: slice('discovery.k8s.io/v1beta1', [
        { ...base, topology: { constructor: 'c', [ZONE]: 'zone-a' } },
      ]),
      to: slice('discovery.k8s.io/v1', [
        { ...base, zone: 'zone-a', deprecatedTopology: { constructor: 'c' } },
      ]),
      back: slice('discovery.k8s.io/v1beta1', [
        { ...base, topology: { constructor: 'c', [ZONE]: 'zone-a' } },
      ]),
    },
  ]);
});

describe('convertBuiltIn: PriorityLevelConfigurations (flowcontrol.apiserver.k8s.io)', () => {
  const ZERO = 'flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares';
  const level = (version: string, limited: Obj, annotations?: Obj): Obj => ({
    apiVersion: `flowcontrol.apiserver.k8s.io/${version}`,
    kind: 'PriorityLevelConfiguration',
    metadata: { name: 'it', ...(annotations ? { annotations } : {}) },
    spec: { type: 'Limited', limited },
  });
  const reject = { limitResponse: { type: 'Reject' }, lendablePercent: 10 };
  checkCases([
    {
      name: 'v1beta2 ↔ v1: assuredConcurrencyShares is nominalConcurrencyShares',
      resource: 'prioritylevelconfigurations',
      from: level('v1beta2', { assuredConcurrencyShares: 20, ...reject }),
      to: level('v1', { nominalConcurrencyShares: 20, ...reject }),
    },
    {
      name: 'v1beta2 ↔ v1beta3',
      resource: 'prioritylevelconfigurations',
      from: level('v1beta2', { assuredConcurrencyShares: 10, ...reject }),
      to: level('v1beta3', { nominalConcurrencyShares: 10, ...reject }),
    },
    {
      name: 'v1 ↔ v1beta3: zero shares are kept by the annotation',
      resource: 'prioritylevelconfigurations',
      from: level('v1', { nominalConcurrencyShares: 0, ...reject }, { team: 'a' }),
      to: level('v1beta3', { nominalConcurrencyShares: 0, ...reject }, { team: 'a', [ZERO]: '' }),
    },
    {
      name: 'v1 ↔ v1beta3: the annotation is the only one',
      resource: 'prioritylevelconfigurations',
      from: level('v1', { nominalConcurrencyShares: 0, ...reject }),
      to: level('v1beta3', { nominalConcurrencyShares: 0, ...reject }, { [ZERO]: '' }),
    },
    {
      name: 'v1beta3 → v1: zero without the annotation is the default, 30',
      resource: 'prioritylevelconfigurations',
      from: level('v1beta3', { nominalConcurrencyShares: 0, ...reject }),
      to: level('v1', { nominalConcurrencyShares: 30, ...reject }),
      back: level('v1beta3', { nominalConcurrencyShares: 30, ...reject }),
    },
    {
      name: 'v1beta2 → v1: zero assured shares are the default, 30',
      resource: 'prioritylevelconfigurations',
      from: level('v1beta2', { assuredConcurrencyShares: 0, ...reject }),
      to: level('v1', { nominalConcurrencyShares: 30, ...reject }),
      back: level('v1beta2', { assuredConcurrencyShares: 30, ...reject }),
    },
    {
      name: 'v1beta3 → v1: the annotation goes even on non-zero shares',
      resource: 'prioritylevelconfigurations',
      from: level('v1beta3', { nominalConcurrencyShares: 5, ...reject }, { [ZERO]: '' }),
      to: level('v1', { nominalConcurrencyShares: 5, ...reject }),
      back: level('v1beta3', { nominalConcurrencyShares: 5, ...reject }),
    },
    {
      name: 'v1 ↔ v1beta2: an exempt level has nothing to rename',
      resource: 'prioritylevelconfigurations',
      from: {
        ...level('v1', {}),
        spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } },
      },
      to: {
        ...level('v1beta2', {}),
        spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } },
      },
    },
  ]);
});

describe('convertBuiltIn: PodDisruptionBudgets (policy v1beta1 ↔ v1)', () => {
  const LABEL = 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match';
  const pdb = (version: string, selector: unknown): Obj => ({
    apiVersion: `policy/${version}`,
    kind: 'PodDisruptionBudget',
    metadata: meta,
    spec: { minAvailable: 1, ...(selector === undefined ? {} : { selector }) },
  });
  const none = { matchExpressions: [{ key: LABEL, operator: 'Exists' }] };
  const all = { matchExpressions: [{ key: LABEL, operator: 'DoesNotExist' }] };
  checkCases([
    {
      name: 'v1beta1 {} (no pod) ↔ v1 label Exists',
      resource: 'poddisruptionbudgets',
      from: pdb('v1beta1', {}),
      to: pdb('v1', none),
    },
    {
      name: 'v1 {} (every pod) ↔ v1beta1 label DoesNotExist',
      resource: 'poddisruptionbudgets',
      from: pdb('v1', {}),
      to: pdb('v1beta1', all),
    },
    {
      name: 'v1beta1 empty lists are an empty selector',
      resource: 'poddisruptionbudgets',
      from: pdb('v1beta1', { matchLabels: {}, matchExpressions: [] }),
      to: pdb('v1', none),
      back: pdb('v1beta1', {}),
    },
    {
      name: 'the label is stripped from any other selector',
      resource: 'poddisruptionbudgets',
      from: pdb('v1beta1', {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: LABEL, operator: 'Exists' },
          { key: 'tier', operator: 'In', values: ['front'] },
        ],
      }),
      to: pdb('v1', {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }],
      }),
      back: pdb('v1beta1', {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }],
      }),
    },
    {
      name: 'v1beta1 label Exists is stripped to {}, which v1 reads as every pod',
      resource: 'poddisruptionbudgets',
      from: pdb('v1beta1', none),
      to: pdb('v1', {}),
      back: pdb('v1beta1', all),
    },
    {
      name: 'a label selector and no selector are kept',
      resource: 'poddisruptionbudgets',
      from: pdb('v1', { matchLabels: { app: 'web' } }),
      to: pdb('v1beta1', { matchLabels: { app: 'web' } }),
    },
    {
      name: 'no selector',
      resource: 'poddisruptionbudgets',
      from: pdb('v1', undefined),
      to: pdb('v1beta1', undefined),
    },
  ]);
});

describe('convertBuiltIn: RoleBindings (rbac.authorization.k8s.io v1alpha1 ↔ v1)', () => {
  const RBAC = 'rbac.authorization.k8s.io';
  const roleRef = { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' };
  const rb = (version: string, subjects: Obj[], kind = 'RoleBinding'): Obj => ({
    apiVersion: `${RBAC}/${version}`,
    kind,
    metadata: kind === 'RoleBinding' ? meta : { name: 'it' },
    roleRef,
    subjects,
  });
  checkCases([
    {
      name: 'v1alpha1 → v1: apiVersion becomes apiGroup by kind; back, the versions v1alpha1 writes',
      resource: 'rolebindings',
      from: rb('v1alpha1', [
        { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
        { kind: 'User', apiVersion: `${RBAC}/v1alpha1`, name: 'alice' },
        { kind: 'Group', name: 'devs' },
        { kind: 'Robot', apiVersion: 'robots.example.com/v2', name: 'r2' },
        { kind: 'Robot', apiVersion: 'a/b/c', name: 'bad' },
      ]),
      to: rb('v1', [
        { kind: 'ServiceAccount', name: 'builder', namespace: 'ci' },
        { kind: 'User', name: 'alice', apiGroup: RBAC },
        { kind: 'Group', name: 'devs', apiGroup: RBAC },
        { kind: 'Robot', name: 'r2', apiGroup: 'robots.example.com' },
        { kind: 'Robot', name: 'bad' },
      ]),
      back: rb('v1alpha1', [
        { kind: 'ServiceAccount', name: 'builder', namespace: 'ci', apiVersion: 'v1' },
        { kind: 'User', name: 'alice', apiVersion: `${RBAC}/v1alpha1` },
        { kind: 'Group', name: 'devs', apiVersion: `${RBAC}/v1alpha1` },
        { kind: 'Robot', name: 'r2', apiVersion: 'robots.example.com/' },
        { kind: 'Robot', name: 'bad' },
      ]),
    },
    {
      name: 'v1alpha1 User * → v1 Group system:authenticated',
      resource: 'clusterrolebindings',
      from: rb('v1alpha1', [{ kind: 'User', name: '*' }], 'ClusterRoleBinding'),
      to: rb('v1', [{ kind: 'Group', name: 'system:authenticated', apiGroup: RBAC }], 'ClusterRoleBinding'),
      back: rb(
        'v1alpha1',
        [{ kind: 'Group', name: 'system:authenticated', apiVersion: `${RBAC}/v1alpha1` }],
        'ClusterRoleBinding',
      ),
    },
    {
      name: 'v1beta1 ↔ v1: the same fields',
      resource: 'rolebindings',
      from: rb('v1beta1', [{ kind: 'User', apiGroup: RBAC, name: 'alice' }]),
      to: rb('v1', [{ kind: 'User', apiGroup: RBAC, name: 'alice' }]),
    },
  ]);
});

describe('convertBuiltIn: storages whose versions differ only in apiVersion', () => {
  checkCases([
    {
      name: 'Role v1alpha1 ↔ v1',
      resource: 'roles',
      from: {
        apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
        kind: 'Role',
        metadata: meta,
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
      to: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: meta,
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
    },
    {
      name: 'CronJob v1 ↔ v1beta1',
      resource: 'cronjobs',
      from: {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: { schedule: '@daily', suspend: true },
      },
      to: {
        apiVersion: 'batch/v1beta1',
        kind: 'CronJob',
        metadata: meta,
        spec: { schedule: '@daily', suspend: true },
      },
    },
    {
      name: 'FlowSchema v1 ↔ v1beta3',
      resource: 'flowschemas',
      from: {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'FlowSchema',
        metadata: { name: 'it' },
        spec: { matchingPrecedence: 500, priorityLevelConfiguration: { name: 'workload-low' } },
      },
      to: {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
        kind: 'FlowSchema',
        metadata: { name: 'it' },
        spec: { matchingPrecedence: 500, priorityLevelConfiguration: { name: 'workload-low' } },
      },
    },
  ]);
});

// Through the policy engine: a policy naming one version, an object written in another, at a
// release that serves both.
describe('vap: policies see built-in objects converted to the version they name', () => {
  interface Seen {
    readonly rule: { readonly group: string; readonly version: string; readonly resource: string };
    readonly object: Obj;
    readonly messageExpression: string;
    readonly kubernetesVersion: string;
  }

  /** The message of a policy denying whatever its rule matches, with `messageExpression`. */
  function seen(c: Seen): string[] {
    const resourceRules = [
      {
        apiGroups: [c.rule.group],
        apiVersions: [c.rule.version],
        operations: ['CREATE'],
        resources: [c.rule.resource],
      },
    ];
    return runVap(
      [
        c.object,
        policy('show', {
          matchConstraints: { resourceRules },
          validations: [{ expression: 'false', messageExpression: c.messageExpression }],
        }),
        binding('show', {}),
      ],
      { kubernetesVersion: c.kubernetesVersion },
    ).map((d) => d.message);
  }

  const coreEvent = (extra: Obj): Obj => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta,
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'x' },
    reason: 'Pulled',
    reportingComponent: 'kubelet',
    ...extra,
  });

  it('an events.k8s.io/v1 policy reads note, regarding and reportingController of a core/v1 Event', () => {
    expect(
      seen({
        rule: { group: 'events.k8s.io', version: 'v1', resource: 'events' },
        object: coreEvent({ message: 'Pulled image nginx' }),
        messageExpression:
          "[object.apiVersion, object.note, object.regarding.name, object.reportingController, string(has(object.message))].join(' ')",
        kubernetesVersion: '1.35',
      }),
    ).toEqual(['events.k8s.io/v1 Pulled image nginx web kubelet false']);
  });

  it('a core/v1 policy reads message and involvedObject of an events.k8s.io/v1beta1 Event', () => {
    expect(
      seen({
        rule: { group: '', version: 'v1', resource: 'events' },
        object: {
          apiVersion: 'events.k8s.io/v1beta1',
          kind: 'Event',
          metadata: meta,
          regarding: { kind: 'Pod', name: 'web' },
          note: 'Back-off',
          deprecatedCount: 4,
        },
        messageExpression: "[object.message, object.involvedObject.name, string(object.count)].join(' ')",
        kubernetesVersion: '1.24',
      }),
    ).toEqual(['Back-off web 4']);
  });

  it('an events.k8s.io/v1 policy on notes denies only the core/v1 Event without a message', () => {
    const requireNote = [
      policy('note', {
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['events.k8s.io'],
              apiVersions: ['v1'],
              operations: ['CREATE'],
              resources: ['events'],
            },
          ],
        },
        validations: [{ expression: "has(object.note) && object.note != ''", message: 'no note' }],
      }),
      binding('note', {}),
    ];
    const run = (event: Obj) => runVap([event, ...requireNote]).map((d) => d.message);
    expect(run(coreEvent({ message: 'Pulled image nginx' }))).toEqual([]);
    expect(run(coreEvent({}))).toEqual(['no note']);
  });

  it('a networking.k8s.io/v1 policy reads the default backend of an extensions/v1beta1 Ingress', () => {
    expect(
      seen({
        rule: { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' },
        object: {
          apiVersion: 'extensions/v1beta1',
          kind: 'Ingress',
          metadata: meta,
          spec: { backend: { serviceName: 'web', servicePort: 80 } },
        },
        messageExpression:
          "[object.spec.defaultBackend.service.name, string(object.spec.defaultBackend.service.port.number), string(has(object.spec.backend))].join(' ')",
        kubernetesVersion: '1.19',
      }),
    ).toEqual(['web 80 false']);
  });

  it('a networking.k8s.io/v1beta1 policy reads serviceName and servicePort of a v1 Ingress path', () => {
    expect(
      seen({
        rule: { group: 'networking.k8s.io', version: 'v1beta1', resource: 'ingresses' },
        object: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: meta,
          spec: {
            rules: [
              {
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: { service: { name: 'web', port: { name: 'http' } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        messageExpression:
          "[object.spec.rules[0].http.paths[0].backend.serviceName, object.spec.rules[0].http.paths[0].backend.servicePort].join(' ')",
        kubernetesVersion: '1.21',
      }),
    ).toEqual(['web http']);
  });

  it('a discovery.k8s.io/v1 policy reads zone and nodeName of a v1beta1 EndpointSlice', () => {
    expect(
      seen({
        rule: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
        object: {
          apiVersion: 'discovery.k8s.io/v1beta1',
          kind: 'EndpointSlice',
          metadata: meta,
          addressType: 'IPv4',
          endpoints: [
            {
              addresses: ['10.0.0.1'],
              topology: { 'topology.kubernetes.io/zone': 'zone-a', 'kubernetes.io/hostname': 'node-1' },
            },
          ],
        },
        messageExpression:
          "[object.endpoints[0].zone, object.endpoints[0].nodeName, string(object.endpoints.exists(e, has(e.deprecatedTopology)))].join(' ')",
        kubernetesVersion: '1.21',
      }),
    ).toEqual(['zone-a node-1 false']);
  });

  it('a v1beta3 policy sees the zero-shares annotation on a v1 PriorityLevelConfiguration', () => {
    expect(
      seen({
        rule: {
          group: 'flowcontrol.apiserver.k8s.io',
          version: 'v1beta3',
          resource: 'prioritylevelconfigurations',
        },
        object: {
          apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
          kind: 'PriorityLevelConfiguration',
          metadata: { name: 'it' },
          spec: {
            type: 'Limited',
            limited: { nominalConcurrencyShares: 0, limitResponse: { type: 'Reject' } },
          },
        },
        messageExpression:
          "string(object.spec.limited.nominalConcurrencyShares) + ' ' + string('flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares' in object.metadata.annotations)",
        kubernetesVersion: '1.29',
      }),
    ).toEqual(['0 true']);
  });

  it('a v1beta2 policy reads assuredConcurrencyShares of a v1beta3 PriorityLevelConfiguration', () => {
    expect(
      seen({
        rule: {
          group: 'flowcontrol.apiserver.k8s.io',
          version: 'v1beta2',
          resource: 'prioritylevelconfigurations',
        },
        object: {
          apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
          kind: 'PriorityLevelConfiguration',
          metadata: { name: 'it' },
          spec: {
            type: 'Limited',
            limited: { nominalConcurrencyShares: 0, limitResponse: { type: 'Reject' } },
          },
        },
        messageExpression: 'string(object.spec.limited.assuredConcurrencyShares)',
        kubernetesVersion: '1.27',
      }),
    ).toEqual(['30']);
  });

  it('a policy/v1beta1 policy sees the match-all selector of a v1 PodDisruptionBudget with selector {}', () => {
    expect(
      seen({
        rule: { group: 'policy', version: 'v1beta1', resource: 'poddisruptionbudgets' },
        object: {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: meta,
          spec: { maxUnavailable: 1, selector: {} },
        },
        messageExpression:
          "object.spec.selector.matchExpressions.map(e, e.key + ' ' + e.operator).join(', ')",
        kubernetesVersion: '1.21',
      }),
    ).toEqual(['pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match DoesNotExist']);
  });

  it('a rbac v1alpha1 policy reads the apiVersion of a v1 RoleBinding subject', () => {
    expect(
      seen({
        rule: { group: 'rbac.authorization.k8s.io', version: 'v1alpha1', resource: 'rolebindings' },
        object: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: meta,
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
          subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }],
        },
        messageExpression: "object.subjects.map(s, s.kind + ' ' + s.apiVersion).join(', ')",
        kubernetesVersion: '1.20',
      }),
    ).toEqual(['Group rbac.authorization.k8s.io/v1alpha1']);
  });
});
