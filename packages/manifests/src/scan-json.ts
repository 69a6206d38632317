import type { NodeRange } from './pointer-map.js';
import { addStep, type ScanResult, type StepNode, stepBelow } from './scan-pointer.js';

/**
 * Where a JSON Pointer lies in a document written as strict JSON, found by walking the text along
 * the pointer's path instead of parsing the document with positions: `'missing'` when the path
 * surely does not exist, `'unsure'` for anything that is not plain JSON (comments, YAML flow
 * syntax, repeated keys), where the caller parses. Ranges are absolute offsets in `text` and follow
 * the event-based pointer map exactly (a test holds the two together): a string includes its
 * quotes, and a collection its closing bracket.
 */
export function scanJsonPointer(
  text: string,
  docStart: number,
  docEnd: number,
  tokens: readonly string[],
  memo: JsonScanMemo = createJsonScanMemo(),
): ScanResult {
  // The tree's root holds the document's top-level collection.
  let level: StepNode<JsonNode | 'missing' | 'unsure'> = memo.steps;
  let node: JsonNode | 'missing' | 'unsure' | undefined = level.step;
  if (node === undefined) {
    node = root(text, docStart, docEnd);
    memo.steps = { step: node, token: '', first: undefined, next: undefined };
    level = memo.steps;
  }
  for (const token of tokens) {
    if (typeof node === 'string') return node;
    const next: StepNode<JsonNode | 'missing' | 'unsure'> =
      stepBelow(level, token) ?? addStep(level, token, child(text, docEnd, node, token, memo));
    node = next.step ?? UNSURE;
    level = next;
  }
  if (typeof node === 'string') return node;
  if (node.end !== undefined) return rangeOf(node, node.end);
  const container = containerOf(text, docEnd, node.start, memo);
  return container === UNSURE ? UNSURE : rangeOf(node, container.end);
}

/** What the scanner learnt about one document: steps followed, and each collection it read. */
export interface JsonScanMemo {
  steps: StepNode<JsonNode | 'missing' | 'unsure'>;
  readonly containers: Map<number, Container | 'unsure'>;
  /**
   * Every collection skipped so far, by where it starts: where the text goes on past it, and where
   * it ends as the pointer map counts it. Reading a collection skips its members; reading one of
   * those next would skip their members again, level after level, without this.
   */
  readonly skipped: Map<number, { readonly next: number; readonly end: number }>;
}

/** A fresh memo for one document. */
export function createJsonScanMemo(): JsonScanMemo {
  return {
    steps: { step: undefined, token: '', first: undefined, next: undefined },
    containers: new Map(),
    skipped: new Map(),
  };
}

/** A value in the text: where it starts, where it ends (scalars), where its key is. */
interface JsonNode {
  readonly start: number;
  /** Where a scalar ends; `undefined` for a collection (read when needed). */
  readonly end: number | undefined;
  readonly keyStart?: number;
  readonly keyEnd?: number;
}

/** A collection's members, read once. */
interface Container {
  readonly array: boolean;
  /** Members of an object by key; `null` for a key written more than once. */
  readonly keys: Map<string, Member | null>;
  readonly items: Member[];
  /** Where the collection ends, as the pointer map counts it. */
  readonly end: number;
}

interface Member {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly start: number;
  /** Where the value ends, as the pointer map counts it. */
  readonly end: number;
  readonly collection: boolean;
}

const UNSURE = 'unsure' as const;
const MISSING = 'missing' as const;
const INDEX = /^(?:0|[1-9][0-9]*)$/;

function rangeOf(node: JsonNode, end: number): NodeRange {
  return node.keyStart === undefined
    ? { start: node.start, end }
    : { start: node.start, end, keyStart: node.keyStart, keyEnd: node.keyEnd };
}

/** The document's top-level collection, when the document is written as JSON. */
function root(text: string, docStart: number, docEnd: number): JsonNode | 'unsure' {
  const at = skipSpace(text, docStart, docEnd);
  const c = text.charCodeAt(at);
  return c === 123 /* { */ || c === 91 /* [ */ ? { start: at, end: undefined } : UNSURE;
}

function child(
  text: string,
  docEnd: number,
  parent: JsonNode,
  token: string,
  memo: JsonScanMemo,
): JsonNode | 'missing' | 'unsure' {
  if (parent.end !== undefined) return MISSING; // a scalar has no children
  const container = containerOf(text, docEnd, parent.start, memo);
  if (container === UNSURE) return UNSURE;
  let member: Member | null | undefined;
  if (container.array) {
    if (!INDEX.test(token)) return MISSING;
    member = container.items[Number(token)];
  } else {
    member = container.keys.get(token);
    if (member === null) return UNSURE; // a repeated key: the parser decides
  }
  if (member === undefined) return MISSING;
  const end = member.collection ? undefined : member.end;
  return container.array
    ? { start: member.start, end }
    : { start: member.start, end, keyStart: member.keyStart, keyEnd: member.keyEnd };
}

