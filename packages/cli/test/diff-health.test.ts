import * as fs from 'node:fs';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { commitAll, initRepo, run, tempTree, writeFiles } from './helpers.js';

const deployment = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
          resources:
            requests: { cpu: 500m, memory: 1Gi }
`;

const secret = (value: string) => `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: shop
stringData:
  password: ${value}
`;

/** What kubectl get -o yaml prints for the desired state above: a List, server fields, defaults, status. */
const liveList = (image: string, password: string, extra = '') => `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
      uid: 1b2c
      resourceVersion: "77"
      generation: 3
      creationTimestamp: "2026-01-01T00:00:00Z"
      labels: { app.kubernetes.io/instance: shop }
    spec:
      replicas: 2
      revisionHistoryLimit: 10
      selector:
        matchLabels: { app: web }
      strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 25%, maxUnavailable: 25% } }
      template:
        metadata:
          creationTimestamp: null
          labels: { app: web }
        spec:
          dnsPolicy: ClusterFirst
          containers:
            - name: web
              image: ${image}
              imagePullPolicy: IfNotPresent
              resources:
                requests: { cpu: "0.5", memory: 1024Mi }
    status:
      observedGeneration: 3
      replicas: 2
      updatedReplicas: 2
      readyReplicas: 2
      availableReplicas: 2
  - apiVersion: v1
    kind: Secret
    metadata:
      name: creds
      namespace: shop
      labels: { app.kubernetes.io/instance: shop }
    type: Opaque
    data:
      password: ${Buffer.from(password).toString('base64')}
${extra}`;

const oldConfigMap = `  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: old
      namespace: shop
      labels: { app.kubernetes.io/instance: shop }
    data: { a: "1" }
