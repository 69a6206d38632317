import { stringEnd } from './scan-json.js';

/** A key written twice in one JSON object: where its second occurrence is, and its name. */
export interface DuplicateJsonKey {
  /** Offset of the second occurrence's opening quote. */
  readonly start: number;
  /** Offset just past its closing quote. */
  readonly end: number;
  readonly key: string;
}

/**
 * Keys written twice in one object of a JSON text that `JSON.parse` accepted (it keeps the last
 * value and says nothing). Counting comes first: the keys the text writes (a native search for
 * `":`) against the keys the parsed value has; only when they differ is the text walked with a
 * set of keys per object to say which ones.
 *
 * @example
 * ```ts
 * const text = '{"a": 1, "a": 2}';
 * duplicateJsonKeys(text, JSON.parse(text)); // [{ start: 9, end: 12, key: 'a' }]
 * ```
 */
export function duplicateJsonKeys(text: string, parsed: unknown): DuplicateJsonKey[] {
  if (countWrittenKeys(text) === countParsedKeys(parsed)) return [];
  return findDuplicates(text);
}

/**
 * Keys written in the text, as far as a native search can tell: each `":` (or `" :`) that closes a
 * string. A `":` inside a string is counted too: the counts then differ and the exact walk
 * decides, so a duplicate key always makes them differ.
 */
function countWrittenKeys(text: string): number {
  let count = 0;
  for (let i = text.indexOf('":'); i >= 0; i = text.indexOf('":', i + 2)) {
    if (closesString(text, i)) count++;
  }
  // Keys written with space before their colon (`"k" : v`), rare: counted too, so that none is
  // missed and hides a duplicate.
  SPACED_KEY.lastIndex = 0;
  for (let m = SPACED_KEY.exec(text); m !== null; m = SPACED_KEY.exec(text)) {
    if (closesString(text, m.index)) count++;
  }
  return count;
}

const SPACED_KEY = /"[ \t\r\n]+:/g;

/** Whether the quote at `i` can close a string: an opening one (`[":8080"`) follows a space, `[`, `,` or `:`. */
function closesString(text: string, i: number): boolean {
  const before = text.charCodeAt(i - 1);
  return !isSpace(before) && before !== 91 && before !== 44 && before !== 58;
}

function countParsedKeys(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countParsedKeys(item);
    return count;
  }
  for (const key in value) count += 1 + countParsedKeys((value as Record<string, unknown>)[key]);
  return count;
}

/** The second and later occurrences of each key, per object, in text order. */
function findDuplicates(text: string): DuplicateJsonKey[] {
  const out: DuplicateJsonKey[] = [];
  // One entry per open container: the keys of an object, or null for an array.
  const open: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */) open.push(new Set());
    else if (c === 91 /* [ */) open.push(null);
    else if (c === 125 /* } */ || c === 93 /* ] */) open.pop();
    else if (c === 34 /* " */) {
      const end = stringEnd(text, i, text.length);
      if (end === undefined) break;
      let j = end;
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      const keys = open.at(-1);
      if (text.charCodeAt(j) === 58 && keys) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (keys.has(key)) out.push({ start: i, end, key });
        else keys.add(key);
      }
      i = end - 1;
    }
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
