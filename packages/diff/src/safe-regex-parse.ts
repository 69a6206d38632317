/**
 * The pattern syntax of `safe-regex.ts` (a subset of RE2), read into a tree of character
 * matchers, assertions, sequences, alternations and bounded repetitions.
 */

/**
 * Whether a character (a code point) matches.
 *
 * @example
 * ```ts
 * const isA: Matcher = (c) => c === 0x61;
 * ```
 */
export type Matcher = (c: number) => boolean;
/**
 * A zero-width assertion: `^` or `\A`, `$` or `\z`, `\b`, `\B`.
 *
 * @example
 * ```ts
 * const start: AssertKind = 'begin'; // ^
 * ```
 */
export type AssertKind = 'begin' | 'end' | 'word' | 'not-word';
/**
 * A parsed pattern.
 *
 * @example
 * ```ts
 * // a+
 * const node: RegexNode = { t: 'repeat', min: 1, max: Infinity, node: { t: 'char', match: (c) => c === 0x61 } };
 * ```
 */
export type RegexNode =
  | { readonly t: 'char'; readonly match: Matcher }
  | { readonly t: 'assert'; readonly kind: AssertKind }
  | { readonly t: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly t: 'alt'; readonly items: readonly RegexNode[] }
  | { readonly t: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number };

const MAX_REPEAT = 100;
const MAX_GROUP_DEPTH = 32;

const isDigit: Matcher = (c) => c >= 48 && c <= 57;
/**
 * `\w`: ASCII letters, digits and `_`, as in RE2.
 *
 * @example
 * ```ts
 * isWord(0x5f); // true: _
 * ```
 */
export const isWord: Matcher = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: Matcher = (c) => c === 32 || (c >= 9 && c <= 13);
const NAMED: Readonly<Record<string, Matcher>> = {
  d: isDigit,
  w: isWord,
  s: isSpace,
};
const POSIX: Readonly<Record<string, Matcher>> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: isDigit,
  alnum: (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: isSpace,
  word: isWord,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  punct: (c) =>
    (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
};
const CONTROL: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, f: 12, v: 11, a: 7 };

/**
 * Thrown inside the pattern parser only; `compileRegex` turns it into data.
 *
 * @example
 * ```ts
 * throw new RegexSyntax('expected ) to close the group at character 1');
 * ```
 */
export class RegexSyntax extends Error {}

/**
 * Reads a pattern into a `RegexNode` tree; throws `RegexSyntax` for what it refuses.
 *
 * @example
 * ```ts
 * new PatternParser(Array.from('a|b', (c) => c.codePointAt(0)!), false).alternation(0); // { t: 'alt', … }
 * ```
 */
export class PatternParser {
  at = 0;
  constructor(
    private readonly chars: readonly number[],
    private readonly ignoreCase: boolean,
  ) {}

