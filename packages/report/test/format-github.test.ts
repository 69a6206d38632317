import type { Diagnostic } from '@shipshape/core';
import { formatGithub } from '@shipshape/report';
import { describe, expect, it } from 'vitest';
import { deployment, MIXED, reportOf, SECRET_VALUE, SPECIAL, spanAt } from './report-fixtures.js';

const d = (extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'x/y',
  severity: 'error',
  message: 'm',
  ...extra,
});
const one = (diagnostic: Diagnostic) => formatGithub(reportOf([diagnostic]));

/** Decode the Actions toolkit escapes, as the runner does. */
const unescapeToolkit = (text: string) =>
  text
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%3A', ':')
    .replaceAll('%2C', ',')
    .replaceAll('%25', '%');

describe('formatGithub', () => {
  it('writes nothing for a clean report', () => {
    expect(formatGithub(reportOf([]))).toBe('');
  });

  it('writes one workflow command per diagnostic, sorted', () => {
    expect(formatGithub(reportOf(MIXED))).toBe(
      [
        '::warning title=config/unknown-option::unknown option "strictt"',
        '::notice title=rbac/wildcard::ClusterRole grants every verb (rbac.authorization.k8s.io/ClusterRole/admin)',
        '::error file=apps/web/deployment.yaml,line=10,col=11,endLine=10,endColumn=15,title=yaml/duplicate-key::key "name" appears twice',
        '::warning file=apps/web/deployment.yaml,line=11,col=18,endLine=11,endColumn=23,title=best/image-tag::image "nginx" has no tag (apps/Deployment/web/api)',
        '::error file=apps/web/deployment.yaml,line=12,col=30,endLine=12,endColumn=46,title=pss/privileged::container "app" must not be privileged (apps/Deployment/web/api)',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [
      'a one-line span',
      spanAt('a.yaml', 3, 5, 3, 9),
      '::error file=a.yaml,line=3,col=5,endLine=3,endColumn=9,title=x/y::m\n',
    ],
    [
      'a multi-line span, without columns',
      spanAt('a.yaml', 3, 5, 6, 2),
      '::error file=a.yaml,line=3,endLine=6,title=x/y::m\n',
    ],
    [
      'a span ending at column 1 of the next line',
      spanAt('a.yaml', 3, 5, 4, 1),
      '::error file=a.yaml,line=3,col=5,endLine=3,title=x/y::m\n',
    ],
    [
      'a block ending at column 1 after two lines',
      spanAt('a.yaml', 3, 1, 6, 1),
      '::error file=a.yaml,line=3,endLine=5,title=x/y::m\n',
    ],
    ['no span, without a file', undefined, '::error title=x/y::m\n'],
  ])('writes %s', (_, span, want) => {
    expect(one(d(span ? { span } : {}))).toBe(want);
  });

  it.each([
    ['error', 'error'],
    ['warning', 'warning'],
    ['info', 'notice'],
  ] as const)('writes a %s as ::%s', (severity, command) => {
    expect(one(d({ severity }))).toBe(`::${command} title=x/y::m\n`);
  });

  it('escapes the message and the properties per the Actions toolkit', () => {
    const out = one(
      d({
        message: SPECIAL,
        code: 'odd:code,100%',
        span: spanAt('dir, a:b/50%.yaml', 1, 2, 1, 3),
        resource: deployment,
      }),
    );
    expect(out).toBe(
      '::error file=dir%2C a%3Ab/50%25.yaml,line=1,col=2,endLine=1,endColumn=3,title=odd%3Acode%2C100%25::' +
        'a | b %25 c, d: e%0Af%0D%0Ag <&>"\' `h` *i* [j](k) @team ünï 🚀 (apps/Deployment/web/api)\n',
    );
    const [, properties = '', message = ''] = /^::error (.*?)::(.*)\n$/.exec(out)!;
    expect(unescapeToolkit(message)).toBe(`${SPECIAL} (apps/Deployment/web/api)`);
    expect(properties.split(',').map((p) => unescapeToolkit(p))).toContain('title=odd:code,100%');
  });

  it('shows control characters of messages as symbols (the job log is a terminal), and paths as they are', () => {
    const out = one(
      d({ message: 'unknown field `\u001b[31mred`', span: spanAt('a\u0007.yaml', 1, 1, 1, 2) }),
    );
    expect(
      [...(out.split('::').at(-1) ?? '')].filter((c) => c !== '\n' && (c.codePointAt(0) ?? 32) < 32),
    ).toEqual([]);
    expect(out).toBe(
      '::error file=a\u0007.yaml,line=1,col=1,endLine=1,endColumn=2,title=x/y::unknown field `␛[31mred`\n',
    );
  });

  it('cannot be split into more commands by line breaks in messages', () => {
    const out = formatGithub(
      reportOf([d({ message: 'x\n::error::injected\r\n::warning::too' }), d({ severity: 'info' })]),
    );
    expect(out.split('\n')).toHaveLength(3);
    expect(out.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(2);
  });

  it('never writes data', () => {
    expect(formatGithub(reportOf(MIXED))).not.toContain(SECRET_VALUE);
  });
});
