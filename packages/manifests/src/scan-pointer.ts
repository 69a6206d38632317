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

interface Line {
  readonly start: number;
  /** End of the line, before `\r\n` or `\n`. */
  readonly end: number;
  /** Start of the next line. */
  readonly next: number;
  readonly indent: number;
  /** Blank, or only a comment. */
  readonly blank: boolean;
}

/** A block node's children: entries at column `indent`, the first of which starts at `first`. */
interface Block {
  readonly first: number;
  readonly indent: number;
  /** Whether the block is a sequence written at its parent key's column (`key:\n- a`). */
  readonly compact: boolean;
}

const UNSURE = 'unsure' as const;
const MISSING = 'missing' as const;

/**
 * What the scanner learnt about one document: the steps of pointers already followed (most
 * findings share their first steps) and the entries of each block it read (by the block's start).
 */
export interface ScanMemo {
  readonly steps: Map<string, Found | 'missing' | 'unsure'>;
  readonly blocks: Map<number, BlockEntries | 'unsure'>;
}

/** A block's entries, read once: mapping entries by key, sequence items in order. */
interface BlockEntries {
  readonly keys: Map<string, Entry[]>;
  readonly items: Entry[];
  /** Whether the block is a sequence. */
  readonly sequence: boolean;
  /** Where each mapping key's text matched (`PLAIN_KEY`), by entry position. */
  readonly keyMatch: Map<number, RegExpExecArray>;
}

interface Entry {
  readonly at: number;
  readonly line: Line;
}

/** A fresh memo for one document. */
export function createScanMemo(): ScanMemo {
  return { steps: new Map(), blocks: new Map() };
}

export function scanPointer(
  text: string,
  docStart: number,
  docEnd: number,
  tokens: readonly string[],
  memo: ScanMemo = createScanMemo(),
  keyOnly = false,
): ScanResult {
  // The whole document: callers use the document's own span.
  if (tokens.length === 0) return UNSURE;
  let key = '';
  let step: Found | 'missing' | 'unsure' | undefined;
  for (const token of tokens) {
    const parentKey = key;
    key = `${key}/${token}`;
    const known = memo.steps.get(key);
    if (known !== undefined) {
      step = known;
    } else {
      const parent = parentKey === '' ? undefined : memo.steps.get(parentKey);
      step = stepInto(text, docStart, docEnd, parent, parentKey === '', token, memo);
      memo.steps.set(key, step);
    }
    if (typeof step === 'string') return step;
  }
  if (step === undefined || typeof step === 'string') return UNSURE;
  if (step.child === undefined) return step.range;
  // Only the key is wanted (and there is one): where the block ends does not matter.
  if (keyOnly && step.range.keyStart !== undefined) return step.range;
  const end = blockEnd(text, docEnd, step.child);
  return end === undefined ? UNSURE : { ...step.range, start: step.child.first, end };
}

/** One step down: `token` below the node `parent` (or below the document's root). */
function stepInto(
  text: string,
  docStart: number,
  docEnd: number,
  parent: Found | 'missing' | 'unsure' | undefined,
  atRoot: boolean,
  token: string,
  memo: ScanMemo,
): Found | 'missing' | 'unsure' {
  let block: Block | undefined;
  if (atRoot) {
    block = rootBlock(text, docStart, docEnd);
    if (block === undefined) return UNSURE;
  } else {
    if (parent === undefined || typeof parent === 'string') return parent ?? UNSURE;
    if (parent.child === undefined) return MISSING; // a scalar has no children
    block = parent.child;
  }
  let entries = memo.blocks.get(block.first);
  if (entries === undefined) {
    entries = readBlock(text, docEnd, block);
    memo.blocks.set(block.first, entries);
  }
  if (entries === UNSURE) return UNSURE;
  return entries.sequence
    ? findItem(text, docEnd, block, entries, token)
    : findKey(text, docEnd, block, entries, token);
}

/** Read a block's entries once: a mapping's keys, or a sequence's items. */
function readBlock(text: string, docEnd: number, block: Block): BlockEntries | 'unsure' {
  const sequence = isSequenceAt(text, block.first);
  const keys = new Map<string, Entry[]>();
  const items: Entry[] = [];
  const keyMatch = new Map<number, RegExpExecArray>();
  const all = entries(text, docEnd, block);
  if (all === UNSURE) return UNSURE;
  for (const entry of all) {
    if (isSequenceAt(text, entry.at) !== sequence) return UNSURE;
    if (sequence) {
      items.push(entry);
      continue;
    }
    const m = PLAIN_KEY.exec(text.slice(entry.at, entry.line.end));
    if (!m) return UNSURE;
    const key = m[1] ?? '';
    if (key === '<<' || key !== key.trim()) return UNSURE;
    keyMatch.set(entry.at, m);
    const list = keys.get(key);
    if (list) list.push(entry);
    else keys.set(key, [entry]);
  }
  return { keys, items, sequence, keyMatch };
}

