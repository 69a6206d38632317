import { type Diagnostic, LineIndex, type SourceSpan } from '@shipshape/core';
import type { CheckReport } from './check-report.js';

/**
 * A file's text as a formatter may show it: `hidden(line)` says whether a line holds a credential
 * (it is covered by a diagnostic marked `data.sensitive`) and must be left out.
 */
export interface SourceText {
  readonly index: LineIndex;
  readonly text: string;
  readonly hidden: (line: number) => boolean;
}

/** Why a diagnostic shows no source: the text is unknown, or it may hold Secret values. */
export type SourceLookup = SourceText | 'secret' | undefined;

const DOCUMENT_SEPARATOR = /^(---|\.\.\.)(\s|$)/;
// `kind: Secret` in any way a document can say it: block YAML (at any indentation, as an item of a
// List), flow YAML (`{kind: Secret, …}`) and JSON (`"kind": "Secret"`). A document that merely
// mentions it in a value also counts: a frame not shown is the safe side of that mistake.
const SECRET_KIND = /(?:^|[\s{,[-])(["']?)kind\1\s*:\s*(["']?)Secret\2\s*(?:[,}\]#]|$)/;

/** Per-line flags of {@link SourceFile.lines}. */
const SECRET_DOCUMENT = 1;
const CREDENTIAL = 2;

/** Whether a line starts a new YAML document (`---`) or ends one (`...`). */
export function isDocumentBoundary(line: string): boolean {
  return DOCUMENT_SEPARATOR.test(line);
}

/**
 * Whether a diagnostic says its span covers a credential (`data.sensitive: true`): no output may
 * show the source lines of that span, whichever diagnostic's frame or snippet reaches them.
 */
function isSensitive(d: Diagnostic): boolean {
  return d.data?.['sensitive'] === true;
}

/**
 * Returns the source of a diagnostic's file, cached per path for one formatter call, unless the
 * diagnostic is about a Secret or its document declares `kind: Secret` (block or flow YAML, or JSON,
 * parsed or not): source lines of a Secret hold its values, and no output may show them. Lines that
 * a diagnostic marked `data.sensitive` covers (any diagnostic of the report, suppressed ones too,
 * and those of {@link CheckReport.sensitive})
 * are flagged {@link SourceText.hidden} for every diagnostic of that file.
 */
export function createSourceReader(report: CheckReport): (d: Diagnostic, span: SourceSpan) => SourceLookup {
  const cache = new Map<string, SourceFile | undefined>();
  let credentials: Map<string, SourceSpan[]> | undefined;
  return (d, span) => {
    if (!report.sources) return undefined;
    if (d.resource?.kind === 'Secret' && d.resource.group === '') return 'secret';
    const key = fileKey(span);
    let entry = cache.get(key);
    if (!cache.has(key)) {
      credentials ??= sensitiveSpans([...report.diagnostics, ...(report.sensitive ?? [])]);
      const text = report.sources(span.path, span.ref);
      entry = text === undefined ? undefined : sourceFile(text, credentials.get(key) ?? []);
      cache.set(key, entry);
    }
    if (!entry) return undefined;
    const line = Math.max(1, Math.min(span.start.line, entry.index.lineCount));
    return ((entry.lines[line] ?? 0) & SECRET_DOCUMENT) !== 0 ? 'secret' : entry;
  };
}

/** The spans of sensitive diagnostics by path: one pass over the report, not one per file. */
function sensitiveSpans(diagnostics: readonly Diagnostic[]): Map<string, SourceSpan[]> {
  const byPath = new Map<string, SourceSpan[]>();
  for (const d of diagnostics) {
    if (!d.span || !isSensitive(d)) continue;
    const key = fileKey(d.span);
    const list = byPath.get(key);
    if (list) list.push(d.span);
    else byPath.set(key, [d.span]);
  }
  return byPath;
}

interface SourceFile extends SourceText {
  /** Per line (1-based): {@link SECRET_DOCUMENT} and {@link CREDENTIAL} flags. */
  readonly lines: Uint8Array;
}

/**
 * A file's text with, per line, whether its document declares `kind: Secret` and whether it holds
 * a credential: worked out in one pass per file (a boundary line belongs to the document it starts),
 * not per diagnostic, which scanned a whole document each time (23 s for the findings of one
 * 4,000-item List).
 */
function sourceFile(text: string, credentials: readonly SourceSpan[]): SourceFile {
  const index = new LineIndex(text);
  const count = index.lineCount;
  const lines = new Uint8Array(count + 1);
  let start = 1;
  let secret = false;
  const close = (end: number) => {
    if (secret) lines.fill(SECRET_DOCUMENT, start, end + 1);
  };
  // `start`'s own line may already be marked (by the Secret before it): only ever set, never cleared.
  for (let l = 1; l <= count; l++) {
    const line = index.lineText(l);
    if (l !== start && isDocumentBoundary(line)) {
      close(l - 1);
      // The boundary line counts for the Secret before it too: a frame around a finding there
      // shows the lines above it.
      if (secret) lines[l] = SECRET_DOCUMENT;
      start = l;
      secret = false;
    }
    if (!secret && SECRET_KIND.test(line)) secret = true;
  }
  close(count);
  markCredentials(index, lines, credentials);
  return { index, text, lines, hidden: (line) => ((lines[line] ?? 0) & CREDENTIAL) !== 0 };
}

/**
 * Flags the lines of each sensitive span, and the lines after it that are indented deeper than the
 * span's first column: a finding on a key (`value:`) has the credential on the key's line, or, as
 * a block scalar (`value: |`, a PEM key) or a value on the next line, on the deeper lines under it.
 * A span inside the region of the one before it, deeper than it, adds nothing and is not scanned
 * again, so nested spans stay linear in the file's lines.
 */
function markCredentials(index: LineIndex, lines: Uint8Array, spans: readonly SourceSpan[]): void {
  const count = index.lineCount;
  const sorted = [...spans].sort((a, b) => a.start.offset - b.start.offset || a.end.offset - b.end.offset);
  let coverColumn = -1;
  let coverEnd = 0;
  for (const span of sorted) {
    const first = Math.max(1, span.start.line);
    if (first > count) continue;
    const column = Math.max(0, span.start.column - 1);
    let last = Math.min(Math.max(first, lastSpanLine(span)), count);
    if (first <= coverEnd && last <= coverEnd && column > coverColumn) continue;
    for (let l = last + 1; l <= count; l++) {
      const text = index.lineText(l);
      if (isDocumentBoundary(text)) break;
      const indent = text.length - text.trimStart().length;
      if (indent === text.length) continue; // blank: part of the value only if deeper lines follow
      if (indent <= column) break;
      last = l;
    }
    // Blank lines hold nothing to hide, and a frame reads better with them left blank.
    for (let l = first; l <= last; l++) {
      if (l === first || index.lineText(l).trim() !== '') lines[l] = (lines[l] ?? 0) | CREDENTIAL;
    }
    coverColumn = column;
    coverEnd = last;
  }
}

/**
 * The last line a span really covers: a span that ends at column 1 of a later line (a block that
 * includes its final line break) does not cover that line.
 */
export function lastSpanLine(span: SourceSpan): number {
  const { start, end } = span;
  if (end.line > start.line && end.column === 1) return end.line - 1;
  return Math.max(start.line, end.line);
}

/** A file as a span names it: its path, at its ref when it has one. */
function fileKey(span: SourceSpan): string {
  return span.ref === undefined ? span.path : `${span.path}\u0000${span.ref}`;
}
