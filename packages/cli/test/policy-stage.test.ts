import { check } from 'shipshape';
import { describe, expect, it } from 'vitest';
import { run, tempTree } from './helpers.js';

// A custom rule module, as a user writes it: plain JavaScript, a `rules` export.
const rulesModule = `
export const rules = [
  {
    id: 'acme/owner-label',
    category: 'hygiene',
    severity: 'warning',
    docs: { summary: 'Workloads carry an owner label.', details: 'Teams are paged by owner.', examples: [] },
    check(resource, context) {
      if (resource.id.kind !== 'Deployment') return;
      const labels = resource.object.metadata?.labels ?? {};
      if (!('owner' in labels)) context.report({ path: '/metadata', message: 'Deployment has no owner label', atKey: true });
    },
  },
];
`;

const deployment = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop${extra}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: "nginx:1.27"}]
`;

const codes = (r: Awaited<ReturnType<typeof check>>) =>
  r.diagnostics.map((d) => [d.span?.path ?? null, d.code, d.severity, d.suppressed?.by ?? null]);

describe('policies in check', () => {
  it('runs custom rules from a module given with --policy, with positions', async () => {
    const dir = tempTree({ 'rules.mjs': rulesModule, 'apps/web.yaml': deployment('web') });
    const r = await check({ cwd: dir, paths: ['apps'], config: false, policies: ['./rules.mjs'] });
    expect(codes(r)).toEqual([['apps/web.yaml', 'acme/owner-label', 'warning', null]]);
    expect(r.diagnostics[0]?.span?.start).toMatchObject({ line: 3, column: 1 });
    // The rule's docs become its SARIF metadata.
    expect(r.rules.find((x) => x.code === 'acme/owner-label')).toMatchObject({
      title: 'Workloads carry an owner label.',
      help: 'Teams are paged by owner.',
      defaultSeverity: 'warning',
    });
    const out = await run(['check', 'apps', '--policy', 'rules.mjs', '--format', 'sarif'], { cwd: dir });
    const sarif = JSON.parse(out.stdout) as {
      runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } } }[];
    };
    expect(sarif.runs[0]?.tool.driver.rules.map((x) => [x.id, x.shortDescription.text])).toEqual([
      ['acme/owner-label', 'Workloads carry an owner label.'],
    ]);
    expect(out.code).toBe(0);
  });

  it('reads policies from the config, relative to it, and rule severities and options from it', async () => {
    const dir = tempTree({
      'policy/rules.mjs': rulesModule,
      'shipshape.yaml': 'policies: [policy/rules.mjs]\nseverity: {acme/owner-label: error}\n',
      'apps/web.yaml': deployment('web'),
    });
    const r = await check({ cwd: dir, paths: ['apps'] });
    expect(codes(r)).toEqual([['apps/web.yaml', 'acme/owner-label', 'error', null]]);
    const off = tempTree({
      'rules.mjs': rulesModule,
      'shipshape.yaml': 'policies: [rules.mjs]\nseverity: {acme/*: off}\n',
      'web.yaml': deployment('web'),
    });
    expect((await check({ cwd: off })).diagnostics).toEqual([]);
  });

  it('keeps findings excepted in the config as suppressed, and reports exceptions that match nothing', async () => {
    const dir = tempTree({
      'rules.mjs': rulesModule,
      'shipshape.yaml': `policies: [rules.mjs]