  alternation(depth: number): RegexNode {
    if (depth > MAX_GROUP_DEPTH) throw new RegexSyntax(`groups nest deeper than ${MAX_GROUP_DEPTH} levels`);
    const items = [this.sequence(depth)];
    while (this.chars[this.at] === 124 /* | */) {
      this.at++;
      items.push(this.sequence(depth));
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private sequence(depth: number): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      const c = this.chars[this.at];
      if (c === undefined || c === 124 || c === 41 /* ) */) break;
      items.push(this.repetition(this.atom(depth)));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private repetition(node: RegexNode): RegexNode {
    const bounds = this.quantifier();
    if (bounds === undefined) return node;
    if (this.chars[this.at] === 63 /* lazy ? */) this.at++;
    if (this.quantifier() !== undefined) {
      throw new RegexSyntax(`invalid nested repetition at character ${this.at}`);
    }
    return { t: 'repeat', node, min: bounds[0], max: bounds[1] };
  }

  private quantifier(): [number, number] | undefined {
    const c = this.chars[this.at];
    if (c === 42 || c === 43 || c === 63) {
      this.at++;
      return c === 42 ? [0, Infinity] : c === 43 ? [1, Infinity] : [0, 1];
    }
    if (c !== 123 /* { */) return undefined;
    const rest = String.fromCodePoint(...this.chars.slice(this.at, this.at + 12));
    const found = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (found === null) return undefined; // RE2 reads a brace that starts no count as a literal
    const min = Number(found[1]);
    const max = found[2] === undefined ? min : found[3] === '' ? Infinity : Number(found[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT) || max < min) {
      throw new RegexSyntax(
        `expected a repetition count from 0 to ${MAX_REPEAT} at character ${this.at + 1}`,
      );
    }
    this.at += found[0].length;
    return [min, max];
  }

  private atom(depth: number): RegexNode {
    const start = this.at;
    const c = this.chars[this.at++]!;
    switch (c) {
      case 40 /* ( */:
        return this.group(depth, start);
      case 91 /* [ */:
        return { t: 'char', match: this.charClass() };
      case 46 /* . */:
        return { t: 'char', match: (x) => x !== 10 };
      case 94 /* ^ */:
        return { t: 'assert', kind: 'begin' };
      case 36 /* $ */:
        return { t: 'assert', kind: 'end' };
      case 42:
      case 43:
      case 63:
        throw new RegexSyntax(`expected something to repeat before character ${start + 1}`);
      case 92 /* \ */:
        {
          const letter = String.fromCodePoint(this.chars[this.at] ?? 0);
          const assertion = { A: 'begin', z: 'end', b: 'word', B: 'not-word' }[letter] as
            | AssertKind
            | undefined;
          if (assertion !== undefined) {
            this.at++;
            return { t: 'assert', kind: assertion };
          }
          return this.charNode(this.escape());
        }
      default: {
        return this.charNode((x) => x === c);
      }
    }
  }

  private group(depth: number, start: number): RegexNode {
    if (this.chars[this.at] === 63 /* ? */) {
      const rest = String.fromCodePoint(...this.chars.slice(this.at, this.at + 40));
      const prefix = /^\?(?::|P?<[A-Za-z_][A-Za-z0-9_]*>)/.exec(rest);
      if (prefix === null) throw new RegexSyntax(`unsupported (?…) group at character ${start + 1}`);
      this.at += prefix[0].length;
    }
    const inner = this.alternation(depth + 1);
    if (this.chars[this.at] !== 41)
      throw new RegexSyntax(`expected ) to close the group at character ${start + 1}`);
    this.at++;
    return inner;
  }

  /** After `[`: the class up to its `]`. */
  private charClass(): Matcher {
    const start = this.at;
    const negated = this.chars[this.at] === 94;
    if (negated) this.at++;
    const parts: Matcher[] = [];
    let first = true;
    for (;;) {
      const c = this.chars[this.at];
      if (c === undefined) throw new RegexSyntax(`expected ] to close the class at character ${start}`);
      if (c === 93 && !first) break;
      first = false;
      parts.push(this.classItem());
    }
    this.at++;
    const any = this.folded((x) => parts.some((part) => part(x)));
    // Case folding applies to the class before its negation: with `i`, `[^a]` matches neither a nor A.
    return negated ? (x) => !any(x) : any;
  }

  private classItem(): Matcher {
    const rest = String.fromCodePoint(...this.chars.slice(this.at, this.at + 12));
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest);
    if (posix !== null) {
      const named = Object.hasOwn(POSIX, posix[2]!) ? POSIX[posix[2]!] : undefined;
      if (named === undefined) throw new RegexSyntax(`unknown class [:${posix[2]}:]`);
      this.at += posix[0].length;
      return posix[1] === '^' ? (x) => !named(x) : named;
    }
    const low = this.classChar();
    if (this.chars[this.at] !== 45 /* - */ || this.chars[this.at + 1] === 93 || typeof low !== 'number') {
      return typeof low === 'number' ? (x) => x === low : low;
    }
    this.at++;
    const high = this.classChar();
    if (typeof high !== 'number' || high < low) {
      throw new RegexSyntax(`invalid range in a class at character ${this.at}`);
    }
    return (x) => x >= low && x <= high;
  }

  private classChar(): number | Matcher {
    const c = this.chars[this.at++]!;
    return c === 92 ? this.escape() : c;
  }

  /** After `\`: a character, or a matcher for `\d`-style classes. */
  private escape(): number | Matcher {
    const c = this.chars[this.at++];
    if (c === undefined) throw new RegexSyntax('expected a character after the final backslash');
    const letter = String.fromCodePoint(c);
    const named = NAMED[letter.toLowerCase()];
    if (named !== undefined) return letter === letter.toLowerCase() ? named : (x) => !named(x);
    const control = CONTROL[letter];
    if (control !== undefined) return control;
    if (letter === 'x') return this.hex();
    if (c < 128 && !isWord(c)) return c;
    throw new RegexSyntax(`unsupported escape \\${letter} at character ${this.at - 1}`);
  }

  private hex(): number {
    const rest = String.fromCodePoint(...this.chars.slice(this.at, this.at + 10));
    const found = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(rest);
    const value = found === null ? Number.NaN : Number.parseInt(found[1] ?? found[2]!, 16);
    if (found === null || value > 0x10ffff)
      throw new RegexSyntax(`expected hex digits after \\x at character ${this.at}`);
    this.at += found[0].length;
    return value;
  }

  private charNode(match: number | Matcher): RegexNode {
    return { t: 'char', match: this.folded(typeof match === 'number' ? (x) => x === match : match) };
  }

  private folded(base: Matcher): Matcher {
    if (!this.ignoreCase) return base;
    return (x) => base(x) || base(foldCase(x, 'lower')) || base(foldCase(x, 'upper'));
  }
}

function foldCase(c: number, to: 'lower' | 'upper'): number {
  const text = String.fromCodePoint(c);
  const folded = to === 'lower' ? text.toLowerCase() : text.toUpperCase();
  const point = folded.codePointAt(0)!;
  return String.fromCodePoint(point) === folded ? point : c;
}
