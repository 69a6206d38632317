import { readFileSync } from 'node:fs';
import { type DiffResourceOptions, diffResource, maskSecretValues, type ResourceDiff } from '@shipshape/diff';
import { diffHints, loadKubernetesSchemas } from '@shipshape/schema';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// gitops-engine's diff cases (../shared/conformance/gitops-engine/diff/expected.json), run from data.
// Upstream's structured-merge and server-side cases build their schema from an OpenAPI v2 binary
// the fixture lacks; here the schema facts (list keys, quantities, int-or-string) come from our
// embedded Kubernetes 1.35 OpenAPI v3 data instead.

const ROOT = new URL('../../../../shared/conformance/gitops-engine/diff/', import.meta.url);
type Json = Record<string, unknown>;
interface FileCase {
  id: string;
  fn: string;
  config: string;
  live: string;
  dryRunResult?: string;
  options: string | Json;
  expect: Json;
}
interface InlineCase {
  id: string;
  fn: string;
  config?: Json;
  live?: Json;
  options?: string | Json;
  expect: Json;
  cases?: Json[];
}
const expected = JSON.parse(readFileSync(new URL('expected.json', ROOT), 'utf8')) as {
  cases: FileCase[];
  inlineCases: InlineCase[];
};

// Every case left out, with the reason (printed with the count). None today.
const SKIPS: Record<string, string> = {};

let hints: DiffResourceOptions['hints'];
const results: { id: string; ok: boolean }[] = [];

beforeAll(async () => {
  const bundle = await loadKubernetesSchemas('1.35');
  hints = (apiVersion, kind) => diffHints(bundle, `${apiVersion}/${kind}`);
});

afterAll(() => {
  const passed = results.filter((r) => r.ok).length;
  console.log(`gitops-engine diff conformance: ${passed}/${results.length} passed`);
  for (const [id, reason] of Object.entries(SKIPS)) console.log(`  skipped ${id}: ${reason}`);
});

function readFixture(name: string): Json {
  const text = readFileSync(new URL(name, ROOT), 'utf8');
  return (name.endsWith('.json') ? JSON.parse(text) : load(text)) as Json;
}

/** The removal a case's `normalizer` option describes, as one of our ignore rules. */
function optionsFor(c: { fn: string; options?: string | Json; dryRunResult?: string }): DiffResourceOptions {
  const options = typeof c.options === 'object' ? c.options : {};
  const manager = typeof options['manager'] === 'string' ? [options['manager']] : [];
  const ignore =
    options['normalizer'] === 'removes spec.sessionAffinity'
      ? [{ matches: () => true, jsonPointers: ['/spec/sessionAffinity'], paths: [], managers: [] }]
      : [];
  return {
    hints,
    fieldManagers: manager,
    ignore,
    ...(c.dryRunResult === undefined ? {} : { predictedLive: readFixture(c.dryRunResult) }),
    ...(options['ignoreMutationWebhook'] === false ? { ignoreMutationWebhook: false } : {}),
  };
}

/** Resolve the dotted paths of expected.json (`predictedLive.containers[0].ports[*].containerPort`). */
function at(result: ResourceDiff, path: string): unknown {
  const [side, ...rest] = path.split('.');
  let node: unknown = side === 'predictedLive' ? result.predictedLive : result.normalizedLive;
  let text = rest.join('.');
  if (text.startsWith('containers')) text = `spec.template.spec.${text}`;
  const tokens = text.match(/[^.[\]]+|\[[^\]]*\]/g) ?? [];
  for (const token of tokens) {
    if (token === '[*]') {
      const remaining = text.slice(text.indexOf('[*]') + 4);
      return (node as Json[]).map((item) =>
        remaining.split('.').reduce<unknown>((n, k) => (n as Json)?.[k], item),
      );
    }
    const key = token.startsWith('[') ? token.slice(1, -1) : token;
    node = Array.isArray(node) ? node[Number(key)] : (node as Json | undefined)?.[key];
  }
  return node;
}

