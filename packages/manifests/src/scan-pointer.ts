import { keepShape } from '@shipshape/core';
import type { NodeRange } from './pointer-map.js';

/**
 * Where a JSON Pointer lies in a block-style YAML document, found by following indentation along
 * the pointer's path instead of parsing the document: `'missing'` when the path surely does not
 * exist, `'unsure'` for anything it cannot answer exactly (flow collections, block scalars,
 * multi-line scalars, anchors, tags, quoted or complex keys, tabs, merge keys, repeated keys…),
 * where the caller parses. Ranges are absolute offsets in `text`, the same as the event-based
 * pointer map gives (a test holds the two together over the whole corpus).
 */
export type ScanResult = NodeRange | 'missing' | 'unsure';

/**
 * The document's lines, measured once: where each starts and ends, how far it is indented, and
 * whether it is blank. Every step of every pointer then works on line numbers and integers; the
 * first version measured lines again for each block it read, and placing a finding cost as much
 * as parsing its document.
 */
export class Lines {
  readonly count: number;
  /**
   * Per line, five integers: start, end (before `\r\n` or `\n`), indentation, 1 when blank or
   * only a comment, and the next line that is not blank and not indented deeper (`count` if none).
   * One array per document: typed arrays of this size live outside the heap, and each costs an
   * allocation of its own.
   */
  readonly #data: Int32Array;
  /** Whether some line is indented with a tab (then every line is looked at, none skipped). */
  readonly tabs: boolean;

  constructor(count: number, data: Int32Array, tabs: boolean) {
    this.count = count;
    this.#data = data;
    this.tabs = tabs;
  }

  /** The first line after `n` that is not indented deeper than `n`: past `n`'s nested lines. */
  next(n: number): number {
    return this.#data[n * 5 + 4] ?? this.count;
  }

  start(n: number): number {
    return this.#data[n * 5] ?? 0;
  }

  end(n: number): number {
    return this.#data[n * 5 + 1] ?? 0;
  }

  indent(n: number): number {
    return this.#data[n * 5 + 2] ?? 0;
  }

  blank(n: number): boolean {
    return this.#data[n * 5 + 3] === 1;
  }
}

// A line table is made and dropped per document: one kept keeps its hidden class (see keepShape).
keepShape(new Lines(0, new Int32Array(0), false));

/** A block node's children: entries at column `indent`, the first of which starts at `first` on line `line`. */
export interface Block {
  readonly first: number;
  readonly line: number;
  readonly indent: number;
  /** Whether the block is a sequence written at its parent key's column (`key:\n- a`). */
  readonly compact: boolean;
}

const UNSURE = 'unsure' as const;
const MISSING = 'missing' as const;

/**
 * What the scanner learnt about one document: its lines, the steps of pointers already followed
 * (most findings share their first steps), the entries of each block it read and where blocks end
 * (by the block's start).
 */
export interface ScanMemo {
  readonly steps: StepNode<Found | 'missing' | 'unsure'>;
  readonly blocks: Map<number, BlockEntries | 'unsure'>;
  /** Where blocks end, made on first use (only a finding on a whole collection needs it). */
  ends: Map<number, number | undefined> | undefined;
  lines: Lines | undefined;
}

/**
 * Steps already taken, as a tree by pointer token: following `/spec/template/spec` again looks up
 * three tokens, with no prefix strings to build and hash.
 */
export interface StepNode<T> {
  readonly step: T | undefined;
  /** The token that led here (`''` at the root). */
  readonly token: string;
  /** The first step taken below this one; the others follow through `next`. */
  first: StepNode<T> | undefined;
  readonly next: StepNode<T> | undefined;
}

/**
 * The step already taken below `level` for `token`. Children are a short list, not a Map: a node
 * has a few of them, and a Map per node was a sixth of what placing findings allocated.
 */
