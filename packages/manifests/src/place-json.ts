import { keepShape } from '@shipshape/core';
import { type Branch, type Placed, type PlaceRequest, span as placed, requestTree } from './place-batch.js';
import { isJsonWord, isWordChar, stringEnd } from './scan-json.js';

/**
 * {@link placeAll} for a document written as JSON: every request placed in one pass over the
 * document, with the answers {@link FileLocator.locate} gives one pointer at a time (a string with
 * its quotes, a collection up to its closing bracket, a key with its quotes; a path that is not
 * written at the key of its nearest ancestor). `undefined` where that answer needs the careful way:
 * the document itself, a path missing at its top level, a key written twice on the path, and every
 * request of a document that is not plain JSON.
 *
 * One pointer at a time, each step read the members of a collection into a map and skipped every
 * value, keeping what it skipped in another map; lines came from a table of the whole file. Here
 * the text is read once, front to back, counting lines as it goes, and only the members asked for
 * are looked at.
 *
 * @example
 * ```ts
 * const [placed] = placeAllJson('{"a": {"b": 1}}', 0, 15, [{ tokens: ['a', 'b'], key: false }]);
 * placed?.start; // 12
 * ```
 */
export function placeAllJson(
  text: string,
  docStart: number,
  docEnd: number,
  requests: readonly PlaceRequest[],
): (Placed | undefined)[] {
  const out = new Array<Placed | undefined>(requests.length).fill(undefined);
  const walker = new Walker(text, docStart, docEnd, requests, out);
  walker.skipSpace();
  const c = text.charCodeAt(walker.pos);
  if (c !== 123 /* { */ && c !== 91 /* [ */) return out;
  if (!walker.value(requestTree(requests), ROOT_KEY)) out.fill(undefined);
  return out;
}

/** Where the key of a member was written; -1 for an item, {@link ROOT} for the document. */
interface Key {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly lineStart: number;
  /** The key's answer, made once: the requests at this key and below a missing field share it. */
  answer: Placed | undefined;
}

const ROOT = -2;
const ROOT_KEY: Key = { start: ROOT, end: ROOT, line: 0, lineStart: 0, answer: undefined };
const ITEM: Key = { start: -1, end: -1, line: 0, lineStart: 0, answer: undefined };

/** Deeper than this, the careful way decides (as the one-pointer scanner does). */
const MAX_DEPTH = 512;

/** The pass over one document: where it is, and on which line (from the document's first). */
class Walker {
  readonly text: string;
  readonly end: number;
  readonly requests: readonly PlaceRequest[];
  readonly out: (Placed | undefined)[];
  pos: number;
  line = 0;
  lineStart: number;
  depth = 0;

  constructor(
    text: string,
    start: number,
    end: number,
    requests: readonly PlaceRequest[],
    out: (Placed | undefined)[],
  ) {
    this.text = text;
    this.end = end;
    this.requests = requests;
    this.out = out;
    this.pos = start;
    this.lineStart = start;
  }

