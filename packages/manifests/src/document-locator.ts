import {
  keepShape,
  LineIndex,
  type PlaceQuery,
  parsePointer,
  type SourcePosition,
  type SourceSpan,
} from '@shipshape/core';
import { decodeManifestBytes } from './decode.js';
import { type Placed, type PlaceRequest, placeAll } from './place-batch.js';
import { placeAllJson } from './place-json.js';
import { mapPointers, type NodeRange } from './pointer-map.js';
import { createJsonScanMemo, type JsonScanMemo, scanJsonPointer } from './scan-json.js';
import { createScanMemo, lineOf, type ScanMemo, type ScanResult, scanPointer } from './scan-pointer.js';
import type { DocumentRange } from './split-documents.js';

/**
 * Positions inside one file: line/column for offsets, and JSON Pointer → span per document,
 * computed on first use only.
 */
export class FileLocator {
  readonly path: string;
  readonly ref: string | undefined;
  readonly documents: readonly DocumentRange[];
  #text: string | undefined;
  /** The bytes the text was decoded from, to decode it again after {@link FileLocator.compact}. */
  readonly #bytes: Uint8Array | undefined;
  #lines: LineIndex | undefined;
  readonly #maxDepth: number;
  // A newline-counting cursor for spans asked in offset order: no line table needed.
  #cursorOffset = 0;
  #cursorLine = 1;
  #cursorLineStart = 0;
  /** Pointer maps per document, made on first use (most files never need one). */
  #maps: Map<number, Map<string, NodeRange>> | undefined;
  /** The line number each document starts on, once asked. */
  #firstLines: Map<number, number> | undefined;
  /** Steps of the scanners already taken, per document. */
  #scans: Map<number, ScanMemo | JsonScanMemo> | undefined;
  /**
   * Spans already answered, by document, pointer and key: several rules often report at the same
   * place (nine at one container of a Deployment), and share one span object (spans are read-only).
   */
  #answers: Map<string, SourceSpan | undefined> | undefined;

  constructor(
    path: string,
    ref: string | undefined,
    text: string,
    documents: readonly DocumentRange[],
    maxDepth: number,
    bytes?: Uint8Array,
  ) {
    this.path = path;
    this.ref = ref;
    this.#text = text;
    this.#bytes = bytes;
    this.documents = documents;
    this.#maxDepth = maxDepth;
  }

  /** Whether {@link compact} was called: the file's text is only decoded again when asked. */
  #released = false;