export function stepBelow<T>(level: StepNode<T>, token: string): StepNode<T> | undefined {
  for (let child = level.first; child !== undefined; child = child.next) {
    if (child.token === token) return child;
  }
  return undefined;
}

/** Remember `step` as the step below `level` for `token`. */
export function addStep<T>(level: StepNode<T>, token: string, step: T): StepNode<T> {
  const added: StepNode<T> = { step, token, first: undefined, next: level.first };
  level.first = added;
  return added;
}

/** A block's entries, read once: a mapping's entries (each with its key) or a sequence's items. */
interface BlockEntries {
  readonly entries: readonly Entry[];
  /** Whether the block is a sequence. */
  readonly sequence: boolean;
}

interface Entry {
  readonly at: number;
  /** The entry's line number in {@link Lines}. */
  readonly line: number;
  /** In a mapping: where the key's text ends, and where its colon is (set when the block is read). */
  keyEnd: number;
  colon: number;
}

/** A fresh memo for one document. */
export function createScanMemo(): ScanMemo {
  return {
    steps: { step: undefined, token: '', first: undefined, next: undefined },
    blocks: new Map(),
    ends: undefined,
    lines: undefined,
  };
}

/** A document's text and its measured lines: what the block helpers below read. */
export interface LinedText {
  readonly text: string;
  readonly lines: Lines;
}

/** The scanner's view of one document: its text, its end and its measured lines. */
interface Doc extends LinedText {
  readonly end: number;
}

export function scanPointer(
  text: string,
  docStart: number,
  docEnd: number,
  tokens: readonly string[],
  memo: ScanMemo = createScanMemo(),
  keyOnly = false,
): ScanResult {
  memo.lines ??= measureLines(text, docStart, docEnd);
  const doc: Doc = { text, end: docEnd, lines: memo.lines };
  if (tokens.length === 0) {
    // The whole document (admission policy findings, rule errors): its top-level mapping.
    const root = rootBlock(doc);
    if (root === undefined) return UNSURE;
    const end = endOf(doc, root, memo);
    return end === undefined ? UNSURE : { start: root.first, end };
  }
  let step: Found | 'missing' | 'unsure' | undefined;
  let level: StepNode<Found | 'missing' | 'unsure'> = memo.steps;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const next = stepBelow(level, token) ?? addStep(level, token, stepInto(doc, step, i === 0, token, memo));
    step = next.step;
    if (typeof step === 'string') return step;
    level = next;
  }
  if (step === undefined || typeof step === 'string') return UNSURE;
  if (step.child === undefined) return step.range;
  // Only the key is wanted (and there is one): where the block ends does not matter.
  if (keyOnly && step.range.keyStart !== undefined) return step.range;
  const first = step.child.first;
  const end = endOf(doc, step.child, memo);
  if (end === undefined) return UNSURE;
  const { keyStart, keyEnd } = step.range;
  return keyStart === undefined ? { start: first, end } : { start: first, end, keyStart, keyEnd };
}

/** Where a block ends ({@link blockEnd}), worked out once per block. */
function endOf(doc: Doc, block: Block, memo: ScanMemo): number | undefined {
  memo.ends ??= new Map();
  if (memo.ends.has(block.first)) return memo.ends.get(block.first);
  const end = blockEnd(doc, block)?.end;
  memo.ends.set(block.first, end);
  return end;
}

/** Scratch space for {@link measureLines}, kept between documents. */
let openLines = new Int32Array(256);
/** Lines are measured into this (grown as needed), then copied out at their exact size: one pass. */
let scratch = new Int32Array(1024 * 5);
/** Buffers larger than this (4 MiB) are not kept between documents. */
const SCRATCH_LIMIT = 1 << 20;

/**
 * Measure every line of `[docStart, docEnd)` (a document starts at a line start). With `keep` false
 * the lines are left in a buffer the next call overwrites: for a caller done with them before then.
 */
