/**
 * The string functions of cel-go's strings extension as the API server runs them (cel-go
 * `ext/strings.go` v0.26, which Kubernetes 1.34 and 1.35 vendor; cel-spec `string_ext.textproto`).
 * Indices and lengths count code points (Go runes), not UTF-16 units: an emoji is one character.
 * JavaScript strings index UTF-16 units, so each function takes a fast path when the text has no
 * surrogate pair and converts offsets otherwise.
 */

const SURROGATE = /[\uD800-\uDFFF]/;
const WHITE_SPACE = /\p{White_Space}/u;

/** The error cel-go gives for an index outside the string. */
function outOfRange(index: bigint): Error {
  return new Error(`index out of range: ${index}`);
}

/** Code points in `text`. */
function pointLength(text: string, simple: boolean): number {
  return simple ? text.length : pointsBefore(text, text.length);
}

/** The UTF-16 offset of code point `index` (at most the length in code points). */
function unitOffset(text: string, index: number): number {
  let units = 0;
  for (let i = 0; i < index; i++) units += (text.codePointAt(units) ?? 0) > 0xffff ? 2 : 1;
  return units;
}

/** Code points before UTF-16 offset `units`. */
function pointsBefore(text: string, units: number): number {
  let n = 0;
  for (let at = 0; at < units; at += (text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1) n++;
  return n;
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** Whether a match at `at` of `length` units neither starts nor ends inside a surrogate pair. */
function onBoundaries(text: string, at: number, length: number): boolean {
  const end = at + length;
  if (at > 0 && isLow(text.charCodeAt(at)) && isHigh(text.charCodeAt(at - 1))) return false;
  return !(end < text.length && isLow(text.charCodeAt(end)) && isHigh(text.charCodeAt(end - 1)));
}

/** `charAt`: the character at `index`; `''` at the end; an error past it or below 0. */
export function charAt(text: string, index: bigint): string {
  const simple = !SURROGATE.test(text);
  const length = pointLength(text, simple);
  if (index < 0n || index > BigInt(length)) throw outOfRange(index);
  if (simple) return text.charAt(Number(index));
  const at = unitOffset(text, Number(index));
  return at < text.length ? String.fromCodePoint(text.codePointAt(at) ?? 0) : '';
}

/**
 * `indexOf`: where `search` first occurs from `offset` on, or -1. The empty string is found at the
 * offset itself; a negative offset is an error, one at or past the end finds nothing.
 */
export function indexOf(text: string, search: string, offset = 0n): bigint {
  if (search === '') return offset;
  if (offset < 0n) throw outOfRange(offset);
  const simple = !SURROGATE.test(text);
  if (offset >= BigInt(pointLength(text, simple))) return -1n;
  if (simple) return BigInt(text.indexOf(search, Number(offset)));
  let at = text.indexOf(search, unitOffset(text, Number(offset)));
  while (at >= 0 && !onBoundaries(text, at, search.length)) at = text.indexOf(search, at + 1);
  return at < 0 ? -1n : BigInt(pointsBefore(text, at));
}

/**
 * `lastIndexOf`: where `search` last starts at or before `offset` (the end by default), or -1.
 * The empty string is found at the offset (the length by default); a negative offset is an
 * error, one at or past the end finds nothing, and so does any search in the empty string.
 */
export function lastIndexOf(text: string, search: string, offset?: bigint): bigint {
  const simple = !SURROGATE.test(text);
  const length = pointLength(text, simple);
  if (offset === undefined) {
    if (search === '') return BigInt(length);
    if (length === 0) return -1n;
    offset = BigInt(length - 1);
  }
  if (search === '') return offset;
  if (offset < 0n) throw outOfRange(offset);
  if (offset >= BigInt(length)) return -1n;
  const from = Math.min(Number(offset), length - pointLength(search, !SURROGATE.test(search)));
  if (from < 0) return -1n;
  if (simple) return BigInt(text.lastIndexOf(search, from));
  let at = text.lastIndexOf(search, unitOffset(text, from));
  while (at >= 0 && !onBoundaries(text, at, search.length)) {
    at = at === 0 ? -1 : text.lastIndexOf(search, at - 1);
  }
  return at < 0 ? -1n : BigInt(pointsBefore(text, at));
}

/**
 * `substring`: the characters from `start` up to `end` (the end by default). Either index
 * outside the string, or `start` after `end`, is an error.
 */
export function substring(text: string, start: bigint, end?: bigint): string {
  if (end !== undefined && start > end) {
    throw new Error(`invalid substring range. start: ${start}, end: ${end}`);
  }
  const simple = !SURROGATE.test(text);
  const length = BigInt(pointLength(text, simple));
  if (start < 0n || start > length) throw outOfRange(start);
  if (end !== undefined && (end < 0n || end > length)) throw outOfRange(end);
  const from = simple ? Number(start) : unitOffset(text, Number(start));
  if (end === undefined) return text.slice(from);
  return text.slice(from, simple ? Number(end) : unitOffset(text, Number(end)));
}

/**
 * `split`, as Go's `strings.SplitN`: at most `limit` parts (all when negative or absent, none
 * when 0), the last one the unsplit rest. The empty separator splits between characters.
 */
export function split(text: string, separator: string, limit = -1n): string[] {
  if (limit === 0n) return [];
  const parts = separator === '' ? Array.from(text) : text.split(separator);
  if (limit < 0n || BigInt(parts.length) <= limit) return parts;
  const keep = Number(limit) - 1;
  return [...parts.slice(0, keep), parts.slice(keep).join(separator)];
}

/**
 * `replace`, as Go's `strings.Replace`: the first `limit` occurrences (all when negative or
 * absent). The empty string occurs before each character and at the end.
 */
export function replace(text: string, from: string, to: string, limit = -1n): string {
  if (limit === 0n || from === to) return text;
  const most = limit < 0n ? Infinity : Number(limit);
  if (from === '') {
    const chars = Array.from(text);
    let out = '';
    for (let i = 0; i < chars.length; i++) out += (i < most ? to : '') + chars[i];
    return chars.length < most ? out + to : out;
  }
  let out = '';
  let last = 0;
  for (let n = 0; n < most; n++) {
    const found = text.indexOf(from, last);
    if (found < 0) break;
    out += text.slice(last, found) + to;
    last = found + from.length;
  }
  return out + text.slice(last);
}

/** `lowerAscii`: A–Z lowered, every other character kept (`Æ` stays). */
export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** `upperAscii`: a–z raised, every other character kept (`ß` stays). */
export function upperAscii(text: string): string {
  return text.replace(/[a-z]+/g, (s) => s.toUpperCase());
}

/**
 * `trim`, as Go's `strings.TrimSpace`: Unicode White_Space removed at both ends. Unlike
 * JavaScript's `trim`, U+0085 is space and U+FEFF is not. (Two scans, not a regular expression:
 * `\s+$` takes quadratic time on long runs of inner space.)
 */
export function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && WHITE_SPACE.test(text.charAt(start))) start++;
  while (end > start && WHITE_SPACE.test(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}