exceptions:
  - rules: [acme/*]
    namespaces: [shop]
    kinds: [Deployment]
    names: [legacy-*]
    reason: legacy apps are owned by the platform team
  - codes: [pss/privileged]
    reason: nothing is privileged any more
`,
      'apps/legacy-web.yaml': deployment('legacy-web'),
      'apps/web.yaml': deployment('web'),
    });
    const r = await check({ cwd: dir });
    expect(codes(r)).toEqual([
      ['apps/legacy-web.yaml', 'acme/owner-label', 'warning', 'config'],
      ['apps/web.yaml', 'acme/owner-label', 'warning', null],
      ['shipshape.yaml', 'config/unused-exception', 'warning', null],
    ]);
    expect(r.diagnostics[2]?.message).toBe(
      'exception 2 in shipshape.yaml ("nothing is privileged any more") matches no finding; remove it or fix its selectors',
    );
    expect(r.diagnostics[2]?.span?.start.line).toBe(8);
    expect(r.summary).toMatchObject({ errors: 0, warnings: 2 });
    const json = await run(['check', '--format', 'json'], { cwd: dir });
    const parsed = JSON.parse(json.stdout) as { diagnostics: { code: string; suppressed?: unknown }[] };
    expect(parsed.diagnostics[0]).toMatchObject({
      code: 'acme/owner-label',
      suppressed: { by: 'config', reason: 'legacy apps are owned by the platform team' },
    });
  });

  it('honours exception annotations unless the config turns them off', async () => {
    const annotated = deployment(
      'web',
      '\n  annotations:\n    shipshape.dev/exceptions: "acme/owner-label: owned by the platform, see OWNERS"',
    );
    const dir = tempTree({ 'rules.mjs': rulesModule, 'web.yaml': annotated });
    const r = await check({ cwd: dir, config: false, policies: ['./rules.mjs'] });
    expect(codes(r)).toEqual([['web.yaml', 'acme/owner-label', 'warning', 'annotation']]);
    expect(r.failed('warning')).toBe(false);
    const strict = await check({
      cwd: dir,
      config: { annotationExceptions: false },
      policies: ['./rules.mjs'],
    });
    expect(codes(strict)).toEqual([['web.yaml', 'acme/owner-label', 'warning', null]]);
  });

  it('rejects an unknown pack or file, and a module without rules, with exit code 2', async () => {
    const dir = tempTree({ 'empty.mjs': 'export const x = 1;\n', 'web.yaml': deployment('web') });
    const unknown = await run(['check', '--policy', 'pss-strict'], { cwd: dir });
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([
      2,
      'shipshape: --policy pss-strict: no built-in pack or file by that name (packs: pss-baseline, pss-restricted, best-practices)',
    ]);
    const empty = await run(['check', '--policy', 'empty.mjs'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--policy empty.mjs: exports no rules');
    expect(empty.stderr).not.toContain('    at ');
  });

  it("checks rule options in the config against the rule's option schemas", async () => {
    const optionRules = `export const rules = [{
  id: 'acme/replicas', category: 'reliability', severity: 'warning',
  options: { minimum: { description: 'fewest replicas', schema: { type: 'integer', minimum: 1 }, default: 2 } },
  docs: { summary: 'Enough replicas.', details: '…', examples: [] },
  check(resource, context) {
    const n = resource.object.spec?.replicas ?? 1;
    if (resource.id.kind === 'Deployment' && n < context.options.minimum) context.report({ path: '/spec/replicas', message: 'too few replicas: ' + n + ' < ' + context.options.minimum });
  },
}];
`;
    const files = {
      'rules.mjs': optionRules,
      'web.yaml': deployment('web').replace('spec:\n', 'spec:\n  replicas: 2\n'),
    };
    const ok = await check({
      cwd: tempTree({
        ...files,
        'shipshape.yaml': 'policies: [rules.mjs]\nrules: {acme/replicas: {minimum: 3}}\n',
      }),
    });
    expect(ok.diagnostics.map((d) => d.message)).toEqual(['too few replicas: 2 < 3']);
    const typo = await run(['check'], {
      cwd: tempTree({
        ...files,
        'shipshape.yaml': 'policies: [rules.mjs]\nrules: {acme/replicas: {minimun: 3}}\n',
      }),
    });
    expect([typo.code, typo.stderr.trim()]).toEqual([
      2,
      'shipshape: rules.acme/replicas.minimun: acme/replicas has no option minimun (options: minimum)',
    ]);
    const bad = await run(['check'], {
      cwd: tempTree({
        ...files,
        'shipshape.yaml': 'policies: [rules.mjs]\nrules: {acme/replicas: {minimum: 0}}\n',
      }),
    });
    expect([bad.code, bad.stderr.trim()]).toEqual([
      2,
      'shipshape: rules.acme/replicas.minimum: the value must be >= 1',
    ]);
  });

  it('runs the Pod Security Standards of the requested version, any 1.x, with SARIF metadata from the rule docs', async () => {
    // A probe with a host: forbidden from policy version v1.34 on (hostProbesAndHostLifecycle).
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: probe, namespace: shop}
spec:
  containers:
    - name: app
      image: nginx:1.27
      livenessProbe:
        httpGet: {host: 10.0.0.1, port: 8080, path: /healthz}
`;
    const dir = tempTree({ 'pod.yaml': pod });
    const pss = (r: Awaited<ReturnType<typeof check>>) =>
      r.diagnostics
        .filter((d) => d.code === 'pss/hostProbesAndHostLifecycle')
        .map((d) => [d.path, d.span?.start.line]);
    const v133 = await check({
      cwd: dir,
      config: false,
      policies: ['pss-baseline'],
      kubernetesVersion: '1.33',
    });
    expect(pss(v133)).toEqual([]);
    // 1.34 is not a bundled schema version (schemas fall back to 1.33), but PSS runs v1.34.
    const v134 = await check({
      cwd: dir,
      config: false,
      policies: ['pss-baseline'],
      kubernetesVersion: '1.34',
    });
    expect(pss(v134)).toEqual([['/spec/containers/0/livenessProbe/httpGet/host', 9]]);
    expect(v134.diagnostics.some((d) => d.code === 'schema/version-fallback')).toBe(true);
    const out = await run(
      ['check', '--policy', 'pss-baseline', '--kubernetes-version', '1.34', '--format', 'sarif'],
      { cwd: dir },
    );
    const sarif = JSON.parse(out.stdout) as {
      runs: {
        tool: {
          driver: {
            rules: { id: string; shortDescription: { text: string }; fullDescription?: { text: string } }[];
          };
        };
      }[];
    };
    const rule = sarif.runs[0]?.tool.driver.rules.find((r) => r.id === 'pss/hostProbesAndHostLifecycle');
    expect(rule?.shortDescription.text.length).toBeGreaterThan(10);
    expect(rule?.fullDescription?.text.length).toBeGreaterThan(40);
    expect(out.code).toBe(1);
  });
});