export function measureLines(text: string, docStart: number, docEnd: number, keep = true): Lines {
  let data = scratch;
  let open = openLines;
  let depth = 0;
  let tabs = false;
  let n = 0;
  for (let pos = docStart; pos < docEnd; n++) {
    if ((n + 1) * 5 > data.length) {
      const bigger = new Int32Array(data.length * 2);
      bigger.set(data);
      data = bigger;
      scratch = bigger;
    }
    if (n >= open.length) {
      const bigger = new Int32Array(open.length * 2);
      bigger.set(open);
      open = bigger;
      openLines = bigger;
    }
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > docEnd) nl = docEnd;
    const lineEnd = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    let i = pos;
    while (i < lineEnd && text.charCodeAt(i) === 32) i++;
    const indent = i - pos;
    const blank = i >= lineEnd || text.charCodeAt(i) === 35; /* # */
    const at = n * 5;
    data[at] = pos;
    data[at + 1] = lineEnd;
    data[at + 2] = indent;
    data[at + 3] = blank ? 1 : 0;
    data[at + 4] = n + 1; // blank lines; the others are set when a shallower line closes them
    pos = nl + 1;
    if (blank) continue;
    if (text.charCodeAt(i) === 9) tabs = true;
    // Lines whose next shallower-or-equal line is not known yet (their indents grow towards the top).
    while (depth > 0 && (data[(open[depth - 1] ?? 0) * 5 + 2] ?? 0) >= indent)
      data[(open[--depth] ?? 0) * 5 + 4] = n;
    open[depth++] = n;
  }
  while (depth > 0) data[(open[--depth] ?? 0) * 5 + 4] = n;
  const lines = new Lines(n, keep ? data.slice(0, n * 5) : data, tabs);
  // A huge document grew the buffers: give the memory back rather than keep it for the process.
  if (scratch.length > SCRATCH_LIMIT) scratch = new Int32Array(1024 * 5);
  if (openLines.length > SCRATCH_LIMIT) openLines = new Int32Array(256);
  return lines;
}

