import { type DiffResourceOptions, diffResource, diffResources } from '@shipshape/diff';
import { diffHints, loadKubernetesSchemas } from '@shipshape/schema';
import { beforeAll, describe, expect, it } from 'vitest';

type Json = Record<string, unknown>;
let hints: DiffResourceOptions['hints'];
beforeAll(async () => {
  const bundle = await loadKubernetesSchemas('1.35');
  hints = (apiVersion, kind) => diffHints(bundle, `${apiVersion}/${kind}`);
});

const clone = <T>(v: T): T => structuredClone(v);

function deployment(): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80 }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 1 } },
            },
            { name: 'log', image: 'busybox:1.36' },
          ],
        },
      },
    },
  };
}

/** What the API server returns for `deployment()`: server fields, defaults, status. */
function liveDeployment(): Json {
  const live = deployment();
  const metadata = live['metadata'] as Json;
  Object.assign(metadata, {
    uid: 'd7c1',
    resourceVersion: '991',
    generation: 4,
    creationTimestamp: '2026-01-01T00:00:00Z',
    annotations: { 'deployment.kubernetes.io/revision': '4' },
    managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: {} }],
  });
  const spec = live['spec'] as Json;
  Object.assign(spec, {
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  });
  const pod = (spec['template'] as Json)['spec'] as Json;
  Object.assign(pod, {
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
  });
  for (const c of pod['containers'] as Json[])
    Object.assign(c, { imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' });
  (((pod['containers'] as Json[])[0] as Json)['ports'] as Json[])[0]!['protocol'] = 'TCP';
  (spec['template'] as Json)['metadata'] = { creationTimestamp: null, labels: { app: 'web' } };
  live['status'] = { replicas: 2, readyReplicas: 2, observedGeneration: 4 };
  return live;
}

const pod = (o: Json): Json => ((o['spec'] as Json)['template'] as Json)['spec'] as Json;
const containers = (o: Json): Json[] => pod(o)['containers'] as Json[];

interface Case {
  name: string;
  desired?: (d: Json) => void;
  live?: (l: Json) => void;
  want: 'unchanged' | { path: string; op: 'add' | 'remove' | 'replace' }[];
}

const cases: Case[] = [
  { name: 'server-populated fields, defaults and status are not drift', want: 'unchanged' },
  {
    name: 'equivalent quantities are equal',
    desired: (d) => {
      (containers(d)[0] as Json)['resources'] = {
        requests: { cpu: '0.5', memory: '1024Mi' },
        limits: { cpu: '1000m' },
      };
    },
    want: 'unchanged',
  },
  {
    name: 'keyed lists compare by key, not position (containers, env)',
    desired: (d) => {
      containers(d).reverse();
      ((containers(d)[1] as Json)['env'] as Json[]).reverse();
    },
    want: 'unchanged',
  },
  {
    name: 'empty maps and nulls equal absent fields',
    desired: (d) => {
      (d['metadata'] as Json)['annotations'] = {};
      pod(d)['tolerations'] = null;
      pod(d)['volumes'] = [];
    },
    want: 'unchanged',
  },
  {
    name: 'a container injected by a webhook is not drift',
    live: (l) => {
      containers(l).push({ name: 'istio-proxy', image: 'istio/proxyv2:1.22' });
    },
    want: 'unchanged',
  },
  {
    name: 'a changed image is a replace at the desired pointer',
    desired: (d) => {
      (containers(d)[0] as Json)['image'] = 'nginx:1.28';
    },
    want: [{ path: '/spec/template/spec/containers/0/image', op: 'replace' }],
  },
  {
    name: 'a changed quantity is drift',
    desired: (d) => {
      ((containers(d)[0] as Json)['resources'] as Json)['limits'] = { cpu: '2' };
    },
    want: [{ path: '/spec/template/spec/containers/0/resources/limits/cpu', op: 'replace' }],
  },
  {
    name: 'a new env entry is an add',
    desired: (d) => {
      ((containers(d)[0] as Json)['env'] as Json[]).push({ name: 'C', value: '3' });
    },
    want: [{ path: '/spec/template/spec/containers/0/env/2', op: 'add' }],
  },
  {
    name: 'a field removed from Git without last-applied or managed fields is not drift',
    desired: (d) => {
      delete (d['metadata'] as Json)['labels'];
    },
    want: 'unchanged',
  },
  {
    name: 'a field removed from Git that last-applied had is drift',
    desired: (d) => {
      delete (d['metadata'] as Json)['labels'];
    },
    live: (l) => {
      ((l['metadata'] as Json)['annotations'] as Json)['kubectl.kubernetes.io/last-applied-configuration'] =
        JSON.stringify(deployment());
    },
    want: [{ path: '/metadata/labels', op: 'remove' }],
  },
  {
    name: 'an env entry removed from Git that last-applied had is drift, found by key',
    desired: (d) => {
      ((containers(d)[0] as Json)['env'] as Json[]).shift();
    },
    live: (l) => {
      ((l['metadata'] as Json)['annotations'] as Json)['kubectl.kubernetes.io/last-applied-configuration'] =
        JSON.stringify(deployment());
      containers(l).reverse();
    },
    want: [{ path: '/spec/template/spec/containers/1/env/0', op: 'remove' }],
  },
];

describe('diffResource', () => {
  for (const c of cases) {
    it(c.name, () => {
      const desired = deployment();
      const live = liveDeployment();
      c.desired?.(desired);
      c.live?.(live);
      const before = JSON.stringify([desired, live]);
      const result = diffResource(desired, live, { hints });
      expect(JSON.stringify([desired, live]), 'inputs are not mutated').toBe(before);
      if (c.want === 'unchanged') {
        expect(result.changes).toEqual([]);
        expect(result.action).toBe('unchanged');
        expect(result.text).toBe('');
      } else {
        expect(result.action).toBe('update');
        expect(result.changes.map(({ path, op }) => ({ path, op }))).toEqual(c.want);
        expect(result.text).toMatch(
          /^--- live\/apps\/Deployment\/shop\/web\n\+\+\+ desired\/apps\/Deployment\/shop\/web\n@@/,
        );
      }
    });
  }

  it('int-or-string: "80" equals 80 where the schema says int-or-string, not elsewhere', () => {
    const svc = (targetPort: unknown, port: unknown): Json => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ports: [{ port, targetPort }] },
    });
    expect(diffResource(svc('80', 80), svc(80, 80), { hints }).action).toBe('unchanged');
    expect(diffResource(svc(80, '80'), svc(80, 80), { hints }).action).toBe('update');
  });

  it("a field our manager owned in managedFields and Git dropped is drift; another manager's is not", () => {
    const live = liveDeployment();
    (live['metadata'] as Json)['managedFields'] = [
      {
        manager: 'shipshape',
        operation: 'Apply',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } },
      },
      {
        manager: 'kubectl-edit',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:paused': {} } },
      },
    ];
    (live['spec'] as Json)['paused'] = false;
    const desired = deployment();
    delete (desired['spec'] as Json)['replicas'];
    delete (desired['metadata'] as Json)['labels'];
    const result = diffResource(desired, live, { hints, fieldManagers: ['shipshape'] });
    // replicas reverts to the server default (1); the label goes; paused stays (not ours).
    expect(result.changes.map(({ path, op, to }) => ({ path, op, to }))).toEqual([
      { path: '/metadata/labels', op: 'remove', to: undefined },
      { path: '/spec/replicas', op: 'replace', to: 1 },
    ]);
    expect(diffResource(desired, live, { hints }).action).toBe('unchanged');
  });
});