`;

describe('shipshape diff --live', () => {
  it('no drift when live only differs by server fields, defaults and equivalent quantities', async () => {
    const dir = tempTree({
      'repo/deploy.yaml': deployment('nginx:1.27'),
      'repo/secret.yaml': secret('hunter2-same'),
      'live.yaml': liveList('nginx:1.27', 'hunter2-same'),
    });
    const out = await run(['diff', 'repo', '--live', 'live.yaml', '--exit-code', '--format', 'json'], {
      cwd: dir,
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as {
      version: number;
      resources: { action: string }[];
      summary: object;
    };
    expect(json.version).toBe(1);
    expect(json.resources.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    expect(json.summary).toEqual({ create: 0, update: 0, delete: 0, unchanged: 2 });
  });

  it('reports update, create and delete, with --exit-code 1, and never prints a Secret value', async () => {
    const dir = tempTree({
      'repo/deploy.yaml': deployment('nginx:1.28'),
      'repo/secret.yaml': secret('new-pass-9f3k'),
      'repo/svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports: [{ port: 80 }]\n',
      'live/all.yaml': liveList('nginx:1.27', 'old-pass-2b7q', oldConfigMap),
    });
    const json = await run(['diff', 'repo', '--live', 'live', '--exit-code', '--format', 'json'], {
      cwd: dir,
    });
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      resources: {
        resource: { kind: string; name: string };
        action: string;
        changes: { path: string; op: string; from?: unknown; to?: unknown }[];
        text: string;
      }[];
    };
    expect(parsed.resources.map((r) => [r.resource.kind, r.resource.name, r.action])).toEqual([
      ['ConfigMap', 'old', 'delete'],
      ['Secret', 'creds', 'update'],
      ['Service', 'web', 'create'],
      ['Deployment', 'web', 'update'],
    ]);
    const deploy = parsed.resources[3];
    expect(deploy?.changes).toEqual([
      { path: '/spec/template/spec/containers/0/image', op: 'replace', from: 'nginx:1.27', to: 'nginx:1.28' },
    ]);
    expect(deploy?.text).toContain('-        - image: nginx:1.27\n+        - image: nginx:1.28');
    const masked = parsed.resources[1]?.changes[0];
    expect(masked).toEqual({ path: '/data/password', op: 'replace', from: '++++++++++++', to: '++++++++' });
    const text = await run(['diff', 'repo', '--live', 'live'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('~ update apps/Deployment/shop/web');
    expect(text.stdout).toContain('1 to create, 2 to update, 1 to delete, 0 unchanged');
    for (const out of [json.stdout, text.stdout]) {
      for (const value of ['new-pass-9f3k', 'old-pass-2b7q']) {
        expect(out).not.toContain(value);
        expect(out).not.toContain(Buffer.from(value).toString('base64'));
      }
    }
  });

  it('applies ignore rules from the config', async () => {
    const dir = tempTree({
      'repo/deploy.yaml': deployment('nginx:1.28'),
      'repo/secret.yaml': secret('x'),
      'repo/shipshape.yaml': `diff:\n  ignore:\n    - kind: Deployment\n      paths: ['.spec.template.spec.containers[] | select(.name == "web") | .image']\n      reason: images are rolled by Flagger\n`,
      'live.yaml': liveList('nginx:1.27', 'x'),
    });
    const out = await run(['diff', 'repo', '--live', 'live.yaml', '--exit-code'], { cwd: dir });
    expect(out.stdout).toContain('0 to create, 0 to update, 0 to delete, 2 unchanged');
    expect(out.code).toBe(0);
  });

  it('names the config file and field of a broken ignore rule, and exits 2', async () => {
    const dir = tempTree({
      'repo/deploy.yaml': deployment('nginx:1.28'),
      'repo/shipshape.yaml': 'diff:\n  ignore:\n    - jsonPointers: [bad]\n      reason: x\n',
      'live.yaml': liveList('nginx:1.27', 'x'),
    });
    const out = await run(['diff', 'repo', '--live', 'live.yaml'], { cwd: dir });
    expect([out.code, out.stderr]).toEqual([
      2,
      'error diff/invalid-ignore-path: repo/shipshape.yaml: diff.ignore[0]: "bad" is not a JSON Pointer (it must start with "/")\n',
    ]);
  });

  it('names the file, line and column of a live document it cannot read, exits 2 and still diffs the rest', async () => {
    const dir = tempTree({
      'repo/deploy.yaml': deployment('nginx:1.27'),
      'live/ok.yaml': liveList('nginx:1.27', 'x'),
      'live/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n',
    });
    const out = await run(['diff', 'repo', '--live', 'live', '--format', 'json'], { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^live\/bad\.yaml:\d+:\d+: error yaml\/syntax: /m);
    expect(JSON.parse(out.stdout).summary.unchanged).toBe(1);
  });

  it('prints a problem both sides share once', async () => {
    const dir = tempTree({
      'repo/deploy.yaml': deployment('nginx:1.27'),
      'repo/bad.yaml': 'kind: [unclosed\n',
    });
    const out = await run(['diff', 'repo', '--live', 'repo'], { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.stderr.match(/repo\/bad\.yaml:\d+:\d+: error yaml\/syntax/g)).toHaveLength(1);
  });

  it.each([
    [['diff', 'repo'], /needs either --live/],
    [['diff', 'repo', '--live', 'a', '--base', 'main'], /not both/],
    [['diff', 'repo', '--live', 'live.yaml', '--format', 'sarif'], /text or json/],
    [['diff', 'repo', '--live', 'live.yaml', '--kubernetes-version', 'banana'], /not a Kubernetes version/],
  ])('%j is a usage error', async (args, message) => {
    const dir = tempTree({
      'repo/deploy.yaml': deployment('nginx:1.27'),
      'live.yaml': liveList('nginx:1.27', 'x'),
    });
    const out = await run(args, { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
  });
});

describe('shipshape diff: custom resources', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: routes.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Route, plural: routes }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                backends:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [port]
                  items: { type: object, properties: { port: { type: integer }, weight: { type: integer } } }
`;
  const route = (backends: string) => `apiVersion: example.com/v1
kind: Route
metadata: { name: r, namespace: shop }
spec:
  backends: ${backends}
`;
  const live = (backends: string) => `apiVersion: example.com/v1
kind: Route
metadata: { name: r, namespace: shop, uid: x1 }
spec:
  backends: ${backends}
`;

  it('keys lists by the CRD in the repository: reordered entries are not drift, a changed one is found by key', async () => {
    const dir = tempTree({
      'repo/crd.yaml': crd,
      'repo/route.yaml': route('[{ port: 80, weight: 1 }, { port: 81, weight: 2 }]'),
      'same.yaml': live('[{ port: 81, weight: 2 }, { port: 80, weight: 1 }]'),
      'changed.yaml': live('[{ port: 81, weight: 3 }, { port: 80, weight: 1 }]'),
    });
    const same = await run(['diff', 'repo', '--live', 'same.yaml', '--format', 'json'], { cwd: dir });
    const routeOf = (out: string) =>
      (
        JSON.parse(out) as {
          resources: { resource: { kind: string }; action: string; changes: { path: string }[] }[];
        }
      ).resources.find((r) => r.resource.kind === 'Route');
    expect(routeOf(same.stdout)?.action).toBe('unchanged');
    const changed = await run(['diff', 'repo', '--live', 'changed.yaml', '--format', 'json'], { cwd: dir });
    // Pointers index predicted live, which keeps live's order: port 81 is entry 0 there.
    expect(routeOf(changed.stdout)?.changes).toEqual([
      { path: '/spec/backends/0/weight', op: 'replace', from: 3, to: 2 },
    ]);
    // Without the CRD the entries (no name field) compare by position.
    const bare = tempTree({
      'repo/route.yaml': route('[{ port: 80, weight: 1 }, { port: 81, weight: 2 }]'),
      'same.yaml': live('[{ port: 81, weight: 2 }, { port: 80, weight: 1 }]'),
    });
    const positional = await run(['diff', 'repo', '--live', 'same.yaml', '--format', 'json'], { cwd: bare });
    expect(routeOf(positional.stdout)?.action).toBe('update');
  });
});

