import {
  type Block,
  blockEnd,
  isDocumentBoundary,
  isSequenceAt,
  isWhiteAt,
  itemAt,
  type LinedText,
  type Lines,
  measureLines,
  plainKeyColon,
  rootBlock,
  valueAt,
} from './scan-pointer.js';

type Doc = LinedText;

/** One place asked for: a JSON Pointer's tokens, and whether the mapping key is wanted. */
export interface PlaceRequest {
  readonly tokens: readonly string[];
  readonly key: boolean;
}

/**
 * Where a request lies: absolute offsets, each with its line (0-based, counted from the document's
 * first line) and that line's start, so no line table is needed to make a span.
 */
export interface Placed {
  readonly start: number;
  readonly startLine: number;
  readonly startLineStart: number;
  readonly end: number;
  readonly endLine: number;
  readonly endLineStart: number;
}

/**
 * Place every request of one block-style YAML document in one walk over its lines, with the
 * answers {@link FileLocator.locate} gives one pointer at a time: the pointer's value (or
 * its key), else the key of its nearest ancestor present in the source. `undefined` for a request
 * it cannot answer exactly (flow collections, block scalars, multi-line scalars, anchors, tags,
 * quoted or repeated keys, tabs, …): the caller places that one the careful way.
 *
 * Findings of one resource share most of their path (`/spec/template/spec/containers/0/…`): the
 * requests are walked together as a tree, each block on their path read once, and nothing is kept
 * afterwards. One at a time, each finding built and hashed a memo key, and each document kept a
 * table of its lines and a memo of every step until its file was done.
 *
 * @example
 * ```ts
 * const [placed] = placeAll('a:\n  b: 1\n', 0, 10, [{ tokens: ['a', 'b'], key: false }]);
 * placed?.start; // 8
 * ```
 */
export function placeAll(
  text: string,
  docStart: number,
  docEnd: number,
  requests: readonly PlaceRequest[],
): (Placed | undefined)[] {
  const out: (Placed | undefined)[] = new Array<Placed | undefined>(requests.length).fill(undefined);
  // Lines measured into a shared buffer: nothing of them is kept once the requests are answered.
  const lines = measureLines(text, docStart, docEnd, false);
  // A tab before a line's content changes what the indentation means: the careful way decides.
  if (lines.tabs) return out;
  const doc: Doc = { text, lines };
  const root = rootBlock(doc);
  if (root === undefined) return out;
  const tree = requestTree(requests);
  const found: Found = {
    keyStart: ROOT,
    keyEnd: -1,
    keyLine: 0,
    start: root.first,
    line: root.line,
    scalarEnd: -1,
    child: root,
    keyPlaced: undefined,
  };
  visit(doc, tree, found, requests, out);
  return out;
}

// Shared empty lists, never pushed to (see where branches are made).
const NO_ENDS: number[] = [];
const NO_BRANCHES: Branch[] = [];

/**
 * The requests as a tree of their tokens: the findings of one resource share most of their path,
 * so each step is followed once for all of them.
 */
export function requestTree(requests: readonly PlaceRequest[]): Branch {
  const tree: Branch = { token: '', index: -1, ends: NO_ENDS, children: NO_BRANCHES };
  for (let index = 0; index < requests.length; index++) {
    const tokens = (requests[index] as PlaceRequest).tokens;
    let at = tree;
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t] as string;
      let next: Branch | undefined;
      for (let c = 0; c < at.children.length && next === undefined; c++) {
        if ((at.children[c] as Branch).token === token) next = at.children[c];
      }
      if (next === undefined) {
        next = { token, index: INDEX.test(token) ? Number(token) : -1, ends: NO_ENDS, children: NO_BRANCHES };
        // Literals of one: an empty array's first push reserves room for seventeen.
        if (at.children === NO_BRANCHES) at.children = [next];
        else at.children.push(next);
      }
      at = next;
    }
    if (at.ends === NO_ENDS) at.ends = [index];
    else at.ends.push(index);
  }
  return tree;
}