describe('diffResources', () => {
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 5,
    },
  };

  it('pairs by group, kind, namespace and name (not version), and reports create and delete', () => {
    const live = liveDeployment();
    const liveHpa = {
      ...clone(hpa),
      spec: { ...hpa.spec, maxReplicas: 3 },
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'shop' } },
    };
    const oldConfig = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'old', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'shop' } },
    };
    const foreign = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: 'shop' },
    };
    const newSvc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }] },
    };
    const result = diffResources([deployment(), hpa, newSvc], [live, liveHpa, oldConfig, foreign], {
      hints,
      defaultNamespace: 'shop',
    });
    expect(result.resources.map((r) => [r.key.kind, r.key.name, r.action])).toEqual([
      ['ConfigMap', 'old', 'delete'],
      ['Service', 'web', 'create'],
      ['Deployment', 'web', 'unchanged'],
      ['HorizontalPodAutoscaler', 'web', 'update'],
    ]);
    expect(result.summary).toEqual({ create: 1, update: 1, delete: 1, unchanged: 1 });
    // Written without a namespace, the Service is created in the default namespace given.
    expect(result.resources[1]?.key).toEqual({ group: '', kind: 'Service', namespace: 'shop', name: 'web' });
    expect(result.resources[1]?.resource.namespace).toBe('shop');
    expect(result.resources[1]?.text).toMatch(
      /^--- live\/Service\/shop\/web\n\+\+\+ desired\/Service\/shop\/web\n/,
    );
  });

  it('leaves out an object without a name, and says so; null is an absent side', () => {
    const nameless = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} };
    const result = diffResources([nameless], [{ apiVersion: 'v1', kind: 'Secret' }], { hints });
    expect([result.resources, result.diagnostics.map((d) => [d.code, d.message])]).toEqual([
      [],
      [
        [
          'diff/unnamed-resource',
          'a live object has no metadata.name (Secret): it cannot be paired with another, and is left out',
        ],
        [
          'diff/unnamed-resource',
          'a desired object has no metadata.name (ConfigMap): it cannot be paired with another, and is left out',
        ],
      ],
    ]);
    expect(diffResource(hpa, null).action).toBe('create');
  });

  it('never counts the version as drift: live read in another version of the group compares as desired', () => {
    const liveHpa = { ...clone(hpa), apiVersion: 'autoscaling/v1' };
    const same = diffResources([hpa], [liveHpa], { hints }).resources[0];
    expect([same?.action, same?.changes]).toEqual(['unchanged', []]);
    const changed = { ...clone(hpa), apiVersion: 'autoscaling/v1', spec: { ...hpa.spec, maxReplicas: 3 } };
    expect(diffResources([hpa], [changed], { hints }).resources[0]?.changes).toEqual([
      { path: '/spec/maxReplicas', op: 'replace', from: 3, to: 5 },
    ]);
  });

  it('pairs a cluster-scoped object written with a namespace by its name alone, as the API server does', () => {
    const role = (metadata: Json) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata,
      rules: [],
    });
    for (const options of [{ hints }, {}]) {
      const result = diffResources(
        [role({ name: 'r', namespace: 'shop' })],
        [role({ name: 'r', uid: 'u' })],
        options,
      );
      expect(result.resources.map((r) => [r.key, r.action])).toEqual([
        [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'r' }, 'unchanged'],
      ]);
    }
  });

  it('ignores spec.replicas of a workload an HPA in the repository scales (and only then)', () => {
    const live = liveDeployment();
    (live['spec'] as Json)['replicas'] = 4;
    expect(diffResources([deployment(), hpa], [live], { hints }).resources[0]?.action).toBe('unchanged');
    expect(diffResources([deployment()], [live], { hints }).resources[0]?.changes).toEqual([
      { path: '/spec/replicas', op: 'replace', from: 4, to: 2 },
    ]);
    expect(
      diffResources([deployment(), hpa], [live], { hints, hpaReplicas: false }).resources[0]?.action,
    ).toBe('update');
  });

  it('ignore rules: JSON Pointers, path expressions and managers, per selector', () => {
    const live = liveDeployment();
    (containers(live)[0] as Json)['image'] = 'nginx:1.26';
    (live['spec'] as Json)['replicas'] = 7;
    (live['metadata'] as Json)['managedFields'] = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
    ];
    const run = (
      ignore: Parameters<typeof diffResources>[2] extends infer O
        ? O extends { ignore?: infer I }
          ? I
          : never
        : never,
    ) => diffResources([deployment()], [live], { hints, ignore }).resources[0]?.changes.map((c) => c.path);
    expect(run([])).toEqual(['/spec/replicas', '/spec/template/spec/containers/0/image']);
    expect(run([{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }])).toEqual([
      '/spec/template/spec/containers/0/image',
    ]);
    expect(run([{ kind: 'Deploy*', managers: ['kube-controller-manager'] }])).toEqual([
      '/spec/template/spec/containers/0/image',
    ]);
    expect(run([{ paths: ['.spec.template.spec.containers[] | select(.name == "web") | .image'] }])).toEqual([
      '/spec/replicas',
    ]);
    expect(run([{ kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }])).toEqual([
      '/spec/replicas',
      '/spec/template/spec/containers/0/image',
    ]);
  });

  it('reports a path expression that does not parse, and goes on', () => {
    const result = diffResources([deployment()], [liveDeployment()], {
      hints,
      ignore: [{ paths: ['.spec[', '.x'] }],
    });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['diff/invalid-ignore-path']);
    expect(result.resources[0]?.action).toBe('unchanged');
  });

  it('reports duplicate resources once and diffs the first', () => {
    const result = diffResources([deployment(), deployment()], [liveDeployment()], { hints });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['diff/duplicate-resource']);
    expect(result.resources).toHaveLength(1);
  });
});

describe('hostile keys', () => {
  it('treats __proto__ and constructor as ordinary keys, in every step', () => {
    const desired = JSON.parse(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"n","labels":{"__proto__":"a"}},"data":{"__proto__":"x","constructor":"y"}}',
    ) as Json;
    const live = JSON.parse(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"n","labels":{"__proto__":"a"},"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"data\\":{\\"__proto__\\":\\"x\\",\\"old\\":\\"1\\"}}"}},"data":{"__proto__":"z","old":"1"}}',
    ) as Json;
    const result = diffResource(desired, live, { hints });
    expect(result.changes).toEqual([
      { path: '/data/__proto__', op: 'replace', from: 'z', to: 'x' },
      { path: '/data/constructor', op: 'add', to: 'y' },
      { path: '/data/old', op: 'remove', from: '1' },
    ]);
    expect(Object.getPrototypeOf(result.predictedLive?.['data'])).toBe(Object.prototype);
    expect(({} as Json)['x']).toBeUndefined();
    expect(result.text).toContain('__proto__');
  });
});
