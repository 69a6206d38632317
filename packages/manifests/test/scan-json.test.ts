import { parsePointer } from '@shipshape/core';
import { parseManifestFile } from '@shipshape/manifests';
import { describe, expect, it } from 'vitest';
import { createJsonScanMemo, scanJsonPointer } from '../src/scan-json.js';
import { compareWithParser, corpusFiles } from './parser-parity.js';

describe('scanJsonPointer (JSON walker) agrees with the parser', () => {
  it('gives the parser-based range for every node of every JSON document of the corpus, and stays out of YAML', () => {
    const { same, unsure, wrong } = compareWithParser(
      corpusFiles(/\.(?:json|ya?ml)$/),
      scanJsonPointer,
      createJsonScanMemo,
      // Large YAML CRDs are slow to compare and take the same code paths; JSON is compared whole.
      (file, range) => file.endsWith('.json') || range.end - range.start <= 20_000,
    );
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
    // A collection ends after its closing bracket, as written.
    expect(at('/spec/containers/0/ports')).toBe('[]');
    expect(at('/spec/containers/0')).toBe('{"name": "a\\"b", "ports": []}');
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
