import { type DiffResourceOptions, diffResource, diffResources } from '@shipshape/diff';
import { diffHints, loadKubernetesSchemas } from '@shipshape/schema';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

// Laws of the diff, over generated resources (fast-check).

type Json = Record<string, unknown>;
let hints: DiffResourceOptions['hints'];
beforeAll(async () => {
  const bundle = await loadKubernetesSchemas('1.35');
  hints = (apiVersion, kind) => diffHints(bundle, `${apiVersion}/${kind}`);
});

const kinds = fc.constantFrom(
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['example.com/v1', 'Widget'],
);
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const resource = fc
  .tuple(
    kinds,
    name,
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }),
  )
  .map(([[apiVersion, kind], n, spec]) => ({
    apiVersion,
    kind,
    metadata: { name: n, namespace: 'ns' },
    spec,
  }));

const container = fc.record({
  name,
  image: fc.constantFrom('nginx:1.27', 'busybox:1.36', 'redis:7'),
  env: fc.uniqueArray(fc.record({ name, value: fc.string({ maxLength: 5 }) }), {
    selector: (e) => e.name,
    maxLength: 4,
  }),
  ports: fc.uniqueArray(
    fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('TCP', 'UDP') }),
    {
      selector: (p) => `${p.containerPort}/${p.protocol}`,
      maxLength: 3,
    },
  ),
});
const deployment = fc.uniqueArray(container, { selector: (c) => c.name, minLength: 1, maxLength: 4 }).map(
  (containers): Json => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { template: { spec: { containers } } },
  }),
);

/** The same value with every object's keys in another order. */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorderKeys(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const rotated =
    entries.length === 0
      ? entries
      : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse();
  const out: Json = {};
  for (const [k, v] of rotated)
    Object.defineProperty(out, k, {
      value: reorderKeys(v, seed + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (seed * (i + 7)) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('diff laws', () => {
  it('diff(x, x) is empty for any resource', () => {
    fc.assert(
      fc.property(resource, (x) => {
        const result = diffResource(x, structuredClone(x), { hints });
        expect(result.changes).toEqual([]);
        expect(result.action).toBe('unchanged');
        expect(result.text).toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('key order does not matter', () => {
    fc.assert(
      fc.property(resource, fc.nat(), (x, seed) => {
        expect(diffResource(x, reorderKeys(x, seed) as Json, { hints }).changes).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('the order of keyed lists (containers, env, ports) does not matter', () => {
    fc.assert(
      fc.property(deployment, fc.nat(), (x, seed) => {
        const live = structuredClone(x);
        const pod = (live['spec'] as Json)['template'] as Json;
        const containers = shuffled((pod['spec'] as Json)['containers'] as Json[], seed).map((c) => ({
          ...c,
          env: shuffled(c['env'] as Json[], seed + 1),
          ports: shuffled(c['ports'] as Json[], seed + 2),
        }));
        pod['spec'] = { containers };
        expect(diffResource(x, live, { hints }).changes).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('a changed value in a keyed list is found whatever the order', () => {
    fc.assert(
      fc.property(deployment, fc.nat(), (x, seed) => {
        const live = structuredClone(x);
        const containers = ((live['spec'] as Json)['template'] as Json)['spec'] as Json;
        const list = shuffled(containers['containers'] as Json[], seed);
        (list[0] as Json)['image'] = 'changed:1';
        containers['containers'] = list;
        const result = diffResource(x, live, { hints });
        expect(result.action).toBe('update');
        expect(result.changes).toHaveLength(1);
        expect(result.changes[0]).toMatchObject({ op: 'replace', from: 'changed:1' });
      }),
      { numRuns: 100 },
    );
  });

  it('no Secret value, raw or base64, reaches the result, its text or its JSON', () => {
    const secretValue = fc.stringMatching(/^[A-Za-z0-9]{6,16}$/).map((s) => `S3CR3T${s}`);
    const data = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), secretValue, { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(data, data, data, fc.boolean(), (desiredData, liveData, appliedData, asStringData) => {
        const b64 = (v: string) => btoa(v);
        const secret = (values: Record<string, string>, plain: boolean): Json => ({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's', namespace: 'ns', labels: { 'app.kubernetes.io/instance': 'a' } },
          ...(plain
            ? { stringData: values }
            : { data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])) }),
        });
        const live = secret(liveData, false);
        ((live['metadata'] as Json)['annotations'] as Json | undefined) ??= {};
        ((live['metadata'] as Json)['annotations'] as Json)[
          'kubectl.kubernetes.io/last-applied-configuration'
        ] = JSON.stringify(secret(appliedData, false));
        const results = [
          diffResources([secret(desiredData, asStringData)], [live]),
          diffResources([secret(desiredData, asStringData)], []),
          diffResources([], [live]),
        ];
        const printed =
          JSON.stringify(results) + results.flatMap((r) => r.resources.map((x) => x.text)).join('\n');
        for (const value of [
          ...Object.values(desiredData),
          ...Object.values(liveData),
          ...Object.values(appliedData),
        ]) {
          expect(printed).not.toContain(value);
          expect(printed).not.toContain(b64(value));
        }
      }),
      { numRuns: 200 },
    );
  });
});
