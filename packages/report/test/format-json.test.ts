import { formatJson } from '@shipshape/report';
import { describe, expect, it } from 'vitest';
import {
  clusterRole,
  deployment,
  MIXED,
  reportOf,
  SECRET_VALUE,
  SPECIAL,
  spanAt,
} from './report-fixtures.js';

describe('formatJson', () => {
  it('writes a clean report with version 1, two-space indentation and a final newline', () => {
    expect(formatJson(reportOf([]))).toBe(
      '{\n  "version": 1,\n  "diagnostics": [],\n  "summary": {\n    "files": 3,\n    "resources": 5,\n' +
        '    "errors": 0,\n    "warnings": 0,\n    "infos": 0\n  }\n}\n',
    );
  });

  it('writes the check shape of the CLI contract, sorted, with counts per severity', () => {
    expect(JSON.parse(formatJson(reportOf(MIXED)))).toEqual({
      version: 1,
      diagnostics: [
        { code: 'config/unknown-option', severity: 'warning', message: 'unknown option "strictt"' },
        {
          code: 'rbac/wildcard',
          severity: 'info',
          message: 'ClusterRole grants every verb',
          resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'admin' },
        },
        {
          code: 'yaml/duplicate-key',
          severity: 'error',
          message: 'key "name" appears twice',
          file: 'apps/web/deployment.yaml',
          line: 10,
          column: 11,
          endLine: 10,
          endColumn: 15,
        },
        {
          code: 'best/image-tag',
          severity: 'warning',
          message: 'image "nginx" has no tag',
          resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'api' },
          path: '/spec/template/spec/containers/0/image',
          file: 'apps/web/deployment.yaml',
          line: 11,
          column: 18,
          endLine: 11,
          endColumn: 23,
        },
        {
          code: 'pss/privileged',
          severity: 'error',
          message: 'container "app" must not be privileged',
          resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'api' },
          path: '/spec/template/spec/containers/0/securityContext/privileged',
          file: 'apps/web/deployment.yaml',
          line: 12,
          column: 30,
          endLine: 12,
          endColumn: 46,
        },
      ],
      summary: { files: 3, resources: 5, errors: 2, warnings: 2, infos: 1 },
    });
  });

  it('writes keys in the documented order and never null, data or docsUrl', () => {
    const out = formatJson(
      reportOf([
        {
          code: 'x/y',
          severity: 'error',
          message: 'm',
          span: spanAt('a.yaml', 1, 2, 3, 4),
          path: '',
          resource: deployment,
          docsUrl: 'https://example.test',
          data: { token: SECRET_VALUE },
        },
      ]),
    );
    const [d] = (JSON.parse(out) as { diagnostics: Record<string, unknown>[] }).diagnostics;
    expect(Object.keys(d!)).toEqual([
      'code',
      'severity',
      'message',
      'resource',
      'path',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
    ]);
    expect(Object.keys(d!['resource']!)).toEqual(['apiVersion', 'kind', 'namespace', 'name']);
    expect(out).not.toContain('null');
    expect(out).not.toContain(SECRET_VALUE);
    expect(out).not.toContain('docsUrl');
  });

  it.each([
    [
      'a namespaced resource',
      deployment,
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'api' },
    ],
    [
      'a cluster-scoped resource',
      clusterRole,
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'admin' },
    ],
  ])('writes %s', (_, resource, want) => {
    const parsed = JSON.parse(
      formatJson(reportOf([{ code: 'x/y', severity: 'info', message: 'm', resource }])),
    ) as {
      diagnostics: { resource: unknown }[];
    };
    expect(parsed.diagnostics[0]!.resource).toEqual(want);
  });

  it('keeps special characters in messages and paths intact', () => {
    const out = formatJson(
      reportOf([
        { code: 'x/y', severity: 'error', message: SPECIAL, span: spanAt('dir with space/ü|%.yaml', 1, 1) },
      ]),
    );
    const parsed = JSON.parse(out) as { diagnostics: { message: string; file: string }[] };
    expect(parsed.diagnostics[0]).toMatchObject({ message: SPECIAL, file: 'dir with space/ü|%.yaml' });
  });
});
