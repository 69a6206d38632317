import type { Diagnostic } from '@shipshape/core';
import { formatReport } from '@shipshape/report';
import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_PATH, DEPLOYMENT_YAML, deployment, reportOf, spanOf } from './report-fixtures.js';

const accepted: Diagnostic = {
  code: 'pss/privileged',
  severity: 'error',
  message: 'container "app" must not be privileged',
  resource: deployment,
  path: '/spec/template/spec/containers/0/securityContext/privileged',
  span: spanOf(DEPLOYMENT_PATH, DEPLOYMENT_YAML, 'privileged: true'),
  suppressed: { by: 'annotation', reason: 'the CNI agent needs it (SEC-142)' },
};
const open: Diagnostic = {
  code: 'bp/image-tag',
  severity: 'warning',
  message: 'image "nginx" has no tag',
  resource: deployment,
  path: '/spec/template/spec/containers/0/image',
  span: spanOf(DEPLOYMENT_PATH, DEPLOYMENT_YAML, 'nginx'),
};
const byConfig: Diagnostic = {
  ...open,
  code: 'bp/resources',
  suppressed: { by: 'config', reason: 'batch jobs' },
};
const report = reportOf([accepted, open, byConfig]);

describe('findings accepted by exceptions', () => {
  it('stay in JSON, marked with who accepted them and why, and do not count', () => {
    const json = JSON.parse(formatReport('json', report)) as {
      diagnostics: { code: string; suppressed?: unknown }[];
      summary: Record<string, number>;
    };
    expect(json.diagnostics.map((d) => [d.code, d.suppressed])).toEqual([
      ['bp/image-tag', undefined],
      ['bp/resources', { by: 'config', reason: 'batch jobs' }],
      ['pss/privileged', { by: 'annotation', reason: 'the CNI agent needs it (SEC-142)' }],
    ]);
    expect(json.summary).toMatchObject({ errors: 0, warnings: 1, infos: 0 });
  });

  it('are left out of text, JUnit, GitHub annotations and Markdown, which say how many were accepted', () => {
    const text = formatReport('text', report);
    expect(text).not.toContain('pss/privileged');
    expect(text).toContain('bp/image-tag');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '⚠ 0 errors, 1 warning, 0 infos in 3 files (5 resources); 2 accepted by exceptions',
    );
    for (const format of ['junit', 'github', 'markdown'] as const) {
      const out = formatReport(format, report);
      expect(out, format).toContain('bp/image-tag');
      expect(out, format).not.toContain('pss/privileged');
      expect(out, format).not.toContain('bp/resources');
    }
    const allAccepted = formatReport('text', reportOf([accepted]));
    expect(allAccepted.trimEnd()).toBe('✔ no problems in 3 files (5 resources); 1 accepted by exceptions');
  });
});