/** The number of the line (from the document's first, 0-based) that holds `offset`. */
export function lineOf(lines: Lines, offset: number): number {
  let lo = 0;
  let hi = lines.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines.start(mid) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** One step down: `token` below the node `parent` (or below the document's root). */
function stepInto(
  doc: Doc,
  parent: Found | 'missing' | 'unsure' | undefined,
  atRoot: boolean,
  token: string,
  memo: ScanMemo,
): Found | 'missing' | 'unsure' {
  let block: Block | undefined;
  if (atRoot) {
    block = rootBlock(doc);
    if (block === undefined) return UNSURE;
  } else {
    if (parent === undefined || typeof parent === 'string') return parent ?? UNSURE;
    if (parent.child === undefined) return MISSING; // a scalar has no children
    block = parent.child;
  }
  let entries = memo.blocks.get(block.first);
  if (entries === undefined) {
    entries = readBlock(doc, block);
    memo.blocks.set(block.first, entries);
  }
  if (entries === UNSURE) return UNSURE;
  return entries.sequence ? findItem(doc, block, entries, token) : findKey(doc, block, entries, token);
}

/**
 * Read a block's entries once: a sequence's items, or a mapping's entries with where each key
 * ends. Keys are compared in the text when looked up: no string or map per key.
 */
function readBlock(doc: Doc, block: Block): BlockEntries | 'unsure' {
  const { text, lines } = doc;
  const sequence = isSequenceAt(text, block.first);
  const all = entries(doc, block);
  if (all === UNSURE) return UNSURE;
  for (const entry of all) {
    if (isSequenceAt(text, entry.at) !== sequence) return UNSURE;
    if (sequence) continue;
    const colon = plainKeyColon(text, entry.at, lines.end(entry.line));
    if (colon < 0) return UNSURE;
    let keyEnd = colon;
    while (keyEnd > entry.at && text.charCodeAt(keyEnd - 1) === 32) keyEnd--;
    // A merge key, or a key ending in other white space (a tab): the parser knows best.
    if ((keyEnd - entry.at === 2 && text.startsWith('<<', entry.at)) || isWhiteAt(text, keyEnd - 1)) {
      return UNSURE;
    }
    entry.keyEnd = keyEnd;
    entry.colon = colon;
  }
  return { entries: all, sequence };
}

/** The document's top-level mapping, written as a block at column 0. */
export function rootBlock(doc: LinedText): Block | undefined {
  const { text, lines } = doc;
  for (let n = 0; n < lines.count; n++) {
    const start = lines.start(n);
    const end = lines.end(n);
    const at = start + lines.indent(n);
    if (lines.blank(n) || text.charCodeAt(at) === 37 /* % */ || isMarker(text, at, end, '---')) {
      if (text.slice(start, end).includes('\t')) return undefined;
      continue;
    }
    if (lines.indent(n) !== 0) return undefined;
    return { first: start, line: n, indent: 0, compact: false };
  }
  return undefined;
}

/** Whether `marker` (`---` or `...`) starts the text at `at`, followed by white space or the line's end. */
export function isMarker(text: string, at: number, end: number, marker: string): boolean {
  if (!text.startsWith(marker, at) || at + 3 > end) return false;
  return at + 3 === end || /\s/.test(text[at + 3] ?? '');
}

/**
 * Whether the character at `i` is white space as `String.prototype.trim` sees it (`true` past the
 * text's ends, as for an empty string); ASCII without making a one-character string.
 */
export function isWhiteAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return text.charAt(i).trim() === '';
}

export function isDocumentBoundary(text: string, at: number, end: number): boolean {
  return isMarker(text, at, end, '---') || isMarker(text, at, end, '...');
}

export function isSequenceAt(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 45 /* - */) return false;
  const next = text.charCodeAt(at + 1);
  return Number.isNaN(next) || next === 32 || next === 13 || next === 10;
}

/** Entries of a block: the first at `block.first`, then each line at the block's column. */
function entries(doc: Doc, block: Block): Entry[] | 'unsure' {
  const { text, lines } = doc;
  const firstLine = block.line;
  const firstIsItem = isSequenceAt(text, block.first);
  const out: Entry[] = [{ at: block.first, line: firstLine, keyEnd: 0, colon: 0 }];
  // Lines nested deeper are skipped in one jump, unless a tab somewhere makes every line count.
  const jump = !lines.tabs;
  for (let n = firstLine + 1; n < lines.count; ) {
    if (lines.blank(n)) {
      n++;
      continue;
    }
    const indent = lines.indent(n);
    const at = lines.start(n) + indent;
    if (text.charCodeAt(at) === 9 /* a tab in the indentation */) return UNSURE;
    if (indent > block.indent) {
      n = jump ? lines.next(n) : n + 1;
      continue;
    }
    if (indent < block.indent) break;
    if (block.compact && !isSequenceAt(text, at)) break;
    // In a mapping, `- ` lines at its own column are a compact sequence under the previous key.
    if (!block.compact && !firstIsItem && isSequenceAt(text, at)) {
      n++;
      continue;
    }
    if (isDocumentBoundary(text, at, lines.end(n))) break;
    out.push({ at, line: n, keyEnd: 0, colon: 0 });
    n++;
  }
  return out;
}

export interface Found {
  readonly range: NodeRange;
  /** The block value below, when the value is a block collection. */
  readonly child: Block | undefined;
  /** The value is a scalar (no children). */
  readonly scalar: boolean;
}

/**
 * Where the colon of a plain mapping key that starts at `at` is, on a line that ends at `end`; -1
 * when the line does not start with one. The same as matching
 * `/^([A-Za-z0-9_$./@-][^:#\r\n"'{}[\],&*!|>%\`]*?)[ ]*:(?=[ \r\n]|$)/` on the line's text,
 * without making the text or a match.
 */
