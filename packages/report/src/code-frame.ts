import type { LineIndex, Severity, SourceSpan } from '@shipshape/core';
import { createPainter, severityStyle } from './ansi.js';
import { isDocumentBoundary, lastSpanLine } from './source-text.js';
import { displayColumnOf, displayWidth, isPlainText, renderColumns } from './terminal-text.js';

/** Lines of a span marked with `>`; longer spans show their first lines only. */
const MAX_MARKED_LINES = 3;
/** Display columns of source shown per line; longer lines are clipped around the caret. */
const MAX_CODE_WIDTH = 100;

/** How to draw a {@link renderCodeFrame}. */
export interface CodeFrameOptions {
  readonly contextLines: number;
  readonly color: boolean;
  readonly severity: Severity;
  /** Lines that hold a credential: shown as {@link HIDDEN_LINE} after their indentation. */
  readonly hidden?: (line: number) => boolean;
}

/** What a frame shows instead of a line that holds a credential. */
const HIDDEN_LINE = '(line not shown: it holds a credential)';

/**
 * The lines of a span with `>` in the gutter and a caret line under the span's first line, plus
 * `contextLines` lines around it that stay inside the span's YAML document. Tabs are expanded and
 * long lines clipped to one window shared by all lines, so the caret stays under its column.
 * A hidden line keeps only its indentation and loses its caret line: no part of it is measured or
 * printed, not even the length of what the span underlines.
 */
export function renderCodeFrame(index: LineIndex, span: SourceSpan, options: CodeFrameOptions): string[] {
  const count = index.lineCount;
  if (count === 0 || span.start.line > count) return [];
  const paint = createPainter(options.color);
  const startLine = Math.max(1, span.start.line);
  const lastMarked = Math.min(lastSpanLine(span), startLine + MAX_MARKED_LINES - 1, count);
  let first = startLine;
  while (
    first > 1 &&
    startLine - first < options.contextLines &&
    !isDocumentBoundary(index.lineText(first - 1))
  ) {
    first--;
  }
  let last = lastMarked;
  while (
    last < count &&
    last - lastMarked < options.contextLines &&
    !isDocumentBoundary(index.lineText(last + 1))
  ) {
    last++;
  }

  const hidden = options.hidden ?? (() => false);
  const startHidden = hidden(startLine);
  const startText = startHidden ? '' : index.lineText(startLine);
  const caretFrom = startHidden ? 0 : displayColumnOf(startText, span.start.column - 1);
  const sameLine = span.end.line === startLine;
  const caretTo = Math.max(
    caretFrom + 1,
    sameLine ? displayColumnOf(startText, span.end.column - 1) : displayWidth(startText),
  );

  let widest = 0;
  for (let l = first; l <= last; l++) {
    if (!hidden(l)) widest = Math.max(widest, displayWidth(index.lineText(l)));
  }
  const clipped = widest > MAX_CODE_WIDTH;
  const from = clipped ? Math.max(0, caretFrom - Math.floor(MAX_CODE_WIDTH / 3)) : 0;
  const to = clipped ? from + MAX_CODE_WIDTH : widest;

  const numberWidth = String(last).length;
  const style = severityStyle(options.severity);
  const lines: string[] = [];
  for (let l = first; l <= last; l++) {
    const marked = l >= startLine && l <= lastMarked;
    const gutter = `${marked ? paint('>', style, 'bold') : ' '} ${paint(`${String(l).padStart(numberWidth)} |`, 'gray')}`;
    if (hidden(l)) {
      lines.push(
        `${gutter} ${' '.repeat(Math.max(0, indentWidth(index.lineText(l)) - from))}${paint(HIDDEN_LINE, 'gray')}`,
      );
      continue;
    }
    const code = clipLine(index.lineText(l), from, to);
    lines.push(code === '' ? gutter : `${gutter} ${code}`);
    if (l === startLine) {
      const caretStart = Math.max(caretFrom, from) - from;
      const caretEnd = (clipped ? Math.min(caretTo, to) : caretTo) - from;
      const carets = '^'.repeat(Math.max(1, caretEnd - caretStart));
      lines.push(
        `  ${paint(`${' '.repeat(numberWidth)} |`, 'gray')} ${' '.repeat(caretStart)}${paint(carets, style, 'bold')}`,
      );
    }
  }
  return lines;
}

/** Display columns of a line's leading spaces and tabs. */
function indentWidth(line: string): number {
  return displayWidth(line.slice(0, line.length - line.trimStart().length));
}

/** The window `[from, to)` of a line with `…` where text was cut off. */
export function clipLine(line: string, from: number, to: number): string {
  // Printable ASCII (most manifest lines): the window sliced as it is, one column per character,
  // without a string per column (a text report of 188,894 findings spent 0.4 s making them).
  if (isPlainText(line)) {
    let shown = line.slice(Math.max(0, from), Math.max(0, Math.min(to, line.length)));
    if (shown !== '') {
      if (from > 0) shown = `…${shown.slice(1)}`;
      if (line.length > Math.max(0, to)) shown = `${shown.slice(0, -1)}…`;
    }
    return shown.trimEnd();
  }
  return clipColumns(line, from, to);
}

/** {@link clipLine} column by column: for lines with wide characters, tabs or controls. */
export function clipColumns(line: string, from: number, to: number): string {
  const { columns, more } = renderColumns(line, from, to);
  if (from > 0 && columns.length > 0) {
    columns[0] = '…';
    if (columns[1] === '') columns[1] = ' ';
  }
  if (more && columns.length > 0) {
    const lastIndex = columns.length - 1;
    if (columns[lastIndex] === '' && lastIndex > 0) columns[lastIndex - 1] = ' ';
    columns[lastIndex] = '…';
  }
  return columns.join('').trimEnd();
}
