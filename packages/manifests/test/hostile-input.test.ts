import { parseManifestFile, parseManifests } from '@shipshape/manifests';
import { describe, expect, it } from 'vitest';

const ok = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fine\n';
const encode = (s: string) => new TextEncoder().encode(s);

function billionLaughs(levels: number, width: number): string {
  const lines = [`a0: &a0 [${Array(width).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n${lines.join('\n')}\n`;
}

describe('hostile input is contained and reported', () => {
  it('refuses a billion-laughs alias bomb without expanding it, and reads the other documents', () => {
    const text = `${billionLaughs(9, 9)}---\n${ok}`;
    const before = process.memoryUsage().heapUsed;
    const { resources, diagnostics } = parseManifestFile({ path: 'bomb.yaml', content: text });
    const grown = process.memoryUsage().heapUsed - before;
    expect(diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([['yaml/alias-bomb', 1]]);
    expect(resources.map((r) => r.id.name)).toEqual(['fine']);
    expect(grown).toBeLessThan(200 * 1024 * 1024);
  });

  it('keeps documents with a few honest aliases', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: &l {x: z}}\ndata: {k: v}\nextra: *l\n';
    const { resources, diagnostics } = parseManifestFile({ path: 'a.yaml', content: text });
    expect(diagnostics).toEqual([]);
    expect(resources[0]?.object['extra']).toEqual({ x: 'z' });
  });

  it('bounds deep nesting with a diagnostic (flow and block)', () => {
    const flow = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const block = Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
    for (const text of [flow, block]) {
      const { diagnostics } = parseManifestFile({ path: 'deep.yaml', content: `${text}\n---\n${ok}` });
      expect(diagnostics.map((d) => d.code)).toEqual(['yaml/too-deep']);
    }
  });

  it('does not parse a 50 MB file and says why', () => {
    const bytes = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    const { resources, diagnostics } = parseManifestFile({ path: 'big.yaml', content: bytes });
    expect(resources).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.span?.path, d.data?.['size']])).toEqual([
      ['file/too-large', 'big.yaml', 50 * 1024 * 1024],
    ]);
    expect(diagnostics[0]?.message).toContain('50.0 MiB');
  });

  it('treats __proto__ and constructor keys as plain data', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n  __proto__: {polluted: yes}\ndata:\n  constructor: x\n  __proto__: w\n';
    const { resources, diagnostics } = parseManifestFile({ path: 'p.yaml', content: text });
    expect(diagnostics).toEqual([]);
    const metadata = resources[0]?.object['metadata'] as Record<string, unknown>;
    expect(Object.hasOwn(metadata, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(resources[0]?.object['data']).toEqual(JSON.parse('{"constructor":"x","__proto__":"w"}'));
    const json = parseManifestFile({
      path: 'p.json',
      content: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"q","__proto__":{"polluted":1}}}',
    });
    expect(json.resources[0]?.id.name).toBe('q');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reports binary files, non-UTF-8 text and reads UTF-16 with a warning', () => {
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]);
    const latin1 = new Uint8Array([...encode('apiVersion: v1\nkind: ConfigMap\ndata: {a: caf'), 0xe9, 0x7d]);
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...ok].flatMap((c) => [c.charCodeAt(0), 0])]);
    const cases: Array<[Uint8Array, string[], number]> = [
      [binary, ['file/binary'], 0],
      [latin1, ['file/encoding'], 0],
      [utf16, ['file/encoding'], 1],
    ];
    for (const [bytes, codes, count] of cases) {
      const out = parseManifestFile({ path: 'x.yaml', content: bytes });
      expect(out.diagnostics.map((d) => d.code)).toEqual(codes);
      expect(out.resources.length).toBe(count);
    }
    expect(parseManifestFile({ path: 'x.yaml', content: latin1 }).diagnostics[0]?.message).toContain(
      'offset 44',
    );
    expect(parseManifestFile({ path: 'x.yaml', content: utf16 }).diagnostics[0]?.severity).toBe('warning');
  });

  it('strips a UTF-8 byte-order mark', () => {
    const out = parseManifestFile({
      path: 'bom.yaml',
      content: new Uint8Array([0xef, 0xbb, 0xbf, ...encode(ok)]),
    });
    expect([out.diagnostics.length, out.resources[0]?.id.name]).toEqual([0, 'fine']);
  });

  it('never stops a set at a bad file', () => {
    const set = parseManifests([
      { path: 'a.yaml', content: '{{ broken' },
      { path: 'b.yaml', content: new Uint8Array([0, 0, 0]) },
      { path: 'c.yaml', content: ok },
    ]);
    expect(set.files).toBe(3);
    expect(set.resources.map((r) => r.source.path)).toEqual(['c.yaml']);
    expect(set.diagnostics.map((d) => [d.span?.path, d.code])).toEqual([
      ['a.yaml', 'yaml/syntax'],
      ['b.yaml', 'file/binary'],
    ]);
  });
});
