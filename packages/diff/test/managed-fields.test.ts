import { readFileSync } from 'node:fs';
import { valueAtPointer } from '@shipshape/core';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  type FieldPath,
  fieldPathsOf,
  formatFieldPath,
  type ManagedFieldsProblemCode,
  type ManagerSelector,
  type OwnedFieldsOptions,
  ownedFields,
  resolveFieldPath,
} from '../src/managed-fields.js';
import { jsonFrom } from './arbitrary-json.js';

type Json = Record<string, unknown>;

function fixture(file: string): Json {
  const url = new URL(`../../../../shared/conformance/gitops-engine/diff/${file}`, import.meta.url);
  return load(readFileSync(url, 'utf8')) as Json;
}

const managedFieldsOf = (object: Json): unknown => (object['metadata'] as Json)['managedFields'];

const containers = '/spec/template/spec/containers';
const serviceArgo = [
  '/metadata/annotations/argocd.argoproj.io~1sync-options',
  '/metadata/labels/app.kubernetes.io~1instance',
  // k:{"port":1986,"protocol":"UDP"} is the first port of the live list, 1935/TCP the second.
  '/spec/ports/0',
  '/spec/ports/0/name',
  '/spec/ports/0/port',
  '/spec/ports/0/protocol',
  '/spec/ports/0/targetPort',
  '/spec/ports/1',
  '/spec/ports/1/name',
  '/spec/ports/1/port',
  '/spec/ports/1/targetPort',
  '/spec/ports/2',
  '/spec/ports/2/name',
  '/spec/ports/2/port',
  '/spec/ports/2/targetPort',
];
const portFields = (base: string) => [base, `${base}/containerPort`, `${base}/name`, `${base}/protocol`];