export function plainKeyColon(text: string, at: number, end: number): number {
  if (at >= end) return -1;
  // A table lookup rather than a regular expression on a one-character string: this runs for every
  // entry of every block a finding's path crosses, mostly before V8 has optimized it.
  const first = text.charCodeAt(at);
  if (first >= 128 || KEY_START[first] !== 1) return -1;
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 /* : */) {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 32;
      return next === 32 || next === 13 || next === 10 ? i : -1;
    }
    if (c < 128 && KEY_EXCLUDED[c] === 1) return -1;
  }
  return -1;
}

/** ASCII characters a plain key may start with: `[A-Za-z0-9_$./@-]`. */
const KEY_START = (() => {
  const table = new Uint8Array(128);
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$./@-')
    table[c.charCodeAt(0)] = 1;
  return table;
})();
/** ASCII characters a plain key cannot hold (besides the colon that ends it). */
const KEY_EXCLUDED = (() => {
  const table = new Uint8Array(128);
  for (const c of '#\r\n"\'{}[],&*!|>%`') table[c.charCodeAt(0)] = 1;
  return table;
})();
const INDEX = /^(?:0|[1-9][0-9]*)$/;

function findKey(doc: Doc, block: Block, entries: BlockEntries, token: string): Found | 'missing' | 'unsure' {
  const { text } = doc;
  let entry: Entry | undefined;
  for (const e of entries.entries) {
    if (e.keyEnd - e.at !== token.length || !text.startsWith(token, e.at)) continue;
    // A repeated key: the parser decides which one wins.
    if (entry !== undefined) return UNSURE;
    entry = e;
  }
  if (entry === undefined) return MISSING;
  const keyStart = entry.at;
  const keyEnd = keyStart + token.length;
  const value = valueAt(doc, entry.line, entry.colon + 1, block.indent);
  if (value === undefined) return UNSURE;
  // Written out: an object spread here cost more than the whole scan (V8's clone of mixed shapes).
  const end = value.child === undefined ? value.end : value.start;
  const range: NodeRange = { start: value.start, end, keyStart, keyEnd };
  return { range, child: value.child, scalar: value.child === undefined };
}

function findItem(
  doc: Doc,
  block: Block,
  entries: BlockEntries,
  token: string,
): Found | 'missing' | 'unsure' {
  if (!INDEX.test(token)) return MISSING;
  const entry = entries.entries[Number(token)];
  if (entry === undefined) return MISSING;
  const value = itemAt(doc, block, entry.at, entry.line);
  if (value === undefined) return UNSURE;
  const end = value.child === undefined ? value.end : value.start;
  return { range: { start: value.start, end }, child: value.child, scalar: value.child === undefined };
}

/**
 * A value where the scanners can tell it: where it starts and on which line, and either the block
 * collection it is or, for a scalar (`child` undefined), where it ends on that line.
 */
export interface ValueAt {
  readonly start: number;
  readonly line: number;
  readonly end: number;
  readonly child: Block | undefined;
}

/** The item of sequence `block` that starts at `at` on line `line`; `undefined` when unsure. */
export function itemAt(doc: LinedText, block: Block, at: number, line: number): ValueAt | undefined {
  const { text, lines } = doc;
  const lineEnd = lines.end(line);
  let p = at + 1;
  while (p < lineEnd && text.charCodeAt(p) === 32) p++;
  if (p >= lineEnd || text.charCodeAt(p) === 35 /* # */) {
    const child = blockBelow(doc, line, block.indent);
    if (child === UNSURE || child === undefined) return undefined; // an empty item is null
    return { start: child.first, line: child.line, end: child.first, child };
  }
  if (isSequenceAt(text, p)) return undefined;
  if (plainKeyColon(text, p, lineEnd) >= 0) {
    // `- key: value`: the item is a mapping whose entries sit at the column of its first key.
    const child: Block = { first: p, line, indent: p - lines.start(line), compact: false };
    return { start: p, line, end: p, child };
  }
  return valueAt(doc, line, p, block.indent);
}