  /**
   * {@link compact} again a file compacted once and decoded since (a finding placed at the end of a
   * check decodes its file again); others keep their text.
   */
  recompact(): void {
    if (this.#released) this.compact();
  }

  /** The file's decoded text (decoded again on first use after {@link compact}). */
  get text(): string {
    this.#text ??= decodeManifestBytes(this.#bytes ?? new Uint8Array(), this.path).text ?? '';
    return this.#text;
  }

  /**
   * Drop the decoded text when it can be decoded again from bytes kept elsewhere. Bytes live outside
   * the JavaScript heap, so holding them instead of text keeps the garbage collector from copying
   * the text of every file read (measured: 160 ms of scavenges for 30 MB on the generated
   * 30,000-resource repository).
   */
  compact(): void {
    this.#released = true;
    // Pointer maps are dropped too: they serve the findings of the file being checked, and a
    // repository's worth of them would be kept for nothing (made again if asked for later).
    this.#maps = undefined;
    this.#scans = undefined;
    this.#firstLines = undefined;
    this.#answers = undefined;
    if (this.#bytes === undefined) return;
    // The line table goes with the text (it holds it); both are made again if a span is asked.
    this.#text = undefined;
    this.#lines = undefined;
    this.#cursorOffset = 0;
    this.#cursorLine = 1;
    this.#cursorLineStart = 0;
  }

  /**
   * Line and column of an offset. Offsets asked in increasing order (a resource per document)
   * are answered by counting newlines from the last one; others build a line table once.
   */
  position(offset: number): SourcePosition {
    const text = this.text;
    const at = Math.max(0, Math.min(offset, text.length));
    if (this.#lines === undefined && at >= this.#cursorOffset) {
      let line = this.#cursorLine;
      let lineStart = this.#cursorLineStart;
      for (
        let nl = text.indexOf('\n', this.#cursorOffset);
        nl >= 0 && nl < at;
        nl = text.indexOf('\n', nl + 1)
      ) {
        line++;
        lineStart = nl + 1;
      }
      this.#cursorOffset = at;
      this.#cursorLine = line;
      this.#cursorLineStart = lineStart;
      return { offset: at, line, column: at - lineStart + 1 };
    }
    this.#lines ??= new LineIndex(this.text);
    return this.#lines.position(at);
  }

  /**
   * Line and column of an offset inside document `document`: from the lines the indentation
   * scanner measured when it has (no table of the whole file), else from {@link position}.
   */
  #positionIn(document: number, offset: number): SourcePosition {
    const memo = this.#scans?.get(document);
    const range = this.documents[document];
    if (memo === undefined || !('lines' in memo) || memo.lines === undefined || range === undefined) {
      return this.position(offset);
    }
    if (offset < range.start || offset >= range.end) return this.position(offset);
    const first = this.#firstLine(document, range);
    const line = lineOf(memo.lines, offset);
    return { offset, line: first + line, column: offset - memo.lines.start(line) + 1 };
  }

  /** A span of absolute offsets in document `document`. */
  span(document: number, start: number, end: number): SourceSpan {
    const startAt = this.#positionIn(document, start);
    const endAt = this.#positionIn(document, Math.max(start, end));
    return this.ref === undefined
      ? { path: this.path, document, start: startAt, end: endAt }
      : { path: this.path, ref: this.ref, document, start: startAt, end: endAt };
  }

  /**
   * The span of `pointer` in document `document`, or of its nearest ancestor present in the
   * source. With `key`, the span of the mapping key instead of the value, when there is one.
   */
  locate(document: number, pointer: string, key = false): SourceSpan | undefined {
    const id = `${document}${key ? '\u0001' : '\u0000'}${pointer}`;
    this.#answers ??= new Map();
    if (this.#answers.has(id)) return this.#answers.get(id);
    const span = this.#locate(document, pointer, key);
    this.#answers.set(id, span);
    return span;
  }

  /**
   * {@link locate} for several places in one document at once: the answers are the same, found
   * in one walk over the document for all of them (see {@link placeAll}, and {@link placeAllJson} for a
   * document written as JSON).
   */
  locateAll(document: number, requests: readonly PlaceQuery[]): (SourceSpan | undefined)[] {
    const range = this.documents[document];
    const text = this.text;
    const asked: PlaceRequest[] = new Array<PlaceRequest>(requests.length);
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i] as PlaceQuery;
      asked[i] = { tokens: tokensOf(r.pointer), key: r.key === true };
    }
    const placed =
      range === undefined
        ? []
        : isJsonDocument(text, range)
          ? placeAllJson(text, range.start, range.end, asked)
          : placeAll(text, range.start, range.end, asked);
    // A document is placed in one batch (its resource's findings): no memo of answers to consult or
    // fill. Places asked twice share one answer, and so one span object.
    const out = new Array<SourceSpan | undefined>(requests.length);
    let first: number | undefined;
    // Answers already turned into spans (a resource has a handful of findings: a list to scan).
    const made: Placed[] = [];
    const spans: SourceSpan[] = [];
    for (let i = 0; i < requests.length; i++) {
      const at = placed[i];
      if (at === undefined || range === undefined) {
        const r = requests[i] as PlaceQuery;
        out[i] = this.locate(document, r.pointer, r.key === true);
        continue;
      }
      const known = made.indexOf(at);
      if (known >= 0) {
        out[i] = spans[known];
        continue;
      }
      first ??= this.#firstLine(document, range);
      const start = {
        offset: at.start,
        line: first + at.startLine,
        column: at.start - at.startLineStart + 1,
      };
      const end = { offset: at.end, line: first + at.endLine, column: at.end - at.endLineStart + 1 };
      const span: SourceSpan =
        this.ref === undefined
          ? { path: this.path, document, start, end }
          : { path: this.path, ref: this.ref, document, start, end };
      out[i] = span;
      made.push(at);
      spans.push(span);
    }
    return out;
  }

  /** The line document `document` starts on (1 for a first document at the file's start, without a lookup). */
  #firstLine(document: number, range: DocumentRange): number {
    if (document === 0 && range.start === 0) return 1;
    this.#firstLines ??= new Map();
    let first = this.#firstLines.get(document);
    if (first === undefined) {
      first = this.position(range.start).line;
      this.#firstLines.set(document, first);
    }
    return first;
  }