const cases: {
  name: string;
  file: string;
  managers: ManagerSelector;
  options?: OwnedFieldsOptions;
  pointers: string[];
  leaves?: string[];
  unresolved?: string[];
}[] = [
  {
    name: 'service ports keyed by port and protocol',
    file: 'smd-service-live.yaml',
    managers: ['argocd-controller'],
    pointers: serviceArgo,
    leaves: serviceArgo.filter((p) => !/\/ports\/\d$/.test(p)),
    unresolved: [],
  },
  {
    name: 'fields a manager claims that live lacks are unresolved',
    file: 'smd-service-live.yaml',
    managers: ['kubectl-client-side-apply'],
    pointers: [
      '/metadata/annotations',
      '/metadata/annotations/argocd.argoproj.io~1sync-options',
      '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration',
      '/spec/sessionAffinity',
      '/spec/type',
    ],
    unresolved: ['.spec.internalTrafficPolicy'],
  },
  {
    name: 'a predicate sees the entry',
    file: 'smd-service-live.yaml',
    managers: (_manager, entry) => entry.operation === 'Update',
    pointers: [
      '/metadata/annotations',
      '/metadata/annotations/argocd.argoproj.io~1sync-options',
      '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration',
      '/spec/sessionAffinity',
      '/spec/type',
    ],
  },
  {
    name: 'two managers together',
    file: 'smd-service-live.yaml',
    managers: ['argocd-controller', 'kubectl-client-side-apply'],
    pointers: [
      '/metadata/annotations',
      ...serviceArgo.slice(0, 1),
      '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration',
      ...serviceArgo.slice(1),
      '/spec/sessionAffinity',
      '/spec/type',
    ],
  },
  {
    name: 'composite keys nested in a keyed list',
    file: 'ssd-deploy-composite-key-live.yaml',
    managers: ['argocd-controller'],
    pointers: [
      ...portFields(`${containers}/0/ports/0`),
      ...portFields(`${containers}/0/ports/1`),
      ...portFields(`${containers}/1/ports/0`),
    ],
  },
  {
    name: 'env and ports keyed inside a container',
    file: 'ssd-deploy-nested-predicted-live.json',
    managers: ['argocd-controller'],
    pointers: [
      '/metadata/labels/app',
      '/metadata/labels/applications.argoproj.io~1app-name',
      '/spec/replicas',
      '/spec/selector',
      '/spec/template/metadata/labels/app',
      `${containers}/0`,
      `${containers}/0/env`,
      `${containers}/0/env/0`,
      `${containers}/0/env/0/name`,
      `${containers}/0/env/0/value`,
      `${containers}/0/env/1`,
      `${containers}/0/env/1/name`,
      `${containers}/0/env/1/value`,
      `${containers}/0/image`,
      `${containers}/0/name`,
      `${containers}/0/ports`,
      ...portFields(`${containers}/0/ports/0`),
      ...portFields(`${containers}/0/ports/1`),
    ],
  },
  {
    name: 'subresource entries are left out by default',
    file: 'smd-deploy-live.yaml',
    managers: ['kube-controller-manager'],
    pointers: [],
  },
  {
    name: 'subresource entries on request',
    file: 'smd-deploy-live.yaml',
    managers: ['kube-controller-manager'],
    options: { subresources: ['status'] },
    pointers: [
      '/metadata/annotations',
      '/metadata/annotations/deployment.kubernetes.io~1revision',
      '/status/availableReplicas',
      '/status/conditions',
      ...['0', '1'].flatMap((i) =>
        ['', '/lastTransitionTime', '/lastUpdateTime', '/message', '/reason', '/status', '/type'].map(
          (f) => `/status/conditions/${i}${f}`,
        ),
      ),
      '/status/observedGeneration',
      '/status/readyReplicas',
      '/status/replicas',
      '/status/updatedReplicas',
    ],
  },
  {
    name: 'other subresources only',
    file: 'smd-deploy-live.yaml',
    managers: ['kube-controller-manager'],
    options: { subresources: ['scale'] },
    pointers: [],
  },
  {
    name: "live's fields resolved against desired: ports lack the defaulted protocol",
    file: 'ssd-deploy-composite-key-config.yaml',
    managers: ['argocd-controller'],
    options: { managedFields: managedFieldsOf(fixture('ssd-deploy-composite-key-live.yaml')) },
    pointers: [],
    unresolved: ['443', '80', '9090'].flatMap((port) => {
      const name = port === '9090' ? 'sidecar' : 'nginx';
      const base = `.spec.template.spec.containers[name="${name}"].ports[containerPort=${port},protocol="TCP"]`;
      return [base, `${base}.containerPort`, `${base}.name`, `${base}.protocol`];
    }),
  },
  {
    name: "live's fields resolved against desired with the API server's key defaults",
    file: 'ssd-deploy-composite-key-config.yaml',
    managers: ['argocd-controller'],
    options: {
      managedFields: managedFieldsOf(fixture('ssd-deploy-composite-key-live.yaml')),
      keyDefaults: { protocol: 'TCP' },
    },
    pointers: [
      ...portFields(`${containers}/0/ports/0`).slice(0, 3),
      ...portFields(`${containers}/0/ports/1`).slice(0, 3),
      ...portFields(`${containers}/1/ports/0`).slice(0, 3),
    ],
    unresolved: [
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=443,protocol="TCP"].protocol',
      '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].protocol',
      '.spec.template.spec.containers[name="sidecar"].ports[containerPort=9090,protocol="TCP"].protocol',
    ],
  },
];

