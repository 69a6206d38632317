import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Placement makes a line table (or a JSON walker) per document and drops it. Without one kept
// alive (keepShape), the hidden class of those objects died at full garbage collections and V8
// threw away every placement function compiled for it ("reason: weak objects"), to compile them
// again later. This runs the built package in a Node.js process of its own, with V8's tracing on.
const SCRIPT = `
import { parseManifestFile } from '@shipshape/manifests';
const yaml = 'apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: web\\n  labels:\\n    app: web\\nspec:\\n  template:\\n    spec:\\n      containers:\\n        - name: app\\n          image: nginx\\n          ports:\\n            - containerPort: 80\\n';
const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } }, null, 2);
const asked = [
  { pointer: '/spec/template/spec/containers/0/image', key: false },
  { pointer: '/spec/template/spec/containers/0/securityContext', key: false },
  { pointer: '/metadata/labels', key: true },
];
const jsonAsked = [{ pointer: '/spec/containers/0/image', key: false }, { pointer: '/metadata/labels', key: false }];
const encoder = new TextEncoder();
let placed = 0;
for (let round = 0; round < 6; round++) {
  for (let i = 0; i < 4000; i++) {
    const a = parseManifestFile({ path: 'a.yaml', content: encoder.encode(yaml) }).locator;
    const b = parseManifestFile({ path: 'b.json', content: encoder.encode(json) }).locator;
    placed += a.locateAll(0, asked).filter(Boolean).length + b.locateAll(0, jsonAsked).filter(Boolean).length;
  }
  globalThis.gc();
  globalThis.gc();
}
console.log('placed ' + placed);
`;

/** Functions that placement runs for every document. */
const PLACEMENT = ['measureLines', 'readBlock', 'visit', 'indent', 'next', 'locateAll', 'read', 'value'];

describe('keepShape (hidden classes that outlive full garbage collections)', () => {
  it('keeps the placement code compiled across full garbage collections', () => {
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--trace-opt', '--trace-deopt', '--input-type=module', '-e', SCRIPT],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`placed ${6 * 4000 * 5}`);
    const lines = run.stdout.split('\n');
    const named = (line: string, name: string) =>
      line.includes(`<JSFunction ${name} `) || line.includes(`<SharedFunctionInfo ${name}>`);
    // The test means something only if the placement code was optimized in the first place.
    const optimized = PLACEMENT.filter((name) =>
      lines.some((line) => line.startsWith('[completed optimizing') && named(line, name)),
    );
    expect(optimized.length).toBeGreaterThanOrEqual(4);
    const thrownAway = lines.filter(
      (line) => line.includes('reason: weak objects') && PLACEMENT.some((name) => named(line, name)),
    );
    expect(thrownAway).toEqual([]);
  });
});
