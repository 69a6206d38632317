// Terminal display columns for code frames. Widths are approximate (no full Unicode width
// tables): wide East Asian and emoji blocks count 2, combining marks and zero-width characters 0.

const TAB_WIDTH = 4;

const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200d) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff
  );
}

/**
 * What a character looks like on a terminal: control characters become visible symbols, and
 * bidirectional overrides (which can make text read differently from what it is) become U+FFFD,
 * so file contents and messages can neither move the cursor nor hide text.
 */
function visible(cp: number, ch: string): string {
  if (cp < 0x20) return String.fromCharCode(0x2400 + cp);
  if (cp === 0x7f) return '\u2421';
  if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
    return '\ufffd';
  }
  return ch;
}

function widthOf(cp: number): number {
  if (isZeroWidth(cp)) return 0;
  for (const [lo, hi] of WIDE) if (cp >= lo && cp <= hi) return 2;
  return 1;
}

/**
 * Printable ASCII and nothing else: one display column per code unit, each shown as it is. Most
 * lines of a manifest are; they skip the walk by code point (a report of 176,000 findings spent
 * seconds there).
 */
const PLAIN = /^[\x20-\x7e]*$/;
/** Printable ASCII, line breaks and tabs: text {@link safeTerminalText} returns as it is. */
const SAFE = /^[\x20-\x7e\n\t]*$/;

/** Whether a line is printable ASCII only: one display column per code unit, shown as it is. */
export function isPlainText(line: string): boolean {
  return PLAIN.test(line);
}

/** Make untrusted text safe to print: keeps line breaks and tabs, shows other controls. */
export function safeTerminalText(text: string): string {
  if (SAFE.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    out += ch === '\n' || ch === '\t' ? ch : visible(cp, ch);
  }
  return out;
}

/**
 * Display column (0-based) where the code unit at `unitIndex` starts, with tabs expanded; indexes
 * past the end of the line continue one column per code unit.
 */
export function displayColumnOf(line: string, unitIndex: number): number {
  if (PLAIN.test(line)) return Math.max(0, unitIndex);
  let col = 0;
  let i = 0;
  for (const ch of line) {
    if (i >= unitIndex) return col;
    col = advance(col, ch);
    i += ch.length;
  }
  return col + Math.max(0, unitIndex - i);
}

/** Display width of a whole line. */
export function displayWidth(line: string): number {
  return displayColumnOf(line, line.length);
}

function advance(col: number, ch: string): number {
  if (ch === '\t') return col + TAB_WIDTH - (col % TAB_WIDTH);
  return col + widthOf(ch.codePointAt(0) ?? 0);
}

/**
 * The display columns `[from, to)` of a line, one string per column (`''` continues a wide
 * character), and whether the line goes on past `to`. A wide character cut by the window edge
 * becomes spaces, so every column below stays aligned.
 */
export function renderColumns(line: string, from: number, to: number): { columns: string[]; more: boolean } {
  if (PLAIN.test(line)) {
    const shown = line.slice(Math.max(0, from), Math.max(0, Math.min(to, line.length)));
    return { columns: shown === '' ? [] : shown.split(''), more: line.length > Math.max(0, to) };
  }
  const columns: string[] = [];
  let col = 0;
  for (const ch of line) {
    if (col >= to) return { columns, more: true };
    const next = advance(col, ch);
    const cp = ch.codePointAt(0) ?? 0;
    if (next === col) {
      if (col > from && columns.length > 0) columns[columns.length - 1] += visible(cp, ch);
    } else if (ch === '\t' || col < from || next > to) {
      for (let c = col; c < next; c++) if (c >= from && c < to) columns.push(' ');
    } else {
      columns.push(visible(cp, ch));
      for (let c = col + 1; c < next; c++) columns.push('');
    }
    col = next;
  }
  return { columns, more: false };
}
