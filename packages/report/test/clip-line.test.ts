import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipColumns, clipLine } from '../src/code-frame.js';

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
        expect(clipLine(line, from, to)).toBe(clipColumns(line, from, to));
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
