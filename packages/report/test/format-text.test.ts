import type { Diagnostic } from '@shipshape/core';
import { formatText } from '@shipshape/report';
import { describe, expect, it } from 'vitest';
import {
  DEPLOYMENT_PATH,
  DEPLOYMENT_YAML,
  deployment,
  MIXED,
  reportOf,
  SECRET_PATH,
  SECRET_VALUE,
  SECRET_YAML,
  secret,
  spanAt,
  spanOf,
} from './report-fixtures.js';

const ESC = '\u001b';

/** The code frame printed for one diagnostic on `text` (file `f.yaml`), without header and summary. */
function frame(text: string, span: Diagnostic['span'], contextLines = 0): string[] {
  const d: Diagnostic = { code: 'x/y', severity: 'error', message: 'm', ...(span ? { span } : {}) };
  const out = formatText(reportOf([d], { sources: (p) => (p === 'f.yaml' ? text : undefined) }), {
    contextLines,
  });
  return out.split('\n\n')[0]!.split('\n').slice(1);
}

describe('formatText', () => {
  it('frames a file at the ref of each span: one path can be in a report as it is and as it was', () => {
    const now = 'kind: Namespace\nmetadata: {name: shop}\n';
    const before = 'kind: Namespace\nmetadata: {name: prod}\n---\nkind: Namespace\nmetadata: {name: shop}\n';
    const atBase = { ...spanOf('ns.yaml', before, 'name: prod'), ref: 'main' };
    const atHead = spanOf('ns.yaml', now, 'name: shop');
    const d = (span: Diagnostic['span'], message: string): Diagnostic => ({
      code: 'x/y',
      severity: 'error',
      message,
      ...(span ? { span } : {}),
    });
    const out = formatText(
      reportOf([d(atBase, 'deleted'), d(atHead, 'kept')], {
        sources: (p, ref) => (p !== 'ns.yaml' ? undefined : ref === 'main' ? before : now),
      }),
    );
    expect(out).toContain('> 2 | metadata: {name: prod}');
    expect(out).toContain('> 2 | metadata: {name: shop}');
  });

  it('says a clean report has no problems', () => {
    expect(formatText(reportOf([]))).toBe('✔ no problems in 3 files (5 resources)\n');
    expect(formatText(reportOf([], { summary: { files: 1, resources: 1 } }))).toBe(
      '✔ no problems in 1 file (1 resource)\n',
    );
  });

  it('prints errors, warnings and infos with locations, resources and code frames', () => {
    expect(formatText(reportOf(MIXED))).toMatchInlineSnapshot(`
      "warning config/unknown-option unknown option "strictt"

      info rbac/wildcard ClusterRole grants every verb
        in rbac.authorization.k8s.io/ClusterRole/admin

      apps/web/deployment.yaml:10:11 error yaml/duplicate-key key "name" appears twice
         8 |     spec:
         9 |       containers:
      > 10 |         - name: app
           |           ^^^^
        11 |           image: nginx
        12 |           securityContext: { privileged: true }

      apps/web/deployment.yaml:11:18 warning best/image-tag image "nginx" has no tag
        in apps/Deployment/web/api at /spec/template/spec/containers/0/image
         9 |       containers:
        10 |         - name: app
      > 11 |           image: nginx
           |                  ^^^^^
        12 |           securityContext: { privileged: true }

      apps/web/deployment.yaml:12:30 error pss/privileged container "app" must not be privileged
        in apps/Deployment/web/api at /spec/template/spec/containers/0/securityContext/privileged
        10 |         - name: app
        11 |           image: nginx
      > 12 |           securityContext: { privileged: true }
           |                              ^^^^^^^^^^^^^^^^

      ✖ 2 errors, 2 warnings, 1 info in 3 files (5 resources)
      "
    `);
  });

  it.each([
    [
      'span and resource',
      { span: spanAt('a.yaml', 3, 7), resource: deployment },
      'a.yaml:3:7 error x/y m\n  in apps/Deployment/web/api\n',
    ],
    ['span only', { span: spanAt('a.yaml', 3, 7) }, 'a.yaml:3:7 error x/y m\n'],
    [
      'resource only',
      { resource: deployment, path: '/spec' },
      'error x/y m\n  in apps/Deployment/web/api at /spec\n',
    ],
    ['pointer only', { path: '/spec/replicas' }, 'error x/y m\n  at /spec/replicas\n'],
    ['neither', {}, 'error x/y m\n'],
  ] as const)('prints a diagnostic with %s', (_, extra, want) => {
    const out = formatText(reportOf([{ code: 'x/y', severity: 'error', message: 'm', ...extra }]));
    expect(out).toBe(`${want}\n✖ 1 error, 0 warnings, 0 infos in 3 files (5 resources)\n`);
  });

  it.each([
    ['errors', 'error', '✖ 1 error, 0 warnings, 0 infos'],
    ['warnings only', 'warning', '⚠ 0 errors, 1 warning, 0 infos'],
    ['infos only', 'info', 'ℹ 0 errors, 0 warnings, 1 info'],
  ] as const)('ends with a summary line for %s', (_, severity, want) => {
    const out = formatText(reportOf([{ code: 'x/y', severity, message: 'm' }]));
    expect(out.trimEnd().split('\n').at(-1)).toBe(`${want} in 3 files (5 resources)`);
  });

  it.each([
    ['a plain value', 'key: value', 'value', ['> 1 | key: value', '    |      ^^^^^']],
    [
      'tabs, expanded to stops of 4',
      '\tkey:\tvalue',
      'value',
      ['> 1 |     key:    value', '    |             ^^^^^'],
    ],
    ['wide characters', 'name: 日本 x', 'x', ['> 1 | name: 日本 x', '    |            ^']],
    ['an emoji', 'a: 🚀 b', 'b', ['> 1 | a: 🚀 b', '    |       ^']],
    ['combining marks', 'e\u0301e\u0301: v', 'v', ['> 1 | e\u0301e\u0301: v', '    |     ^']],
    ['control characters, shown as symbols', 'a: \u001b[31mb', 'b', ['> 1 | a: ␛[31mb', '    |         ^']],
    ['an empty span', 'key: value', '', ['> 1 | key: value', '    | ^']],
  ])('puts the caret under %s', (_, text, needle, want) => {
    expect(frame(text, spanOf('f.yaml', text, needle))).toEqual(want);
  });

  it('puts the caret past the end of the line when the span starts there', () => {
    expect(frame('key:', spanAt('f.yaml', 1, 5))).toEqual(['> 1 | key:', '    |     ^']);
  });

  it('clips long lines around the caret, with one window for every line of the frame', () => {
    const long = `${'a'.repeat(240)}TARGET${'b'.repeat(200)}`;
    const text = `${'c'.repeat(300)}\n${long}\nshort\n`;
    const lines = frame(text, spanOf('f.yaml', text, 'TARGET'), 1);
    expect(lines, lines.join('\n')).toHaveLength(4);
    const [before = '', marked = '', caret = '', after = ''] = lines;
    expect(marked.startsWith('> 2 | …')).toBe(true);
    expect(marked.endsWith('…')).toBe(true);
    expect(marked.length).toBe('> 2 | '.length + 100);
    expect(before).toBe(`  1 | …${'c'.repeat(300 - 208)}`); // window from column 207, which '…' replaces
    expect(caret.indexOf('^')).toBe(marked.indexOf('TARGET'));
    expect(caret.slice(caret.indexOf('^'))).toBe('^^^^^^');
    expect(after).toBe('  3 |'); // 'short' is left of the window
  });

  it('marks every line of a multi-line span and underlines the first to its end', () => {
    const text = 'a: 1\nb:\n  c: 2\n  d: 3\ne: 4\n';
    expect(frame(text, spanOf('f.yaml', text, 'b:\n  c: 2\n  d: 3\n'), 1)).toEqual([
      '  1 | a: 1',
      '> 2 | b:',
      '    | ^^',
      '> 3 |   c: 2',
      '> 4 |   d: 3',
      '  5 | e: 4',
    ]);
  });

  it.each([
    [0, ['> 12 |           securityContext: { privileged: true }']],
    [1, ['  11 |           image: nginx', '> 12 |           securityContext: { privileged: true }']],
    [
      3,
      [
        '   9 |       containers:',
        '  10 |         - name: app',
        '  11 |           image: nginx',
        '> 12 |           securityContext: { privileged: true }',
      ],
    ],
  ])('shows %i context lines and stops at the end of the YAML document', (contextLines, want) => {
    const span = spanOf(DEPLOYMENT_PATH, DEPLOYMENT_YAML, 'privileged: true');
    const d: Diagnostic = { code: 'x/y', severity: 'error', message: 'm', span };
    const lines = formatText(reportOf([d]), { contextLines }).split('\n');
    expect(lines.filter((l) => /^[> ] +\d+ \|/.test(l))).toEqual(want);
    expect(lines.join('\n')).not.toContain('---');
  });

  it('shows no frame when the source is unknown', () => {
    const out = formatText(
      reportOf([{ code: 'x/y', severity: 'error', message: 'm', span: spanAt('gone.yaml', 2, 1) }]),
    );
    expect(out).toBe(
      'gone.yaml:2:1 error x/y m\n\n✖ 1 error, 0 warnings, 0 infos in 3 files (5 resources)\n',
    );
  });

  it.each([
    [
      'a diagnostic about a Secret',
      { resource: secret, span: spanOf(SECRET_PATH, SECRET_YAML, SECRET_VALUE) },
    ],
    ['a diagnostic inside a Secret document', { span: spanOf(SECRET_PATH, SECRET_YAML, 'password') }],
  ])('never shows the source of %s', (_, extra) => {
    const out = formatText(reportOf([{ code: 'x/y', severity: 'error', message: 'm', ...extra }]), {
      contextLines: 9,
    });
    expect(out).not.toContain(SECRET_VALUE);
    expect(out).toContain('(source not shown: the document is a Secret)');
  });

  it.each([
    [
      'JSON',
      'bad.json',
      '{\n  "apiVersion": "v1",\n  "kind": "Secret",\n  "stringData": {\n    "password": "HUNTER2"\n    "token": "x"\n  }\n}\n',
      'HUNTER2',
    ],
    [
      'flow YAML',
      'bad.yaml',
      '{apiVersion: v1, kind: Secret, stringData: {password: HUNTER2, token: [x}}\n',
      'HUNTER2',
    ],
    [
      'a List item',
      'list.yaml',
      'apiVersion: v1\nkind: List\nitems:\n  - kind: Secret\n    stringData: {password: HUNTER2\n',
      'HUNTER2',
    ],
  ])('never shows the source of a %s Secret the parser could not read', (_, path, text, value) => {
    const line = text.split('\n').findIndex((l) => l.includes(value)) + 1;
    const d: Diagnostic = {
      code: 'yaml/syntax',
      severity: 'error',
      message: 'm',
      span: spanAt(path, line, 5),
    };
    const out = formatText(reportOf([d], { sources: (p) => (p === path ? text : undefined) }), {
      contextLines: 9,
    });
    expect(out).not.toContain(value);
    expect(out).toContain('(source not shown: the document is a Secret)');
  });

  it('never shows a Secret above a finding on the boundary line of the next document', () => {
    const text =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: HUNTER2\n--- {apiVersion: v1, kind: ConfigMap, metadata: {name: Bad_Name}}\n';
    const d: Diagnostic = { code: 'x/y', severity: 'error', message: 'm', span: spanAt('s.yaml', 6, 5) };
    const out = formatText(reportOf([d], { sources: () => text }), { contextLines: 9 });
    expect(out).not.toContain('HUNTER2');
    expect(out).toContain('(source not shown: the document is a Secret)');
  });

  it('still shows documents that only name a kind like Secret', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  secretKind: SecretStore\n  note: x\n';
    const d: Diagnostic = { code: 'x/y', severity: 'error', message: 'm', span: spanAt('c.yaml', 5, 3) };
    const out = formatText(reportOf([d], { sources: () => text }));
    expect(out).toContain('> 5 |   note: x');
  });

  it('shows the source of other documents in a file that also holds a Secret', () => {
    const out = formatText(
      reportOf([
        { code: 'x/y', severity: 'error', message: 'm', span: spanOf(SECRET_PATH, SECRET_YAML, 'settings') },
      ]),
      {
        contextLines: 9,
      },
    );
    expect(out).toContain('> 4 |   name: settings');
    expect(out).not.toContain(SECRET_VALUE);
  });

  it('indents the further lines of a message and makes control characters visible', () => {
    const out = formatText(
      reportOf([{ code: 'x/y', severity: 'warning', message: 'first\nsecond \u001b[2J\u202eevil' }]),
    );
    expect(out.split('\n').slice(0, 2)).toEqual(['warning x/y first', '  second ␛[2J\ufffdevil']);
    expect(out).not.toContain(ESC);
  });

  it('colours only when asked', () => {
    const report = reportOf(MIXED);
    const plain = formatText(report);
    const coloured = formatText(report, { color: true });
    expect(plain).not.toContain(ESC);
    expect(formatText(report, { color: false })).toBe(plain);
    expect(coloured).toContain(`${ESC}[31m`); // errors are red
    expect(coloured).toContain(`${ESC}[33m`); // warnings yellow
    expect(coloured).toContain(`${ESC}[36m`); // infos and resources cyan
    // Without the escapes the coloured output is the plain one: colour never shifts a caret.
    expect(coloured.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), '')).toBe(plain);
    expect(formatText(reportOf([]), { color: true })).toBe(
      `${ESC}[1m${ESC}[32m✔ no problems in 3 files (5 resources)${ESC}[39m${ESC}[22m\n`,
    );
  });
});
