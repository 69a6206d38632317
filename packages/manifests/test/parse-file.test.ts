import { readFileSync } from 'node:fs';
import {
  KUBERNETES_YAML_SCHEMA,
  parseManifestFile,
  parseManifests,
  readKustomization,
} from '@shipshape/manifests';
import { loadAll } from 'js-yaml/browser';
import { describe, expect, it } from 'vitest';
import { corpusFiles } from './parser-parity.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: web
spec:
  replicas: 2
`;

interface Invalid {
  name: string;
  path?: string;
  text: string;
  want: Array<[code: string, line: number, column: number]>;
}

const invalid: Invalid[] = [
  {
    name: 'syntax error inside one document',
    text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [x\n',
    want: [['yaml/syntax', 6, 1]],
  },
  {
    name: 'duplicate key still reads the object',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
    want: [['yaml/duplicate-key', 5, 3]],
  },
  { name: 'scalar document', text: '--- just a string\n', want: [['manifest/not-an-object', 1, 5]] },
  { name: 'sequence document', text: '- op: add\n  path: /x\n', want: [['manifest/not-an-object', 1, 1]] },
  {
    name: 'missing apiVersion points at the object',
    text: '# header\nkind: Service\nmetadata:\n  name: x\n',
    want: [['manifest/missing-api-version', 2, 1]],
  },
  {
    name: 'kind of the wrong type points at the value',
    text: 'apiVersion: v1\nkind: 3\nmetadata:\n  name: x\n',
    want: [['manifest/missing-kind', 2, 1]],
  },
  {
    name: 'missing name points at metadata',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  labels: {a: b}\n',
    want: [['manifest/missing-name', 3, 1]],
  },
  {
    name: 'namespace not a string',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  namespace: [a]\n',
    want: [['manifest/invalid-namespace', 5, 3]],
  },
  {
    name: 'bad List item',
    text: 'apiVersion: v1\nkind: List\nitems:\n- 42\n- apiVersion: v1\n  kind: ConfigMap\n',
    want: [
      ['manifest/not-an-object', 4, 3],
      ['manifest/missing-name', 5, 3],
    ],
  },
  {
    name: 'List with items that are not a list',
    text: 'apiVersion: v1\nkind: List\nitems: 5\n',
    want: [['manifest/invalid-list', 3, 1]],
  },
  {
    name: 'List inside a List',
    text: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}]\n',
    want: [['manifest/invalid-list', 4, 3]],
  },
  { name: 'List without items', text: 'apiVersion: v1\nkind: ConfigMapList\nitems:\n', want: [] },
  {
    name: 'a List with a name is still a List',
    text: 'apiVersion: v1\nkind: List\nmetadata: {name: l}\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {}}\n',
    want: [['manifest/missing-name', 5, 37]],
  },
  {
    name: 'a custom kind ending in List is an object',
    text: 'apiVersion: example.com/v1\nkind: AllowList\nmetadata: {namespace: a}\n',
    want: [['manifest/missing-name', 3, 1]],
  },
  {
    name: 'unrendered template',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n',
    want: [['yaml/syntax', 4, 9]],
  },
  { name: 'unknown tag', text: 'apiVersion: v1\nkind: !Ref x\n', want: [['yaml/syntax', 2, 7]] },
  { name: 'json syntax', path: 'x.json', text: '{\n  "a": 1,\n  "b": }\n', want: [['json/syntax', 3, 8]] },
  { name: 'empty json', path: 'x.json', text: '\n', want: [['json/syntax', 1, 1]] },
  {
    name: 'json duplicate key',
    path: 'x.json',
    text: '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "a", "name": "b"},\n "data": {"k": "\\"k\\":", "k2": "v"}}\n',
    want: [['json/duplicate-key', 2, 28]],
  },
  {
    name: 'json duplicate key beside a key written with a space before its colon',
    path: 'x.json',
    text: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"mode" : "a", "mode": "b"}}\n',
    want: [['json/duplicate-key', 1, 93]],
  },
  {
    name: 'json duplicate key in a stream',
    path: 'x.json',
    text: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n{"kind": "x", "kind": "y"}\n',
    want: [
      ['json/duplicate-key', 2, 15],
      ['manifest/missing-api-version', 2, 1],
      ['manifest/missing-name', 2, 1],
    ],
  },
];

describe('parseManifestFile: invalid documents', () => {
  it.each(invalid)('$name', ({ path, text, want }) => {
    const { diagnostics } = parseManifestFile({ path: path ?? 'f.yaml', content: text });
    expect(diagnostics.map((d) => [d.code, d.span?.start.line, d.span?.start.column])).toEqual(want);
    for (const d of diagnostics) expect(d.span?.path).toBe(path ?? 'f.yaml');
  });
});

it('marks the whole duplicated key and names it', () => {
  const [d] = parseManifestFile({ path: 'd.yaml', content: 'a: 1\n"spec": 2\nspec: 3\n' }).diagnostics;
  expect([d?.span?.start.column, d?.span?.end.column, d?.message]).toEqual([
    1,
    5,
    'key `spec` appears twice in one mapping; only the last value would be kept',
  ]);
});

it('says a component configuration file is no API object, instead of asking it for a name', () => {
  const text =
    'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n---\n' +
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.33.0\n---\n' +
    'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: []\n---\n' +
    // An object of an API group that is no component's still needs its name.
    'apiVersion: example.com/v1\nkind: Widget\nspec: {}\n';
  const { resources, diagnostics } = parseManifestFile({ path: 'cluster.yaml', content: text });
  expect(resources).toEqual([]);
  expect(diagnostics.map((d) => [d.code, d.severity, d.span?.start.line])).toEqual([
    ['manifest/component-config', 'info', 1],
    ['manifest/component-config', 'info', 5],
    ['manifest/component-config', 'info', 9],
    ['manifest/missing-name', 'error', 13],
  ]);
  expect(diagnostics[0]?.message).toBe(
    'kubelet.config.k8s.io/v1beta1 KubeletConfiguration is the configuration file of a component, not an object of the Kubernetes API: it is not checked',
  );
});

it('identifies a cluster-scoped object without the namespace it was written with, and says so', () => {
  const text =
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: shop}\n---\n' +
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n';
  const { resources, diagnostics } = parseManifestFile({ path: 'r.yaml', content: text });
  expect(resources.map((r) => [r.id.kind, r.id.namespace])).toEqual([
    ['ClusterRole', ''],
    ['ConfigMap', 'shop'],
  ]);
  expect(
    diagnostics.map((d) => [d.code, d.severity, d.span?.start.line, d.span?.start.column, d.message]),
  ).toEqual([
    [
      'manifest/namespace-ignored',
      'warning',
      3,
      32,
      'ClusterRole is cluster-scoped: the API server ignores metadata.namespace; remove it',
    ],
  ]);
});

describe('parseManifestFile: valid documents', () => {
  it('reads every document with its identity, index and span', () => {
    const text = `# leading comment\n---\n${deployment}---\n# only a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n`;
    const { resources, diagnostics } = parseManifestFile({
      path: 'apps/web.yaml',
      content: text,
      ref: 'main',
    });
    expect(diagnostics).toEqual([]);
    expect(
      resources.map((r) => [r.id.group, r.id.kind, r.id.namespace, r.id.name, r.source.document]),
    ).toEqual([
      ['apps', 'Deployment', 'web', 'api', 0],
      ['', 'Namespace', '', 'web', 2],
    ]);
    expect(resources[0]?.source.span.start).toEqual({ offset: 22, line: 3, column: 1 });
    expect(resources[1]?.source.span.start.line).toBe(13);
    expect(resources[1]?.source.ref).toBe('main');
  });

  it('expands List kinds and keeps item indexes', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n';
    const { resources } = parseManifestFile({ path: 'l.yaml', content: text });
    expect(resources.map((r) => [r.id.name, r.source.item, r.source.span.start.line])).toEqual([
      ['a', 0, 4],
      ['b', 1, 7],
    ]);
  });

  it('reads JSON manifests and JSON streams', () => {
    const one = parseManifestFile({
      path: 'a.json',
      content: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}',
    });
    expect(one.resources.map((r) => r.id.name)).toEqual(['x']);
    const stream = parseManifestFile({
      path: 'b.json',
      content:
        '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}\n{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"y"}}\n',
    });
    expect(stream.resources.map((r) => [r.id.name, r.source.document, r.source.span.start.line])).toEqual([
      ['x', 0, 1],
      ['y', 1, 2],
    ]);
  });

  it('resolves scalars as Kubernetes does (YAML 1.1 booleans and octals, string timestamps, merge keys)', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nbase: &b {x: 1}\ndata:\n  a: on\n  b: 0777\n  c: 2024-01-01\n  d:\n    <<: *b\n    z: 2\n';
    const [r] = parseManifestFile({ path: 'c.yaml', content: text }).resources;
    expect(r?.object['data']).toEqual({ a: true, b: 511, c: '2024-01-01', d: { x: 1, z: 2 } });
  });

  it('accepts generateName instead of name', () => {
    const text = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n';
    const { resources, diagnostics } = parseManifestFile({ path: 'j.yaml', content: text });
    expect(diagnostics).toEqual([]);
    expect(resources[0]?.id.name).toBe('');
  });

  it('skips empty and comment-only files and documents', () => {
    for (const text of ['', '# nothing\n', '---\n---\n', '...\n']) {
      const out = parseManifestFile({ path: 'e.yaml', content: text });
      expect([out.resources.length, out.diagnostics.length]).toEqual([0, 0]);
    }
  });

  it('handles CRLF line endings', () => {
    const text = 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  labels: {}\r\n';
    const { diagnostics } = parseManifestFile({ path: 'w.yaml', content: text });
    expect(diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([['manifest/missing-name', 3]]);
  });
});

