import type { Environment } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';
import type { CostMeter } from './cel-cost.js';
import { registerOverload, registerReplacement } from './cel-replacements.js';

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

function findAll(text: string, pattern: string, limit: number): string[] {
  const out: string[] = [];
  if (limit === 0) return out;
  for (const match of compileRegex(pattern).matchAll(text)) {
    out.push(match[0]);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * The string functions Kubernetes has and cel-js lacks: `charAt`, `replace` (2 and 3 arguments),
 * `reverse`, the regex library's `find` and `findAll`, and `matches` on RE2 (the rewrite in
 * `cel-analysis.ts` sends the built-in `matches` here; the global `matches(s, re)` is added). Each call charges the length of the text it walks.
 */
export function registerStringLibrary(env: Environment, meter: CostMeter): void {
  env.registerFunction('string.charAt(int): string', (text: string, index: bigint) => {
    meter.chargeSize(text);
    const chars = codePoints(text);
    if (index < 0n || index > BigInt(chars.length)) throw new Error(`charAt: index ${index} out of range`);
    return chars[Number(index)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (text: string, from: string, to: string) => {
    meter.chargeSize(text);
    return text.replaceAll(from, () => to);
  });
  env.registerFunction(
    'string.replace(string, string, int): string',
    (text: string, from: string, to: string, limit: bigint) => {
      meter.chargeSize(text);
      if (limit < 0n) return text.replaceAll(from, () => to);
      let out = text;
      let at = 0;
      for (let n = 0n; n < limit; n++) {
        const found = out.indexOf(from, at);
        if (found < 0) break;
        out = out.slice(0, found) + to + out.slice(found + from.length);
        at = found + to.length + (from === '' ? 1 : 0);
      }
      return out;
    },
  );
  env.registerFunction('string.reverse(): string', (text: string) => {
    meter.chargeSize(text);
    return codePoints(text).reverse().join('');
  });
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