/** The requests that share a path prefix: those that end here, and the branches below. */
export interface Branch {
  readonly token: string;
  /** The token as a sequence index (`0`, `12`), or -1 when it is not one. */
  readonly index: number;
  ends: number[];
  children: Branch[];
}

/** A node found in the source. */
interface Found {
  /** The mapping key, or -1 for a sequence item, {@link ROOT} for the document. */
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly keyLine: number;
  /** Where the value starts, and its line. */
  readonly start: number;
  readonly line: number;
  /** Where a scalar value ends (on its line), or -1 for a block collection. */
  readonly scalarEnd: number;
  readonly child: Block | undefined;
  /** The key's answer, made once: the findings at this key and below a missing field share it. */
  keyPlaced: Placed | undefined;
}

/** An entry of a block: where it starts, its line, and in a mapping its key's colon. */
interface Entry {
  readonly at: number;
  readonly line: number;
  readonly colon: number;
}

/** `keyStart` of the document's own node (a sequence item has -1). */
const ROOT = -2;

/** Answer the requests that end at `node` (found as `found`), then go down its branches. */
function visit(
  doc: Doc,
  node: Branch,
  found: Found,
  requests: readonly PlaceRequest[],
  out: (Placed | undefined)[],
): void {
  const { lines } = doc;
  // One answer per kind (key or value) and node: places asked twice share it.
  let value: Placed | 'unsure' | undefined;
  const ends = node.ends;
  for (let e = 0; e < ends.length; e++) {
    const index = ends[e] as number;
    const request = requests[index];
    // The document itself: the careful way knows where its top-level collection starts and ends.
    if (request === undefined || found.keyStart === ROOT) continue;
    if (request.key && found.keyStart >= 0) {
      out[index] = keySpan(lines, found);
      continue;
    }
    if (value === undefined) {
      const at = lines.start(found.line);
      if (found.child === undefined) {
        value = span(found.start, found.line, at, found.scalarEnd, found.line, at);
      } else {
        const end = blockEnd(doc, found.child);
        value =
          end === undefined
            ? 'unsure'
            : span(found.start, found.line, at, end.end, end.line, lines.start(end.line));
      }
    }
    if (value !== 'unsure') out[index] = value;
  }
  if (node.children.length === 0) return;
  const block = found.child;
  if (block === undefined) {
    // A scalar has no children: every request below points at this node instead.
    for (let c = 0; c < node.children.length; c++) settleAt(lines, node.children[c] as Branch, found, out);
    return;
  }
  const entries = readBlock(doc, block, node.children);
  if (entries === undefined) return; // unsure: the careful way decides
  const sequence = isSequenceAt(doc.text, block.first);
  for (let i = 0; i < node.children.length; i++) {
    const child = node.children[i] as Branch;
    const entry = entries[i];
    if (entry === null) continue; // a repeated key
    if (entry === undefined) {
      settleAt(lines, child, found, out);
      continue;
    }
    const below = sequence ? itemOf(doc, block, entry) : keyAt(doc, block, entry, child.token.length);
    if (below !== undefined) visit(doc, child, below, requests, out);
  }
}

/** Requests below a path that does not exist point at the key of `found` (or where it starts). */
function settleAt(lines: Lines, node: Branch, found: Found, out: (Placed | undefined)[]): void {
  if (found.keyStart === ROOT) return; // left to the careful way, as the document itself is
  const at = lines.start(found.line);
  const placed =
    found.keyStart >= 0
      ? keySpan(lines, found)
      : span(found.start, found.line, at, found.start, found.line, at);
  for (let e = 0; e < node.ends.length; e++) out[node.ends[e] as number] = placed;
  for (let c = 0; c < node.children.length; c++) settleAt(lines, node.children[c] as Branch, found, out);
}

function keySpan(lines: Lines, found: Found): Placed {
  if (found.keyPlaced === undefined) {
    const at = lines.start(found.keyLine);
    found.keyPlaced = span(found.keyStart, found.keyLine, at, found.keyEnd, found.keyLine, at);
  }
  return found.keyPlaced;
}