function containerOf(text: string, docEnd: number, start: number, memo: JsonScanMemo): Container | 'unsure' {
  let container = memo.containers.get(start);
  if (container === undefined) {
    container = readContainer(text, docEnd, start, memo.skipped) ?? UNSURE;
    memo.containers.set(start, container);
  }
  return container;
}

function skipSpace(text: string, at: number, end: number): number {
  let i = at;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
  }
  return i;
}

/** The members of the collection that starts at `start`; `undefined` when it is not plain JSON. */
function readContainer(
  text: string,
  docEnd: number,
  start: number,
  skipped: JsonScanMemo['skipped'],
): Container | undefined {
  const array = text.charCodeAt(start) === 91;
  const close = array ? 93 /* ] */ : 125; /* } */
  const keys = new Map<string, Member | null>();
  const items: Member[] = [];
  let i = skipSpace(text, start + 1, docEnd);
  if (text.charCodeAt(i) === close) return { array, keys, items, end: i + 1 };
  for (;;) {
    let keyStart = 0;
    let keyEnd = 0;
    let key = '';
    if (!array) {
      if (text.charCodeAt(i) !== 34 /* " */) return undefined;
      keyStart = i;
      const after = stringEnd(text, i, docEnd);
      if (after === undefined) return undefined;
      keyEnd = after;
      key = decodeKey(text, keyStart, keyEnd);
      i = skipSpace(text, after, docEnd);
      if (text.charCodeAt(i) !== 58 /* : */) return undefined;
      i = skipSpace(text, i + 1, docEnd);
    }
    const next = skipValue(text, i, docEnd, 0, skipped);
    if (next < 0) return undefined;
    const c = text.charCodeAt(i);
    const member: Member = { keyStart, keyEnd, start: i, end: skippedEnd, collection: c === 123 || c === 91 };
    if (array) items.push(member);
    else keys.set(key, keys.has(key) ? null : member);
    i = skipSpace(text, next, docEnd);
    const sep = text.charCodeAt(i);
    if (sep === close) return { array, keys, items, end: i + 1 };
    if (sep !== 44 /* , */) return undefined;
    i = skipSpace(text, i + 1, docEnd);
  }
}

/**
 * Past the value at `at`: where the text goes on (-1 when it is not plain JSON). Where the value
 * ends as the pointer map counts it is left in `skippedEnd` (no result object per value).
 */
function skipValue(
  text: string,
  at: number,
  docEnd: number,
  depth: number,
  skipped: JsonScanMemo['skipped'],
): number {
  const c = text.charCodeAt(at);
  if (c === 34) {
    const after = stringEnd(text, at, docEnd);
    if (after === undefined) return -1;
    skippedEnd = after;
    return after;
  }
  if (c === 123 || c === 91) {
    const known = skipped.get(at);
    if (known !== undefined) {
      skippedEnd = known.end;
      return known.next;
    }
    if (depth > 512) return -1;
    const array = c === 91;
    const close = array ? 93 : 125;
    let i = skipSpace(text, at + 1, docEnd);
    if (text.charCodeAt(i) === close) {
      skippedEnd = i + 1;
      return i + 1;
    }
    for (;;) {
      if (!array) {
        if (text.charCodeAt(i) !== 34) return -1;
        const after = stringEnd(text, i, docEnd);
        if (after === undefined) return -1;
        i = skipSpace(text, after, docEnd);
        if (text.charCodeAt(i) !== 58) return -1;
        i = skipSpace(text, i + 1, docEnd);
      }
      const next = skipValue(text, i, docEnd, depth + 1, skipped);
      if (next < 0) return -1;
      i = skipSpace(text, next, docEnd);
      const sep = text.charCodeAt(i);
      if (sep === close) {
        skippedEnd = i + 1;
        skipped.set(at, { next: i + 1, end: i + 1 });
        return i + 1;
      }
      if (sep !== 44) return -1;
      i = skipSpace(text, i + 1, docEnd);
    }
  }
  // A number, true, false or null: up to the next delimiter.
  let i = at;
  while (i < docEnd && isWordChar(text.charCodeAt(i))) i++;
  if (!isJsonWord(text, at, i)) return -1;
  skippedEnd = i;
  return i;
}

let skippedEnd = 0;

/** `-+.0-9a-zA-Z`: what a number or a literal is made of. */
export function isWordChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 43 || c === 46
  );
}

const LITERAL = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)$/;

export function isJsonWord(text: string, start: number, end: number): boolean {
  if (end === start) return false;
  const c = text.charCodeAt(start);
  // The common short cases without a slice: a run of digits, true, false, null.
  if (c >= 49 && c <= 57) {
    let i = start + 1;
    while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === end) return true;
  }
  return LITERAL.test(text.slice(start, end));
}

/** Past the closing quote of the string that opens at `at`. */
export function stringEnd(text: string, at: number, docEnd: number): number | undefined {
  for (let i = at + 1; i < docEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 34) return i + 1;
    else if (c < 32) return undefined;
  }
  return undefined;
}

function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end)) as string;
  } catch {
    return '\u0000invalid';
  }
}