describe('shipshape diff --base --ref', () => {
  it('shows what a change between two refs does', async () => {
    const dir = await initRepo({
      'apps/deploy.yaml': deployment('nginx:1.27'),
      'apps/old.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n  namespace: shop\n',
    });
    await commitAll(dir, 'base');
    writeFiles(dir, { 'apps/deploy.yaml': deployment('nginx:1.28', 3) });
    const { rmSync } = await import('node:fs');
    rmSync(`${dir}/apps/old.yaml`);
    await commitAll(dir, 'change');
    const { default: git } = await import('isomorphic-git');
    const fs = await import('node:fs');
    const head = await git.resolveRef({ fs, dir, ref: 'HEAD' });
    const base = (await git.log({ fs, dir, depth: 2 }))[1]?.oid as string;
    const out = await run(
      ['diff', 'apps', '--base', base, '--ref', head, '--format', 'json', '--exit-code'],
      { cwd: dir },
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(1);
    const json = JSON.parse(out.stdout) as { resources: { action: string; changes: { path: string }[] }[] };
    expect(json.resources.map((r) => r.action)).toEqual(['delete', 'update']);
    expect(json.resources[1]?.changes.map((c) => c.path)).toEqual([
      '/spec/replicas',
      '/spec/template/spec/containers/0/image',
    ]);
  });

  it('between two refs, a folder one side lacks is all creates (or deletes); lacking on both, an error', async () => {
    const dir = await initRepo({
      'apps/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n',
    });
    await commitAll(dir, 'base');
    await git.tag({ fs, dir, ref: 'v1' });
    writeFiles(dir, {
      'new/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\n',
    });
    await commitAll(dir, 'add a folder');
    await git.tag({ fs, dir, ref: 'v2' });
    const added = await run(['diff', 'new', '--base', 'v1', '--ref', 'v2', '--format', 'json'], { cwd: dir });
    expect([added.code, JSON.parse(added.stdout).summary]).toEqual([
      0,
      { create: 1, update: 0, delete: 0, unchanged: 0 },
    ]);
    const removed = await run(['diff', 'new', '--base', 'v2', '--ref', 'v1', '--format', 'json'], {
      cwd: dir,
    });
    expect(JSON.parse(removed.stdout).summary).toEqual({ create: 0, update: 0, delete: 1, unchanged: 0 });
    const neither = await run(['diff', 'nothere', '--base', 'v1', '--ref', 'v2'], { cwd: dir });
    expect([neither.code, neither.stderr]).toEqual([
      2,
      'shipshape: nothere exists neither at v1 nor at v2\n',
    ]);
    // A folder deleted in the working folder: its resources are deletes against the base.
    fs.rmSync(`${dir}/new`, { recursive: true });
    const deleted = await run(['diff', 'new', '--base', 'v2', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(deleted.stdout).summary).toEqual({ create: 0, update: 0, delete: 1, unchanged: 0 });
  });
});

describe('shipshape health', () => {
  it('assesses every live object and prints the JSON contract', async () => {
    const dir = tempTree({
      'live.yaml': `${liveList('nginx:1.27', 'x')}  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: { name: data, namespace: shop }
    status: { phase: Pending }
`,
    });
    const out = await run(['health', 'live.yaml', '--format', 'json'], { cwd: dir });
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json).toEqual({
      version: 1,
      resources: [
        {
          resource: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'shop', name: 'data' },
          status: 'Progressing',
          ...(json.resources[0].message ? { message: json.resources[0].message } : {}),
        },
        { resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'creds' }, status: null },
        {
          resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
          status: 'Healthy',
          ...(json.resources[2].message ? { message: json.resources[2].message } : {}),
        },
      ],
    });
    const text = await run(['health', 'live.yaml'], { cwd: dir });
    expect(text.stdout).toMatch(/^Healthy\s+apps\/Deployment\/shop\/web/m);
  });

  it('--exit-code fails on a Degraded resource', async () => {
    const dir = tempTree({
      'pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: shop }\nspec:\n  restartPolicy: Never\n  containers: [{ name: main, image: x }]\nstatus:\n  phase: Failed\n  message: boom\n',
    });
    expect((await run(['health', 'pod.yaml'], { cwd: dir })).code).toBe(0);
    const out = await run(['health', 'pod.yaml', '--exit-code'], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('Degraded');
  });
});

