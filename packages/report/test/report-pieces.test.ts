import type { Diagnostic } from '@shipshape/core';
import { FORMATS, type Format, formatReport, formatReportPieces } from '@shipshape/report';
import { describe, expect, it } from 'vitest';
import { jsonPieces, jsonText, STREAMED } from '../src/json-pieces.js';
import { deployment, MIXED, reportOf, SPECIAL, spanAt } from './report-fixtures.js';

/** `n` findings on one Deployment file, one a line, as a big policy check reports them. */
function many(n: number): Diagnostic[] {
  return Array.from({ length: n }, (_, i) => ({
    code: i % 3 === 0 ? 'bp/resources' : 'pss/privileged',
    severity: i % 2 === 0 ? 'warning' : 'error',
    message: `finding ${i}: ${SPECIAL}`,
    resource: deployment,
    path: `/spec/template/spec/containers/${i}`,
    span: spanAt('apps/web/deployment.yaml', 1 + (i % 20), 3),
    ...(i % 7 === 0 ? { suppressed: { by: 'config' as const, reason: 'accepted' } } : {}),
  }));
}

describe('formatReportPieces', () => {
  it.each(FORMATS)('%s: the pieces joined are formatReport’s text', (format: Format) => {
    const options = { color: true, contextLines: 1, failOn: 'warning' as const, maxRows: 2 };
    for (const diagnostics of [MIXED, [], many(50)]) {
      const report = reportOf(diagnostics);
      expect([...formatReportPieces(format, report, options)].join('')).toBe(
        formatReport(format, report, options),
      );
    }
  });

  it.each<Format>(['json', 'sarif'])(
    '%s: the text is what JSON.stringify writes for the same document',
    (format) => {
      for (const diagnostics of [MIXED, [], many(50)]) {
        const text = formatReport(format, reportOf(diagnostics));
        expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toBe(text);
      }
    },
  );

  it.each<[Format, number]>([
    ['text', 2000],
    ['json', 2000],
    ['sarif', 2000],
    ['github', 2000],
    ['junit', 2000],
  ])('%s: comes a finding at a time, never as one string', (format, n) => {
    const report = reportOf(many(n));
    const pieces = [...formatReportPieces(format, report)];
    const whole = pieces.join('').length;
    expect(pieces.length).toBeGreaterThan(n / 2);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole / 100);
  });
});

describe('jsonPieces', () => {
  const whole = (document: object, items: object[]) => {
    const text = [...jsonPieces({ document, items })].join('');
    expect(jsonText({ document, items })).toBe(text);
    return text;
  };

  it('writes the array where the document marks it, at any depth, with or without items', () => {
    const shapes: [object, (items: object[]) => object][] = [
      [{ a: STREAMED }, (items) => ({ a: items })],
      [
        { version: 1, list: STREAMED, after: { x: [1, 2] } },
        (items) => ({ version: 1, list: items, after: { x: [1, 2] } }),
      ],
      [
        { runs: [{ tool: { name: 't' }, results: STREAMED }] },
        (items) => ({ runs: [{ tool: { name: 't' }, results: items }] }),
      ],
    ];
    const itemLists = [
      [],
      [{ a: 1 }],
      [{ s: SPECIAL, nested: { deep: [{ k: 'v\n' }] }, empty: {}, none: [] }, { n: -0.5 }],
    ];
    for (const [document, filled] of shapes) {
      for (const items of itemLists)
        expect(whole(document, items)).toBe(JSON.stringify(filled(items), null, 2));
    }
  });

  it('is not confused by a document that holds its mark’s text', () => {
    const document = { note: '\u0000streamed', other: ['\u0000streamed\u0000'], list: STREAMED };
    expect(whole(document, [{ a: 1 }])).toBe(
      JSON.stringify({ note: '\u0000streamed', other: ['\u0000streamed\u0000'], list: [{ a: 1 }] }, null, 2),
    );
  });

  it('refuses a document without the mark', () => {
    expect(() => [...jsonPieces({ document: { a: [] }, items: [] })]).toThrow(TypeError);
  });
});