/** A {@link Placed}: both ends, each with its line and that line's start. */
export function span(
  start: number,
  startLine: number,
  startLineStart: number,
  end: number,
  endLine: number,
  endLineStart: number,
): Placed {
  return { start, startLine, startLineStart, end, endLine, endLineStart };
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Read a block's entries and pick those the branches ask for: per branch its entry, `undefined`
 * when there is none, `null` when a key is repeated. `undefined` for the whole block when it is not
 * simple enough to tell (mixed entries, keys that are not plain, merge keys).
 */
function readBlock(
  doc: Doc,
  block: Block,
  wanted: readonly Branch[],
): (Entry | null | undefined)[] | undefined {
  const { text, lines } = doc;
  const sequence = isSequenceAt(text, block.first);
  const picked = new Array<Entry | null | undefined>(wanted.length).fill(undefined);
  let count = 0;
  for (let n = block.line; n < lines.count; ) {
    let at = block.first;
    if (n !== block.line) {
      if (lines.blank(n)) {
        n++;
        continue;
      }
      const indent = lines.indent(n);
      // Lines nested deeper are skipped in one jump.
      if (indent > block.indent) {
        n = lines.next(n);
        continue;
      }
      if (indent < block.indent) break;
      at = lines.start(n) + indent;
      if (block.compact && !isSequenceAt(text, at)) break;
      // In a mapping, `- ` lines at its own column are a compact sequence under the previous key.
      if (!block.compact && !sequence && isSequenceAt(text, at)) {
        n++;
        continue;
      }
      if (isDocumentBoundary(text, at, lines.end(n))) break;
    }
    if (isSequenceAt(text, at) !== sequence) return undefined;
    if (sequence) {
      for (let i = 0; i < wanted.length; i++) {
        if ((wanted[i] as Branch).index === count) picked[i] = { at, line: n, colon: -1 };
      }
      count++;
      n++;
      continue;
    }
    const lineEnd = lines.end(n);
    const colon = plainKeyColon(text, at, lineEnd);
    if (colon < 0) return undefined;
    let keyEnd = colon;
    while (keyEnd > at && text.charCodeAt(keyEnd - 1) === 32) keyEnd--;
    // A merge key, or a key ending in other white space (a tab): the parser knows best.
    if ((keyEnd - at === 2 && text.startsWith('<<', at)) || isWhiteAt(text, keyEnd - 1)) return undefined;
    for (let i = 0; i < wanted.length; i++) {
      const token = (wanted[i] as Branch).token;
      if (keyEnd - at !== token.length || !text.startsWith(token, at)) continue;
      picked[i] = picked[i] === undefined ? { at, line: n, colon } : null;
    }
    n++;
  }
  return picked;
}

/** The value of the mapping entry `entry`, whose key is `length` long. */
function keyAt(doc: Doc, block: Block, entry: Entry, length: number): Found | undefined {
  const value = valueAt(doc, entry.line, entry.colon + 1, block.indent);
  if (value === undefined) return undefined;
  return {
    keyStart: entry.at,
    keyEnd: entry.at + length,
    keyLine: entry.line,
    start: value.start,
    line: value.line,
    scalarEnd: value.child === undefined ? value.end : -1,
    child: value.child,
    keyPlaced: undefined,
  };
}

/** The sequence item `entry`. */
function itemOf(doc: Doc, block: Block, entry: Entry): Found | undefined {
  const value = itemAt(doc, block, entry.at, entry.line);
  if (value === undefined) return undefined;
  return node(value.start, value.line, value.child === undefined ? value.end : -1, value.child);
}

/** A node without a key (a sequence item, or a value before its key is added). */
function node(start: number, line: number, end: number, child: Block | undefined): Found {
  return { keyStart: -1, keyEnd: -1, keyLine: 0, start, line, scalarEnd: end, child, keyPlaced: undefined };
}
