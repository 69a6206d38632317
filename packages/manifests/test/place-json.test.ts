import { readFileSync } from 'node:fs';
import { parsePointer } from '@shipshape/core';
import { parseManifestFile } from '@shipshape/manifests';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { placeAllJson } from '../src/place-json.js';
import { compareLocateAll, corpusFiles } from './parser-parity.js';

const DEPLOYMENT = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": { "name": "web", "labels": { "app": "web" } },
  "spec": {
    "replicas": 2,
    "template": {
      "spec": {
        "containers": [
          {
            "name": "app",
            "command": ["sh", "-c"],
            "ports": []
          }
        ]
      }
    }
  }
}
`;

/** What placeAllJson answers for each pointer (key or value): its line (from 0) and the text it covers. */
function placed(text: string, requests: readonly [pointer: string, key: boolean][]): (string | undefined)[] {
  return placeAllJson(
    text,
    0,
    text.length,
    requests.map(([pointer, key]) => ({ tokens: parsePointer(pointer), key })),
  ).map((p) =>
    p === undefined
      ? undefined
      : `${p.startLine}:${p.start - p.startLineStart}-${p.endLine}:${p.end - p.endLineStart} ${text.slice(p.start, p.end)}`,
  );
}

describe('placeAllJson (the findings of a JSON document placed together)', () => {
  it('answers keys, scalars, collections and items in one pass, with lines and columns', () => {
    expect(
      placed(DEPLOYMENT, [
        ['/metadata/name', false],
        ['/metadata/name', true],
        ['/metadata/labels', false],
        ['/spec/replicas', false],
        ['/spec/template/spec/containers/0/command/1', false],
        ['/spec/template/spec/containers/0/ports', false],
        ['/spec/template/spec/containers/0', false],
        ['/spec/template/spec/containers/0', true],
      ]),
    ).toEqual([
      '3:24-3:29 "web"',
      '3:16-3:22 "name"',
      '3:41-3:57 { "app": "web" }',
      '5:16-5:17 2',
      '11:30-11:34 "-c"',
      '12:21-12:23 []',
      `9:10-13:11 ${DEPLOYMENT.slice(DEPLOYMENT.indexOf('{\n            "name"'), DEPLOYMENT.indexOf('}\n        ]') + 1)}`,
      // An item has no key: its value is the answer.
      `9:10-13:11 ${DEPLOYMENT.slice(DEPLOYMENT.indexOf('{\n            "name"'), DEPLOYMENT.indexOf('}\n        ]') + 1)}`,
    ]);
  });

  it('points a path that is not written at the key of its nearest ancestor, or at an item', () => {
    expect(
      placed(DEPLOYMENT, [
        ['/spec/template/spec/securityContext/runAsNonRoot', false],
        ['/spec/replicas/x', true],
        ['/spec/template/spec/containers/0/resources/limits', false],
        ['/spec/template/spec/containers/4', false],
        ['/spec/template/spec/containers/01', false],
        ['/spec/template/spec/containers/0/command/-', false],
      ]),
    ).toEqual([
      '7:6-7:12 "spec"',
      '5:4-5:14 "replicas"',
      '9:10-9:10 ',
      '8:8-8:20 "containers"',
      '8:8-8:20 "containers"',
      '11:12-11:21 "command"',
    ]);
  });

  it('leaves to the careful way the document itself, its missing fields and keys written twice', () => {
    expect(
      placed(DEPLOYMENT, [
        ['', false],
        ['/status', true],
        ['/kind', false],
      ]),
    ).toEqual([undefined, undefined, '2:10-2:22 "Deployment"']);
    const twice = '{"a": {"b": 1}, "a": {"b": 2}, "c": [1, 2]}';
    expect(
      placed(twice, [
        ['/a/b', false],
        ['/a', true],
        ['/c/1', false],
      ]),
    ).toEqual([undefined, undefined, '0:40-0:41 2']);
  });

  it('matches keys written with escapes as their decoded text', () => {
    const escaped = '{"a\\/b": 1, "\\u0063": {"d": true}}';
    expect(
      placed(escaped, [
        ['/a~1b', false],
        ['/c/d', false],
      ]),
    ).toEqual(['0:9-0:10 1', '0:28-0:32 true']);
  });

  it('answers nothing in a document that is not plain JSON', () => {
    for (const text of [
      '{"a": 1, b: 2}',
      '{"a": [1, 2,]}',
      '{"a": 01}',
      '{"a": "x\ny"}',
      '{"a": 1 // note\n}',
    ]) {
      expect(placed(text, [['/a', false]]), text).toEqual([undefined]);
    }
    const deep = `${'['.repeat(600)}${']'.repeat(600)}`;
    expect(placed(deep, [['/0', false]])).toEqual([undefined]);
  });

  it('counts lines from where a JSON document starts in a stream of documents', () => {
    const text = `kind: ConfigMap\n---\n${DEPLOYMENT}`;
    const locator = parseManifestFile({ path: 's.yaml', content: new TextEncoder().encode(text) }).locator;
    const asked = [
      { pointer: '/spec/template/spec/containers/0/command/1', key: false },
      { pointer: '/metadata/labels/team', key: false },
    ];
    const [command, team] = locator?.locateAll(1, asked) ?? [];
    expect(command?.start).toEqual({ offset: text.indexOf('"-c"'), line: 14, column: 31 });
    expect(team?.start).toEqual({ offset: text.indexOf('"labels"'), line: 6, column: 32 });
    expect(locator?.locateAll(1, asked)).toEqual(asked.map((a) => locator?.locate(1, a.pointer, a.key)));
  });

  it('gives FileLocator.locateAll the answers of locate over JSON files and the corpus written as JSON', () => {
    const texts: [string, string][] = [];
    for (const file of corpusFiles(/\.json$/)) texts.push([file, readFileSync(file, 'utf8')]);
    // Every YAML document of the corpus that loads, written as JSON three ways.
    for (const file of corpusFiles(/\.ya?ml$/).slice(0, 1500)) {
      const source = readFileSync(file, 'utf8');
      let value: unknown;
      try {
        value = load(source);
      } catch {
        continue;
      }
      if (value === null || typeof value !== 'object') continue;
      texts.push([`${file} (2)`, JSON.stringify(value, null, 2)]);
      texts.push([`${file} (crlf)`, JSON.stringify(value, null, '\t').replaceAll('\n', '\r\n')]);
      texts.push([`${file} (1 line)`, JSON.stringify(value)]);
    }
    const encoder = new TextEncoder();
    const files = texts.map(([name, text]) => ({ name, path: 'f.json', content: encoder.encode(text) }));
    const { compared, batched, wrong } = compareLocateAll(files, placeAllJson, 50_000);
    console.log(
      `locateAll on JSON: ${texts.length} texts, ${compared} places compared with locate, ${batched} answered by placeAllJson itself, ${wrong.length} different`,
    );
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(100_000);
    expect(batched / compared).toBeGreaterThan(0.9);
  });
});
