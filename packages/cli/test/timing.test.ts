import { packRules } from '@shipshape/policy';
import { check } from 'shipshape';
import { describe, expect, it } from 'vitest';
import { namespace, run, tempTree } from './helpers.js';

// Written as JSON (which is YAML too): one Deployment whose image is unpinned.
const DEPLOYMENT = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'web' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:latest' }] },
    },
  },
});

const SERVICE = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: web
spec:
  selector:
    app: web
  ports:
    - port: 80
`;

const tree = () =>
  tempTree({
    'ns.yaml': namespace('web'),
    'web/deployment.yaml': DEPLOYMENT,
    'web/service.yaml': `${SERVICE('web')}---\n${SERVICE('web-alias')}`,
  });

describe('check({ timing: true })', () => {
  it('times the stages and every rule of the run, over the resources of its kinds', async () => {
    const cwd = tree();
    const timed = await check({
      cwd,
      paths: ['.'],
      config: false,
      policies: ['best-practices'],
      timing: true,
    });
    const timings = timed.timings;
    expect(timings).toBeDefined();
    if (!timings) return;
    // Stages are parts of the whole, and placing is part of the policies.
    expect(timings.schemas).toBeGreaterThan(0);
    expect(timings.policies).toBeGreaterThan(0);
    expect(timings.total).toBeGreaterThanOrEqual(timings.schemas + timings.policies);
    expect(timings.placing).toBeGreaterThan(0); // bp findings on the Deployment were placed
    expect(timings.placing).toBeLessThanOrEqual(timings.policies);
    // One entry per rule of the run, in its order: the pack's, then the admission-policy rule.
    expect(timings.rules.map((t) => t.rule)).toEqual([
      ...packRules(['best-practices'], '1.35').map((r) => r.id),
      'vap',
    ]);
    const calls = (id: string) => timings.rules.find((t) => t.rule === id)?.calls;
    expect(calls('bp/service-type')).toBe(2); // two Services
    expect(calls('bp/image-tag')).toBe(1); // one Deployment
    expect(calls('bp/namespace')).toBe(4); // every namespaced kind and the Namespace
    for (const t of timings.rules) {
      expect(t.check).toBeGreaterThanOrEqual(0);
      expect(t.finish).toBeGreaterThanOrEqual(0);
    }
    // The same findings as an untimed check.
    const plain = await check({ cwd, paths: ['.'], config: false, policies: ['best-practices'] });
    expect(plain.timings).toBeUndefined();
    expect(timed.diagnostics).toEqual(plain.diagnostics);
  });

  it('has no rules to time without policies', async () => {
    const timed = await check({
      cwd: tree(),
      paths: ['.'],
      config: false,
      admissionPolicies: false,
      timing: true,
    });
    expect(timed.timings?.rules).toEqual([]);
    expect(timed.timings?.policies).toBeGreaterThanOrEqual(0);
    expect(timed.timings?.placing).toBe(0);
  });
});

describe('shipshape check --timing', () => {
  it('prints where the time went on standard error, slowest rule first, and leaves the report alone', async () => {
    const cwd = tree();
    const args = ['check', '.', '--policy', 'best-practices', '--format', 'json'];
    const plain = await run(args, { cwd });
    const timed = await run([...args, '--timing'], { cwd });
    expect(timed.code).toBe(plain.code);
    expect(JSON.parse(timed.stdout)).toEqual(JSON.parse(plain.stdout));
    expect(plain.stderr).toBe('');
    const lines = timed.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 5).map((l) => l.replace(/[\d,.]+$/, '').trim())).toEqual([
      'Timing (milliseconds)',
      'whole check',
      'schema validation',
      'policies',
      'placing findings',
    ]);
    expect(lines[6]).toMatch(/^ {2}Rule +Time +Share +Calls$/);
    const rows = lines.slice(7, 17);
    expect(rows).toHaveLength(10);
    const parsed = rows.map((row) => /^ {2}(\S+) +([\d,.]+) +([\d.]+%|-) +([\d,]+)$/.exec(row));
    expect(parsed.every((m) => m !== null)).toBe(true);
    const times = parsed.map((m) => Number(m?.[2]?.replaceAll(',', '')));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(parsed.every((m) => /^(bp|vap)(\/|$)/.test(m?.[1] ?? ''))).toBe(true);
    expect(lines[17]).toMatch(/^ {2}… \d+ more rules/);
  });

  it('is refused by the commands that do not time themselves', async () => {
    const cwd = tree();
    const out = await run(['render', '.', '--timing'], { cwd });
    expect([out.code, out.stderr.split('\n')[0]]).toEqual([2, 'shipshape: render does not take --timing']);
  });
});
