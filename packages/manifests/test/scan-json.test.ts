import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePointer } from '@shipshape/core';
import { parseManifestFile, splitDocuments } from '@shipshape/manifests';
import { describe, expect, it } from 'vitest';
import { mapPointers } from '../src/pointer-map.js';
import { createJsonScanMemo, scanJsonPointer } from '../src/scan-json.js';

const corpus = new URL('../../../../shared/corpus/', import.meta.url).pathname;

function files(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, pattern));
    else if (pattern.test(e.name)) out.push(p);
  }
  return out.sort();
}

describe('scanJsonPointer (JSON walker) agrees with the parser', () => {
  it('gives the parser-based range for every node of every JSON document of the corpus, and stays out of YAML', () => {
    let same = 0;
    let unsure = 0;
    const wrong: string[] = [];
    for (const file of files(corpus, /\.(?:json|ya?ml)$/)) {
      const text = readFileSync(file, 'utf8');
      for (const range of splitDocuments(text)) {
        // Large YAML CRDs are slow to compare and take the same code paths; JSON is compared whole.
        if (!file.endsWith('.json') && range.end - range.start > 20_000) continue;
        const map = mapPointers(text.slice(range.start, range.end), 256);
        const memo = createJsonScanMemo();
        for (const [pointer, node] of map) {
          if (pointer.includes('\u0000')) continue;
          const tokens = parsePointer(pointer);
          const got = scanJsonPointer(text, range.start, range.end, tokens, memo);
          const absent = scanJsonPointer(text, range.start, range.end, [...tokens, '\u0001absent'], memo);
          if (typeof absent !== 'string') wrong.push(`${file} ${pointer}/(absent) found`);
          if (got === 'unsure') {
            unsure++;
            continue;
          }
          const want = {
            start: node.start + range.start,
            end: node.end + range.start,
            keyStart: node.keyStart === undefined ? undefined : node.keyStart + range.start,
            keyEnd: node.keyEnd === undefined ? undefined : node.keyEnd + range.start,
          };
          if (
            got === 'missing' ||
            got.start !== want.start ||
            got.end !== want.end ||
            got.keyStart !== want.keyStart ||
            got.keyEnd !== want.keyEnd
          ) {
            wrong.push(`${file} ${pointer}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
          } else same++;
        }
      }
    }
    console.log(
      `scanJsonPointer on the corpus: ${same} nodes answered exactly, ${unsure} left to the parser, ${wrong.length} wrong`,
    );
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(same).toBeGreaterThan(4_000);
  });

  it('answers strict JSON and leaves repeated keys, comments and YAML flow syntax to the parser', () => {
    const text =
      '{\n  "kind": "Pod",\n  "spec": {"containers": [{"name": "a\\"b", "ports": []}], "n": -1.5e3, "x": null}\n}\n';
    const at = (pointer: string, source = text) => {
      const r = scanJsonPointer(source, 0, source.length, parsePointer(pointer));
      return typeof r === 'string' ? r : source.slice(r.start, r.end);
    };
    expect(at('/kind')).toBe('"Pod"');
    expect(at('/spec/containers/0/name')).toBe('"a\\"b"');
    expect(at('/spec/n')).toBe('-1.5e3');
    expect(at('/spec/x')).toBe('null');
    expect(at('/spec/containers/1')).toBe('missing');
    expect(at('/spec/containers/0/name/x')).toBe('missing');
    expect(at('/spec/containers/0/ports')).toBe(''); // an empty collection ends where it starts
    expect(at('/a', '{"a": 1, "a": 2}')).toBe('unsure');
    expect(at('/a', '{a: 1}')).toBe('unsure');
    expect(at('/a', '# c\n{"a": 1}')).toBe('unsure');
    expect(at('/a', "{'a': 1}")).toBe('unsure');
  });

  it('places findings in JSON files without parsing them again', () => {
    const text =
      '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},\n "spec": {"replicas": 1}}';
    const parsed = parseManifestFile({ path: 'web.json', content: new TextEncoder().encode(text) });
    const span = parsed.locator?.locate(0, '/spec/replicas');
    expect(span && text.slice(span.start.offset, span.end.offset)).toBe('1');
    expect(span?.start.line).toBe(2);
    const key = parsed.locator?.locate(0, '/spec/replicas', true);
    expect(key && text.slice(key.start.offset, key.end.offset)).toBe('"replicas"');
  });
});
