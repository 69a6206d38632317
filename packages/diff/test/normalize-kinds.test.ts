import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeKind, normalizeSecret } from '../src/normalize-kinds.js';

type Obj = Record<string, unknown>;

const fixture = (name: string): Obj =>
  JSON.parse(
    readFileSync(
      new URL(`../../../../shared/conformance/gitops-engine/diff/${name}`, import.meta.url),
      'utf8',
    ),
  ) as Obj;

/** Freeze deeply, so that any mutation of an input throws. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

/** What the diff engine strips besides the kind rules: server metadata and the last-applied annotation. */
function withoutServerFields(object: Obj): Obj {
  const server = ['creationTimestamp', 'resourceVersion', 'selfLink', 'uid', 'managedFields', 'annotations'];
  const metadata = Object.fromEntries(
    Object.entries(object['metadata'] as Obj).filter(([key]) => !server.includes(key)),
  );
  const annotations = Object.entries(((object['metadata'] as Obj)['annotations'] ?? {}) as Obj).filter(
    ([key]) => key !== 'kubectl.kubernetes.io/last-applied-configuration',
  );
  if (annotations.length > 0) metadata['annotations'] = Object.fromEntries(annotations);
  return { ...object, metadata };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const secret = (fields: Obj): Obj =>
  frozen({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...fields });

describe('Secret', () => {
  it.each<[string, Obj, Obj | undefined]>([
    ['stringData is base64-encoded into data', { stringData: { a: 'hello' } }, { a: b64('hello') }],
    [
      'stringData wins over data',
      { data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new' } },
      { a: b64('new'), b: b64('keep') },
    ],
    ['UTF-8 is encoded byte-wise', { stringData: { a: 'héllo 🔑', b: '' } }, { a: b64('héllo 🔑'), b: '' }],
    ['a lone surrogate becomes U+FFFD', { stringData: { a: 'x\ud800y' } }, { a: b64('x\ufffdy') }],
    [
      'null and empty data values become ""',
      { data: { a: null, b: '', c: b64('c') } },
      { a: '', b: '', c: b64('c') },
    ],
    ['line breaks in base64 are dropped', { data: { a: 'aGVs\nbG8=\r\n' } }, { a: b64('hello') }],
    ['loose trailing bits are re-encoded', { data: { a: 'QR==' } }, { a: 'QQ==' }],
    ['non-string stringData values are copied as is', { stringData: { n: 5 } }, { n: 5 }],
    [
      'an invalid value leaves data as merged',
      { data: { a: null, b: 'not base64!' }, stringData: { c: 'c' } },
      { a: null, b: 'not base64!', c: b64('c') },
    ],
    [
      'unpadded base64 is invalid (Go requires padding)',
      { data: { a: 'aGk', b: null } },
      { a: 'aGk', b: null },
    ],
    ['empty data is removed', { data: {} }, undefined],
    ['empty stringData leaves no data', { stringData: {} }, undefined],
    ['null stringData is removed', { stringData: null, data: { a: '' } }, { a: '' }],
  ])('%s', (_name, fields, want) => {
    const input = secret(fields);
    const out = normalizeKind(input);
    expect(out['data']).toEqual(want);
    expect(out).not.toHaveProperty('stringData');
    expect(out['metadata']).toEqual({ name: 's' });
    expect(Object.hasOwn(out, 'data')).toBe(want !== undefined);
  });

  it('keeps a key named __proto__ as data', () => {
    const input = frozen({
      apiVersion: 'v1',
      kind: 'Secret',
      stringData: JSON.parse('{"__proto__":"x"}') as Obj,
    });
    const data = normalizeSecret(input)['data'] as Obj;
    expect(Object.hasOwn(data, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });

  it.each<[string, Obj]>([
    ['stringData is not a map', secret({ stringData: 'x', data: { a: 'eA==' } })],
    ['data is not a map', secret({ data: ['x'] })],
    ['a ConfigMap', frozen({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: null } })],
    [
      'a Secret of another group',
      frozen({ apiVersion: 'example.com/v1', kind: 'Secret', stringData: { a: 'x' } }),
    ],
  ])('leaves alone: %s', (_name, input) => {
    expect(normalizeKind(input)).toBe(input);
  });

  it('keeps the position of data among the fields', () => {
    const out = normalizeSecret(secret({ data: { a: 'eA==' }, type: 'Opaque' }));
    expect(Object.keys(out)).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'type']);
  });

  it('stringData round-trips through base64 for any text (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string({ unit: 'binary' })), (stringData) => {
        const data = normalizeSecret(secret({ stringData }))['data'] as Obj | undefined;
        for (const [key, value] of Object.entries(stringData)) {
          expect(Buffer.from(String(data?.[key]), 'base64').toString('utf8')).toBe(
            Buffer.from(value, 'utf8').toString('utf8'),
          );
          expect(data?.[key]).toBe(b64(value));
        }
      }),
    );
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(null))),
        fc.dictionary(fc.string(), fc.string()),
        (data, stringData) => {
          const once = normalizeSecret(secret({ data, stringData }));
          expect(normalizeSecret(once)).toEqual(once);
        },
      ),
    );
  });
});

