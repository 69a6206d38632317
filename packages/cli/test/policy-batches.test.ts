import { check } from 'shipshape';
import { describe, expect, it } from 'vitest';
import { tempTree } from './helpers.js';

// Schema validation and policy rules run over batches of resources once their files are parsed
// (BATCH in check.ts is 512): 700 files of two resources each make two full batches and a last, partial one.
const FILES = 700;

/**
 * A Deployment with an unpinned image (and for one in 11 a replica count the schema refuses), below
 * `pad` comment lines, and a Service that selects it or not.
 */
function app(i: number, pad: number): string {
  const comments = '# padding\n'.repeat(pad);
  const selector = i % 7 === 0 ? `app-${i}-renamed` : `app-${i}`;
  return `${comments}apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team
spec:
  replicas: ${i % 11 === 0 ? '"two"' : 1}
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
        - name: main
          image: registry.example/app-${i}
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: team
spec:
  selector:
    app: ${selector}
  ports:
    - port: 80
`;
}

describe('schema validation and policy rules over batches of files', () => {
  it('checks every resource of every batch, the last partial one included, and places each finding in its own file', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) files[`apps/app-${i}.yaml`] = app(i, i % 5);
    const result = await check({
      cwd: tempTree(files),
      paths: ['.'],
      admissionPolicies: false,
      policies: ['best-practices'],
      config: { severity: { 'bp/*': 'off', 'bp/image-tag': 'warning', 'bp/service-selector': 'warning' } },
    });
    expect(result.summary.resources).toBe(2 * FILES);
    const tags = result.diagnostics.filter((d) => d.code === 'bp/image-tag');
    const selectors = result.diagnostics.filter((d) => d.code === 'bp/service-selector');
    const types = result.diagnostics.filter((d) => d.code === 'schema/type');
    expect(tags).toHaveLength(FILES);
    expect(types).toHaveLength(Math.ceil(FILES / 11));
    for (const d of types) {
      const i = Number(/app-(\d+)\.yaml$/.exec(d.span?.path ?? '')?.[1]);
      expect(i % 11).toBe(0);
      expect(d.span?.start.line).toBe(7 + (i % 5));
    }
    expect(selectors).toHaveLength(Math.ceil(FILES / 7));
    for (const d of tags) {
      const i = Number(/app-(\d+)\.yaml$/.exec(d.span?.path ?? '')?.[1]);
      expect(d.resource?.name).toBe(`app-${i}`);
      // The image line: 18th of the document, below the file's padding.
      expect(d.span?.start).toMatchObject({ line: 18 + (i % 5), column: 18 });
    }
    // Reported in finish, once every batch is done: on the Service's selector, in its own file.
    for (const d of selectors) {
      const i = Number(/app-(\d+)\.yaml$/.exec(d.span?.path ?? '')?.[1]);
      expect(i % 7).toBe(0);
      expect(d.resource).toMatchObject({ kind: 'Service', name: `app-${i}` });
      expect(d.span?.start.line).toBe(27 + (i % 5));
    }
  });
});
