/**
 * Regular expressions for `test(...)` in path expressions, matched in time linear in the text.
 *
 * Why not `RegExp`: JavaScript's engine backtracks, so a pattern from a config file such as
 * `(a+)+$` can run for minutes on a long annotation (ReDoS). Argo CD runs jq through gojq, whose
 * Go `regexp` (RE2) is linear; this is a small RE2-style engine of the same kind (a Thompson NFA
 * run as a Pike VM, no backtracking) for the subset below, and it reports its work to the caller's
 * budget.
 *
 * Syntax (a subset of RE2): literals; `.` (any character but a newline); `^` `$` `\A` `\z` (start
 * and end of the text, no multi-line mode); `\b` `\B`; classes `[a-z_]`, `[^…]`, `\d \D \w \W \s \S`
 * and `[:alpha:]`-style names inside classes; escapes `\n \t \r \f \v \xHH \x{H…}` and escaped
 * punctuation; groups `(…)`, `(?:…)`, `(?P<name>…)`, `(?<name>…)`; alternation `|`; repetition
 * `* + ? {n} {n,} {n,m}` (lazy forms accepted; they do not change whether a text matches), counts up
 * to 100. Not supported: backreferences (RE2 has none either), lookaround, `\p{…}`, inline flags.
 */
import {
  type AssertKind,
  isWord,
  type Matcher,
  PatternParser,
  type RegexNode,
  RegexSyntax,
} from './safe-regex-parse.js';

/**
 * A compiled pattern.
 *
 * @example
 * ```ts
 * regex.test('istio-proxy', (steps) => budget.spend(steps)); // true for ^istio
 * ```
 */
export interface SafeRegex {
  /**
   * Whether the pattern matches anywhere in `text`. `charge(n)` is called with the work done, so a
   * caller can stop an expensive match by throwing from it.
   */
  test(text: string, charge: (steps: number) => void): boolean;
}

/** Pike VM instructions; `next`, `x` and `y` are positions in the program. */
type Inst =
  | { op: 'char'; match: Matcher; next: number }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; next: number }
  | { op: 'assert'; kind: AssertKind; next: number }
  | { op: 'match' };

const MAX_PROGRAM = 5_000;

/**
 * Compile `source`; `{ error }` says what was expected and where in the pattern (1-based).
 *
 * @example
 * ```ts
 * const compiled = compileRegex('^istio-', { ignoreCase: false });
 * if ('regex' in compiled) compiled.regex.test('istio-proxy', () => {}); // true
 * ```
 */
export function compileRegex(
  source: string,
  options: { readonly ignoreCase: boolean },
): { regex: SafeRegex } | { error: string } {
  const chars = Array.from(source, (c) => c.codePointAt(0)!);
  try {
    const parser = new PatternParser(chars, options.ignoreCase);
    const node = parser.alternation(0);
    if (parser.at < chars.length) throw new RegexSyntax(`unexpected ) at character ${parser.at + 1}`);
    const program: Inst[] = [];
    emit(node, program);
    program.push({ op: 'match' });
    return { regex: { test: (text, charge) => run(program, text, charge) } };
  } catch (caught) {
    if (caught instanceof RegexSyntax) return { error: caught.message };
    throw caught;
  }
}

/** Append the instructions for `node`; its successor is whatever is appended next. */
function emit(node: RegexNode, program: Inst[]): void {
  if (program.length > MAX_PROGRAM) throw new RegexSyntax('the regular expression is too large');
  switch (node.t) {
    case 'char':
      program.push({ op: 'char', match: node.match, next: program.length + 1 });
      return;
    case 'assert':
      program.push({ op: 'assert', kind: node.kind, next: program.length + 1 });
      return;
    case 'seq':
      for (const item of node.items) emit(item, program);
      return;
    case 'alt': {
      const jumps: { op: 'jmp'; next: number }[] = [];
      node.items.forEach((item, i) => {
        const split: Inst = { op: 'split', x: program.length + 1, y: 0 };
        if (i < node.items.length - 1) program.push(split);
        emit(item, program);
        if (i < node.items.length - 1) {
          const jump = { op: 'jmp' as const, next: 0 };
          program.push(jump);
          jumps.push(jump);
          split.y = program.length;
        }
      });
      for (const jump of jumps) jump.next = program.length;
      return;
    }
    case 'repeat':
      emitRepeat(node.node, node.min, node.max, program);
  }
}

function emitRepeat(node: RegexNode, min: number, max: number, program: Inst[]): void {
  for (let i = 0; i < min; i++) emit(node, program);
  if (max === Infinity) {
    const split: Inst = { op: 'split', x: program.length + 1, y: 0 };
    const loop = program.length;
    program.push(split);
    emit(node, program);
    program.push({ op: 'jmp', next: loop });
    split.y = program.length;
    return;
  }
  const splits: { op: 'split'; x: number; y: number }[] = [];
  for (let i = min; i < max; i++) {
    const split = { op: 'split' as const, x: program.length + 1, y: 0 };
    program.push(split);
    splits.push(split);
    emit(node, program);
  }
  for (const split of splits) split.y = program.length;
}

/** Pike VM: all threads advance together, one step per character, so time is O(text × program). */
function run(program: readonly Inst[], text: string, charge: (steps: number) => void): boolean {
  const chars = Array.from(text, (c) => c.codePointAt(0)!);
  const seen = new Int32Array(program.length).fill(-1);
  let current: number[] = [];
  let next: number[] = [];
  let generation = 0;
  const add = (list: number[], start: number, pos: number): void => {
    const stack = [start];
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (seen[pc] === generation) continue;
      seen[pc] = generation;
      const inst = program[pc]!;
      if (inst.op === 'jmp') stack.push(inst.next);
      else if (inst.op === 'split') stack.push(inst.y, inst.x);
      else if (inst.op === 'assert') {
        if (holds(inst.kind, chars, pos)) stack.push(inst.next);
      } else list.push(pc);
    }
  };
  for (let pos = 0; pos <= chars.length; pos++) {
    add(current, 0, pos);
    charge(current.length + 1);
    generation++;
    const c = chars[pos];
    for (const pc of current) {
      const inst = program[pc]!;
      if (inst.op === 'match') return true;
      if (inst.op === 'char' && c !== undefined && inst.match(c)) add(next, inst.next, pos + 1);
    }
    [current, next] = [next, []];
  }
  return false;
}

function holds(kind: AssertKind, chars: readonly number[], pos: number): boolean {
  switch (kind) {
    case 'begin':
      return pos === 0;
    case 'end':
      return pos === chars.length;
    default: {
      const before = pos > 0 && isWord(chars[pos - 1]!);
      const after = pos < chars.length && isWord(chars[pos]!);
      return (before !== after) === (kind === 'word');
    }
  }
}