const EMPTY = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v).length === 0);

/** Check one `expect` entry; returns a failure message or undefined. */
function checkExpectation(result: ResourceDiff, key: string, want: unknown): void {
  const predicted = JSON.stringify(result.predictedLive);
  const normalized = JSON.stringify(result.normalizedLive);
  const containers = (o: Json | undefined) =>
    (at({ ...result, predictedLive: o }, 'predictedLive.containers') as Json[]) ?? [];
  if (key === 'modified') expect(result.action === 'update', key).toBe(want);
  else if (key === 'textDiffContains') expect(result.text).toContain(want);
  else if (key === 'predictedLive JSON contains')
    for (const s of want as string[]) expect(predicted).toContain(s);
  else if (key === 'predictedLive JSON lacks')
    for (const s of want as string[]) expect(predicted).not.toContain(s);
  else if (key === 'normalizedLive JSON contains')
    for (const s of want as string[]) expect(normalized).toContain(s);
  else if (key === 'normalizedLive JSON lacks')
    for (const s of want as string[]) expect(normalized).not.toContain(s);
  else if (key === 'last-applied annotation (both)') {
    expect(predicted).not.toContain('last-applied-configuration');
    expect(normalized).not.toContain('last-applied-configuration');
  } else if (/^(predictedLive|normalizedLive)\.metadata\.labels has '(.+)'$/.test(key)) {
    const [, side, label] = /^(\w+)\.metadata\.labels has '(.+)'$/.exec(key) as RegExpExecArray;
    const labels = (at(result, `${side}.metadata.labels`) ?? {}) as Json;
    expect(Object.hasOwn(labels, label as string), key).toBe(want);
  } else if (key === 'len(containers) predicted/live') {
    expect([containers(result.predictedLive).length, containers(result.normalizedLive).length]).toEqual(want);
  } else if (key === 'predictedLive port 8080') {
    const ports = (at(result, 'predictedLive.containers[0].ports') as Json[]) ?? [];
    expect(ports.find((p) => p['containerPort'] === 8080)).toMatchObject(want as Json);
  } else if (key === 'predictedLive ports 80,443 protocol') {
    const ports = (at(result, 'predictedLive.containers[0].ports') as Json[]) ?? [];
    for (const port of [80, 443])
      expect(ports.find((p) => p['containerPort'] === port)?.['protocol']).toBe(want);
  } else if (key.startsWith('predictedLive.containers[0].resources.{')) {
    // Upstream: the Quantity of every unset request/limit reads "0"; ours are absent (normalised away).
    const resources = (at(result, 'predictedLive.containers[0].resources') ?? {}) as Json;
    for (const kind of ['requests', 'limits'])
      for (const r of ['cpu', 'memory', 'storage'])
        expect((resources[kind] as Json | undefined)?.[r]).toBeUndefined();
  } else if (key.startsWith('len(')) {
    expect((at(result, key.slice(4, -1)) as unknown[] | undefined)?.length ?? 0, key).toBe(want);
  } else if (key.includes('.metadata.annotations[')) {
    expect(EMPTY(at(result, key)), key).toBe(true);
  } else if (want === '<empty/absent>') expect(EMPTY(at(result, key)), key).toBe(true);
  else if (want === '<non-empty>') expect(EMPTY(at(result, key)), key).toBe(false);
  else expect(at(result, key), key).toEqual(want);
}