/**
 * The value that starts at `from` on line `line` (after `key:` or `- `), for a parent at column
 * `indent`; `undefined` when unsure.
 */
export function valueAt(doc: LinedText, line: number, from: number, indent: number): ValueAt | undefined {
  const { text, lines } = doc;
  const lineEnd = lines.end(line);
  let p = from;
  while (p < lineEnd && text.charCodeAt(p) === 32) p++;
  if (p >= lineEnd || text.charCodeAt(p) === 35 /* # */) {
    const child = blockBelow(doc, line, indent);
    if (child === UNSURE || child === undefined) return undefined; // null values: the parser knows where
    return { start: child.first, line: child.line, end: child.first, child };
  }
  const end = scalarEnd(text, p, lineEnd);
  if (end === undefined) return undefined;
  // A more indented line that follows continues a plain or quoted scalar: the parser knows best.
  const next = nextContent(lines, line + 1);
  if (next !== undefined && lines.indent(next) > indent) return undefined;
  return { start: p, line, end, child: undefined };
}

/** The first line from `from` on that is not blank. */
export function nextContent(lines: Lines, from: number): number | undefined {
  for (let n = from; n < lines.count; n++) if (!lines.blank(n)) return n;
  return undefined;
}

/** The block collection on the lines after `line`, whose parent entry sits at column `indent`. */
export function blockBelow(doc: LinedText, line: number, indent: number): Block | 'unsure' | undefined {
  const { text, lines } = doc;
  const next = nextContent(lines, line + 1);
  if (next === undefined) return undefined;
  const nextIndent = lines.indent(next);
  const at = lines.start(next) + nextIndent;
  if (text.charCodeAt(at) === 9 /* a tab in the indentation */) return UNSURE;
  if (isDocumentBoundary(text, at, lines.end(next))) return undefined;
  if (nextIndent > indent) return { first: at, line: next, indent: nextIndent, compact: false };
  if (nextIndent === indent && isSequenceAt(text, at))
    return { first: at, line: next, indent, compact: true };
  return undefined;
}

/**
 * Where a block collection's last scalar ends, and on which line, if every line of it is simple
 * enough to tell.
 */
export function blockEnd(
  doc: LinedText,
  block: Block,
): { readonly end: number; readonly line: number } | undefined {
  const { text, lines } = doc;
  let lastEnd: number | 'open' | undefined;
  let lastLine = block.line;
  for (let n = block.line; n < lines.count; n++) {
    if (lines.blank(n)) continue;
    const indent = lines.indent(n);
    const lineEnd = lines.end(n);
    let at = lines.start(n) + indent;
    if (n !== block.line) {
      if (indent < block.indent) break;
      if (indent === block.indent) {
        if (block.compact && !isSequenceAt(text, at)) break;
        if (isDocumentBoundary(text, at, lineEnd)) break;
      }
    } else {
      at = block.first;
    }
    const end = simpleLineEnd(text, at, lineEnd);
    if (end === undefined) return undefined;
    lastEnd = end;
    lastLine = n;
  }
  // The last line must end in a value: a trailing `key:` or `-` is a null the parser places.
  return lastEnd === undefined || lastEnd === 'open' ? undefined : { end: lastEnd, line: lastLine };
}

/**
 * Where the value on a line ends, for lines of the forms `key: value`, `- value`, `- key: value`
 * with a plain or single-line quoted value and an optional comment; `'open'` for `key:` and `-`
 * with nothing after them (a block below, or a null); `undefined` for anything else (block
 * scalars, flow collections, anchors, tags, continuation lines). Reads the text in place: it runs
 * on every line of a collection whose end is asked for.
 */
