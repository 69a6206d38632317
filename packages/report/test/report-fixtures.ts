import { type Diagnostic, LineIndex, type ResourceId, type SourceSpan } from '@shipshape/core';
import type { CheckReport } from '@shipshape/report';

/** A value that must never reach any output: it sits in `data` and inside a Secret manifest. */
export const SECRET_VALUE = 'c3VwZXItc2VjcmV0LXZhbHVl';

export const DEPLOYMENT_PATH = 'apps/web/deployment.yaml';
export const DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          securityContext: { privileged: true }
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: web
`;

export const SECRET_PATH = 'apps/web/secret.yaml';
export const SECRET_YAML = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: web
data:
  password: ${SECRET_VALUE}
`;

export const FILES: ReadonlyMap<string, string> = new Map([
  [DEPLOYMENT_PATH, DEPLOYMENT_YAML],
  [SECRET_PATH, SECRET_YAML],
]);

export const deployment: ResourceId = {
  apiVersion: 'apps/v1',
  group: 'apps',
  kind: 'Deployment',
  namespace: 'web',
  name: 'api',
};
export const service: ResourceId = {
  apiVersion: 'v1',
  group: '',
  kind: 'Service',
  namespace: 'web',
  name: 'api',
};
export const secret: ResourceId = {
  apiVersion: 'v1',
  group: '',
  kind: 'Secret',
  namespace: 'web',
  name: 'creds',
};
export const clusterRole: ResourceId = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  group: 'rbac.authorization.k8s.io',
  kind: 'ClusterRole',
  namespace: '',
  name: 'admin',
};

/** The span of the `nth` occurrence of `needle` in `text` (0-based), as a parser would report it. */
export function spanOf(path: string, text: string, needle: string, nth = 0): SourceSpan {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found in ${path}`);
  }
  const index = new LineIndex(text);
  return { path, document: 0, start: index.position(at), end: index.position(at + needle.length) };
}

/** A span by line and columns only, for files whose text the report does not have. */
export function spanAt(
  path: string,
  line: number,
  column: number,
  endLine = line,
  endColumn = column + 1,
): SourceSpan {
  return {
    path,
    document: 0,
    start: { offset: 0, line, column },
    end: { offset: 0, line: endLine, column: endColumn },
  };
}

/** Every combination of span and resource, all three severities, and a `data` value to keep out. */
export const MIXED: readonly Diagnostic[] = [
  {
    code: 'pss/privileged',
    severity: 'error',
    message: 'container "app" must not be privileged',
    resource: deployment,
    path: '/spec/template/spec/containers/0/securityContext/privileged',
    span: spanOf(DEPLOYMENT_PATH, DEPLOYMENT_YAML, 'privileged: true'),
    data: { value: SECRET_VALUE },
  },
  {
    code: 'best/image-tag',
    severity: 'warning',
    message: 'image "nginx" has no tag',
    resource: deployment,
    path: '/spec/template/spec/containers/0/image',
    span: spanOf(DEPLOYMENT_PATH, DEPLOYMENT_YAML, 'nginx'),
  },
  {
    code: 'yaml/duplicate-key',
    severity: 'error',
    message: 'key "name" appears twice',
    span: spanOf(DEPLOYMENT_PATH, DEPLOYMENT_YAML, 'name', 2),
  },
  {
    code: 'rbac/wildcard',
    severity: 'info',
    message: 'ClusterRole grants every verb',
    resource: clusterRole,
  },
  { code: 'config/unknown-option', severity: 'warning', message: 'unknown option "strictt"' },
];

/** A report over the fixture files, with a summary of 3 files and 5 resources. */
export function reportOf(diagnostics: readonly Diagnostic[], extra: Partial<CheckReport> = {}): CheckReport {
  return {
    diagnostics,
    summary: { files: 3, resources: 5 },
    sources: (path) => FILES.get(path),
    tool: { name: 'shipshape', version: '1.2.3', informationUri: 'https://example.test/shipshape' },
    ...extra,
  };
}

/** Text with every character that some format must escape. */
export const SPECIAL = 'a | b % c, d: e\nf\r\ng <&>"\' `h` *i* [j](k) @team ünï 🚀';
