import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayColumnOf, displayWidth, renderColumns, safeTerminalText } from '../src/terminal-text.js';

// Printable ASCII takes a shortcut; a line with one more character past the window ('é', one
// column, shown as it is) takes the walk by code point. Both must agree on the columns they share.
const ascii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

describe('terminal text of printable ASCII', () => {
  it('measures and clips it as the walk by code point does', () => {
    fc.assert(
      fc.property(ascii, fc.integer({ min: -3, max: 45 }), fc.integer({ min: -3, max: 45 }), (line, a, b) => {
        const walked = `${line}é`;
        const k = Math.min(a, line.length);
        expect(displayColumnOf(line, k)).toBe(displayColumnOf(walked, k));
        expect(displayWidth(line)).toBe(displayWidth(walked) - 1);
        const to = Math.min(b, line.length - 1);
        if (line === '') expect(renderColumns(line, a, b)).toEqual({ columns: [], more: false });
        else expect(renderColumns(line, a, to)).toEqual(renderColumns(walked, a, to));
        expect(safeTerminalText(line)).toBe(safeTerminalText(walked).slice(0, -1));
      }),
      { numRuns: 3000 },
    );
  });

  it('still shows what is not printable ASCII: controls, tabs, wide characters', () => {
    expect(safeTerminalText('a\u001b[2Jb\tc\nd')).toBe('a\u241b[2Jb\tc\nd');
    expect(safeTerminalText('x\u007fy')).toBe('x\u2421y');
    expect(displayWidth('\tab')).toBe(6);
    expect(displayWidth('日本')).toBe(4);
    expect(renderColumns('ab\u0085cd', 0, 10).columns).toEqual(['a', 'b', '\ufffd', 'c', 'd']);
    expect(renderColumns('abcdef', 2, 4)).toEqual({ columns: ['c', 'd'], more: true });
    expect(renderColumns('abcd', 2, 4)).toEqual({ columns: ['c', 'd'], more: false });
  });
});