describe('gitops-engine diff cases', () => {
  for (const c of expected.cases) {
    it(`${c.id} (${c.fn})`, () => {
      let ok = false;
      try {
        const result = diffResource(readFixture(c.config), readFixture(c.live), optionsFor(c));
        for (const [key, want] of Object.entries(c.expect)) checkExpectation(result, key, want);
        ok = true;
      } finally {
        results.push({ id: c.id, ok });
      }
    });
  }
  for (const c of expected.inlineCases) {
    if (SKIPS[c.id] !== undefined || c.fn !== 'Diff') continue;
    it(`${c.id} (inline, ${c.fn})`, () => {
      let ok = false;
      try {
        const result = diffResource(
          c.config,
          c.live,
          optionsFor({ fn: c.fn, ...(c.options === undefined ? {} : { options: c.options }) }),
        );
        for (const [key, want] of Object.entries(c.expect)) checkExpectation(result, key, want);
        ok = true;
      } finally {
        results.push({ id: c.id, ok });
      }
    });
  }

  // Building blocks that upstream tests on their own, checked here through the same code paths.
  const block = (id: string, body: (c: InlineCase) => void) => {
    const c = expected.inlineCases.find((x) => x.id === id) as InlineCase;
    it(`${id} (inline, ${c.fn})`, () => {
      let ok = false;
      try {
        body(c);
        ok = true;
      } finally {
        results.push({ id, ok });
      }
    });
  };

  block('remarshal-quantity', (c) => {
    const pod = (cpu: unknown): Json => {
      const input = structuredClone(c['input' as keyof InlineCase]) as Json;
      ((((input['spec'] as Json)['containers'] as Json[])[0] as Json)['resources'] as Json)['requests'] = {
        cpu,
      };
      return input;
    };
    const cpuOf = (cpu: unknown): unknown => {
      const result = diffResource(pod(cpu), pod(cpu), { hints });
      const containers = (result.normalizedLive?.['spec'] as Json | undefined)?.['containers'] as Json[];
      return (((containers[0] as Json)['resources'] as Json)['requests'] as Json)['cpu'];
    };
    expect(cpuOf(0.2)).toBe('200m');
    expect(cpuOf('0.2')).toBe('200m');
    expect(cpuOf('invalid')).toBe('invalid');
    expect(diffResource(pod(0.2), pod('200m'), { hints }).action).toBe('unchanged');
  });

  block('remarshal-statefulset-nested-creationTimestamp', () => {
    const set: Json = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'ns' },
      spec: {
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'postgres' }] },
        },
        volumeClaimTemplates: [
          { metadata: { name: 'data', creationTimestamp: null }, spec: { accessModes: ['ReadWriteOnce'] } },
        ],
      },
    };
    const result = diffResource(set, structuredClone(set), { hints });
    const spec = result.normalizedLive?.['spec'] as Json;
    expect(Object.hasOwn((spec['template'] as Json)['metadata'] as Json, 'creationTimestamp')).toBe(false);
    expect(
      Object.hasOwn(
        ((spec['volumeClaimTemplates'] as Json[])[0] as Json)['metadata'] as Json,
        'creationTimestamp',
      ),
    ).toBe(false);
  });

  block('hide-secret-data', (c) => {
    const b64 = (data: Json): Json =>
      Object.fromEntries(Object.entries(data).map(([k, v]) => [k, btoa(String(v))]));
    const secret = (data: Json, annotations?: Json): Json => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', ...(annotations ? { annotations } : {}) },
      data: b64(data),
    });
    for (const step of c.cases ?? []) {
      const applied = step['live.lastApplied.data'] as Json | undefined;
      const live = secret(
        step['live.data'] as Json,
        applied
          ? { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(secret(applied)) }
          : undefined,
      );
      const masked = maskSecretValues(secret(step['target.data'] as Json), live);
      expect(masked.desired?.['data']).toEqual(step['expect.target']);
      expect(masked.live?.['data']).toEqual(step['expect.live']);
      if (applied) {
        const metadata = (masked.live?.['metadata'] ?? {}) as Json;
        const annotation = ((metadata['annotations'] ?? {}) as Json)[
          'kubectl.kubernetes.io/last-applied-configuration'
        ];
        expect((JSON.parse(annotation as string) as Json)['data']).toEqual(step['expect.live.lastApplied']);
      }
    }
  });
});
