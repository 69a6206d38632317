import { type Environment, Optional } from '@marcbachmann/cel-js';

/** Stands for a list literal with optional entries: `[a, ?b]` is `shipshapeOptionalList([a, b], [1])`. */
const OPTIONAL_LIST_FUNCTION = 'shipshapeOptionalList';
/** Stands for a map literal with optional entries: `{?k: v}` is `shipshapeOptionalMap({k: v}, [k])`. */
const OPTIONAL_MAP_FUNCTION = 'shipshapeOptionalMap';

/** A source with its optional entries rewritten, and where an offset in it was in the source. */
export interface RewrittenSource {
  readonly text: string;
  readonly sourceOffset: (offset: number) => number;
}

/**
 * cel-go's optional entries of list and map literals (`[a, ?b]`: `b` when the optional `b` has a
 * value, nothing otherwise; `{?'k': v}`: the entry when `v` has a value), which cel-js cannot
 * parse, rewritten as calls of functions that do the same (see {@link registerOptionalEntries}).
 * `undefined` when the source has none. The rewrite reads tokens (strings, comments, brackets), so
 * a `?` in a string, an optional index (`a[?0]`) or a conditional (`a ? b : c`) is left alone.
 *
 * @example
 * ```ts
 * rewriteOptionalEntries("[1, ?x]")?.text; // "shipshapeOptionalList([1, x], [1])"
 * ```
 */
export function rewriteOptionalEntries(source: string): RewrittenSource | undefined {
  if (!source.includes('?')) return undefined;
  const edits: Edit[] = [];
  const frames: Frame[] = [];
  // Whether the last token ends an operand (`a`, `1`, `'s'`, `)`, `]`, `}`): `[` after it indexes.
  let afterOperand = false;
  // The last punctuation read: a `?` after `.` selects an optional field (`a.?b`).
  let previous = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const top = frames.at(-1);
    const expecting = top?.expecting === true;
    if (top) top.expecting = false;
    const string = stringAt(source, i);
    if (string !== undefined) {
      i = string;
      afterOperand = true;
      previous = '';
      continue;
    }
    if (/[A-Za-z_0-9]/.test(c)) {
      const start = i;
      while (i < source.length && /[A-Za-z_0-9]/.test(source[i] as string)) i++;
      // `in` is an operator: a `[` after it opens a list.
      afterOperand = source.slice(start, i) !== 'in';
      previous = '';
      continue;
    }
    if (c === '[' || c === '{' || c === '(') {
      const literal = c !== '(' && !afterOperand;
      frames.push({
        open: c,
        at: i,
        literal,
        expecting: literal,
        optional: [],
        keys: [],
        deletions: [],
        pending: 0,
        index: 0,
        keyStart: i + 1,
      });
      i++;
      afterOperand = false;
      previous = c;
      continue;
    }
    if (c === ']' || c === '}' || c === ')') {
      const frame = frames.pop();
      if (frame && frame.optional.length > 0) close(frame, i, edits);
      i++;
      afterOperand = true;
      previous = c;
      continue;
    }
    if (c === '?' && top?.literal === true && expecting) {
      top.optional.push(top.index);
      top.deletions.push({ at: i, remove: 1, text: '' });
      if (top.open === '{') top.keyStart = i + 1;
      i++;
      afterOperand = false;
      previous = c;
      continue;
    }
    if (top?.literal === true && c === '?' && previous !== '.') top.pending++;
    if (top?.literal === true && c === ':') {
      if (top.pending > 0) top.pending--;
      else if (top.open === '{' && top.optional.at(-1) === top.index) {
        top.keys.push(source.slice(top.keyStart, i).trim());
      }
    }
    if (top?.literal === true && c === ',') {
      top.index++;
      top.expecting = true;
      top.keyStart = i + 1;
      top.pending = 0;
    }
    i++;
    afterOperand = false;
    previous = c;
  }
  if (edits.length === 0) return undefined;
  return applyEdits(source, edits);
}

interface Frame {
  readonly open: '[' | '{' | '(';
  readonly at: number;
  readonly literal: boolean;
  /** Whether the next token starts an entry. */
  expecting: boolean;
  /** Entries written with `?`, by index. */
  readonly optional: number[];
  /** A map's optional entries' keys, as written. */
  readonly keys: string[];
  /** The `?` of each optional entry, removed only when the literal is rewritten. */
  readonly deletions: Edit[];
  /** Conditionals (`a ? b : c`) whose `:` is still to come. */
  pending: number;
  /** The entry being read, and where its key starts (in a map). */
  index: number;
  keyStart: number;
}

interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly text: string;
}