describe('ownedFields', () => {
  it.each(cases)('$name', ({ file, managers, options, pointers, leaves, unresolved }) => {
    const object = fixture(file);
    const before = structuredClone(object);
    const owned = ownedFields(object, managers, options);
    expect(owned.pointers()).toEqual(pointers);
    if (leaves !== undefined) expect(owned.leaves()).toEqual(leaves);
    if (unresolved !== undefined) expect(owned.unresolved().map(formatFieldPath)).toEqual(unresolved);
    expect(owned.problems).toEqual([]);
    for (const pointer of owned.pointers()) expect(valueAtPointer(object, pointer)).not.toBe(undefined);
    expect(object).toEqual(before);
  });

  it('finds a label that Git dropped', () => {
    const live = fixture('smd-deploy-live.yaml');
    const desired = fixture('smd-deploy-config.yaml');
    delete (desired['metadata'] as { labels: Json }).labels['something-else'];
    const owned = ownedFields(desired, ['argocd-controller'], {
      managedFields: managedFieldsOf(live),
      keyDefaults: { protocol: 'TCP' },
    });
    expect(owned.unresolved()).toEqual([
      [{ field: 'metadata' }, { field: 'labels' }, { field: 'something-else' }],
    ]);
  });

  const deployment = ownedFields(fixture('smd-deploy-live.yaml'), ['argocd-controller']);
  const coverage: { pointer: string; has: boolean; covers: boolean }[] = [
    { pointer: '/spec/replicas', has: true, covers: true },
    // f:selector is `{}`: owned whole, so everything below it is covered.
    { pointer: '/spec/selector', has: true, covers: true },
    { pointer: '/spec/selector/matchLabels/app', has: false, covers: true },
    { pointer: `${containers}/0/livenessProbe/exec/command/1`, has: false, covers: true },
    // The container is owned with `.`: its presence, not its other fields.
    { pointer: `${containers}/0`, has: true, covers: true },
    { pointer: `${containers}/0/resources`, has: false, covers: false },
    { pointer: `${containers}/0/livenessProbe`, has: false, covers: false },
    { pointer: `${containers}/0/livenessProbe/failureThreshold`, has: false, covers: false },
    { pointer: '/spec', has: false, covers: false },
    { pointer: '', has: false, covers: false },
    { pointer: '/status/replicas', has: false, covers: false },
    { pointer: '/spec/replicasX', has: false, covers: false },
  ];
  it.each(coverage)('$pointer: has $has, covers $covers', ({ pointer, has, covers }) => {
    expect(deployment.has(pointer)).toBe(has);
    expect(deployment.covers(pointer)).toBe(covers);
  });

  it('treats __proto__ and constructor as ordinary keys', () => {
    const object = JSON.parse(
      '{"metadata":{"labels":{"__proto__":"x"},"managedFields":[{"manager":"m","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:__proto__":{},"f:constructor":{}}}}}]}}',
    ) as Json;
    const owned = ownedFields(object, ['m']);
    expect(owned.pointers()).toEqual(['/metadata/labels/__proto__']);
    expect(owned.unresolved().map(formatFieldPath)).toEqual(['.metadata.labels.constructor']);
  });

  it('takes the first of duplicate keyed items, and sets by value', () => {
    const object = {
      metadata: {
        finalizers: ['a', 'b'],
        managedFields: [
          {
            manager: 'm',
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:metadata': { 'f:finalizers': { '.': {}, 'v:"b"': {}, 'v:"c"': {} } },
              'f:spec': {
                'f:env': { 'k:{"name":"A"}': { 'f:value': {} } },
                'f:args': { 'i:1': {}, 'i:5': {} },
              },
            },
          },
        ],
      },
      spec: {
        env: [
          { name: 'A', value: '1' },
          { name: 'A', value: '2' },
        ],
        args: ['x', 'y'],
      },
    };
    const owned = ownedFields(object, ['m']);
    expect(owned.pointers()).toEqual([
      '/metadata/finalizers',
      '/metadata/finalizers/1',
      '/spec/args/1',
      '/spec/env/0/value',
    ]);
    expect(owned.unresolved().map(formatFieldPath)).toEqual(['.metadata.finalizers[="c"]', '.spec.args[5]']);
  });

  it('orders list positions by number', () => {
    const args = Array.from({ length: 12 }, (_, i) => `a${i}`);
    const fieldsV1 = { 'f:args': Object.fromEntries(args.map((_, i) => [`i:${i}`, {}])) };
    const owned = ownedFields({ args }, ['m'], {
      managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1 }],
    });
    expect(owned.pointers()).toEqual(args.map((_, i) => `/args/${i}`));
  });
});

