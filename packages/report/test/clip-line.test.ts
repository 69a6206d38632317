import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipLine } from '../src/code-frame.js';
import { renderColumns } from '../src/terminal-text.js';

/** The window as the column-by-column path makes it: the answer for printable ASCII too. */
function byColumns(line: string, from: number, to: number): string {
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

describe('clipLine', () => {
  it('clips printable ASCII as the column-by-column path does', () => {
    const ascii = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 140,
    });
    fc.assert(
      fc.property(ascii, fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 150 }), (line, a, b) => {
        const from = Math.min(a, b);
        const to = Math.max(a, b);
        expect(clipLine(line, from, to)).toBe(byColumns(line, from, to));
      }),
      { numRuns: 2000 },
    );
  });

  it('cuts both ends of a long line with …', () => {
    const line = `  image: ${'x'.repeat(200)}`;
    const clipped = clipLine(line, 50, 150);
    expect([clipped.length, clipped[0], clipped.at(-1)]).toEqual([100, '…', '…']);
  });
});
