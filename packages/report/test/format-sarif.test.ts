import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Diagnostic } from '@shipshape/core';
import { type CheckReport, formatSarif } from '@shipshape/report';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { Log, Result } from 'sarif';
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
  SPECIAL,
  secret,
  spanAt,
  spanOf,
} from './report-fixtures.js';

// The official SARIF 2.1.0 schema. It declares draft-04, whose keywords ajv's default (draft-07)
// dialect reads the same way; only the draft-04 `id` and `$schema` have to go. Its `language`
// pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not a valid `u`-flag RegExp.
const schemaPath = createRequire(import.meta.url).resolve(
  '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
delete schema['$schema'];
delete schema['id'];
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function sarifOf(report: CheckReport): Log {
  const text = formatSarif(report);
  const log = JSON.parse(text) as Log;
  if (!validate(log)) throw new Error(ajv.errorsText(validate.errors, { separator: '\n' }));
  return log;
}

function resultsOf(report: CheckReport): Result[] {
  return sarifOf(report).runs[0]!.results!;
}

const d = (extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'x/y',
  severity: 'error',
  message: 'm',
  ...extra,
});

describe('formatSarif', () => {
  it('checks against a schema that rejects broken logs', () => {
    const ok = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(
      validate({ ...ok, runs: [{ ...ok.runs[0], results: [{ level: 'fatal', message: { text: 'm' } }] }] }),
    ).toBe(false);
  });

  it.each<[string, CheckReport]>([
    ['a clean report', reportOf([])],
    ['errors, warnings and infos', reportOf(MIXED)],
    ['diagnostics without spans', reportOf([d(), d({ resource: deployment }), d({ path: '/spec' })])],
    ['unicode and spaces in paths', reportOf([d({ span: spanAt('dir with space/ünï 🚀.yaml', 2, 3) })])],
    ['special characters in messages', reportOf([d({ message: SPECIAL, code: 'weird code:%,|' })])],
    [
      'no tool, no sources, a root URI',
      { diagnostics: MIXED, summary: { files: 1, resources: 1 }, rootUri: 'file:///repo' },
    ],
    [
      'a rule catalogue',
      reportOf(MIXED, {
        rules: [{ code: 'pss/privileged', title: 'T', help: 'H', docsUrl: 'https://example.test/r' }],
      }),
    ],
    ['an empty span at column 1 of a later line', reportOf([d({ span: spanAt('a.yaml', 3, 5, 5, 1) })])],
  ])('is valid SARIF 2.1.0 for %s', (_, report) => {
    const log = sarifOf(report);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    const notes = log.runs[0]!.invocations?.[0]?.toolExecutionNotifications ?? [];
    expect(log.runs[0]!.results!.length + notes.length).toBe(report.diagnostics.length);
  });

  it('gives GitHub code scanning what it needs on every result', () => {
    const log = sarifOf(reportOf([...MIXED, d({ span: spanAt('dir with space/ü.yaml', 1, 1) })]));
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({
      name: 'shipshape',
      version: '1.2.3',
      informationUri: 'https://example.test/shipshape',
    });
    for (const result of run.results!) {
      expect(result.ruleId).toMatch(/\S/);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(result.ruleId);
      for (const location of result.locations ?? []) {
        if (!location.physicalLocation) continue;
        const { artifactLocation, region } = location.physicalLocation;
        expect(region!.startLine).toBeGreaterThanOrEqual(1);
        expect(artifactLocation!.uriBaseId).toBe('%SRCROOT%');
        expect(artifactLocation!.uri).not.toMatch(/^[a-z][a-z0-9+.-]*:|^\//i);
      }
    }
  });

  // Code scanning refuses the whole upload ("locationFromSarifResult: expected at least one
  // location" / "expected a physical location") when one result has no file: a note about the
  // run (`schema/version-fallback`) cost every alert. Such findings are the run's notifications.
  it('gives every result a file, and reports findings without one as notifications of the run', () => {
    const log = sarifOf(reportOf(MIXED));
    const run = log.runs[0]!;
    for (const result of run.results!) {
      expect(result.locations).toHaveLength(1);
      expect(result.locations![0]!.physicalLocation!.artifactLocation!.uri).toMatch(/\S/);
    }
    expect(run.results!.map((r) => r.ruleId)).toEqual([
      'yaml/duplicate-key',
      'best/image-tag',
      'pss/privileged',
    ]);
    const rules = run.tool.driver.rules!;
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: { text: 'unknown option "strictt"' },
            associatedRule: {
              id: 'config/unknown-option',
              index: rules.findIndex((r) => r.id === 'config/unknown-option'),
            },
          },
          {
            level: 'note',
            message: { text: 'ClusterRole grants every verb' },
            associatedRule: { id: 'rbac/wildcard', index: rules.findIndex((r) => r.id === 'rbac/wildcard') },
            locations: [
              {
                logicalLocations: [
                  {
                    name: 'admin',
                    fullyQualifiedName: 'rbac.authorization.k8s.io/ClusterRole/admin',
                    kind: 'resource',
                  },
                ],
              },
            ],
          },
        ],
      },
    ]);
    expect(sarifOf(reportOf(MIXED.slice(0, 3))).runs[0]!.invocations).toBeUndefined();
  });

  it('maps diagnostics to results: level, message, region, snippet and resource', () => {
    const results = resultsOf(reportOf(MIXED));
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['yaml/duplicate-key', 'error'],
      ['best/image-tag', 'warning'],
      ['pss/privileged', 'error'],
    ]);
    expect(results[2]!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'apps/web/deployment.yaml', uriBaseId: '%SRCROOT%' },
          region: {
            startLine: 12,
            startColumn: 30,
            endLine: 12,
            endColumn: 46,
            snippet: { text: 'privileged: true' },
          },
        },
        logicalLocations: [{ name: 'api', fullyQualifiedName: 'apps/Deployment/web/api', kind: 'resource' }],
      },
    ]);
    expect(results[0]!.locations![0]!.logicalLocations).toBeUndefined(); // no resource
  });

  it('declares a rule for every code used, and only those, with catalogue details', () => {
    const run = sarifOf(
      reportOf(MIXED, {
        rules: [
          {
            code: 'pss/privileged',
            title: 'No privileged containers',
            help: 'Remove `privileged`.',
            docsUrl: 'https://example.test/p',
            defaultSeverity: 'error',
          },
          { code: 'unused/rule', title: 'Unused', help: 'Unused' },
          { code: 'best/image-tag', title: 'Pin images', help: 'Use a tag.', defaultSeverity: 'info' },
        ],
      }),
    ).runs[0]!;
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual([
      'best/image-tag',
      'config/unknown-option',
      'pss/privileged',
      'rbac/wildcard',
      'yaml/duplicate-key',
    ]);
    expect(rules[2]).toEqual({
      id: 'pss/privileged',
      name: 'PssPrivileged',
      shortDescription: { text: 'No privileged containers' },
      fullDescription: { text: 'Remove `privileged`.' },
      help: {
        text: 'Remove `privileged`.',
        markdown: 'Remove `privileged`.\n\n[Documentation](https://example.test/p)',
      },
      helpUri: 'https://example.test/p',
      defaultConfiguration: { level: 'error' },
    });
    expect(rules[0]!.defaultConfiguration).toEqual({ level: 'note' }); // the catalogue's default wins
    expect(rules[1]).toEqual({
      id: 'config/unknown-option',
      name: 'ConfigUnknownOption',
      shortDescription: { text: 'config/unknown-option' },
      help: { text: 'config/unknown-option' },
      defaultConfiguration: { level: 'warning' },
    });
    for (const result of run.results!) expect(rules[result.ruleIndex!]!.id).toBe(result.ruleId);
  });

  // Code scanning renders `help.markdown` and shows `help.text` as it is: rule help is Markdown
  // (`securityContext.privileged` in backticks), whether or not the rule has a docs page.
  it('gives rule help as Markdown too, with or without a docs URI', () => {
    const rules = sarifOf(
      reportOf([d({ code: 'a/b' })], { rules: [{ code: 'a/b', title: 'A', help: 'Set `x` to **false**.' }] }),
    ).runs[0]!.tool.driver.rules!;
    expect(rules[0]!.help).toEqual({ text: 'Set `x` to **false**.', markdown: 'Set `x` to **false**.' });
  });

  it('takes a help URI from the diagnostics when the catalogue has none', () => {
    const rules = sarifOf(reportOf([d({ docsUrl: 'https://example.test/x' })])).runs[0]!.tool.driver.rules!;
    expect(rules[0]!.helpUri).toBe('https://example.test/x');
  });

  it.each([
    ['plain/path.yaml', 'plain/path.yaml'],
    ['dir with space/file.yaml', 'dir%20with%20space/file.yaml'],
    ['ünï/🚀.yaml', '%C3%BCn%C3%AF/%F0%9F%9A%80.yaml'],
    ['a#b/c%d?.yaml', 'a%23b/c%25d%3F.yaml'],
    ['./x:y.yaml', 'x%3Ay.yaml'],
    ['bad\ud800.yaml', 'bad%EF%BF%BD.yaml'],
  ])('writes %s as the relative URI %s', (path, uri) => {
    const [result] = resultsOf(reportOf([d({ span: spanAt(path, 1, 1) })]));
    expect(result!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(uri);
  });

  // A base id applies to relative references only: `/work/k8s/a.yaml` under `%SRCROOT%` would name
  // `<checkout>/work/k8s/a.yaml`. An absolute path (PATH given as one) is a `file:` URI on its own,
  // which code scanning makes relative to the checkout.
  it.each([
    ['/work/k8s/a.yaml', 'file:///work/k8s/a.yaml'],
    ['/home/runner/dir with space/ü.yaml', 'file:///home/runner/dir%20with%20space/%C3%BC.yaml'],
    ['C:/repo/a#b.yaml', 'file:///C:/repo/a%23b.yaml'],
  ])('writes the absolute path %s as the file URI %s, without a base id', (path, uri) => {
    const [result] = resultsOf(reportOf([d({ span: spanAt(path, 1, 1) })]));
    const artifact = result!.locations![0]!.physicalLocation!.artifactLocation!;
    expect(artifact).toEqual({ uri });
  });

  it('writes a help URI only when it is absolute, as SARIF requires', () => {
    const rules = sarifOf(
      reportOf([
        d({ code: 'a/b', docsUrl: 'docs/rules/a-b.md' }),
        d({ code: 'c/d', docsUrl: 'https://example.test/c' }),
      ]),
    ).runs[0]!.tool.driver.rules!;
    expect(rules.map((r) => r.helpUri)).toEqual([undefined, 'https://example.test/c']);
    expect(rules[0]!.help!.markdown).toContain('docs/rules/a-b.md');
  });

  it('declares the source root only when given, as a folder URI', () => {
    expect(sarifOf(reportOf([])).runs[0]!.originalUriBaseIds).toBeUndefined();
    expect(sarifOf(reportOf([], { rootUri: 'file:///work/repo' })).runs[0]!.originalUriBaseIds).toEqual({
      '%SRCROOT%': { uri: 'file:///work/repo/' },
    });
  });

  describe('partial fingerprints', () => {
    const fingerprint = (report: CheckReport, i = 0) =>
      resultsOf(report)[i]!.partialFingerprints!['shipshapeFingerprint/v1'];
    const base = d({ resource: deployment, path: '/spec/replicas', span: spanAt('a.yaml', 5, 3) });

    it('is pinned, so that alerts keep their identity across releases', () => {
      // FNV-1a 64 of 'x/y\0a.yaml\0apps/Deployment/web/api\0/spec/replicas' (UTF-8), checked
      // against an independent implementation.
      expect(fingerprint(reportOf([base]))).toBe('fa5443336d3ca7e5:1');
    });

    it('stays when lines, columns or the message change', () => {
      const moved = { ...base, message: 'other words', span: spanAt('a.yaml', 40, 9) };
      expect(fingerprint(reportOf([moved]))).toBe(fingerprint(reportOf([base])));
    });

    it.each([
      ['code', { code: 'x/z' }],
      ['file', { span: spanAt('b.yaml', 5, 3) }],
      ['resource', { resource: { ...deployment, name: 'other' } }],
      ['pointer', { path: '/spec/template' }],
    ])('changes with the %s', (_, change) => {
      expect(fingerprint(reportOf([{ ...base, ...change }]))).not.toBe(fingerprint(reportOf([base])));
    });

    it('tells apart findings without resource or pointer by message, and repeats by a counter', () => {
      const a = d({ span: spanAt('a.yaml', 1, 1), message: 'first' });
      const b = d({ span: spanAt('a.yaml', 9, 1), message: 'second' });
      expect(fingerprint(reportOf([a]))).not.toBe(fingerprint(reportOf([b])));
      const twice = resultsOf(reportOf([base, { ...base, span: spanAt('a.yaml', 7, 1) }]));
      const [one, two] = twice.map((r) => r.partialFingerprints!['shipshapeFingerprint/v1']!);
      expect(one!.replace(/:1$/, ':2')).toBe(two);
    });
  });

  it.each([
    ['about a Secret', { resource: secret, span: spanOf(SECRET_PATH, SECRET_YAML, SECRET_VALUE) }],
    ['inside a Secret document', { span: spanOf(SECRET_PATH, SECRET_YAML, SECRET_VALUE) }],
  ])('has no snippet for a diagnostic %s', (_, extra) => {
    const out = formatSarif(reportOf([d({ ...extra, data: { value: SECRET_VALUE } })]));
    expect(out).not.toContain(SECRET_VALUE);
    expect(out).not.toContain('snippet');
  });

  it('has no snippet when the span does not match the text it was given', () => {
    const stale = {
      ...spanOf(DEPLOYMENT_PATH, DEPLOYMENT_YAML, 'nginx'),
      start: { offset: 3, line: 11, column: 18 },
    };
    const [result] = resultsOf(reportOf([d({ span: stale })]));
    expect(result!.locations![0]!.physicalLocation!.region!.snippet).toBeUndefined();
  });

  it('keeps special characters in messages as they are', () => {
    const [result] = resultsOf(reportOf([d({ message: SPECIAL, span: spanAt('a.yaml', 1, 1) })]));
    expect(result!.message.text).toBe(SPECIAL);
  });

  it('keeps findings accepted by exceptions as suppressed results: in source for annotations, external for the config', () => {
    const base: Diagnostic = {
      code: 'bp/image-tag',
      severity: 'warning',
      message: 'no tag',
      resource: deployment,
      span: spanAt('a.yaml', 1, 1),
    };
    const results = resultsOf(
      reportOf([
        base,
        { ...base, code: 'bp/resources', suppressed: { by: 'config', reason: 'batch jobs' } },
        { ...base, code: 'pss/privileged', suppressed: { by: 'annotation', reason: 'CNI agent (SEC-142)' } },
      ]),
    );
    expect(results.map((r) => [r.ruleId, r.suppressions])).toEqual([
      ['bp/image-tag', undefined],
      ['bp/resources', [{ kind: 'external', justification: 'batch jobs' }]],
      ['pss/privileged', [{ kind: 'inSource', justification: 'CNI agent (SEC-142)' }]],
    ]);
  });
});