const good = { manager: 'good', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } };
const entry = (fieldsV1: unknown, extra: Json = {}) => ({
  manager: 'bad',
  fieldsType: 'FieldsV1',
  fieldsV1,
  ...extra,
});
const malformed: {
  name: string;
  managedFields: unknown;
  problems: { code: ManagedFieldsProblemCode; index: number | null }[];
}[] = [
  { name: 'not a list', managedFields: { manager: 'good' }, problems: [{ code: 'not-a-list', index: null }] },
  {
    name: 'an entry that is not an object',
    managedFields: ['x', good],
    problems: [{ code: 'bad-entry', index: 0 }],
  },
  {
    name: 'a manager that is not a string',
    managedFields: [good, { ...good, manager: 7 }],
    problems: [{ code: 'bad-entry', index: 1 }],
  },
  {
    name: 'an unknown fieldsType',
    managedFields: [entry({}, { fieldsType: 'FieldsV2' }), good],
    problems: [{ code: 'bad-fields-type', index: 0 }],
  },
  {
    name: 'fieldsV1 that is not an object',
    managedFields: [good, entry('f:spec')],
    problems: [{ code: 'bad-fields', index: 1 }],
  },
  {
    name: 'a node that is not an object',
    managedFields: [good, entry({ 'f:spec': { 'f:replicas': 1 } })],
    problems: [{ code: 'bad-fields', index: 1 }],
  },
  {
    name: 'bad JSON in a k: key',
    managedFields: [good, entry({ 'f:spec': { 'f:ports': { 'k:{"port":80': {} } } })],
    problems: [{ code: 'bad-key', index: 1 }],
  },
  {
    name: 'a k: key that is not an object',
    managedFields: [good, entry({ 'f:spec': { 'f:ports': { 'k:[80]': {} } } })],
    problems: [{ code: 'bad-key', index: 1 }],
  },
  {
    name: 'bad JSON in a v: key',
    managedFields: [good, entry({ 'f:a': { 'v:nope': {} } })],
    problems: [{ code: 'bad-key', index: 1 }],
  },
  {
    name: 'a bad i: position',
    managedFields: [good, entry({ 'f:a': { 'i:-1': {} } })],
    problems: [{ code: 'bad-key', index: 1 }],
  },
  {
    name: 'an unknown prefix',
    managedFields: [good, entry({ 'x:spec': {} })],
    problems: [{ code: 'bad-key', index: 1 }],
  },
  {
    name: 'nesting past the limit',
    managedFields: [good, entry(Array.from({ length: 150 }).reduce<Json>((inner) => ({ 'f:a': inner }), {}))],
    problems: [{ code: 'too-deep', index: 1 }],
  },
  {
    name: 'several at once',
    managedFields: [7, good, entry({ 'k:': {} }), null],
    problems: [
      { code: 'bad-entry', index: 0 },
      { code: 'bad-entry', index: 3 },
      { code: 'bad-key', index: 2 },
    ],
  },
];

describe('malformed managed fields', () => {
  const object = { spec: { replicas: 1 } };
  it.each(malformed)('$name', ({ managedFields, problems }) => {
    const owned = ownedFields(object, () => true, { managedFields });
    expect(owned.problems.map(({ code, index }) => ({ code, index }))).toEqual(problems);
    for (const problem of owned.problems) expect(problem.message).not.toBe('');
    const valid = Array.isArray(managedFields) && managedFields.includes(good);
    expect(owned.pointers()).toEqual(valid ? ['/spec/replicas'] : []);
  });

  it('does not parse the entries of managers it was not asked about', () => {
    const owned = ownedFields(object, ['good'], { managedFields: [good, entry({ 'k:{': {} })] });
    expect(owned.problems).toEqual([]);
    expect(owned.pointers()).toEqual(['/spec/replicas']);
  });

  it('reads nothing from objects without metadata', () => {
    for (const value of [
      null,
      undefined,
      'x',
      [],
      {},
      { metadata: null },
      { metadata: { managedFields: null } },
    ]) {
      const owned = ownedFields(value, () => true);
      expect([owned.pointers(), owned.unresolved(), owned.problems]).toEqual([[], [], []]);
    }
  });
});

describe('fieldPathsOf', () => {
  const fieldsV1 = {
    'f:metadata': { 'f:finalizers': { '.': {}, 'v:"x"': {} } },
    'f:spec': {
      'f:ports': { 'k:{"protocol":"TCP","port":80}': { '.': {}, 'f:name': {} } },
      'f:args': { 'i:0': {} },
    },
  };
  const ports: FieldPath = [{ field: 'spec' }, { field: 'ports' }, { key: { protocol: 'TCP', port: 80 } }];

  it('lists every owned path as steps', () => {
    expect(fieldPathsOf(fieldsV1)).toEqual([
      [{ field: 'metadata' }, { field: 'finalizers' }],
      [{ field: 'metadata' }, { field: 'finalizers' }, { value: 'x' }],
      [{ field: 'spec' }, { field: 'args' }, { index: 0 }],
      ports,
      [...ports, { field: 'name' }],
    ]);
  });

  it('lists the leaves only on request', () => {
    expect(fieldPathsOf(fieldsV1, { leavesOnly: true }).map(formatFieldPath)).toEqual([
      '.metadata.finalizers[="x"]',
      '.spec.args[0]',
      '.spec.ports[port=80,protocol="TCP"].name',
    ]);
  });

  it('gives nothing for malformed FieldsV1', () => {
    expect(fieldPathsOf({ 'k:{': {} })).toEqual([]);
    expect(fieldPathsOf('f:spec')).toEqual([]);
    expect(fieldPathsOf(null)).toEqual([]);
  });
});

