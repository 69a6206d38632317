/** One YAML document's range in a file: `[start, end)` offsets, marker line included. */
export interface DocumentRange {
  readonly start: number;
  readonly end: number;
}

// A document marker is `---` at column 0 followed by white space or the end of the line.
const MARKER = /^---(?=[ \t\r\n]|$)/gm;
const CONTENT_LINE = /^(?![ \t]*(#|%|\r?$))/m;

/**
 * Split a YAML stream into documents without parsing it, so a syntax error stays inside its own
 * document and every document knows its offset. A leading part that holds only comments,
 * directives or blank lines is not a document of its own: it joins the one after it.
 *
 * @example
 * ```ts
 * splitDocuments('a: 1\n---\nb: 2\n'); // [{ start: 0, end: 5 }, { start: 5, end: 14 }]
 * ```
 */
export function splitDocuments(text: string): DocumentRange[] {
  const starts: number[] = [0];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m !== null; m = MARKER.exec(text)) {
    if (m.index !== 0) starts.push(m.index);
  }
  if (starts.length > 1 && !CONTENT_LINE.test(text.slice(0, starts[1]))) starts.splice(1, 1);
  const ranges: DocumentRange[] = [];
  for (let i = 0; i < starts.length; i++) {
    ranges.push({ start: starts[i] ?? 0, end: starts[i + 1] ?? text.length });
  }
  return ranges;
}