describe('Secret values never reach any output of shipshape diff', () => {
  it('for generated values, in text and JSON, whatever changed', async () => {
    const { default: fc } = await import('fast-check');
    const value = fc.stringMatching(/^[A-Za-z0-9]{6,12}$/).map((s) => `Zq9${s}`);
    await fc.assert(
      fc.asyncProperty(value, value, value, fc.boolean(), async (desired, live, applied, plain) => {
        const lastApplied = JSON.stringify({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'creds', namespace: 'shop' },
          data: { password: btoa(applied) },
        });
        const dir = tempTree({
          'repo/secret.yaml': plain
            ? secret(desired)
            : secret(desired).replace(
                `stringData:\n  password: ${desired}`,
                `data:\n  password: ${btoa(desired)}`,
              ),
          'live.yaml': `${liveList('nginx:1.27', live)}`.replace(
            'labels: { app.kubernetes.io/instance: shop }\n    type: Opaque',
            `labels: { app.kubernetes.io/instance: shop }\n      annotations:\n        kubectl.kubernetes.io/last-applied-configuration: '${lastApplied}'\n    type: Opaque`,
          ),
        });
        for (const format of ['text', 'json']) {
          const out = await run(['diff', 'repo', '--live', 'live.yaml', '--format', format], { cwd: dir });
          expect(out.code).toBe(0);
          if (format === 'json') {
            const secretDiff = (
              JSON.parse(out.stdout) as {
                resources: { resource: { kind: string }; action: string; text: string }[];
              }
            ).resources.find((r) => r.resource.kind === 'Secret');
            expect(secretDiff?.action).toBe(desired === live ? 'unchanged' : 'update');
          }
          for (const v of [desired, live, applied]) {
            for (const shown of [v, btoa(v)]) {
              expect(out.stdout).not.toContain(shown);
              expect(out.stderr).not.toContain(shown);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('the bundled example (README)', () => {
  const root = new URL('../../../', import.meta.url).pathname;

  it('diff finds the image behind Git and the ConfigMap Git dropped, and nothing else', async () => {
    const out = await run(
      [
        'diff',
        'examples/gitops-repo/apps/web',
        '--live',
        'examples/live/web.yaml',
        '--exit-code',
        '--format',
        'json',
      ],
      { cwd: root },
    );
    expect(out.code).toBe(1);
    const json = JSON.parse(out.stdout) as {
      resources: { resource: { kind: string; name: string }; action: string; changes: unknown[] }[];
      summary: object;
    };
    expect(json.summary).toEqual({ create: 0, update: 1, delete: 1, unchanged: 5 });
    expect(json.resources.filter((r) => r.action !== 'unchanged')).toMatchObject([
      { resource: { kind: 'ConfigMap', name: 'web-legacy-flags' }, action: 'delete' },
      {
        resource: { kind: 'Deployment', name: 'web' },
        action: 'update',
        changes: [
          {
            path: '/spec/template/spec/containers/0/image',
            op: 'replace',
            from: 'ghcr.io/example/storefront-web:2.14.0',
            to: 'ghcr.io/example/storefront-web:2.14.1',
          },
        ],
      },
    ]);
  });

  it('health --desired: what Git has and the cluster lacks is Missing, and --exit-code fails on it', async () => {
    const out = await run(
      [
        'health',
        'examples/live/web.yaml',
        '--desired',
        'examples/gitops-repo/apps',
        '--format',
        'json',
        '--exit-code',
      ],
      { cwd: root },
    );
    expect(out.code).toBe(1);
    const json = JSON.parse(out.stdout) as {
      resources: {
        resource: { kind: string; namespace: string; name: string };
        status: string | null;
        message?: string;
      }[];
    };
    expect(
      json.resources
        .filter((r) => r.status === 'Missing')
        .map((r) => `${r.resource.kind}/${r.resource.namespace}/${r.resource.name}`),
    ).toEqual([
      'ConfigMap/payments/payments-config',
      'Service/payments/payments',
      'Deployment/payments/payments',
    ]);
    expect(
      json.resources.find((r) => r.resource.name === 'web' && r.resource.kind === 'Deployment')?.status,
    ).toBe('Healthy');
    const without = await run(['health', 'examples/live/web.yaml', '--exit-code'], { cwd: root });
    expect(without.code).toBe(0);
  });

  it('health: the Ingress without an address is Progressing, the rest Healthy or without a rule', async () => {
    const out = await run(['health', 'examples/live/web.yaml', '--format', 'json'], { cwd: root });
    const json = JSON.parse(out.stdout) as {
      resources: { resource: { kind: string }; status: string | null }[];
    };
    expect(
      Object.fromEntries(
        json.resources.filter((r) => r.status !== null).map((r) => [r.resource.kind, r.status]),
      ),
    ).toEqual({
      Service: 'Healthy',
      Deployment: 'Healthy',
      Ingress: 'Progressing',
    });
  });
});