  #locate(document: number, pointer: string, key: boolean): SourceSpan | undefined {
    const range = this.documents[document];
    if (!range) return undefined;
    const quick = this.#topLevel(document, range, pointer, key);
    if (quick) return quick;
    // Follow the indentation along the pointer's path; parse only when that cannot tell.
    for (let p = pointer; ; ) {
      const found = this.#scan(document, range, tokensOf(p), key || p !== pointer);
      if (found === 'unsure') break;
      if (found !== 'missing') {
        const useKey = (key || p !== pointer) && found.keyStart !== undefined && found.keyEnd !== undefined;
        const start = useKey ? (found.keyStart ?? 0) : found.start;
        const end = useKey ? (found.keyEnd ?? 0) : p === pointer ? found.end : found.start;
        return this.span(document, start, end);
      }
      if (p === '') break;
      p = p.slice(0, p.lastIndexOf('/'));
    }
    const map = this.#pointerMap(document, range);
    let p = pointer;
    for (;;) {
      const node = map.get(p);
      if (node) {
        // A missing field points at the key of its nearest ancestor: the object that should hold it.
        const useKey = (key || p !== pointer) && node.keyStart !== undefined && node.keyEnd !== undefined;
        const start = range.start + (useKey ? (node.keyStart ?? 0) : node.start);
        // A fallback to a keyless ancestor (the document itself) marks only where it starts.
        const end = range.start + (useKey ? (node.keyEnd ?? 0) : p === pointer ? node.end : node.start);
        return this.span(document, start, end);
      }
      if (p === '') break;
      p = p.slice(0, p.lastIndexOf('/'));
    }
    const start = contentStart(this.text, range);
    return this.span(document, start, start);
  }

  /**
   * A top-level field of a block mapping (`apiVersion: v1` at column 0), found with a text search
   * instead of a parse: most diagnostics about a whole resource point at `/apiVersion` or `/kind`.
   * Returns `undefined` for anything it cannot answer exactly (the caller parses).
   */
  #topLevel(document: number, range: DocumentRange, pointer: string, key: boolean): SourceSpan | undefined {
    // Only `/field`: deeper pointers (most findings) go straight to the scanner.
    if (pointer === '' || pointer.indexOf('/', 1) >= 0) return undefined;
    const name = pointer.slice(1);
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) return undefined;
    let re = TOP_LEVEL.get(name);
    if (!re) {
      re = new RegExp(
        `^${name}[ \\t]*:(?:[ \\t]+([^ \\t\\r\\n#'"{\\[&*!|>][^\\r\\n#]*?))?[ \\t]*(?:#.*)?$`,
        'gm',
      );
      TOP_LEVEL.set(name, re);
    }
    re.lastIndex = range.start;
    const m = re.exec(this.text);
    // A key at column 0 of a block document is a key of its top-level mapping (block scalars and
    // nested mappings are indented).
    if (!m || m.index >= range.end) return undefined;
    if (key) return this.span(document, m.index, m.index + name.length);
    const value = m[1];
    if (value === undefined) return undefined;
    const start = m.index + m[0].indexOf(value, name.length + 1);
    return this.span(document, start, start + value.length);
  }

  /** Follow `tokens` with the JSON scanner (a document written as JSON) or the indentation one. */
  #scan(document: number, range: DocumentRange, tokens: readonly string[], keyOnly: boolean): ScanResult {
    this.#scans ??= new Map();
    let memo = this.#scans.get(document);
    if (!memo) {
      memo = isJsonDocument(this.text, range) ? createJsonScanMemo() : createScanMemo();
      this.#scans.set(document, memo);
    }
    return 'containers' in memo
      ? scanJsonPointer(this.text, range.start, range.end, tokens, memo)
      : scanPointer(this.text, range.start, range.end, tokens, memo, keyOnly);
  }

  #pointerMap(document: number, range: DocumentRange): Map<string, NodeRange> {
    this.#maps ??= new Map();
    let map = this.#maps.get(document);
    if (!map) {
      map = mapPointers(this.text.slice(range.start, range.end), this.#maxDepth);
      this.#maps.set(document, map);
    }
    return map;
  }
}

// A repository's locators all die between two checks in one process: one kept keeps their hidden
// class, and the placement code compiled for it (see keepShape).
keepShape(new FileLocator('', undefined, '', [], 1, new Uint8Array(0)));

const TOP_LEVEL = new Map<string, RegExp>();

// Findings point at the same few paths in every resource (`/spec/template/spec/containers/0`):
// their tokens are parsed once. Bounded, so a repository of unusual paths cannot grow it forever.
const TOKENS_LIMIT = 4096;
const tokensCache = new Map<string, readonly string[]>();

function tokensOf(pointer: string): readonly string[] {
  let tokens = tokensCache.get(pointer);
  if (tokens === undefined) {
    tokens = parsePointer(pointer);
    if (tokensCache.size >= TOKENS_LIMIT) tokensCache.clear();
    tokensCache.set(pointer, tokens);
  }
  return tokens;
}

/** Whether a document is written as JSON: it opens with `{` or `[` (its scanner checks the rest). */
function isJsonDocument(text: string, range: DocumentRange): boolean {
  for (let i = range.start; i < range.end; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) return true;
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
  }
  return false;
}

// Skips the marker line, blank lines, comments and directives at the top of a document.
const PREAMBLE = /(?:[ \t]*(?:#[^\n]*)?\r?\n|---[ \t]*(?:#[^\n]*)?\r?\n|%[^\n]*\r?\n)*/y;

/** Offset of the first content line of a document (or its start when it has none). */
export function contentStart(text: string, range: DocumentRange): number {
  PREAMBLE.lastIndex = range.start;
  PREAMBLE.exec(text);
  const at = PREAMBLE.lastIndex;
  return at < range.end ? at : range.start;
}
