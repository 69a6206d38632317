import { keepShape } from './keep-shape.js';

/** A place in a text: 0-based offset (UTF-16 code units), 1-based line and column. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/**
 * A range of a file in a manifest repository.
 *
 * @example
 * ```ts
 * const span: SourceSpan = {
 *   path: 'apps/web/deployment.yaml',
 *   document: 0,
 *   start: { offset: 120, line: 8, column: 16 },
 *   end: { offset: 131, line: 8, column: 27 },
 * };
 * ```
 */
export interface SourceSpan {
  /** Repository-relative POSIX path. */
  readonly path: string;
  /** The Git ref the file was read at, when it came from Git. */
  readonly ref?: string;
  /** 0-based index of the YAML document within the file. */
  readonly document: number;
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

/**
 * Turns offsets into lines and columns for one text, in O(log lines) per lookup after an O(n)
 * scan the first time it is used.
 *
 * @example
 * ```ts
 * const index = new LineIndex('a: 1\nb: 2\n');
 * index.position(5); // { offset: 5, line: 2, column: 1 }
 * ```
 */
export class LineIndex {
  readonly #text: string;
  #starts: number[] | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  /** Position of `offset` (clamped to the text). */
  position(offset: number): SourcePosition {
    const starts = this.#lineStarts();
    const at = Math.max(0, Math.min(offset, this.#text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { offset: at, line: lo + 1, column: at - (starts[lo] ?? 0) + 1 };
  }

  /** Offset of a 1-based line and column (clamped to the text). */
  offset(line: number, column: number): number {
    const starts = this.#lineStarts();
    const start = starts[Math.max(0, Math.min(line - 1, starts.length - 1))] ?? 0;
    return Math.min(start + Math.max(0, column - 1), this.#text.length);
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.#lineStarts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    const end = next === undefined ? this.#text.length : next - 1;
    return this.#text.slice(start, end).replace(/\r$/, '');
  }

  /** Number of lines (a trailing line break does not start a new counted line). */
  get lineCount(): number {
    const starts = this.#lineStarts();
    return starts.length > 1 && starts.at(-1) === this.#text.length ? starts.length - 1 : starts.length;
  }

  #lineStarts(): number[] {
    if (this.#starts) return this.#starts;
    const starts = [0];
    const text = this.#text;
    let i = text.indexOf('\n');
    while (i >= 0) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.#starts = starts;
    return starts;
  }
}

// Line tables are made per file and die with their check: one kept keeps their hidden class (see
// keepShape).
keepShape(new LineIndex(''));
