import { readFileSync } from 'node:fs';
import { LineIndex, parsePointer } from '@shipshape/core';
import { parseManifestFile } from '@shipshape/manifests';
import { describe, expect, it } from 'vitest';
import { mapPointers } from '../src/pointer-map.js';
import { createScanMemo, isWhiteAt, scanPointer } from '../src/scan-pointer.js';
import { BLOCK_STYLES, compareWithParser, corpusFiles } from './parser-parity.js';

describe('scanPointer (indentation scanner) agrees with the parser', () => {
  it('gives the parser-based range, or says it is unsure, for every node of the corpus', () => {
    const { same, unsure, wrong } = compareWithParser(
      corpusFiles(/\.ya?ml$/),
      scanPointer,
      createScanMemo,
      (_file, range) => range.end - range.start <= 20_000, // large CRDs: quadratic to compare, same code paths
    );
    console.log(
      `scanPointer on the corpus: ${same} nodes answered exactly, ${unsure} left to the parser, ${wrong.length} wrong`,
    );
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(same).toBeGreaterThan(50_000);
  });

  it('answers the block styles Kubernetes manifests use, and leaves the rest to the parser', () => {
    const text = BLOCK_STYLES;
    const at = (pointer: string) => {
      const r = scanPointer(text, 0, text.length, parsePointer(pointer));
      return typeof r === 'string' ? r : text.slice(r.start, r.end);
    };
    expect(at('/metadata/name')).toBe('"web"');
    expect(at('/metadata/labels/app')).toBe('web');
    expect(at('/spec/template/spec/containers/0/image')).toBe('nginx:1.27');
    expect(at('/spec/template/spec/containers/0/command/0')).toBe('sh');
    expect(at('/spec/template/spec/volumes/0/name')).toBe('data');
    expect(at('/spec/template/spec/containers/1')).toBe('missing');
    expect(at('/spec/replicas')).toBe('missing');
    expect(at('/metadata/name/x')).toBe('missing');
    expect(at('/spec/template/spec/containers/0/args')).toBe('unsure'); // flow sequence
    expect(at('/spec/template/spec/note')).toBe('unsure'); // block scalar
    expect(scanPointer('a: 1\na: 2\n', 0, 10, ['a'])).toBe('unsure'); // a repeated key
    expect(scanPointer('\ta: 1\n', 0, 6, ['a'])).toBe('unsure'); // tabs
  });

  it('answers empty flow collections, which Kubernetes manifests are full of, without the parser', () => {
    const text =
      'spec:\n  volumes:\n    - name: tmp\n      emptyDir: {}\n  args: []   # none\n  resources: { }\n';
    const at = (pointer: string) => {
      const r = scanPointer(text, 0, text.length, parsePointer(pointer));
      return typeof r === 'string' ? r : text.slice(r.start, r.end);
    };
    expect(at('/spec/volumes/0/emptyDir')).toBe('{}');
    expect(at('/spec/args')).toBe('[]');
    expect(at('/spec/volumes/0/emptyDir/medium')).toBe('missing');
    // The whole list ends after its last `{}`: a finding on a pod spec no longer re-parses the document.
    expect(at('/spec/volumes')).toBe('- name: tmp\n      emptyDir: {}');
    expect(at('/spec/resources')).toBe('unsure'); // not empty as written: the parser decides
  });

  it('ends a flow collection after its closing bracket on the parser side too', () => {
    const text = 'a: {b: [1, 2 ], c: {} }  # note\nd: [\n  x, # one\n  ]\n';
    const range = (pointer: string) => {
      const r = mapPointers(text, 256).get(pointer);
      return r && text.slice(r.start, r.end);
    };
    expect(range('/a')).toBe('{b: [1, 2 ], c: {} }');
    expect(range('/a/b')).toBe('[1, 2 ]');
    expect(range('/a/c')).toBe('{}');
    expect(range('/d')).toBe('[\n  x, # one\n  ]');
  });
});

describe('FileLocator positions from the scanner’s lines', () => {
  it('give the same line and column as a line table of the whole file, in multi-document files', () => {
    let compared = 0;
    const wrong: string[] = [];
    for (const file of corpusFiles(/\.ya?ml$/).slice(0, 400)) {
      const text = readFileSync(file, 'utf8');
      const parsed = parseManifestFile({ path: file, content: new TextEncoder().encode(text) });
      const lines = new LineIndex(parsed.locator?.text ?? '');
      parsed.resources.forEach((resource) => {
        if (resource.source.item !== undefined) return;
        const range = parsed.locator?.documents[resource.source.document];
        if (!range || range.end - range.start > 20_000) return;
        for (const pointer of [...mapPointers(text.slice(range.start, range.end), 256).keys()].slice(0, 40)) {
          if (pointer === '' || pointer.includes('\u0000')) continue;
          const span = parsed.locator?.locate(resource.source.document, pointer);
          if (!span) continue;
          for (const at of [span.start, span.end]) {
            const want = lines.position(at.offset);
            if (want.line !== at.line || want.column !== at.column) {
              wrong.push(`${file} ${pointer}: ${at.line}:${at.column} ≠ ${want.line}:${want.column}`);
            }
            compared++;
          }
        }
      });
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(10_000);
  });
});

describe('isWhiteAt', () => {
  it('says what trimming the one character says, for every UTF-16 code unit and past both ends', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const text = `a${String.fromCharCode(c)}b`;
      if (isWhiteAt(text, 1) !== ((text[1] ?? '').trim() === '')) wrong.push(c);
    }
    expect(wrong).toEqual([]);
    expect([isWhiteAt('ab', -1), isWhiteAt('ab', 2), isWhiteAt('a\tb', 1), isWhiteAt('a\u3000b', 1)]).toEqual(
      [true, true, true, true],
    );
    expect(isWhiteAt('a-b', 1)).toBe(false);
  });
});
