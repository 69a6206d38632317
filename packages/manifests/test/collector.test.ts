import type { Resource } from '@shipshape/core';
import { ManifestCollector, parseManifests } from '@shipshape/manifests';
import { describe, expect, it } from 'vitest';

const files = [
  {
    path: 'apps/web.yaml',
    content:
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {a: yes, b: 010, port: 0x1F}\n---\n' +
      'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Service, metadata: {name: s1}}\n  - {apiVersion: v1, kind: Service, metadata: {name: s2}, spec: {ports: [{port: 80}]}}\n',
  },
  {
    path: 'apps/dup.yaml',
    content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  name: e\ndata: {k: v}\n',
  },
  {
    path: 'apps/stream.json',
    content:
      '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"j1"}}\n{"apiVersion":"v1","kind":"Secret","metadata":{"name":"j2"},"data":{"x":"eA=="}}\n',
  },
  { path: 'apps/one.json', content: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"web"}}' },
];

describe('ManifestCollector with retainObjects: false', () => {
  it('answers the same positions and texts after release() drops the texts decoded late', () => {
    const collector = new ManifestCollector({ retainObjects: false });
    for (const f of files) collector.add(f);
    const set = collector.finish();
    const service = set.resources.find((r) => r.id.name === 's2') as Resource;
    const late = set.locator.locate(service.source, '/spec/ports/0/port');
    const text = set.text('apps/web.yaml');
    collector.release();
    expect(set.locator.locate(service.source, '/spec/ports/0/port')).toEqual(late);
    expect(late?.start).toMatchObject({ line: 10, column: 81 });
    expect(set.text('apps/web.yaml')).toBe(text);
  });

  it('hands each file its live objects, then reads released objects back equal to a retained parse', () => {
    const retained = parseManifests(files);
    const collector = new ManifestCollector({ retainObjects: false });
    const seen: unknown[] = [];
    for (const f of files) {
      collector.add(f, (rs) => {
        for (const r of rs) seen.push(structuredClone(r.object));
      });
    }
    const released = collector.finish();
    const want = retained.resources.map((r) => r.object);
    expect(seen).toEqual(want);
    expect(released.resources.map((r) => r.object)).toEqual(want);
    expect(released.resources.map((r) => [r.id.name, r.source.item])).toEqual(
      retained.resources.map((r) => [r.id.name, r.source.item]),
    );
    expect(released.diagnostics.map((d) => d.code)).toEqual(retained.diagnostics.map((d) => d.code));
    // YAML 1.1 scalars and the duplicated key's last value survive the second parse.
    expect(released.resources[0]?.object['data']).toEqual({ a: true, b: 8, port: 31 });
    expect(
      released.resources.find((r) => r.id.kind === 'ConfigMap' && r.source.path === 'apps/dup.yaml')?.id.name,
    ).toBe('e');
  });

  it('keeps an explicit copy live, reads a released object once, and serialises it', () => {
    const collector = new ManifestCollector({ retainObjects: false });
    let kept: Resource | undefined;
    collector.add(files[3] as (typeof files)[number], (rs) => {
      const r = rs[0] as Resource;
      kept = { id: r.id, object: r.object, source: r.source };
    });
    const stored = collector.finish().resources[0] as Resource;
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } };
    expect(kept?.object).toEqual(namespace);
    expect(stored.object).toEqual(namespace);
    expect(stored.object).toBe(stored.object);
    expect(JSON.parse(JSON.stringify(stored)).object).toEqual(namespace);
  });

  it('keeps the objects of held files live until releaseHeld, where add releases them at once', () => {
    const collector = new ManifestCollector({ retainObjects: false });
    const live = new Map<Resource, unknown>();
    const remember = (rs: readonly Resource[]) => {
      for (const r of rs) live.set(r, r.object);
    };
    collector.add(files[3] as (typeof files)[number], remember);
    collector.hold(files[0] as (typeof files)[number], remember);
    collector.hold(files[2] as (typeof files)[number], remember);
    const [added, ...held] = [...live.keys()];
    expect(held.map((r) => r.id.name)).toEqual(['a', 's1', 's2', 'j1', 'j2']);
    // Held: the very objects the callback saw, not a second parse.
    for (const r of held) expect(r.object).toBe(live.get(r));
    // Added: released once the callback returned, so read back from the text.
    expect(added?.object).not.toBe(live.get(added as Resource));
    expect(added?.object).toEqual(live.get(added as Resource));
    collector.releaseHeld();
    for (const r of held) {
      expect(r.object).not.toBe(live.get(r));
      expect(r.object).toEqual(live.get(r));
    }
    // finish() releases what is still held.
    let last: Resource | undefined;
    collector.hold(files[1] as (typeof files)[number], (rs) => {
      last = rs[0];
      live.set(rs[0] as Resource, rs[0]?.object);
    });
    collector.finish();
    expect(last?.object).not.toBe(live.get(last as Resource));
    expect(last?.object).toEqual(live.get(last as Resource));
  });

  it('places positions from the live locator before finish', () => {
    const collector = new ManifestCollector({ retainObjects: false });
    let span: unknown;
    collector.add(files[0] as (typeof files)[number], (rs) => {
      span = collector.locator.locate((rs[2] as Resource).source, '/spec/ports/0/port')?.start;
    });
    expect(span).toEqual({ offset: expect.any(Number), line: 10, column: 81 });
  });
});

describe('placing many findings at one place', () => {
  it('answers the same pointer with one shared span, and the key and the value apart', () => {
    const set = parseManifests([
      {
        path: 'deploy.yaml',
        content:
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: x\n',
      },
    ]);
    const source = (set.resources[0] as Resource).source;
    const first = set.locator.locate(source, '/spec/template/spec/containers/0');
    const again = set.locator.locate(source, '/spec/template/spec/containers/0');
    expect(again).toBe(first);
    expect(first?.start).toMatchObject({ line: 9, column: 11 });
    const key = set.locator.locate(source, '/spec/template/spec', { key: true });
    const value = set.locator.locate(source, '/spec/template/spec');
    expect(key?.start).toMatchObject({ line: 7, column: 5 });
    expect(key?.end.offset).toBe((key?.start.offset ?? 0) + 4);
    expect(value?.start.line).toBe(8);
    // A missing field falls back to its parent's key: the answer for it is remembered apart.
    expect(set.locator.locate(source, '/spec/template/spec/hostNetwork')?.start).toMatchObject({
      line: 7,
      column: 5,
    });
  });
});
