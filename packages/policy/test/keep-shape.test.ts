import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Findings live from a rule's report to the end of a check. When one was an object grown by
// Object.assign (atField did that), its hidden class died with the findings at a full garbage
// collection, and V8 threw away the engine's code compiled for it ("reason: weak objects"), to
// compile it again in the next check. This runs the built package in a Node.js process of its own,
// with V8's tracing on: one engine, checks of fresh objects, two full collections between checks.
const SCRIPT = `
import { createPolicyEngine, packRules } from '@shipshape/policy';
const template = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { allowPrivilegeEscalation: true } }] },
    },
  },
});
const engine = createPolicyEngine({ rules: packRules(['best-practices'], '1.35'), kubernetesVersion: '1.35' });
let found = 0;
for (let round = 0; round < 6; round++) {
  for (let i = 0; i < 3000; i++) {
    const object = JSON.parse(template);
    object.metadata.name = 'web-' + i;
    const id = { apiVersion: 'apps/v1', group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web-' + i };
    found += engine.check({ id, object, source: { path: 'web-' + i + '.yaml', document: 0 } }).length;
  }
  found += engine.finish().length;
  globalThis.gc();
  globalThis.gc();
}
console.log('found ' + found);
`;

/** The engine's code that every finding goes through. */
const FINDING_PATH = ['report', 'hold', 'sound', 'findingProblem', 'toDiagnostic'];

describe('findings with hidden classes that outlive full garbage collections', () => {
  it("keeps the engine's finding code compiled from one check to the next", () => {
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--trace-opt', '--trace-deopt', '--input-type=module', '-e', SCRIPT],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(run.stderr).toBe('');
    const count = /found (\d+)/.exec(run.stdout);
    expect(Number(count?.[1])).toBeGreaterThan(6 * 3000 * 5);
    const lines = run.stdout.split('\n');
    const named = (line: string, name: string) =>
      line.includes(`<JSFunction ${name} `) || line.includes(`<SharedFunctionInfo ${name}>`);
    const optimized = FINDING_PATH.filter((name) =>
      lines.some((line) => line.startsWith('[completed optimizing') && named(line, name)),
    );
    expect(optimized.length).toBeGreaterThanOrEqual(3);
    const thrownAway = lines.filter(
      (line) => line.includes('reason: weak objects') && FINDING_PATH.some((name) => named(line, name)),
    );
    expect(thrownAway).toEqual([]);
  });

  it('keeps a rule that reads its options compiled from one engine to the next', () => {
    // A new engine per check, as a host that checks again and again makes them, dropped before the
    // collections: the rule's options object is made again each time. The rule reads nothing
    // else, so only its options' hidden class can throw it away.
    const script = `
import { createPolicyEngine } from '@shipshape/policy';
function readsOptions(resource, context) {
  const limit = context.options['limit'];
  const names = context.options['names'];
  if (typeof limit === 'number' && Array.isArray(names) && names.length > limit) context.report({ path: '', message: 'too many' });
}
const rule = {
  id: 'test/options',
  category: 'reliability',
  severity: 'warning',
  options: {
    limit: { description: 'at most', schema: { type: 'number' }, default: 5 },
    names: { description: 'names', schema: { type: 'array' }, default: ['a'] },
  },
  docs: { summary: 'reads its options' },
  check: readsOptions,
};
const resource = { id: { apiVersion: 'v1', group: '', kind: 'ConfigMap', namespace: 'a', name: 'b' }, object: {}, source: { path: 'a.yaml', document: 0 } };
let found = 0;
for (let round = 0; round < 8; round++) {
  let engine = createPolicyEngine({ rules: [rule], kubernetesVersion: '1.35' });
  for (let i = 0; i < 20000; i++) found += engine.check(resource).length;
  engine = undefined;
  globalThis.gc();
  globalThis.gc();
  globalThis.gc();
}
console.log('found ' + found);
`;
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', '--trace-opt', '--trace-deopt', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('found 0');
    const lines = run.stdout.split('\n');
    expect(
      lines.some(
        (line) => line.startsWith('[completed optimizing') && line.includes('<JSFunction readsOptions '),
      ),
    ).toBe(true);
    const thrownAway = lines.filter(
      (line) => line.includes('reason: weak objects') && line.includes('<SharedFunctionInfo readsOptions>'),
    );
    expect(thrownAway).toEqual([]);
  });
});
