import { type Diagnostic, LineIndex, type SourceSpan } from '@shipshape/core';
import type { CheckReport } from './check-report.js';

/** Why a diagnostic shows no source: the text is unknown, or it may hold Secret values. */
export type SourceLookup = { readonly index: LineIndex; readonly text: string } | 'secret' | undefined;

const DOCUMENT_SEPARATOR = /^(---|\.\.\.)(\s|$)/;
// `kind: Secret` in any way a document can say it: block YAML (at any indentation, as an item of a
// List), flow YAML (`{kind: Secret, …}`) and JSON (`"kind": "Secret"`). A document that merely
// mentions it in a value also counts: a frame not shown is the safe side of that mistake.
const SECRET_KIND = /(?:^|[\s{,[-])(["']?)kind\1\s*:\s*(["']?)Secret\2\s*(?:[,}\]#]|$)/;

/** Whether a line starts a new YAML document (`---`) or ends one (`...`). */
export function isDocumentBoundary(line: string): boolean {
  return DOCUMENT_SEPARATOR.test(line);
}

/**
 * Returns the source of a diagnostic's file, cached per path for one formatter call, unless the
 * diagnostic is about a Secret or its document declares `kind: Secret` (block or flow YAML, or JSON,
 * parsed or not): source lines of a Secret hold its values, and no output may show them.
 */
export function createSourceReader(report: CheckReport): (d: Diagnostic, span: SourceSpan) => SourceLookup {
  const cache = new Map<string, SourceFile | undefined>();
  return (d, span) => {
    if (!report.sources) return undefined;
    if (d.resource?.kind === 'Secret' && d.resource.group === '') return 'secret';
    let entry = cache.get(span.path);
    if (!cache.has(span.path)) {
      const text = report.sources(span.path);
      entry = text === undefined ? undefined : sourceFile(text);
      cache.set(span.path, entry);
    }
    if (!entry) return undefined;
    const line = Math.max(1, Math.min(span.start.line, entry.index.lineCount));
    return entry.secretLines[line] === 1 ? 'secret' : entry;
  };
}

interface SourceFile {
  readonly index: LineIndex;
  readonly text: string;
  /** Per line (1-based), 1 when the document holding it declares `kind: Secret`. */
  readonly secretLines: Uint8Array;
}

/**
 * A file's text with, per line, whether its document declares `kind: Secret`: worked out in one
 * pass per file (a boundary line belongs to the document it starts), not per diagnostic, which
 * scanned a whole document each time (23 s for the findings of one 4,000-item List).
 */
function sourceFile(text: string): SourceFile {
  const index = new LineIndex(text);
  const count = index.lineCount;
  const secretLines = new Uint8Array(count + 1);
  let start = 1;
  let secret = false;
  const close = (end: number) => {
    if (secret) secretLines.fill(1, start, end + 1);
  };
  // `start`'s own line may already be marked (by the Secret before it): only ever set, never cleared.
  for (let l = 1; l <= count; l++) {
    const line = index.lineText(l);
    if (l !== start && isDocumentBoundary(line)) {
      close(l - 1);
      // The boundary line counts for the Secret before it too: a frame around a finding there
      // shows the lines above it.
      if (secret) secretLines[l] = 1;
      start = l;
      secret = false;
    }
    if (!secret && SECRET_KIND.test(line)) secret = true;
  }
  close(count);
  return { index, text, secretLines };
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