describe('Role and ClusterRole', () => {
  it('clusterrole-null-rules: rules [] and null agree (fixture)', () => {
    const config = normalizeKind(frozen(fixture('grafana-clusterrole-config.json')));
    const live = normalizeKind(frozen(fixture('grafana-clusterrole-live.json')));
    expect(config).not.toHaveProperty('rules');
    expect(live).not.toHaveProperty('rules');
    expect(withoutServerFields(live)).toEqual(withoutServerFields(config));
  });

  const role = (fields: Obj, kind = 'ClusterRole', apiVersion = 'rbac.authorization.k8s.io/v1'): Obj =>
    frozen({ apiVersion, kind, metadata: { name: 'r' }, ...fields });
  const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }];
  const aggregationRule = { clusterRoleSelectors: [{ matchLabels: { agg: 'true' } }] };

  it.each<[string, Obj, boolean, boolean]>([
    ['empty rules are removed', role({ rules: [] }), false, false],
    ['null rules are removed', role({ rules: null }), false, false],
    ['empty rules of a Role are removed', role({ rules: [] }, 'Role'), false, false],
    ['rules are kept', role({ rules }), false, true],
    ['aggregated rules are kept by default', role({ rules, aggregationRule }), false, true],
    ['aggregated rules are dropped on request', role({ rules, aggregationRule }), true, false],
    [
      'aggregated Role rules are dropped on request',
      role({ rules, aggregationRule }, 'Role', 'rbac.authorization.k8s.io/v1beta1'),
      true,
      false,
    ],
    ['a null aggregationRule does not aggregate', role({ rules, aggregationRule: null }), true, true],
    ['another group is left alone', role({ rules: [] }, 'ClusterRole', 'example.com/v1'), false, true],
  ])('%s', (_name, input, ignoreAggregatedRoles, keeps) => {
    const out = normalizeKind(input, { ignoreAggregatedRoles });
    expect(Object.hasOwn(out, 'rules')).toBe(keeps);
    if (keeps) expect(out).toBe(input);
    else expect(out).toEqual(Object.fromEntries(Object.entries(input).filter(([k]) => k !== 'rules')));
  });
});

