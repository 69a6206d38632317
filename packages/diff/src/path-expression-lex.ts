/**
 * Tokens of the jq subset in `path-expression.ts`. The lexer follows jq's: `.name` is one token
 * (so `. name` is not a field), `.5` is a number, strings are JSON strings. Characters jq knows but
 * this subset does not (`$`, `{`, `<`, `+`, …) are reported here, with their column, so the user
 * learns early that the construct is unsupported rather than that a token was unexpected.
 */

/**
 * A token kind; `punct` covers `[ ] ( ) | , ? ; == != -`.
 *
 * @example
 * ```ts
 * const kind: TokenKind = 'field'; // `.name`
 * ```
 */
export type TokenKind = 'field' | 'dot' | 'recurse' | 'string' | 'number' | 'ident' | 'punct' | 'end';

/**
 * One token. `column` is 1-based, in UTF-16 code units from the start of the text.
 *
 * @example
 * ```ts
 * const token: Token = { kind: 'number', text: '1', number: 1, column: 4 };
 * ```
 */
export interface Token {
  readonly kind: TokenKind;
  /** Field name, identifier, punctuation text, or the decoded string. */
  readonly text: string;
  /** The value of a `number` token. */
  readonly number?: number;
  readonly column: number;
}

/**
 * A problem found while reading the text.
 *
 * @example
 * ```ts
 * const error: LexError = { code: 'unsupported', message: 'variables ($name) are not supported', column: 1 };
 * ```
 */
export interface LexError {
  readonly code: 'syntax' | 'unsupported';
  readonly message: string;
  readonly column: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const NUMBER = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
const SINGLE = new Set(['[', ']', '(', ')', '|', ',', '?', ';', '-']);
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Why a character outside the subset is refused, by character. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  $: 'variables ($name) are not supported',
  '{': 'object construction ({...}) is not supported',
  '}': 'object construction ({...}) is not supported',
  '<': 'ordering comparisons (<, <=, >, >=) are not supported; use == or !=',
  '>': 'ordering comparisons (<, <=, >, >=) are not supported; use == or !=',
  '=': 'assignment is not supported; use == to compare',
  '#': 'comments are not supported',
  '@': 'formats (@base64, …) are not supported',
  ':': 'slices (.[a:b]) and object keys are not supported',
  '/': 'arithmetic and the alternative operator (//) are not supported',
  '+': 'arithmetic is not supported',
  '*': 'arithmetic is not supported',
  '%': 'arithmetic is not supported',
};

/**
 * Split `text` into tokens, ending with an `end` token.
 *
 * @example
 * ```ts
 * tokenize('.a[0]'); // { tokens: [field a, [, number 0, ], end] }
 * ```
 */
export function tokenize(text: string): { tokens: Token[] } | { error: LexError } {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    const column = at + 1;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      at++;
    } else if (char === '.') {
      const number = NUMBER.exec(text.slice(at, at + 400));
      if (number !== null) {
        tokens.push({ kind: 'number', text: number[0], number: Number(number[0]), column });
        at += number[0].length;
      } else if (text[at + 1] === '.') {
        tokens.push({ kind: 'recurse', text: '..', column });
        at += 2;
      } else if (at + 1 < text.length && IDENT_START.test(text[at + 1]!)) {
        const end = identEnd(text, at + 1);
        tokens.push({ kind: 'field', text: text.slice(at + 1, end), column });
        at = end;
      } else {
        tokens.push({ kind: 'dot', text: '.', column });
        at++;
      }
    } else if (char === '"') {
      const read = readString(text, at);
      if ('error' in read) return read;
      tokens.push({ kind: 'string', text: read.value, column });
      at = read.end;
    } else if (char >= '0' && char <= '9') {
      const number = NUMBER.exec(text.slice(at, at + 400))![0];
      tokens.push({ kind: 'number', text: number, number: Number(number), column });
      at += number.length;
    } else if (IDENT_START.test(char)) {
      const end = identEnd(text, at);
      tokens.push({ kind: 'ident', text: text.slice(at, end), column });
      at = end;
    } else if ((char === '=' || char === '!') && text[at + 1] === '=') {
      tokens.push({ kind: 'punct', text: `${char}=`, column });
      at += 2;
    } else if (SINGLE.has(char)) {
      tokens.push({ kind: 'punct', text: char, column });
      at++;
    } else {
      const why = UNSUPPORTED[char];
      if (why !== undefined) return { error: { code: 'unsupported', message: why, column } };
      return { error: { code: 'syntax', message: `unexpected character ${JSON.stringify(char)}`, column } };
    }
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return { tokens };
}

function identEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && IDENT_PART.test(text[end]!)) end++;
  return end;
}

/** Read the JSON-style string starting at the quote at `start`. */
function readString(text: string, start: number): { value: string; end: number } | { error: LexError } {
  let value = '';
  let at = start + 1;
  while (at < text.length) {
    const char = text[at]!;
    if (char === '"') return { value, end: at + 1 };
    if (char !== '\\') {
      value += char;
      at++;
      continue;
    }
    const next = text[at + 1];
    const simple = next === undefined ? undefined : ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      at += 2;
    } else if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(at + 2, at + 6))) {
      value += String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 6), 16));
      at += 6;
    } else if (next === '(') {
      const message = 'string interpolation (\\(...)) is not supported';
      return { error: { code: 'unsupported', message, column: at + 1 } };
    } else if (next === undefined) {
      break;
    } else {
      const message = `expected an escape (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX) after the backslash`;
      return { error: { code: 'syntax', message, column: at + 1 } };
    }
  }
  return { error: { code: 'syntax', message: 'expected a closing " for this string', column: start + 1 } };
}
