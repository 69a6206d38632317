// The scanners that place findings without parsing answer exactly what the parser-based pointer
// map answers, or say they are unsure: both parity tests compare them over the corpus this way.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePointer } from '@shipshape/core';
import { type DocumentRange, parseManifestFile, splitDocuments } from '@shipshape/manifests';
import type { Placed, PlaceRequest } from '../src/place-batch.js';
import { mapPointers } from '../src/pointer-map.js';
import type { ScanResult } from '../src/scan-pointer.js';

/** A document in the block styles Kubernetes manifests use, with a few the scanners leave to the parser. */
export const BLOCK_STYLES = `# comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "web"   # quoted
  labels:
    app: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
        args: [--port, "80"]
        command:
          - sh
      volumes:
        -
          name: data
      note: |
        text
`;

export const corpus = new URL('../../../../shared/corpus/', import.meta.url).pathname;

/** Files below `dir` whose names match `pattern`, sorted. */
export function corpusFiles(pattern: RegExp, dir = corpus): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...corpusFiles(pattern, p));
    else if (pattern.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** A scanner: where `tokens` lie in the document `[start, end)` of `text`, with a memo per document. */
export type Scanner<M> = (
  text: string,
  start: number,
  end: number,
  tokens: readonly string[],
  memo: M,
) => ScanResult;

export interface Parity {
  /** Nodes answered with the parser's own range. */
  readonly same: number;
  /** Nodes the scanner left to the parser. */
  readonly unsure: number;
  /** Disagreements (and absent paths the scanner claimed to find), one line each. */
  readonly wrong: readonly string[];
}

/**
 * Ask `scan` for every node the parser maps in every document of `files` that `include` accepts,
 * and for a child of each that does not exist.
 */
export function compareWithParser<M>(
  files: readonly string[],
  scan: Scanner<M>,
  createMemo: () => M,
  include: (file: string, range: DocumentRange) => boolean,
): Parity {
  let same = 0;
  let unsure = 0;
  const wrong: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const range of splitDocuments(text)) {
      if (!include(file, range)) continue;
      const map = mapPointers(text.slice(range.start, range.end), 256);
      const memo = createMemo();
      for (const [pointer, node] of map) {
        if (pointer.includes('\u0000')) continue;
        const tokens = parsePointer(pointer);
        const got = scan(text, range.start, range.end, tokens, memo);
        const absent = scan(text, range.start, range.end, [...tokens, '\u0001absent'], memo);
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
  return { same, unsure, wrong };
}

/** What {@link compareLocateAll} found. */
export interface LocateAllParity {
  /** Places asked. */
  readonly compared: number;
  /** Of those, the ones the batch placer answered itself (the others went the careful way). */
  readonly batched: number;
  /** Up to ten places where `locateAll` and `locate` disagree. */
  readonly wrong: readonly string[];
}

/**
 * Ask `FileLocator.locateAll` and `locate` (one pointer at a time, on a second locator) for the
 * same places in each document of each file (every pointer the pointer map knows, up to 100 a
 * document: the value, the key, a missing child, a missing item), and count what `placer` (the
 * batch placer `locateAll` uses for such documents) answered itself.
 */
export function compareLocateAll(
  files: Iterable<{ readonly name: string; readonly path: string; readonly content: Uint8Array }>,
  placer: (
    text: string,
    start: number,
    end: number,
    requests: readonly PlaceRequest[],
  ) => (Placed | undefined)[],
  maxDocument: number,
): LocateAllParity {
  let compared = 0;
  let batched = 0;
  const wrong: string[] = [];
  for (const { name, path, content } of files) {
    const together = parseManifestFile({ path, content }).locator;
    const alone = parseManifestFile({ path, content }).locator;
    if (!together || !alone) continue;
    together.documents.forEach((range, document) => {
      if (range.end - range.start > maxDocument) return;
      const pointers = [...mapPointers(together.text.slice(range.start, range.end), 256).keys()]
        .filter((p) => !p.includes('\u0000'))
        .slice(0, 100);
      const asked = pointers.flatMap((pointer) => [
        { pointer, key: false },
        { pointer, key: true },
        { pointer: `${pointer}/absent`, key: false },
        { pointer: `${pointer}/7`, key: true },
      ]);
      const got = together.locateAll(document, asked);
      const direct = placer(
        together.text,
        range.start,
        range.end,
        asked.map((a) => ({ tokens: parsePointer(a.pointer), key: a.key })),
      );
      asked.forEach((a, i) => {
        compared++;
        if (direct[i] !== undefined) batched++;
        const want = alone.locate(document, a.pointer, a.key);
        if (JSON.stringify(got[i]) !== JSON.stringify(want) && wrong.length < 10) {
          wrong.push(
            `${name} #${document} ${a.pointer} key=${a.key}: ${JSON.stringify(got[i])} ≠ ${JSON.stringify(want)}`,
          );
        }
      });
    });
  }
  return { compared, batched, wrong };
}
