// Whether a CRD `pattern` compiles as Go's `regexp` (RE2 syntax) compiles it: the apiextensions
// server refuses a CRD whose pattern does not (apiserver/schema/validation.go,
// `validateValueValidation`). There is no RE2 parser here, so the check is one-sided on purpose:
// it names the RE2 refusals it can see (lookarounds, backreferences, unknown escapes and flags,
// repeat counts over 1000), then rewrites the RE2-only syntax JavaScript lacks and lets the
// lenient (non-`u`) JavaScript parser judge the rest. A pattern RE2 accepts is never reported as
// far as these rewrites reach; some patterns RE2 refuses pass.

// Letters Go's regexp accepts after a backslash (class escapes, `\pN`, `\Q…\E`, assertions).
const ESCAPE_LETTERS = new Set('afnrtvxdDsSwWbBAzpPQEC');
const FLAGS = /^[imsU]*(-[imsU]*)?$/;

/** Why Go's `regexp.Compile` would refuse `pattern`, or `undefined` when it would (probably) accept it. */
export function re2SyntaxError(pattern: string): string | undefined {
  let js = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'a trailing `\\` escapes nothing';
      if (next === 'Q') {
        // \Q…\E: a literal run.
        const end = pattern.indexOf('\\E', i + 2);
        const text = pattern.slice(i + 2, end === -1 ? undefined : end);
        js += text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end === -1 ? pattern.length : end + 1;
        continue;
      }
      if (/[0-9]/.test(next)) {
        // \0 and \1…\7 followed by an octal digit are octal; any other digit is a backreference.
        if (next !== '0' && (next > '7' || !/[0-7]/.test(pattern[i + 2] ?? ''))) {
          return `backreferences such as \`\\${next}\` are not supported in RE2`;
        }
      } else if (/[a-zA-Z]/.test(next) && !ESCAPE_LETTERS.has(next)) {
        return `\`\\${next}\` is not a valid escape in RE2`;
      }
      if (next === 'p' || next === 'P') {
        // \pL or \p{Greek}: a Unicode class, any character to the lenient parser.
        const close = pattern[i + 2] === '{' ? pattern.indexOf('}', i + 2) : i + 2;
        if (close === -1) return 'a `\\p{` class is not closed';
        js += inClass ? 'a' : '.';
        i = close;
        continue;
      }
      js += next === 'A' ? '^' : next === 'z' ? '$' : next === 'C' ? '.' : c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        // [:alpha:] or [:^alpha:] inside a class.
        const end = pattern.indexOf(':]', i + 2);
        if (end !== -1) {
          js += 'a';
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      js += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      js += c;
      // A `]` right after `[` or `[^` is a literal.
      const skip = pattern[i + 1] === '^' ? 1 : 0;
      if (pattern[i + 1 + skip] === ']') {
        js += `${skip ? '^' : ''}\\]`;
        i += 1 + skip;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (/^(=|!|<=|<!)/.test(rest)) return 'lookarounds such as `(?=` and `(?!` are not supported in RE2';
      const named = /^P?<([^>]*)>/.exec(rest);
      if (named) {
        js += `(?<${named[1] ?? ''}>`;
        i += 1 + named[0].length;
        continue;
      }
      const flags = /^([^):]*)([):])/.exec(rest);
      if (flags && flags[1] !== '') {
        if (!FLAGS.test(flags[1] as string)) return `\`(?${flags[1]}\` is not a flag group RE2 supports`;
        js += flags[2] === ':' ? '(?:' : '';
        i += 1 + flags[0].length;
        continue;
      }
    }
    if (c === '{') {
      const repeat = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (repeat && (Number(repeat[1]) > 1000 || Number(repeat[3] || 0) > 1000)) {
        return 'repeat counts above 1000 are not supported in RE2';
      }
    }
    js += c;
  }
  try {
    new RegExp(js);
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
  return undefined;
}