export function simpleLineEnd(text: string, at: number, end: number): number | 'open' | undefined {
  let p = at;
  if (isSequenceAt(text, p)) {
    p++;
    while (p < end && text.charCodeAt(p) === 32) p++;
    if (p >= end || text.charCodeAt(p) === 35) return 'open';
    if (isSequenceAt(text, p)) return undefined;
  }
  const colon = plainKeyColon(text, p, end);
  if (colon >= 0) {
    p = colon + 1;
    while (p < end && text.charCodeAt(p) === 32) p++;
    if (p >= end || text.charCodeAt(p) === 35) return 'open';
  } else if (p >= end || text.charCodeAt(p) === 35) {
    return undefined;
  } else if (!(text.charCodeAt(at) === 45 && p > at)) {
    return undefined; // neither `key:` nor `- `: a continuation line
  }
  return scalarEnd(text, p, end);
}

/**
 * Where a single-line scalar that starts at `p` (on a line ending at `end`) ends: after the closing
 * quote of a quoted one, before the comment of a plain one. `undefined` for anything else: flow
 * collections, block scalars, anchors, aliases, tags, quotes closed on a later line, plain text
 * with `: `.
 */
export function scalarEnd(text: string, p: number, end: number): number | undefined {
  if (p >= end) return undefined;
  const c = text.charCodeAt(p);
  // An empty flow collection (`emptyDir: {}`, `args: []`) ends where a scalar would: Kubernetes
  // manifests are full of them, and leaving them to the parser re-parsed the whole document.
  if (
    (c === 123 /* { */ && text.charCodeAt(p + 1) === 125) ||
    (c === 91 /* [ */ && text.charCodeAt(p + 1) === 93)
  ) {
    let after = p + 2;
    if (after > end) return undefined;
    while (after < end && isWhiteSpace(text.charCodeAt(after))) after++;
    return after < end && text.charCodeAt(after) !== 35 /* # */ ? undefined : p + 2;
  }
  if (c < 128 && NOT_A_SCALAR[c] === 1) return undefined;
  if (c === 34 /* " */ || c === 39 /* ' */) {
    const close = closingQuote(text, p, end, c);
    if (close < 0) return undefined;
    let after = close + 1;
    while (after < end && isWhiteSpace(text.charCodeAt(after))) after++;
    if (after < end && text.charCodeAt(after) !== 35 /* # */) return undefined;
    return close + 1;
  }
  // A plain scalar ends before ` #` (a comment) or at the line's end, without trailing white space.
  let stop = end;
  for (let i = p; i < end; i++) {
    const ch = text.charCodeAt(i);
    if ((ch === 32 || ch === 9) && text.charCodeAt(i + 1) === 35 && i + 1 < end) {
      stop = i;
      break;
    }
  }
  while (stop > p && isWhiteSpace(text.charCodeAt(stop - 1))) stop--;
  // `: ` or a final `:` would make it a mapping; a tab, something the parser should judge.
  for (let i = p; i < stop; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 9) return undefined;
    if (ch === 58 /* : */ && (i + 1 === stop || text.charCodeAt(i + 1) === 32)) return undefined;
  }
  return stop;
}

/** The first character of what is not a plain or quoted scalar: flow, block scalar, anchor, alias, tag, … */
const NOT_A_SCALAR = (() => {
  const table = new Uint8Array(128);
  for (const c of '{[|>&*!%@`?') table[c.charCodeAt(0)] = 1;
  return table;
})();

/** Where the quote opened at `p` closes on its line, or -1. */
function closingQuote(text: string, p: number, end: number, quote: number): number {
  for (let i = p + 1; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (quote === 34 && ch === 92 /* \\ */) {
      i++;
      continue;
    }
    if (ch === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39 && i + 1 < end) {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

/** What `String.prototype.trim` removes: white space and line terminators. */
function isWhiteSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
