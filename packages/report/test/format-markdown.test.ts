import type { Diagnostic } from '@shipshape/core';
import { formatMarkdown } from '@shipshape/report';
import { describe, expect, it } from 'vitest';
import { deployment, MIXED, reportOf, SECRET_VALUE, spanAt } from './report-fixtures.js';

const d = (extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'x/y',
  severity: 'error',
  message: 'm',
  ...extra,
});

/** The cells of the first table row, split on pipes that are not escaped. */
function firstRowCells(markdown: string): string[] {
  const row = markdown
    .split('\n')
    .find((l) => l.startsWith('| ') && !l.startsWith('| Severity') && !l.startsWith('| ---'));
  return row!
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('formatMarkdown', () => {
  it('says a clean report has no problems', () => {
    expect(formatMarkdown(reportOf([]))).toBe(
      '### ✅ shipshape: no problems\n\nChecked 3 files (5 resources).\n',
    );
  });

  it('writes a heading with status and counts, then a table of findings', () => {
    expect(formatMarkdown(reportOf(MIXED))).toMatchInlineSnapshot(`
      "### ❌ shipshape: 2 errors, 2 warnings, 1 info

      Checked 3 files (5 resources).

      | Severity | Location | Resource | Code | Message |
      | --- | --- | --- | --- | --- |
      | ❌ error | \`apps/web/deployment.yaml:10:11\` | — | \`yaml/duplicate-key\` | key "name" appears twice |
      | ❌ error | \`apps/web/deployment.yaml:12:30\` | \`apps/Deployment/web/api\` | \`pss/privileged\` | container "app" must not be privileged |
      | ⚠️ warning | — | — | \`config/unknown-option\` | unknown option "strictt" |
      | ⚠️ warning | \`apps/web/deployment.yaml:11:18\` | \`apps/Deployment/web/api\` | \`best/image-tag\` | image "nginx" has no tag |
      | ℹ️ info | — | \`rbac.authorization.k8s.io/ClusterRole/admin\` | \`rbac/wildcard\` | ClusterRole grants every verb |
      "
    `);
  });

  it.each([
    ['errors', 'error', '### ❌ shipshape: 1 error, 0 warnings, 0 infos'],
    ['warnings only', 'warning', '### ⚠️ shipshape: 0 errors, 1 warning, 0 infos'],
    ['infos only', 'info', '### ℹ️ shipshape: 0 errors, 0 warnings, 1 info'],
  ] as const)('shows the status of %s in the heading', (_, severity, heading) => {
    expect(formatMarkdown(reportOf([d({ severity })])).split('\n')[0]).toBe(heading);
  });

  it.each([
    [3, 3, '… and 2 more'],
    [5, 5, undefined],
    [0, 0, '… and 5 more'],
  ])('shows at most %i rows', (maxRows, rows, more) => {
    const lines = formatMarkdown(reportOf(MIXED), { maxRows }).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('| ')).length).toBe(rows === 0 ? 0 : rows + 2); // with header and delimiter rows
    expect(lines.find((l) => l.startsWith('…'))).toBe(more);
  });

  it('lists errors first, so a cut table never hides them', () => {
    const out = formatMarkdown(reportOf(MIXED), { maxRows: 2 });
    expect(out.split('\n').filter((l) => l.startsWith('| ❌'))).toHaveLength(2);
  });

  it('shows 50 rows by default', () => {
    const many = Array.from({ length: 60 }, (_, i) => d({ message: `m${i}` }));
    const out = formatMarkdown(reportOf(many));
    expect(out.split('\n').filter((l) => l.startsWith('| ❌'))).toHaveLength(50);
    expect(out.trimEnd().endsWith('… and 10 more')).toBe(true);
  });

  it.each([
    ['pipes', 'a | b', 'a \\| b'],
    ['backticks and emphasis', '`x` *y* _z_ ~w~', '\\`x\\` \\*y\\* \\_z\\_ \\~w\\~'],
    ['links', '[j](k)', '\\[j\\](k)'],
    ['HTML', '<script>&amp;</script>', '&lt;script&gt;&amp;amp;&lt;/script&gt;'],
    ['line breaks', 'a\nb\r\nc', 'a<br>b<br>c'],
    ['mentions', 'ask @team', 'ask @\u200bteam'],
    ['unicode, % , and :', 'ünï 🚀 50% a,b:c', 'ünï 🚀 50% a,b:c'],
  ])('escapes %s in messages', (_, message, cell) => {
    const cells = firstRowCells(formatMarkdown(reportOf([d({ message })])));
    expect(cells).toHaveLength(5);
    expect(cells[4]).toBe(cell);
  });

  it.each([
    ['a plain path', 'a.yaml', '`a.yaml:1:1`'],
    ['a pipe', 'a|b.yaml', '`a\\|b.yaml:1:1`'],
    ['a backtick', 'a`b.yaml', '``a`b.yaml:1:1``'],
    ['a leading backtick', '`a.yaml', '`` `a.yaml:1:1 ``'],
  ])('keeps code spans intact with %s', (_, path, cell) => {
    expect(firstRowCells(formatMarkdown(reportOf([d({ span: spanAt(path, 1, 1) })])))[1]).toBe(cell);
  });

  it('shows a dash for a missing location or resource', () => {
    expect(firstRowCells(formatMarkdown(reportOf([d()])))).toEqual(['❌ error', '—', '—', '`x/y`', 'm']);
    expect(firstRowCells(formatMarkdown(reportOf([d({ resource: deployment })])))[2]).toBe(
      '`apps/Deployment/web/api`',
    );
  });

  // GitHub refuses a comment body over 65,536 characters: a report that long is not posted at all.
  it('stays short enough for a pull-request comment, however long the messages', () => {
    const long = `${'x'.repeat(99_998)}🚀`;
    const one = formatMarkdown(reportOf([d({ message: long })]));
    expect(one.length).toBeLessThan(65_536);
    expect(firstRowCells(one)[4]).toMatch(/^x+…$/);
    const many = Array.from({ length: 100 }, (_, i) => d({ message: `${i} ${'y'.repeat(1_900)}` }));
    const lines = formatMarkdown(reportOf(many), { maxRows: 100 }).trimEnd().split('\n');
    expect(lines.join('\n').length).toBeLessThan(65_536);
    const rows = lines.filter((l) => l.startsWith('| ❌')).length;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(100);
    expect(lines.at(-1)).toBe(`… and ${100 - rows} more`);
  });

  it('never cuts a message inside a surrogate pair or an escape', () => {
    const cell = firstRowCells(formatMarkdown(reportOf([d({ message: '🚀'.repeat(3_000) })])))[4]!;
    expect(cell.endsWith('🚀…')).toBe(true);
    const amp = firstRowCells(formatMarkdown(reportOf([d({ message: '&'.repeat(3_000) })])))[4]!;
    expect(amp).toMatch(/^(&amp;)+…$/);
  });

  it('never writes data', () => {
    expect(formatMarkdown(reportOf(MIXED))).not.toContain(SECRET_VALUE);
  });
});
