import type { Environment } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import type { CostMeter } from './cel-cost.js';
import { registerOverload, registerReplacement } from './cel-replacements.js';
import {
  charAt,
  indexOf,
  lastIndexOf,
  lowerAscii,
  replace,
  split,
  substring,
  trimSpace,
  upperAscii,
} from './strings-extension.js';

const cache = new Map<string, RE2JS>();
const CACHE_SIZE = 256;

/**
 * Compile a regular expression with RE2 semantics (as Kubernetes does), cached. RE2 runs in time
 * linear in the input, so a pattern cannot hang an evaluation the way a backtracking one can.
 */
export function compileRegex(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** Why `pattern` is not a valid RE2 regular expression, or `undefined` when it is. */
export function regexProblem(pattern: string): string | undefined {
  try {
    compileRegex(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Successive matches as Go's `FindAllString` gives them: an empty match right after the previous
 * match is skipped (`"1, 2".findAll('[0-9]*')` is `['1', '', '2']`), and after an empty match the
 * search moves on by one character.
 */
function findAll(text: string, pattern: string, limit: number): string[] {
  const out: string[] = [];
  if (limit === 0) return out;
  const matcher = compileRegex(pattern).matcher(text);
  let previousEnd = -1;
  for (let pos = 0; pos <= text.length; ) {
    if (!matcher.find(pos)) break;
    const start = matcher.start();
    const end = matcher.end();
    let accept = true;
    if (end === pos) {
      // An empty match where the search began: not one abutting the previous match.
      if (start === previousEnd) accept = false;
      const code = text.codePointAt(pos);
      pos += code !== undefined && code > 0xffff ? 2 : 1;
    } else {
      pos = end;
    }
    previousEnd = end;
    if (accept) {
      out.push(text.slice(start, end));
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

/**
 * The string functions as the API server has them. cel-go's strings extension counts code
 * points and differs from cel-js's built-ins at the edges (`strings-extension.ts`), so
 * `indexOf`, `lastIndexOf`, `substring`, `split`, `lowerAscii`, `upperAscii` and `trim` go to
 * stand-ins (`cel-replacements.ts`); `charAt` and `replace`, which cel-js lacks, are added (not
 * `reverse`: it came in version 3 of the extension, and the API server enables version 2); so are the regex library's `find` and `findAll`, and `matches` on RE2 (the global
 * `matches(s, re)` too). Each call charges the length of the text it walks.
 */
export function registerStringLibrary(env: Environment, meter: CostMeter): void {
  const walking =
    <A extends unknown[], R>(fn: (text: string, ...args: A) => R) =>
    (text: string, ...args: A): R => {
      meter.chargeSize(text);
      return fn(text, ...args);
    };
  env.registerFunction('string.charAt(int): string', walking(charAt));
  env.registerFunction('string.replace(string, string): string', walking(replace));
  env.registerFunction('string.replace(string, string, int): string', walking(replace));
  registerReplacement(env, 'string.indexOf(string): int', walking(indexOf));
  registerReplacement(env, 'string.indexOf(string, int): int', walking(indexOf));
  registerReplacement(env, 'string.lastIndexOf(string): int', walking(lastIndexOf));
  registerReplacement(env, 'string.lastIndexOf(string, int): int', walking(lastIndexOf));
  registerReplacement(env, 'string.substring(int): string', walking(substring));
  registerReplacement(env, 'string.substring(int, int): string', walking(substring));
  registerReplacement(env, 'string.split(string): list<string>', walking(split));
  registerReplacement(env, 'string.split(string, int): list<string>', walking(split));
  registerReplacement(env, 'string.lowerAscii(): string', walking(lowerAscii));
  registerReplacement(env, 'string.upperAscii(): string', walking(upperAscii));
  registerReplacement(env, 'string.trim(): string', walking(trimSpace));
  env.registerFunction('string.find(string): string', (text: string, pattern: string) => {
    meter.chargeSize(text);
    const match = compileRegex(pattern).exec(text);
    return match ? String(match[0]) : '';
  });
  env.registerFunction('string.findAll(string): list<string>', (text: string, pattern: string) => {
    meter.chargeSize(text);
    return findAll(text, pattern, -1);
  });
  env.registerFunction(
    'string.findAll(string, int): list<string>',
    (text: string, pattern: string, limit: bigint) => {
      meter.chargeSize(text);
      return findAll(text, pattern, Number(limit));
    },
  );
  const matches = (text: string, pattern: string) => {
    meter.chargeSize(text);
    return compileRegex(pattern).test(text);
  };
  registerReplacement(env, 'string.matches(string): bool', matches);
  // The standard's global form, which cel-js lacks.
  registerOverload(env, 'matches(string, string): bool', matches);
}