function lineAt(text: string, start: number, docEnd: number): Line {
  let nl = text.indexOf('\n', start);
  if (nl < 0 || nl > docEnd) nl = docEnd;
  const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  let i = start;
  while (i < end && text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  return { start, end, next: nl + 1, indent: i - start, blank: i >= end || c === 35 /* # */ };
}

/** The document's top-level mapping, written as a block at column 0. */
function rootBlock(text: string, docStart: number, docEnd: number): Block | undefined {
  for (let pos = docStart; pos < docEnd; ) {
    const line = lineAt(text, pos, docEnd);
    const content = text.slice(line.start + line.indent, line.end);
    if (line.blank || content.startsWith('%') || /^---(?:\s|$)/.test(content)) {
      if (text.slice(line.start, line.end).includes('\t')) return undefined;
      pos = line.next;
      continue;
    }
    if (line.indent !== 0) return undefined;
    return { first: line.start, indent: 0, compact: false };
  }
  return undefined;
}

function isSequenceAt(text: string, at: number): boolean {
  return text.charCodeAt(at) === 45 /* - */ && /[ \r\n]/.test(text[at + 1] ?? '\n');
}

/** Entries of a block: the first at `block.first`, then each line at the block's column. */
function entries(text: string, docEnd: number, block: Block): Entry[] | 'unsure' {
  const firstLine = lineAt(text, lineStartOf(text, block.first), docEnd);
  const firstIsItem = isSequenceAt(text, block.first);
  const out: Entry[] = [{ at: block.first, line: firstLine }];
  for (let pos = firstLine.next; pos < docEnd; ) {
    const line = lineAt(text, pos, docEnd);
    pos = line.next;
    if (line.blank) continue;
    if (text.slice(line.start, line.start + line.indent + 1).includes('\t')) return UNSURE;
    if (line.indent > block.indent) continue;
    if (line.indent < block.indent) break;
    const at = line.start + line.indent;
    if (block.compact && !isSequenceAt(text, at)) break;
    // In a mapping, `- ` lines at its own column are a compact sequence under the previous key.
    if (!block.compact && !firstIsItem && isSequenceAt(text, at)) continue;
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(text.slice(at, line.end))) break;
    out.push({ at, line });
  }
  return out;
}

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

export interface Found {
  readonly range: NodeRange;
  /** The block value below, when the value is a block collection. */
  readonly child: Block | undefined;
  /** The value is a scalar (no children). */
  readonly scalar: boolean;
}