  /** Past white space, counting the lines it ends (JSON has newlines nowhere else). */
  skipSpace(): void {
    const text = this.text;
    let i = this.pos;
    for (; i < this.end; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.line++;
        this.lineStart = i + 1;
      } else if (c !== 32 && c !== 13 && c !== 9) break;
    }
    this.pos = i;
  }

  /**
   * Read the value at `pos` (white space skipped), answering the requests of `branch` (none when
   * `undefined`) and going down its branches; `false` when the text is not plain JSON.
   */
  value(branch: Branch | undefined, key: Key): boolean {
    const text = this.text;
    const start = this.pos;
    const line = this.line;
    const lineStart = this.lineStart;
    const c = text.charCodeAt(start);
    if (c === 123 || c === 91) {
      if (this.depth >= MAX_DEPTH) return false;
      this.depth++;
      const read =
        branch === undefined || branch.children.length === 0 ? this.skip(c) : this.read(c, branch, key);
      this.depth--;
      if (!read) return false;
    } else if (c === 34 /* " */) {
      const after = stringEnd(text, start, this.end);
      if (after === undefined) return false;
      this.pos = after;
    } else {
      let i = start;
      while (i < this.end && isWordChar(text.charCodeAt(i))) i++;
      if (!isJsonWord(text, start, i)) return false;
      this.pos = i;
    }
    // A scalar has no members: every request below points at it instead.
    if (c !== 123 && c !== 91 && branch !== undefined) {
      for (let i = 0; i < branch.children.length; i++) {
        this.settle(branch.children[i] as Branch, key, start, line, lineStart);
      }
    }
    if (branch === undefined || branch.ends.length === 0) return true;
    // The document itself: the careful way knows where it starts and ends.
    if (key.start === ROOT) return true;
    let whole: Placed | undefined;
    const ends = branch.ends;
    for (let e = 0; e < ends.length; e++) {
      const index = ends[e] as number;
      if ((this.requests[index] as PlaceRequest).key && key.start >= 0) {
        this.out[index] = keyAnswer(key);
      } else {
        // Nothing but white space and newlines is skipped after a value: the end is on this line.
        whole ??= placed(start, line, lineStart, this.pos, this.line, this.lineStart);
        this.out[index] = whole;
      }
    }
    return true;
  }

  /** Past the collection at `pos` opened by `open`, looking at nothing in it. */
  skip(open: number): boolean {
    return this.read(open, undefined, ITEM);
  }

  /**
   * Read the collection opened by `open`, going down the members `branch` asks for; requests for
   * members it does not have point at `key` (the collection's own key) instead.
   */
  read(open: number, branch: Branch | undefined, key: Key): boolean {
    const text = this.text;
    const array = open === 91;
    const close = array ? 93 /* ] */ : 125; /* } */
    const start = this.pos;
    const line = this.line;
    const lineStart = this.lineStart;
    const children = branch?.children;
    // Per child: 0 not met yet, 1 met once, 2 written twice (its requests go the careful way).
    const met = children === undefined ? undefined : new Uint8Array(children.length);
    this.pos++;
    this.skipSpace();
    let count = 0;
    if (text.charCodeAt(this.pos) !== close) {
      for (;;) {
        let wanted = -1;
        let memberKey = ITEM;
        if (array) {
          if (children !== undefined) {
            for (let i = 0; i < children.length; i++) if ((children[i] as Branch).index === count) wanted = i;
          }
        } else {
          const keyStart = this.pos;
          if (text.charCodeAt(keyStart) !== 34) return false;
          const keyEnd = stringEnd(text, keyStart, this.end);
          if (keyEnd === undefined) return false;
          if (children !== undefined) {
            wanted = matchingChild(text, keyStart, keyEnd, children);
            if (wanted >= 0) {
              memberKey = {
                start: keyStart,
                end: keyEnd,
                line: this.line,
                lineStart: this.lineStart,
                answer: undefined,
              };
            }
          }
          this.pos = keyEnd;
          this.skipSpace();
          if (text.charCodeAt(this.pos) !== 58 /* : */) return false;
          this.pos++;
          this.skipSpace();
        }
        if (wanted >= 0 && met !== undefined && children !== undefined) {
          const child = children[wanted] as Branch;
          if (met[wanted] === 0) {
            met[wanted] = 1;
            if (!this.value(child, memberKey)) return false;
          } else {
            // The parser decides which of the two counts: forget what the first one answered.
            met[wanted] = 2;
            this.forget(child);
            if (!this.value(undefined, ITEM)) return false;
          }
        } else if (!this.value(undefined, ITEM)) return false;
        count++;
        this.skipSpace();
        const sep = text.charCodeAt(this.pos);
        if (sep === close) break;
        if (sep !== 44 /* , */) return false;
        this.pos++;
        this.skipSpace();
      }
    }
    this.pos++; // the closing bracket
    if (children !== undefined && met !== undefined) {
      for (let i = 0; i < children.length; i++) {
        if (met[i] === 0) this.settle(children[i] as Branch, key, start, line, lineStart);
      }
    }
    return true;
  }

  /**
   * Requests below a path that is not written point at the key of the node where it stops, or at
   * where that node starts when it has no key (an item); at the top level, the careful way decides.
   */
  settle(branch: Branch, key: Key, start: number, line: number, lineStart: number): void {
    if (key.start === ROOT) return;
    this.fill(
      branch,
      key.start >= 0 ? keyAnswer(key) : placed(start, line, lineStart, start, line, lineStart),
    );
  }

  /** Answer every request of `branch` and below with `at`. */
  fill(branch: Branch, at: Placed | undefined): void {
    for (let e = 0; e < branch.ends.length; e++) this.out[branch.ends[e] as number] = at;
    for (let c = 0; c < branch.children.length; c++) this.fill(branch.children[c] as Branch, at);
  }

  forget(branch: Branch): void {
    this.fill(branch, undefined);
  }
}

// One walker per JSON document placed: one kept keeps its hidden class (see keepShape).
keepShape(new Walker('', 0, 0, [], []));

/** The child whose token is the key written at `[start, end)` (quotes included), or -1. */
function matchingChild(text: string, start: number, end: number, children: readonly Branch[]): number {
  const length = end - start - 2;
  let escaped = false;
  for (let i = start + 1; i < end - 1; i++) {
    if (text.charCodeAt(i) === 92 /* \ */) {
      escaped = true;
      break;
    }
  }
  if (escaped) {
    let key: string;
    try {
      key = JSON.parse(text.slice(start, end)) as string;
    } catch {
      return -1;
    }
    for (let i = 0; i < children.length; i++) if ((children[i] as Branch).token === key) return i;
    return -1;
  }
  for (let i = 0; i < children.length; i++) {
    const token = (children[i] as Branch).token;
    if (token.length === length && text.startsWith(token, start + 1)) return i;
  }
  return -1;
}

function keyAnswer(key: Key): Placed {
  key.answer ??= placed(key.start, key.line, key.lineStart, key.end, key.line, key.lineStart);
  return key.answer;
}