describe('parseManifestFile: the documents js-yaml loads', () => {
  it("gives every resource of the corpus the object loadAll reads (it calls loadAll's two halves)", () => {
    let compared = 0;
    const different: string[] = [];
    for (const file of corpusFiles(/\.ya?ml$/)) {
      const text = readFileSync(file, 'utf8');
      let documents: unknown[];
      try {
        documents = loadAll(text, { schema: KUBERNETES_YAML_SCHEMA, maxDepth: 256 });
      } catch {
        continue; // parsed document by document, a path this test does not cover
      }
      for (const r of parseManifestFile({ path: file, content: text }).resources) {
        if (r.source.item !== undefined) continue;
        compared++;
        const want = documents[r.source.document];
        if (JSON.stringify(r.object) !== JSON.stringify(want) && different.length < 5) {
          different.push(`${file} #${r.source.document}`);
        }
      }
    }
    expect(different).toEqual([]);
    expect(compared).toBeGreaterThan(9_000);
  });

  it.each([
    [
      'a duplicate key',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
      'yaml/duplicate-key',
    ],
    [
      'a broken mapping',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   bad: [1\n',
      'yaml/syntax',
    ],
    ['an open quote', 'apiVersion: v1\nkind: ConfigMap\ndata: "open\n', 'yaml/syntax'],
  ])('reports %s where loadAll throws it', (_, text, code) => {
    let mark: { position: number; line: number; column: number } | undefined;
    try {
      loadAll(text, { schema: KUBERNETES_YAML_SCHEMA });
    } catch (error) {
      mark = (error as { mark?: typeof mark }).mark;
    }
    const { diagnostics } = parseManifestFile({ path: 'broken.yaml', content: text });
    expect(mark).toBeDefined();
    expect(diagnostics.map((d) => [d.code, d.span?.start])).toEqual([
      [code, { offset: mark?.position, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 }],
    ]);
  });
});

describe('parseManifests', () => {
  it('names both places of a resource defined twice in one folder lineage', () => {
    const set = parseManifests([
      { path: 'apps/a.yaml', content: deployment },
      { path: 'apps/web/b.yaml', content: `# x\n${deployment}` },
      { path: 'clusters/prod/c.yaml', content: deployment },
      { path: 'clusters/staging/c.yaml', content: deployment },
    ]);
    const dupes = set.diagnostics.filter((d) => d.code === 'manifest/duplicate-resource');
    expect(dupes.map((d) => [d.span?.path, d.span?.start.line, d.message])).toEqual([
      ['apps/web/b.yaml', 2, 'apps/Deployment/web/api is defined twice: first at apps/a.yaml:1:1'],
    ]);
  });

  it('locates JSON Pointers lazily, falling back to the parent for missing fields', () => {
    const set = parseManifests([{ path: 'd.yaml', content: deployment }]);
    const r = set.resources[0]!;
    expect(set.locator.locate(r.source, '/spec/replicas')?.start).toMatchObject({ line: 7, column: 13 });
    expect(set.locator.locate(r.source, '/spec/replicas', { key: true })?.start).toMatchObject({
      line: 7,
      column: 3,
    });
    expect(set.locator.locate(r.source, '/spec/template/spec')?.start).toMatchObject({ line: 6, column: 1 });
    expect(set.locator.locate(r.source, '/metadata/name')?.end).toMatchObject({ line: 4, column: 12 });
    expect(set.text('d.yaml')).toBe(deployment);
    expect(set.locator.locate({ ...r.source, path: 'nope.yaml' }, '/spec')).toBeUndefined();
  });

  it('locates pointers inside List items and JSON files', () => {
    const set = parseManifests([
      {
        path: 'l.json',
        content:
          '{"apiVersion": "v1", "kind": "List", "items": [\n  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}}\n]}',
      },
    ]);
    const r = set.resources[0]!;
    expect(set.locator.locate(r.source, '/metadata/name')?.start).toMatchObject({ line: 2, column: 66 });
  });
});

describe('readKustomization', () => {
  it('names the build inputs a kustomization uses, relative to the repository', () => {
    const text = [
      'resources: [deployment.yaml, ../base]',
      'patches:',
      '  - path: patches/replicas.yaml',
      '  - patch: |-',
      '      - op: add',
      'patchesStrategicMerge: [smp.yaml]',
      'patchesJson6902:',
      '  - path: ../shared/json6902.yaml',
      'configurations: [kustomizeconfig.yaml]',
      'openapi: {path: schema.json}',
      'transformers: [labels.yaml, ../transformers]',
      'replacements: [{path: ../../../outside.yaml}]',
    ].join('\n');
    expect(readKustomization({ path: 'overlays/prod/kustomization.yaml', content: text })).toEqual({
      sideFiles: [
        'overlays/prod/smp.yaml',
        'overlays/prod/patches/replicas.yaml',
        'overlays/shared/json6902.yaml',
        'overlays/prod/kustomizeconfig.yaml',
        'overlays/prod/labels.yaml',
        'overlays/prod/schema.json',
      ],
      diagnostics: [],
      transforms: [
        'patches',
        'patchesStrategicMerge',
        'patchesJson6902',
        'configurations',
        'openapi',
        'transformers',
        'replacements',
        'resources ../base',
      ],
    });
  });

  it('names what would make a build differ from the files as written, and nothing for a plain list', () => {
    const plain =
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml, sub]\n';
    expect(readKustomization({ path: 'app/kustomization.yaml', content: plain }).transforms).toEqual([]);
    const remote =
      'namePrefix: prod-\nresources: [github.com/acme/base//deploy?ref=v1, https://example.com/x.yaml]\n';
    expect(readKustomization({ path: 'kustomization.yaml', content: remote }).transforms).toEqual([
      'namePrefix',
      'resources github.com/acme/base//deploy?ref=v1, https://example.com/x.yaml',
    ]);
    // A local folder with dots in its name is the kustomization's own.
    const dotted = 'resources: [monitoring.coreos.com/cm.yaml, v1.2/app]\n';
    expect(readKustomization({ path: 'kustomization.yaml', content: dotted }).transforms).toEqual([]);
  });

  it('names generator files, kustomize crds and Helm values files as build inputs too', () => {
    const text = [
      'crds: [crds/widget-openapi.json]',
      'configMapGenerator:',
      '  - name: app',
      '    files: [settings.json, azure=assets/azure.json, app.properties]',
      '    envs: [env.yaml]',
      'secretGenerator:',
      '  - name: creds',
      '    env: creds.yaml',
      'helmCharts:',
      '  - name: redis',
      '    valuesFile: values-prod.yaml',
      '    additionalValuesFiles: [../values-common.yaml]',
    ].join('\n');
    expect(readKustomization({ path: 'app/kustomization.yaml', content: text }).sideFiles).toEqual([
      'app/crds/widget-openapi.json',
      'app/settings.json',
      'app/assets/azure.json',
      'app/env.yaml',
      'app/creds.yaml',
      'app/values-prod.yaml',
      'values-common.yaml',
    ]);
  });

  it('reports a kustomization that cannot be read instead of dropping it', () => {
    const broken = readKustomization({
      path: 'k/kustomization.yaml',
      content: 'resources:\n  - a.yaml\n bad: [\n',
    });
    expect(broken.diagnostics.map((d) => [d.code, d.span?.path, d.span?.start.line])).toEqual([
      ['yaml/syntax', 'k/kustomization.yaml', 3],
    ]);
    const list = readKustomization({ path: 'kustomization.yaml', content: '- a.yaml\n' });
    expect(list.diagnostics.map((d) => d.code)).toEqual(['manifest/not-an-object']);
    expect(readKustomization({ path: 'kustomization.yaml', content: '# empty\n' })).toEqual({
      sideFiles: [],
      diagnostics: [],
      transforms: [],
    });
  });
});