/**
 * Rewrite a literal with optional entries. A map whose keys could not all be read is left as
 * written: cel-js then refuses it, and the expression is `vap/unsupported`, not changed in meaning.
 */
function close(frame: Frame, at: number, edits: Edit[]): void {
  if (frame.open === '[') {
    edits.push({ at: frame.at, remove: 0, text: `${OPTIONAL_LIST_FUNCTION}(` });
    edits.push({ at: at + 1, remove: 0, text: `, [${frame.optional.join(', ')}])` });
  } else if (frame.open === '{' && frame.keys.length === frame.optional.length) {
    edits.push({ at: frame.at, remove: 0, text: `${OPTIONAL_MAP_FUNCTION}(` });
    edits.push({ at: at + 1, remove: 0, text: `, [${frame.keys.join(', ')}])` });
  } else {
    return;
  }
  for (const deletion of frame.deletions) edits.push(deletion);
}

/** Where the string literal starting at `i` ends, or `undefined` when none starts there. */
function stringAt(source: string, i: number): number | undefined {
  const prefix = /^(?:[rR][bB]?|[bB][rR]?)?(?="|')/.exec(source.slice(i, i + 3));
  if (prefix === null) return undefined;
  const raw = /[rR]/.test(prefix[0]);
  let at = i + prefix[0].length;
  const quote = source[at] as string;
  const triple = source.startsWith(quote.repeat(3), at);
  const close = triple ? quote.repeat(3) : quote;
  at += close.length;
  while (at < source.length) {
    if (!raw && source[at] === '\\') {
      at += 2;
      continue;
    }
    if (source.startsWith(close, at)) return at + close.length;
    if (!triple && source[at] === '\n') return at;
    at++;
  }
  return at;
}

function applyEdits(source: string, edits: readonly Edit[]): RewrittenSource {
  const sorted = [...edits].sort((a, b) => a.at - b.at || b.remove - a.remove);
  let text = '';
  let from = 0;
  // Pieces of the text: [start in text, start in source, length, inserted].
  const pieces: [number, number, number, boolean][] = [];
  for (const edit of sorted) {
    if (edit.at > from) {
      pieces.push([text.length, from, edit.at - from, false]);
      text += source.slice(from, edit.at);
    }
    if (edit.text !== '') {
      pieces.push([text.length, edit.at, edit.text.length, true]);
      text += edit.text;
    }
    from = Math.max(from, edit.at + edit.remove);
  }
  pieces.push([text.length, from, source.length - from, false]);
  text += source.slice(from);
  const sourceOffset = (offset: number): number => {
    for (let p = pieces.length - 1; p >= 0; p--) {
      const [start, at, length, inserted] = pieces[p] as [number, number, number, boolean];
      if (offset < start) continue;
      return inserted ? at : at + Math.min(offset - start, length);
    }
    return offset;
  };
  return { text, sourceOffset };
}

/**
 * The functions {@link rewriteOptionalEntries} calls. An entry written with `?` must be an
 * optional (cel-go refuses anything else when the expression is compiled; here, when it runs).
 */
export function registerOptionalEntries(env: Environment): void {
  env.registerFunction(
    `${OPTIONAL_LIST_FUNCTION}(list<dyn>, list<int>): list<dyn>`,
    (items: readonly unknown[], optional: readonly bigint[]) => {
      const marked = new Set(optional.map(Number));
      const out: unknown[] = [];
      items.forEach((item, index) => {
        if (!marked.has(index)) out.push(item);
        else if (entryValue(item) !== NONE) out.push(entryValue(item));
      });
      return out;
    },
  );
  env.registerFunction(
    `${OPTIONAL_MAP_FUNCTION}(map<dyn, dyn>, list<dyn>): map<dyn, dyn>`,
    (entries: unknown, keys: readonly unknown[]) => {
      if (entries instanceof Map) {
        const out = new Map(entries);
        for (const key of keys) {
          const value = entryValue(out.get(key));
          if (value === NONE) out.delete(key);
          else out.set(key, value);
        }
        return out;
      }
      const out: Record<string, unknown> = { ...(entries as Record<string, unknown>) };
      for (const key of keys) {
        const name = String(key);
        const value = entryValue(out[name]);
        if (value === NONE) delete out[name];
        else out[name] = value;
      }
      return out;
    },
  );
}

const NONE = Symbol('none');

function entryValue(entry: unknown): unknown {
  if (!(entry instanceof Optional))
    throw new Error(
      `an optional entry must be an optional value (optional.of(x), a.?b), not ${typeof entry}`,
    );
  return entry.hasValue() ? entry.value() : NONE;
}