describe('Endpoints', () => {
  const reversed = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reversed).reverse();
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reversed(v)]));
    }
    return value;
  };

  it('endpoints-unsorted: config and live agree (fixture)', () => {
    const config = normalizeKind(frozen(fixture('endpoints-config.json')));
    const live = normalizeKind(frozen(fixture('endpoints-live.json')));
    expect(live['subsets']).toEqual(config['subsets']);
    expect(withoutServerFields(live)).toEqual(withoutServerFields(config));
  });

  it('endpoints-unsorted: any order of the live arrays gives the same result (fixture)', () => {
    const live = fixture('endpoints-live.json');
    expect(normalizeKind(frozen(reversed(live) as Obj))['subsets']).toEqual(
      normalizeKind(frozen(live))['subsets'],
    );
  });

  const endpoints = (subsets: unknown): Obj =>
    frozen({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets });

  it('defaults a missing, empty or null port protocol to TCP and keeps others', () => {
    const out = normalizeKind(
      endpoints([
        {
          ports: [
            { port: 1 },
            { port: 2, protocol: '' },
            { port: 3, protocol: null },
            { port: 4, protocol: 'UDP' },
          ],
        },
      ]),
    );
    const ports = (out['subsets'] as { ports: Obj[] }[])[0]?.ports;
    expect(ports?.map((p) => [p['port'], p['protocol']])).toEqual([
      [1, 'TCP'],
      [2, 'TCP'],
      [3, 'TCP'],
      [4, 'UDP'],
    ]);
  });

  it('orders addresses by IP, then target UID with none first', () => {
    const out = normalizeKind(
      endpoints([
        {
          addresses: [
            { ip: '10.0.0.2' },
            { ip: '10.0.0.1', targetRef: { uid: 'b' } },
            { ip: '10.0.0.1', targetRef: { uid: 'a' } },
            { ip: '10.0.0.1' },
          ],
        },
      ]),
    );
    const addresses = (out['subsets'] as { addresses: Obj[] }[])[0]?.addresses;
    expect(addresses).toEqual([
      { ip: '10.0.0.1' },
      { ip: '10.0.0.1', targetRef: { uid: 'a' } },
      { ip: '10.0.0.1', targetRef: { uid: 'b' } },
      { ip: '10.0.0.2' },
    ]);
  });

  it('orders ports by name, then number, then protocol', () => {
    const out = normalizeKind(
      endpoints([
        {
          ports: [
            { name: 'b', port: 1 },
            { name: 'a', port: 9, protocol: 'UDP' },
            { name: 'a', port: 9 },
            { name: 'a', port: 10 },
          ],
        },
      ]),
    );
    const ports = (out['subsets'] as { ports: Obj[] }[])[0]?.ports;
    expect(ports).toEqual([
      { name: 'a', port: 9, protocol: 'TCP' },
      { name: 'a', port: 9, protocol: 'UDP' },
      { name: 'a', port: 10, protocol: 'TCP' },
      { name: 'b', port: 1, protocol: 'TCP' },
    ]);
  });

  it('orders subsets by their content, addresses first', () => {
    const one = { addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 2, protocol: 'TCP' }] };
    const two = { addresses: [{ ip: '10.0.0.2' }], ports: [{ port: 1, protocol: 'TCP' }] };
    expect(normalizeKind(endpoints([two, one]))['subsets']).toEqual([one, two]);
    expect(normalizeKind(endpoints([one, two]))['subsets']).toEqual([one, two]);
  });

  it('leaves Endpoints without subsets alone', () => {
    const input = endpoints(undefined);
    expect(normalizeKind(input)).toBe(input);
  });

  const address = fc.record({ ip: fc.ipV4() }, { requiredKeys: ['ip'] });
  const port = fc.record(
    {
      name: fc.constantFrom('http', 'https', 'dns'),
      port: fc.integer({ min: 1, max: 65535 }),
      protocol: fc.constantFrom('TCP', 'UDP', ''),
    },
    { requiredKeys: ['port'] },
  );
  const subsets = fc.array(
    fc.record({ addresses: fc.array(address, { maxLength: 4 }), ports: fc.array(port, { maxLength: 4 }) }),
    { maxLength: 4 },
  );

  it('does not depend on the order of subsets, addresses and ports, and is idempotent (property)', () => {
    fc.assert(
      fc.property(subsets, (s) => {
        const once = normalizeKind(endpoints(s));
        expect(normalizeKind(endpoints(reversed(s)))).toEqual(once);
        expect(normalizeKind(frozen(once))).toEqual(once);
      }),
    );
  });
});