const PLAIN_KEY = /^([A-Za-z0-9_$./@-][^:#\r\n"'{}[\],&*!|>%`]*?)[ ]*:(?=[ \r\n]|$)/;

function findKey(
  text: string,
  docEnd: number,
  block: Block,
  entries: BlockEntries,
  token: string,
): Found | 'missing' | 'unsure' {
  const found = entries.keys.get(token);
  if (found === undefined) return MISSING;
  const entry = found[0];
  // A repeated key: the parser decides which one wins.
  if (found.length > 1 || entry === undefined) return UNSURE;
  const m = entries.keyMatch.get(entry.at);
  if (!m) return UNSURE;
  const keyStart = entry.at;
  const keyEnd = keyStart + token.length;
  const value = valueAfter(text, docEnd, entry.line, entry.at + m[0].length, block.indent);
  if (value === UNSURE) return UNSURE;
  return { ...value, range: { ...value.range, keyStart, keyEnd } };
}

function findItem(
  text: string,
  docEnd: number,
  block: Block,
  entries: BlockEntries,
  token: string,
): Found | 'missing' | 'unsure' {
  if (!/^(?:0|[1-9][0-9]*)$/.test(token)) return MISSING;
  const entry = entries.items[Number(token)];
  if (entry === undefined) return MISSING;
  let p = entry.at + 1;
  while (p < entry.line.end && text.charCodeAt(p) === 32) p++;
  const rest = text.slice(p, entry.line.end);
  if (rest === '' || rest.startsWith('#')) {
    const child = blockBelow(text, docEnd, entry.line, block.indent);
    if (child === UNSURE) return UNSURE;
    if (child === undefined) return UNSURE; // an empty item is null
    return { range: { start: child.first, end: child.first }, child, scalar: false };
  }
  if (isSequenceAt(text, p)) return UNSURE;
  if (PLAIN_KEY.test(rest)) {
    // `- key: value`: the item is a mapping whose entries sit at the column of its first key.
    const child: Block = { first: p, indent: p - entry.line.start, compact: false };
    return { range: { start: p, end: p }, child, scalar: false };
  }
  return valueAfter(text, docEnd, entry.line, p, block.indent);
}

/** The value that starts at `from` on `line` (after `key:` or `- `), for a parent at column `indent`. */
function valueAfter(
  text: string,
  docEnd: number,
  line: Line,
  from: number,
  indent: number,
): Found | 'unsure' {
  let p = from;
  while (p < line.end && text.charCodeAt(p) === 32) p++;
  const rest = text.slice(p, line.end);
  if (rest === '' || rest.startsWith('#')) {
    const child = blockBelow(text, docEnd, line, indent);
    if (child === UNSURE || child === undefined) return UNSURE; // null values: the parser knows where
    return { range: { start: child.first, end: child.first }, child, scalar: false };
  }
  const end = scalarEnd(rest, p);
  if (end === undefined) return UNSURE;
  // A more indented line that follows continues a plain or quoted scalar: the parser knows best.
  const next = nextContent(text, docEnd, line.next);
  if (next !== undefined && next.indent > indent) return UNSURE;
  return { range: { start: p, end }, child: undefined, scalar: true };
}

function closingQuote(rest: string, quote: string): number {
  for (let i = 1; i < rest.length; i++) {
    const ch = rest[i];
    if (quote === '"' && ch === '\\') {
      i++;
      continue;
    }
    if (ch === quote) {
      if (quote === "'" && rest[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

function nextContent(text: string, docEnd: number, from: number): Line | undefined {
  for (let pos = from; pos < docEnd; ) {
    const line = lineAt(text, pos, docEnd);
    if (!line.blank) return line;
    pos = line.next;
  }
  return undefined;
}

/** The block collection on the lines after `line`, whose parent entry sits at column `indent`. */
function blockBelow(text: string, docEnd: number, line: Line, indent: number): Block | 'unsure' | undefined {
  const next = nextContent(text, docEnd, line.next);
  if (next === undefined) return undefined;
  if (text.slice(next.start, next.start + next.indent + 1).includes('\t')) return UNSURE;
  const at = next.start + next.indent;
  if (/^(?:---|\.\.\.)(?:\s|$)/.test(text.slice(at, next.end))) return undefined;
  if (next.indent > indent) return { first: at, indent: next.indent, compact: false };
  if (next.indent === indent && isSequenceAt(text, at)) return { first: at, indent, compact: true };
  return undefined;
}

/** Where a block collection's last scalar ends, if every line of it is simple enough to tell. */
function blockEnd(text: string, docEnd: number, block: Block): number | undefined {
  let lastEnd: number | 'open' | undefined;
  const firstLine = lineAt(text, lineStartOf(text, block.first), docEnd);
  for (let pos = firstLine.start; pos < docEnd; ) {
    const line = lineAt(text, pos, docEnd);
    pos = line.next;
    if (line.blank) continue;
    let at = line.start + line.indent;
    if (line.start !== firstLine.start) {
      if (line.indent < block.indent) break;
      if (line.indent === block.indent) {
        if (block.compact && !isSequenceAt(text, at)) break;
        if (/^(?:---|\.\.\.)(?:\s|$)/.test(text.slice(at, line.end))) break;
      }
    } else {
      at = block.first;
    }
    const end = simpleLineEnd(text, at, line.end);
    if (end === undefined) return undefined;
    lastEnd = end;
  }
  // The last line must end in a value: a trailing `key:` or `-` is a null the parser places.
  return lastEnd === 'open' ? undefined : lastEnd;
}

/**
 * Where the value on a line ends, for lines of the forms `key: value`, `- value`, `- key: value`
 * with a plain or single-line quoted value and an optional comment; `'open'` for `key:` and `-`
 * with nothing after them (a block below, or a null); `undefined` for anything else (block
 * scalars, flow collections, anchors, tags, continuation lines).
 */
function simpleLineEnd(text: string, at: number, end: number): number | 'open' | undefined {
  let p = at;
  if (isSequenceAt(text, p)) {
    p++;
    while (p < end && text.charCodeAt(p) === 32) p++;
    if (p >= end || text.charCodeAt(p) === 35) return 'open';
    if (isSequenceAt(text, p)) return undefined;
  }
  let rest = text.slice(p, end);
  const key = PLAIN_KEY.exec(rest);
  if (key) {
    p += key[0].length;
    while (p < end && text.charCodeAt(p) === 32) p++;
    rest = text.slice(p, end);
    if (rest === '' || rest.startsWith('#')) return 'open';
  } else if (rest === '' || rest.startsWith('#')) {
    return undefined;
  } else if (!(text.charCodeAt(at) === 45 && p > at)) {
    return undefined; // neither `key:` nor `- `: a continuation line
  }
  return scalarEnd(rest, p);
}

/**
 * Where a single-line scalar that starts `rest` (at offset `p`) ends: after the closing quote of a
 * quoted one, before the comment of a plain one. `undefined` for anything else: flow collections,
 * block scalars, anchors, aliases, tags, quotes closed on a later line, plain text with `: `.
 */
function scalarEnd(rest: string, p: number): number | undefined {
  const c = rest[0] ?? '';
  if ('{[|>&*!%@`?'.includes(c)) return undefined;
  if (c === '"' || c === "'") {
    const close = closingQuote(rest, c);
    if (close < 0) return undefined;
    const after = rest.slice(close + 1).trimStart();
    if (after !== '' && !after.startsWith('#')) return undefined;
    return p + close + 1;
  }
  const comment = rest.search(/[ \t]#/);
  const value = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd();
  if (/: |:$|\t/.test(value)) return undefined;
  return p + value.length;
}
