import type { Diagnostic } from '@shipshape/core';
import {
  FORMATS,
  type Format,
  formatGithub,
  formatJson,
  formatJunit,
  formatMarkdown,
  formatReport,
  formatSarif,
  formatText,
  isFormat,
} from '@shipshape/report';
import { describe, expect, it } from 'vitest';
import {
  MIXED,
  reportOf,
  SECRET_PATH,
  SECRET_VALUE,
  SECRET_YAML,
  secret,
  spanOf,
} from './report-fixtures.js';

describe('formatReport', () => {
  it('lists the formats in the documented order', () => {
    expect(FORMATS).toEqual(['text', 'json', 'sarif', 'junit', 'github', 'markdown']);
  });

  it.each<[Format, string]>([
    ['text', formatText(reportOf(MIXED), { color: true, contextLines: 1 })],
    ['json', formatJson(reportOf(MIXED))],
    ['sarif', formatSarif(reportOf(MIXED))],
    ['junit', formatJunit(reportOf(MIXED), { failOn: 'warning' })],
    ['github', formatGithub(reportOf(MIXED))],
    ['markdown', formatMarkdown(reportOf(MIXED), { maxRows: 2 })],
  ])('dispatches %s with its options', (format, want) => {
    expect(
      formatReport(format, reportOf(MIXED), { color: true, contextLines: 1, failOn: 'warning', maxRows: 2 }),
    ).toBe(want);
  });

  it('throws a TypeError for an unknown format', () => {
    expect(() => formatReport('xml' as Format, reportOf([]))).toThrow(TypeError);
  });

  it.each([
    ['sarif', true],
    ['markdown', true],
    ['xml', false],
    ['', false],
    [undefined, false],
  ])('isFormat(%s) is %s', (value, want) => {
    expect(isFormat(value)).toBe(want);
  });

  describe.each(FORMATS)('%s', (format) => {
    it('is deterministic, whatever the order of the diagnostics, and does not mutate them', () => {
      const frozen = Object.freeze(MIXED.map((d) => Object.freeze({ ...d })));
      const forward = formatReport(format, reportOf(frozen));
      const backward = formatReport(format, reportOf([...frozen].reverse()));
      expect(backward).toBe(forward);
      expect(frozen.map((d) => d.code)).toEqual(MIXED.map((d) => d.code));
    });

    it('orders findings that core sees as equal by resource and pointer', () => {
      const tie = (name: string, path: string): Diagnostic => ({
        code: 'best/labels',
        severity: 'warning',
        message: 'missing app label',
        resource: { ...secret, kind: 'ConfigMap', name },
        path,
      });
      const ties = [tie('b', '/metadata'), tie('a', '/metadata/labels'), tie('a', '/metadata')];
      expect(formatReport(format, reportOf(ties))).toBe(formatReport(format, reportOf([...ties].reverse())));
    });

    it('never prints data or the values of a Secret', () => {
      const diagnostics: Diagnostic[] = [
        ...MIXED,
        {
          code: 'schema/type',
          severity: 'error',
          message: 'not a string',
          resource: secret,
          span: spanOf(SECRET_PATH, SECRET_YAML, SECRET_VALUE),
          data: { got: SECRET_VALUE },
        },
        {
          code: 'yaml/syntax',
          severity: 'error',
          message: 'bad indentation',
          span: spanOf(SECRET_PATH, SECRET_YAML, 'password'),
        },
      ];
      expect(formatReport(format, reportOf(diagnostics), { contextLines: 20 })).not.toContain(SECRET_VALUE);
    });

    it('ends with a line break unless empty', () => {
      const out = formatReport(format, reportOf(MIXED));
      expect(out.endsWith('\n')).toBe(true);
      expect(out.endsWith('\n\n')).toBe(false);
    });
  });
});
