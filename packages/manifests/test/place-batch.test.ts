import { readFileSync } from 'node:fs';
import { parsePointer } from '@shipshape/core';
import { parseManifestFile } from '@shipshape/manifests';
import { describe, expect, it } from 'vitest';
import { placeAll } from '../src/place-batch.js';
import { BLOCK_STYLES, compareLocateAll, corpusFiles } from './parser-parity.js';

const text = BLOCK_STYLES;

/** What placeAll answers for each pointer (key or value), as the text it covers. */
function placed(requests: readonly [pointer: string, key: boolean][]): (string | undefined)[] {
  return placeAll(
    text,
    0,
    text.length,
    requests.map(([pointer, key]) => ({ tokens: parsePointer(pointer), key })),
  ).map((p) => (p === undefined ? undefined : `${p.startLine}:${text.slice(p.start, p.end)}`));
}

describe('placeAll (the findings of a resource placed together)', () => {
  it('answers keys, scalars, collections and items in one call, with their lines', () => {
    expect(
      placed([
        ['/metadata/name', false],
        ['/metadata/name', true],
        ['/metadata/labels', false],
        ['/spec/template/spec/containers/0/command/0', false],
        ['/spec/template/spec/containers/0/command', true],
        ['/spec/template/spec/volumes/0', false],
        ['/spec/template/spec/volumes/0/name', true],
      ]),
    ).toEqual(['4:"web"', '4:name', '6:app: web', '15:sh', '14:command', '18:name: data', '18:name']);
  });

  it('points a path that is not written at the key of its nearest ancestor', () => {
    expect(
      placed([
        ['/spec/replicas', false],
        ['/spec/template/spec/containers/0/resources/limits', false],
        ['/spec/template/spec/containers/5', true],
        ['/metadata/name/x', false],
      ]),
    ).toEqual(['7:spec', '11:', '10:containers', '4:name']);
  });

  it('leaves to the careful way what indentation alone cannot tell', () => {
    expect(
      placed([
        ['/spec/template/spec/containers/0/args', false], // a flow sequence
        ['/spec/template/spec/containers/0', false], // its end is inside a flow sequence
        ['/spec/template/spec/note', false], // a block scalar
        ['', false], // the document itself
        ['/nothing', false], // the document's own start
      ]),
    ).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const repeated = 'a: 1\na: 2\nb: 3\n';
    const twice = placeAll(repeated, 0, repeated.length, [
      { tokens: ['a'], key: false },
      { tokens: ['b'], key: false },
    ]);
    expect(twice[0]).toBeUndefined();
    expect(twice[1]?.start).toBe(13);
    const tabs = '\ta: 1\n';
    expect(placeAll(tabs, 0, tabs.length, [{ tokens: ['a'], key: false }])).toEqual([undefined]);
  });

  it('shares one span object among the findings at one place', () => {
    const locator = parseManifestFile({ path: 'd.yaml', content: new TextEncoder().encode(text) }).locator;
    const [a, b, c, d] =
      locator?.locateAll(0, [
        { pointer: '/spec/template/spec', key: true },
        { pointer: '/metadata/labels', key: true },
        { pointer: '/spec/template/spec', key: true },
        { pointer: '/spec/template/spec/priorityClassName', key: true },
      ]) ?? [];
    expect(a?.start.line).toBe(10);
    expect(c).toBe(a);
    expect(d).toBe(a); // a missing field points at its parent's key: the same place
    expect(b).not.toBe(a);
  });

  it('gives FileLocator.locateAll the answers of locate, one at a time, over the whole corpus', () => {
    const files = corpusFiles(/\.ya?ml$/).map((file) => ({
      name: file,
      path: file,
      content: readFileSync(file),
    }));
    const { compared, batched, wrong } = compareLocateAll(files, placeAll, 20_000);
    console.log(
      `locateAll on the corpus: ${compared} places compared with locate, ${batched} answered by placeAll itself, ${wrong.length} different`,
    );
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(300_000);
    expect(batched / compared).toBeGreaterThan(0.85);
  });
});
