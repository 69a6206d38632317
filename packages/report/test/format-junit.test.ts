import type { Diagnostic } from '@shipshape/core';
import { formatJunit } from '@shipshape/report';
import { describe, expect, it } from 'vitest';
import { deployment, MIXED, reportOf, SECRET_VALUE, SPECIAL, spanAt } from './report-fixtures.js';
import { findAll, parseXml, type XmlElement } from './xml-well-formed.js';

const d = (extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'x/y',
  severity: 'error',
  message: 'm',
  ...extra,
});

/** Suite name → test cases as `name [failure type]`, for compact assertions. */
function outline(root: XmlElement): Record<string, string[]> {
  return Object.fromEntries(
    findAll(root, 'testsuite').map((suite): [string, string[]] => [
      suite.attributes['name']!,
      findAll(suite, 'testcase').map((c) => {
        const failure = findAll(c, 'failure')[0];
        return failure ? `${c.attributes['name']} [${failure.attributes['type']}]` : c.attributes['name']!;
      }),
    ]),
  );
}

describe('the test XML checker', () => {
  it.each([
    ['unclosed element', '<a><b></a>'],
    ['raw ampersand', '<a>x & y</a>'],
    ['unknown entity', '<a>&nbsp;</a>'],
    ['unquoted attribute', '<a b=c/>'],
    ['duplicate attribute', '<a b="1" b="2"/>'],
    ['forbidden control character', '<a>\u0001</a>'],
    ['two roots', '<a/><b/>'],
  ])('rejects a %s', (_, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});

describe('formatJunit', () => {
  it('writes one passing test case for a clean report without a file list', () => {
    expect(formatJunit(reportOf([]))).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="shipshape" tests="1" failures="0" errors="0" skipped="0">',
        '  <testsuite name="shipshape" tests="1" failures="0" errors="0" skipped="0">',
        '    <testcase name="files without findings" classname="shipshape">',
        '      <system-out>3 files of 3 without findings</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
    expect(outline(parseXml(formatJunit(reportOf([], { summary: { files: 0, resources: 0 } }))))).toEqual({
      shipshape: ['no findings'],
    });
  });

  it('writes a passing test case per clean file when the report lists its files', () => {
    const root = parseXml(
      formatJunit(reportOf([d({ span: spanAt('b.yaml', 1, 1) })], { files: ['c.yaml', 'b.yaml', 'a.yaml'] })),
    );
    expect(outline(root)).toEqual({
      'a.yaml': ['no findings'],
      'b.yaml': ['x/y line 1 [x/y]'],
      'c.yaml': ['no findings'],
    });
    expect(root.attributes).toMatchObject({ tests: '3', failures: '1' });
  });

  it('writes a suite per file and a test case per diagnostic; errors fail by default', () => {
    const xml = formatJunit(reportOf(MIXED));
    const root = parseXml(xml);
    expect(outline(root)).toEqual({
      shipshape: [
        'config/unknown-option',
        'rbac/wildcard rbac.authorization.k8s.io/ClusterRole/admin',
        'files without findings',
      ],
      'apps/web/deployment.yaml': [
        'yaml/duplicate-key line 10 [yaml/duplicate-key]',
        'best/image-tag apps/Deployment/web/api /spec/template/spec/containers/0/image',
        'pss/privileged apps/Deployment/web/api /spec/template/spec/containers/0/securityContext/privileged [pss/privileged]',
      ],
    });
    expect(root.attributes).toEqual({
      name: 'shipshape',
      tests: '6',
      failures: '2',
      errors: '0',
      skipped: '0',
    });
    const [noFile, file] = findAll(root, 'testsuite');
    expect(noFile!.attributes).toMatchObject({ tests: '3', failures: '0' });
    expect(file!.attributes).toMatchObject({ tests: '3', failures: '2' });
    const privileged = findAll(file!, 'testcase')[2]!;
    expect(privileged.attributes).toMatchObject({
      classname: 'apps/web/deployment',
      file: 'apps/web/deployment.yaml',
      line: '12',
    });
    const failure = findAll(privileged, 'failure')[0]!;
    expect(failure.attributes).toEqual({
      type: 'pss/privileged',
      message: 'container "app" must not be privileged',
    });
    expect(failure.text).toBe(
      'error pss/privileged at apps/web/deployment.yaml:12:30\nresource: apps/Deployment/web/api\n' +
        'pointer: /spec/template/spec/containers/0/securityContext/privileged\ncontainer "app" must not be privileged',
    );
    const warning = findAll(file!, 'testcase')[1]!;
    expect(findAll(warning, 'system-out')[0]!.text).toContain(
      'warning best/image-tag at apps/web/deployment.yaml:11:18',
    );
    expect(xml).not.toContain(SECRET_VALUE);
  });

  it.each([
    ['error', 2],
    ['warning', 4],
    ['info', 5],
  ] as const)('fails findings at or above failOn %s', (failOn, failures) => {
    const root = parseXml(formatJunit(reportOf(MIXED), { failOn }));
    expect(findAll(root, 'failure')).toHaveLength(failures);
    expect(root.attributes['failures']).toBe(String(failures));
  });

  it('escapes every text and attribute, including characters XML 1.0 forbids', () => {
    const message = `${SPECIAL} \u0000\u0008\u001b\ufffe tab\there`;
    const xml = formatJunit(
      reportOf([
        d({ message, code: 'a<b>&"c"', span: spanAt('dir "q"/<x>&\'y\'.yaml', 1, 1), resource: deployment }),
      ]),
    );
    const root = parseXml(xml); // throws on anything not well-formed
    const failure = findAll(root, 'failure')[0]!;
    // Forbidden characters become visible `\uXXXX`; CR, LF and tab survive as references.
    const visible = `${SPECIAL} \\u0000\\u0008\\u001B\\uFFFE tab\there`;
    expect(failure.attributes['message']).toBe(visible);
    expect(failure.attributes['type']).toBe('a<b>&"c"');
    expect(failure.text.endsWith(visible)).toBe(true);
    expect(findAll(root, 'testsuite')[1]!.attributes['name']).toBe('dir "q"/<x>&\'y\'.yaml');
    expect(xml).toContain('&#10;'); // line breaks in attributes survive as references
    expect(xml).toContain('&#13;');
  });

  it('numbers test cases that would have the same name', () => {
    const twice = [
      d({ resource: deployment, span: spanAt('a.yaml', 1, 1) }),
      d({ resource: deployment, span: spanAt('a.yaml', 9, 1) }),
    ];
    expect(outline(parseXml(formatJunit(reportOf(twice))))['a.yaml']).toEqual([
      'x/y apps/Deployment/web/api [x/y]',
      'x/y apps/Deployment/web/api #2 [x/y]',
    ]);
  });

  it('keeps a file named like the tool suite apart from it', () => {
    const root = parseXml(
      formatJunit(reportOf([d(), d({ span: spanAt('shipshape', 1, 1) })], { files: ['shipshape'] })),
    );
    expect(findAll(root, 'testsuite').map((s) => s.attributes['name'])).toEqual(['shipshape', 'shipshape']);
    expect(findAll(root, 'testcase').map((c) => c.attributes['classname'])).toEqual([
      'shipshape',
      'shipshape',
    ]);
    expect(findAll(findAll(root, 'testsuite')[1]!, 'testcase')[0]!.attributes['file']).toBe('shipshape');
  });
});
