import { type Diagnostic, LineIndex, type SourceSpan } from '@shipshape/core';
import { FORMATS, type Format, formatReport, formatSarif, formatText } from '@shipshape/report';
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { deployment, reportOf, spanOf } from './report-fixtures.js';

// Diagnostics marked `data.sensitive` cover a credential: no output may show the lines they cover,
// whichever finding a frame or snippet belongs to. Spans are placed as the policy engine places
// `bp/secrets-in-env` findings: on the key, with the value after it on the line or under it.

const PASSWORD = 'SUPERSECRET12';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0B';
const CONFIGMAP_VALUE = 'hunter2-supersecret';
const VALUES = [PASSWORD, PEM_BODY, CONFIGMAP_VALUE, 'BEGIN PRIVATE KEY'];

const PATH = 'apps/api/deploy.yaml';
const YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: DB_PASSWORD
              value: ${PASSWORD}
          image: nginx
          imagePullPolicy: Never
          resources: {}
        - name: tls
          image: tls:1.0
          env:
            - name: TLS_KEY
              value: |
                -----BEGIN PRIVATE KEY-----

                ${PEM_BODY}
                -----END PRIVATE KEY-----
            - name: LOG_LEVEL
              value: info
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data: {password: ${CONFIGMAP_VALUE}}
`;

/** The span of `key` where it is followed by `rest` (`value: …`), as a finding on the key has it. */
function keySpan(key: string, rest: string): SourceSpan {
  const span = spanOf(PATH, YAML, `${key}${rest}`);
  return { ...span, end: new LineIndex(YAML).position(span.start.offset + key.length) };
}

const SENSITIVE = Object.freeze({ polaris: 'sensitiveContainerEnvVar', sensitive: true });
const password: Diagnostic = {
  code: 'bp/secrets-in-env',
  severity: 'error',
  message: 'container app sets environment variable DB_PASSWORD to a literal value',
  resource: deployment,
  path: '/spec/template/spec/containers/0/env/0/value',
  span: keySpan('value', `: ${PASSWORD}`),
  data: SENSITIVE,
};
const privateKey: Diagnostic = {
  ...password,
  message: 'container tls sets environment variable TLS_KEY to a literal private key',
  path: '/spec/template/spec/containers/1/env/0/value',
  span: keySpan('value', ': |'),
};
const configMap: Diagnostic = {
  code: 'bp/secrets-in-env',
  severity: 'error',
  message: 'ConfigMap key password looks like a credential: move it to a Secret',
  resource: { apiVersion: 'v1', group: '', kind: 'ConfigMap', namespace: '', name: 'settings' },
  path: '/data/password',
  span: keySpan('password', `: ${CONFIGMAP_VALUE}`),
  data: { polaris: 'sensitiveConfigmapContent', sensitive: true },
};
/** Two lines below the password: its context lines reach the credential's line. */
const neighbour: Diagnostic = {
  code: 'bp/image-pull-policy',
  severity: 'warning',
  message: 'container app sets imagePullPolicy Never',
  resource: deployment,
  path: '/spec/template/spec/containers/0/imagePullPolicy',
  span: spanOf(PATH, YAML, 'Never'),
};
/** A whole container, as findings on `/spec/template/spec/containers/0` have it. */
const container: Diagnostic = {
  code: 'bp/resources',
  severity: 'warning',
  message: 'container app sets no resources',
  resource: deployment,
  path: '/spec/template/spec/containers/0',
  span: spanOf(
    PATH,
    YAML,
    `name: app\n          env:\n            - name: DB_PASSWORD\n              value: ${PASSWORD}\n`,
  ),
};
/** After the block scalar: its own line and the `- name: TLS_KEY` line above stay visible. */
const logLevel: Diagnostic = {
  ...neighbour,
  code: 'x/log-level',
  path: '/spec/template/spec/containers/1/env/1/value',
  span: spanOf(PATH, YAML, 'info'),
};
const ALL = [password, privateKey, configMap, neighbour, container, logLevel];

const HIDDEN = '(line not shown: it holds a credential)';

function text(diagnostics: readonly Diagnostic[], contextLines = 2): string {
  return formatText(reportOf(diagnostics, { sources: (p) => (p === PATH ? YAML : undefined) }), {
    contextLines,
  });
}

/** The text block of the finding whose header starts with `head`. */
function block(out: string, head: string): string[] {
  const found = out.split('\n\n').find((b) => b.startsWith(head));
  if (found === undefined) throw new Error(`no block ${head} in\n${out}`);
  return found.split('\n');
}

/** `line:column` of every finding in a report of `format`. */
function positionsIn(format: Format, out: string): string[] {
  if (format === 'json') {
    const { diagnostics } = JSON.parse(out) as { diagnostics: { line?: number; column?: number }[] };
    return diagnostics.map((d) => `${d.line}:${d.column}`);
  }
  if (format === 'sarif') {
    const regions = (JSON.parse(out) as Log).runs[0]!.results!.map(
      (r) => r.locations![0]!.physicalLocation!.region!,
    );
    return regions.map((r) => `${r.startLine}:${r.startColumn}`);
  }
  const pattern = format === 'github' ? /line=(\d+),col=(\d+)/g : /deploy\.yaml:(\d+):(\d+)/g;
  return [...out.matchAll(pattern)].map((m) => `${m[1]}:${m[2]}`);
}

function expectNoValue(out: string): void {
  for (const value of VALUES) expect(out).not.toContain(value);
}

describe('lines covered by a sensitive diagnostic', () => {
  it.each(FORMATS)('never reach %s output, and every finding is still reported', (format) => {
    const out = formatReport(format, reportOf(ALL, { sources: (p) => (p === PATH ? YAML : undefined) }), {
      contextLines: 30,
      failOn: 'info',
    });
    expectNoValue(out);
    for (const d of ALL) expect(out).toContain(d.code);
    expect(positionsIn(format, out)).toEqual(expect.arrayContaining(['12:15', '20:15', '32:8']));
  });

  it('shows the credential line of its own text frame as a marker, without a caret line', () => {
    const out = text([password]);
    expectNoValue(out);
    expect(block(out, `${PATH}:12:15 error bp/secrets-in-env`)).toEqual([
      `${PATH}:12:15 error bp/secrets-in-env container app sets environment variable DB_PASSWORD to a literal value`,
      '  in apps/Deployment/web/api at /spec/template/spec/containers/0/env/0/value',
      '  10 |           env:',
      '  11 |             - name: DB_PASSWORD',
      `> 12 |               ${HIDDEN}`,
      '  13 |           image: nginx',
      '  14 |           imagePullPolicy: Never',
    ]);
  });

  it('hides the credential in the context lines of a finding two lines below it', () => {
    const out = text([neighbour, password]);
    expectNoValue(out);
    expect(block(out, `${PATH}:14:28 warning bp/image-pull-policy`).slice(2)).toEqual([
      `  12 |               ${HIDDEN}`,
      '  13 |           image: nginx',
      '> 14 |           imagePullPolicy: Never',
      '     |                            ^^^^^',
      '  15 |           resources: {}',
      '  16 |         - name: tls',
    ]);
  });

  it('hides the lines of sensitive findings the report leaves out (CheckReport.sensitive)', () => {
    const report = reportOf([neighbour], { sources: (p) => (p === PATH ? YAML : undefined) });
    const out = formatText({ ...report, sensitive: [password] }, { contextLines: 2 });
    expectNoValue(out);
    expect(block(out, `${PATH}:14:28 warning bp/image-pull-policy`)[2]).toBe(
      `  12 |               ${HIDDEN}`,
    );
    // Without it, the frame would show the value: the test would catch a regression.
    expect(formatText(report, { contextLines: 2 })).not.toContain(HIDDEN);
  });

  it('hides it in frames of findings whose own span covers it', () => {
    const out = text([container, password], 3);
    expectNoValue(out);
    expect(block(out, `${PATH}:9:11 warning bp/resources`)).toContain(`  12 |               ${HIDDEN}`);
  });

  it('hides the lines of a block scalar under the key, past a blank line in it, and no more', () => {
    const out = text([logLevel, privateKey, password], 9);
    expectNoValue(out);
    expect(block(out, `${PATH}:26:22 warning x/log-level`).slice(2)).toEqual([
      '  17 |           image: tls:1.0',
      '  18 |           env:',
      '  19 |             - name: TLS_KEY',
      `  20 |               ${HIDDEN}`,
      `  21 |                 ${HIDDEN}`,
      '  22 |',
      `  23 |                 ${HIDDEN}`,
      `  24 |                 ${HIDDEN}`,
      '  25 |             - name: LOG_LEVEL',
      '> 26 |               value: info',
      '     |                      ^^^^',
    ]);
  });

  it('hides a ConfigMap entry written as a flow mapping', () => {
    const out = text([configMap]);
    expectNoValue(out);
    expect(block(out, `${PATH}:32:8 error bp/secrets-in-env`)).toEqual([
      `${PATH}:32:8 error bp/secrets-in-env ConfigMap key password looks like a credential: move it to a Secret`,
      '  in ConfigMap/settings at /data/password',
      '  30 | metadata:',
      '  31 |   name: settings',
      `> 32 | ${HIDDEN}`,
    ]);
  });

  it('hides lines that a suppressed sensitive finding covers, though that finding is not printed', () => {
    const out = text([neighbour, { ...password, suppressed: { by: 'config', reason: 'rotated' } }]);
    expectNoValue(out);
    expect(out).toContain(`  12 |               ${HIDDEN}`);
  });

  it('shows every line when no diagnostic is marked sensitive', () => {
    const out = text([{ ...password, data: { polaris: 'sensitiveContainerEnvVar' } }]);
    expect(out).toContain(`> 12 |               value: ${PASSWORD}`);
  });

  it('reads each file once however many findings are sensitive', () => {
    const reads: string[] = [];
    const sources = (p: string) => {
      reads.push(p);
      return p === PATH ? YAML : undefined;
    };
    formatText(reportOf(ALL, { sources }));
    formatSarif(reportOf(ALL, { sources }));
    expect(reads).toEqual([PATH, PATH]);
  });

  describe('SARIF', () => {
    const results = (diagnostics: readonly Diagnostic[]): Result[] => {
      const out = formatSarif(reportOf(diagnostics, { sources: (p) => (p === PATH ? YAML : undefined) }));
      expectNoValue(out);
      return (JSON.parse(out) as Log).runs[0]!.results!;
    };
    const regionOf = (r: Result) => r.locations![0]!.physicalLocation!.region!;

    it('keeps the region of a sensitive finding but gives it no snippet or context region', () => {
      for (const r of results([password, privateKey, configMap])) {
        expect(regionOf(r).snippet).toBeUndefined();
        expect(r.locations![0]!.physicalLocation!.contextRegion).toBeUndefined();
      }
      expect(regionOf(results([password])[0]!)).toEqual({
        startLine: 12,
        startColumn: 15,
        endLine: 12,
        endColumn: 20,
      });
      expect(regionOf(results([configMap])[0]!)).toMatchObject({ startLine: 32, startColumn: 8 });
    });

    it('drops the snippet of another finding whose region covers the credential, and only that one', () => {
      const byCode = (list: readonly Diagnostic[], code: string) =>
        regionOf(results(list).find((r) => r.ruleId === code)!);
      expect(byCode([password, container], 'bp/resources')).toMatchObject({ startLine: 9, startColumn: 11 });
      expect(byCode([password, container], 'bp/resources').snippet).toBeUndefined();
      // The same region has its snippet when nothing marks the password sensitive.
      const plain = formatSarif(reportOf([container], { sources: () => YAML }));
      expect(regionOf((JSON.parse(plain) as Log).runs[0]!.results![0]!).snippet?.text).toContain(PASSWORD);
      expect(byCode([password, neighbour], 'bp/image-pull-policy').snippet).toEqual({ text: 'Never' });
    });
  });
});