describe('resolveFieldPath', () => {
  const service = {
    metadata: { finalizers: ['a', 'b'], labels: { 'a/b': 'x' } },
    spec: { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }, { port: 80 }] },
  };
  const ports: FieldStep[] = [{ field: 'spec' }, { field: 'ports' }];
  type FieldStep = FieldPath[number];
  const table: { name: string; path: FieldPath; want: string | undefined; keyDefaults?: Json }[] = [
    {
      name: 'composite key',
      path: [...ports, { key: { protocol: 'TCP', port: 53 } }],
      want: '/spec/ports/1',
    },
    { name: 'key field missing', path: [...ports, { key: { port: 80, protocol: 'TCP' } }], want: undefined },
    {
      name: 'key field defaulted',
      path: [...ports, { key: { port: 80, protocol: 'TCP' } }, { field: 'port' }],
      want: '/spec/ports/2/port',
      keyDefaults: { protocol: 'TCP' },
    },
    { name: 'key types differ', path: [...ports, { key: { port: '53', protocol: 'UDP' } }], want: undefined },
    {
      name: 'set value',
      path: [{ field: 'metadata' }, { field: 'finalizers' }, { value: 'b' }],
      want: '/metadata/finalizers/1',
    },
    { name: 'position', path: [...ports, { index: 2 }, { field: 'port' }], want: '/spec/ports/2/port' },
    { name: 'position past the end', path: [...ports, { index: 3 }], want: undefined },
    {
      name: 'escaped key',
      path: [{ field: 'metadata' }, { field: 'labels' }, { field: 'a/b' }],
      want: '/metadata/labels/a~1b',
    },
    { name: 'field of a list', path: [...ports, { field: 'port' }], want: undefined },
    { name: 'key into a map', path: [{ field: 'spec' }, { key: { port: 53 } }], want: undefined },
    {
      name: 'inherited property',
      path: [{ field: 'metadata' }, { field: 'hasOwnProperty' }],
      want: undefined,
    },
    { name: 'the root', path: [], want: '' },
  ];
  it.each(table)('$name', ({ path, want, keyDefaults }) => {
    expect(resolveFieldPath(service, path, keyDefaults === undefined ? {} : { keyDefaults })).toBe(want);
  });
});

// Laws over random objects built from a few keys.
const keys = ['a', 'b', 'name', '__proto__'] as const;
const json = jsonFrom(keys, [null, true, 0, 'a', 'b']);

/** FieldsV1 owning every leaf of `value` (scalars and empty containers) by f: and i: steps. */
function ownEverything(value: unknown): Json {
  const out: Json = {};
  const children: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`i:${i}`, item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  for (const [key, child] of children) {
    Object.defineProperty(out, key.startsWith('i:') ? key : `f:${key}`, {
      value: ownEverything(child),
      enumerable: true,
    });
  }
  return out;
}

function leafPointers(value: unknown, prefix = ''): string[] {
  const children: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [String(i), item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  if (children.length === 0) return prefix === '' ? [] : [prefix];
  return children.flatMap(([key, child]) =>
    leafPointers(child, `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
  );
}

describe('properties', () => {
  it('owning every leaf by f: and i: yields every leaf pointer', () => {
    fc.assert(
      fc.property(json, (object) => {
        const managedFields = [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1: ownEverything(object) }];
        const owned = ownedFields(object, ['m'], { managedFields });
        expect(new Set(owned.leaves())).toEqual(new Set(leafPointers(object)));
        expect(owned.unresolved()).toEqual([]);
      }),
    );
  });

  it('resolving against another object yields only pointers that exist there', () => {
    fc.assert(
      fc.property(json, json, (source, target) => {
        const fieldsV1 = ownEverything(source);
        const owned = ownedFields(target, ['m'], {
          managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1 }],
        });
        for (const pointer of owned.pointers()) expect(valueAtPointer(target, pointer)).not.toBe(undefined);
        const paths = fieldPathsOf(fieldsV1);
        expect(owned.pointers().length + owned.unresolved().length).toBe(paths.length);
        for (const path of owned.unresolved()) expect(resolveFieldPath(target, path)).toBe(undefined);
      }),
    );
  });
});
