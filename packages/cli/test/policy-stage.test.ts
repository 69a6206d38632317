import * as fs from 'node:fs';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { check } from 'shipshape';
import { describe, expect, it } from 'vitest';
import { commitAll, initRepo, run, tempTree } from './helpers.js';

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

  it('calls an exception unused only when the run could see what it matches, and follows its severity', async () => {
    const dir = tempTree({
      'rules.mjs': rulesModule,
      'shipshape.yaml': `policies: [rules.mjs]
exceptions:
  - rules: [acme/owner-label]
    reason: owners are set by the platform
  - names: [legacy-*]
    reason: legacy apps are the platform's
  - files: ['old/**']
    reason: old apps are frozen
`,
      'apps/legacy-web.yaml': deployment('legacy-web'),
      'old/web.yaml': deployment('web'),
    });
    // Both entries that match legacy-web are used; the third matches old/web.yaml.
    const whole = await check({ cwd: dir });
    expect(codes(whole)).toEqual([
      ['apps/legacy-web.yaml', 'acme/owner-label', 'warning', 'config'],
      ['old/web.yaml', 'acme/owner-label', 'warning', 'config'],
    ]);
    // A check of apps/ alone cannot see old/: nothing is called unused, from the root or below it.
    expect(codes(await check({ cwd: dir, paths: ['apps'] }))).toEqual([
      ['apps/legacy-web.yaml', 'acme/owner-label', 'warning', 'config'],
    ]);
    expect(codes(await check({ cwd: join(dir, 'apps'), paths: ['.'], config: '../shipshape.yaml' }))).toEqual(
      [['legacy-web.yaml', 'acme/owner-label', 'warning', 'config']],
    );
    // The note follows the config's severity settings.
    writeFileSync(join(dir, 'old/web.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: old}\n');
    const raised = readFileSync(join(dir, 'shipshape.yaml'), 'utf8');
    writeFileSync(join(dir, 'shipshape.yaml'), `${raised}severity: {config/unused-exception: error}\n`);
    expect(codes(await check({ cwd: dir })).at(-1)).toEqual([
      'shipshape.yaml',
      'config/unused-exception',
      'error',
      null,
    ]);
    writeFileSync(join(dir, 'shipshape.yaml'), `${raised}severity: {config/unused-exception: "off"}\n`);
    expect(codes(await check({ cwd: dir })).map((c) => c[1])).toEqual(['acme/owner-label']);
  });

  it('lets an exception lapse after its expires day, and says so', async () => {
    const dir = tempTree({
      'rules.mjs': rulesModule,
      'shipshape.yaml': `policies: [rules.mjs]
exceptions:
  - names: [legacy-*]
    reason: legacy apps move to the new chart this quarter
    expires: 2026-11-30
  - names: [web]
    reason: web gets its owner with the next release
    expires: '2026-12-31'
`,
      'apps/legacy-web.yaml': deployment('legacy-web'),
      'apps/web.yaml': deployment('web'),
    });
    // Through the last day (UTC) both apply.
    const lastDay = await check({ cwd: dir, now: new Date('2026-11-30T23:59:59Z') });
    expect(codes(lastDay)).toEqual([
      ['apps/legacy-web.yaml', 'acme/owner-label', 'warning', 'config'],
      ['apps/web.yaml', 'acme/owner-label', 'warning', 'config'],
    ]);
    // The next day the first one's finding is back, and the exception is reported where its date is.
    const after = await check({ cwd: dir, now: new Date('2026-12-01T00:00:00Z') });
    expect(codes(after)).toEqual([
      ['apps/legacy-web.yaml', 'acme/owner-label', 'warning', null],
      ['apps/web.yaml', 'acme/owner-label', 'warning', 'config'],
      ['shipshape.yaml', 'config/expired-exception', 'warning', null],
    ]);
    const note = after.diagnostics[2];
    expect(note?.message).toBe(
      'exception 1 in shipshape.yaml ("legacy apps move to the new chart this quarter") expired after 2026-11-30: the findings it accepted are reported again; renew it with a later day or remove it',
    );
    expect([note?.span?.start.line, note?.span?.start.column]).toEqual([5, 14]);
    expect(after.summary).toMatchObject({ warnings: 2 });
    // An expired exception is not also called unused, even when it would match nothing.
    const later = await check({ cwd: dir, paths: ['.'], now: new Date('2027-01-01T00:00:00Z') });
    expect(codes(later).map((c) => c[1])).toEqual([
      'acme/owner-label',
      'acme/owner-label',
      'config/expired-exception',
      'config/expired-exception',
    ]);
    // Its severity is the config's to set; "off" silences the note, not the lapse.
    const raised = readFileSync(join(dir, 'shipshape.yaml'), 'utf8');
    writeFileSync(join(dir, 'shipshape.yaml'), `${raised}severity: {config/expired-exception: "off"}\n`);
    const quiet = await check({ cwd: dir, now: new Date('2027-01-01T00:00:00Z') });
    expect(codes(quiet)).toEqual([
      ['apps/legacy-web.yaml', 'acme/owner-label', 'warning', null],
      ['apps/web.yaml', 'acme/owner-label', 'warning', null],
    ]);
    // A config given as an object lapses the same way; its note has no file to point at.
    const object = await check({
      cwd: dir,
      config: {
        policies: [join(dir, 'rules.mjs')],
        exceptions: [{ names: ['web'], reason: 'until the release', expires: '2026-01-31' }],
      },
      now: new Date('2026-02-01T00:00:00Z'),
    });
    expect(object.diagnostics.map((d) => [d.code, d.span?.path ?? null, d.suppressed?.by ?? null])).toEqual([
      ['config/expired-exception', null, null],
      ['acme/owner-label', 'apps/legacy-web.yaml', null],
      ['acme/owner-label', 'apps/web.yaml', null],
    ]);
  });

  it('refuses an expires that is not a day', async () => {
    for (const [written, why] of [
      [
        '2026-02-30',
        /\/exceptions\/0\/expires must be a day such as 2026-12-31 \(2026-02-30 is not a day of the calendar\)/,
      ],
      ['next week', /\/exceptions\/0\/expires must be a day such as 2026-12-31/],
      ['2026-12-31T12:00:00Z', /\/exceptions\/0\/expires must be a day such as 2026-12-31/],
    ] as const) {
      const dir = tempTree({
        'rules.mjs': rulesModule,
        'shipshape.yaml': `policies: [rules.mjs]\nexceptions:\n  - names: [web]\n    reason: for now\n    expires: ${written}\n`,
        'web.yaml': deployment('web'),
      });
      await expect(check({ cwd: dir })).rejects.toThrow(why);
      const out = await run(['check'], { cwd: dir });
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(why);
    }
  });

  it('calls no exception unused from a subfolder checked without PATH', async () => {
    const dir = await initRepo({
      'rules.mjs': rulesModule,
      'shipshape.yaml': `policies: [rules.mjs]
exceptions:
  - files: ['other/**']
    reason: other apps are frozen
`,
      'apps/web.yaml': deployment('web'),
      'other/web.yaml': deployment('other'),
    });
    expect(codes(await check({ cwd: join(dir, 'apps') }))).toEqual([
      ['web.yaml', 'acme/owner-label', 'warning', null],
    ]);
    // From the root, the entry is used.
    expect(codes(await check({ cwd: dir })).map((c) => c[3])).toEqual([null, 'config']);
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
      'shipshape: --policy pss-strict: no built-in pack or file by that name (packs: pss-baseline, pss-restricted, pss-namespaces, best-practices)',
    ]);
    const both = await run(['check', '--policy', 'pss-namespaces', '--policy', 'pss-restricted'], {
      cwd: dir,
    });
    expect([both.code, both.stderr.split('\n')[0]]).toEqual([
      2,
      "shipshape: --policy: pss-namespaces cannot run with pss-restricted: pss-namespaces judges each pod at the level its namespace's pod-security.kubernetes.io labels set, pss-restricted every pod at one level, with the same pss/<check> codes; choose one (for one level everywhere, label the namespaces or set the defaultEnforce option of pss/namespace-labels)",
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
      'shipshape: shipshape.yaml: rules.acme/replicas.minimun: acme/replicas has no option minimun (options: minimum)',
    ]);
    const bad = await run(['check'], {
      cwd: tempTree({
        ...files,
        'shipshape.yaml': 'policies: [rules.mjs]\nrules: {acme/replicas: {minimum: 0}}\n',
      }),
    });
    expect([bad.code, bad.stderr.trim()]).toEqual([
      2,
      'shipshape: shipshape.yaml: rules.acme/replicas.minimum: the value must be >= 1',
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
            rules: {
              id: string;
              shortDescription: { text: string };
              fullDescription?: { text: string };
              helpUri?: string;
            }[];
          };
        };
      }[];
    };
    const rule = sarif.runs[0]?.tool.driver.rules.find((r) => r.id === 'pss/hostProbesAndHostLifecycle');
    expect(rule?.shortDescription.text.length).toBeGreaterThan(10);
    expect(rule?.fullDescription?.text.length).toBeGreaterThan(40);
    expect(rule?.helpUri).toBe('https://kubernetes.io/docs/concepts/security/pod-security-standards/');
    expect(out.code).toBe(1);
  });
});

// A replica limit as a ValidatingAdmissionPolicy and its binding, for files given with --policy.
const replicaLimitOnCreate = (extraValidation = '') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-limit
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE]
        resources: [deployments]
  validations:
    - expression: object.spec.replicas <= 3
      message: a Deployment runs at most 3 replicas${extraValidation}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replica-limit
spec:
  policyName: replica-limit
  validationActions: [Deny]
`;

const replicaLimit = replicaLimitOnCreate;
const fiveReplicas = (extra = '') => deployment('web', extra).replace('spec:\n', 'spec:\n  replicas: 5\n');

const placed = (r: Awaited<ReturnType<typeof check>>) =>
  r.diagnostics.map((d) => [
    d.code,
    d.span?.path ?? null,
    d.span?.start.line ?? null,
    d.suppressed?.reason ?? null,
  ]);

describe('policy mistakes a user makes, and what they get', () => {
  it("type-checks an admission policy's fields against the schemas of the kinds it meets", async () => {
    const typo = replicaLimit().replace('object.spec.replicas <= 3', 'object.spec.replicass <= 3 || true');
    const dir = tempTree({ 'policy.yaml': typo, 'web.yaml': fiveReplicas() });
    const r = await check({ cwd: dir, config: false });
    expect(r.diagnostics.map((d) => [d.code, d.span?.path, d.span?.start.line, d.message])).toEqual([
      [
        'vap/type-warning',
        'policy.yaml',
        14,
        "object.spec has no field 'replicass' in the schema of apps/v1 Deployment: the API server's type check warns about this expression in the policy's status",
      ],
    ]);
    // Without schema validation the schemas are not loaded, and fields are judged when they run.
    expect((await check({ cwd: dir, config: false, validate: false })).diagnostics).toEqual([]);
  });

  it("warns where the Kubernetes documentation's type-checking example warns", async () => {
    // kubernetes.io, "Validating Admission Policy", Type checking: `object.replicas` should be
    // `object.spec.replicas`; the API server writes "undefined field 'replicas'" in the status.
    const example = replicaLimit().replace('object.spec.replicas <= 3', 'object.replicas > 1');
    const dir = tempTree({ 'policy.yaml': example, 'web.yaml': fiveReplicas() });
    const warnings = (await check({ cwd: dir, config: false })).diagnostics.filter(
      (d) => d.code === 'vap/type-warning',
    );
    expect(warnings.map((d) => [d.path, d.message.split(' in the schema')[0]])).toEqual([
      ['/spec/validations/0/expression', "object has no field 'replicas'"],
    ]);
  });

  it("types params by the paramKind's bundled schema: a ConfigMap's values are under data", async () => {
    const withParams = (expression: string) =>
      replicaLimit()
        .replace(
          '  failurePolicy: Fail\n',
          '  failurePolicy: Fail\n  paramKind: {apiVersion: v1, kind: ConfigMap}\n',
        )
        .replace('object.spec.replicas <= 3', expression)
        .replace(
          '  validationActions: [Deny]\n',
          '  validationActions: [Deny]\n  paramRef: {name: limits, namespace: shop}\n',
        );
    const limits =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits, namespace: shop}\ndata: {maxReplicas: "3"}\n';
    const warnings = async (expression: string) => {
      const dir = tempTree({
        'policy.yaml': withParams(expression),
        'limits.yaml': limits,
        'web.yaml': fiveReplicas(),
      });
      const r = await check({ cwd: dir, config: false });
      return r.diagnostics
        .filter((d) => d.code === 'vap/type-warning')
        .map((d) => d.message.split(": the API server's")[0]);
    };
    expect(await warnings('object.spec.replicas <= params.spec.maxReplicas')).toEqual([
      "params has no field 'spec' in the schema of v1 ConfigMap, the policy's paramKind",
    ]);
    expect(await warnings('object.spec.replicas <= int(params.data.maxReplicas)')).toEqual([]);
    // The data's values are strings: comparing one with an int does not type-check.
    expect(await warnings('object.spec.replicas <= params.data.maxReplicas')).toEqual([
      "found no matching overload for '_<=_' applied to '(int, string)' (at character 1), with object typed as apps/v1 Deployment and params as v1 ConfigMap",
    ]);
  });

  it('finds the repository config from a subfolder, up to the Git root', async () => {
    const dir = await initRepo({
      'shipshape.yaml': 'policies: [pss-baseline]\n',
      'apps/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  hostNetwork: true\n  containers: [{name: app, image: "nginx:1.27"}]\n',
    });
    const fromSub = await check({ cwd: `${dir}/apps`, paths: ['.'] });
    expect(fromSub.configPath).toBe(`${dir}/shipshape.yaml`);
    expect(fromSub.diagnostics.map((d) => d.code)).toEqual(['pss/hostNamespaces']);
    // Outside a Git work tree the search stops at cwd: a config above it does not apply.
    const loose = tempTree({
      'shipshape.yaml': 'policies: [pss-baseline]\n',
      'apps/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  hostNetwork: true\n  containers: [{name: app, image: "nginx:1.27"}]\n',
    });
    const below = await check({ cwd: `${loose}/apps`, paths: ['.'] });
    expect([below.configPath, below.diagnostics]).toEqual([undefined, []]);
  });

  it('with --ref, reads the config committed at the ref, and names a folder missing there', async () => {
    const privileged =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: app, image: "nginx:1.27", securityContext: {privileged: true}}]\n';
    const dir = await initRepo({
      'shipshape.yaml': 'policies: [pss-baseline]\n',
      'apps/pod.yaml': privileged,
    });
    await commitAll(dir, 'the gate');
    // The working folder's config says something else: the ref's is the one in force.
    writeConfig(dir, 'version: 1\n');
    const atRef = await check({ cwd: dir, paths: ['apps'], ref: 'HEAD' });
    expect(atRef.diagnostics.map((d) => [d.code, d.span?.path])).toEqual([
      ['pss/privileged', 'apps/pod.yaml'],
    ]);
    expect(atRef.configPath).toBe(join(dir, 'shipshape.yaml'));
    const missing = await run(['check', 'clusters', '--ref', 'HEAD'], { cwd: dir });
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([
      2,
      `shipshape: clusters does not exist at HEAD in ${dir}`,
    ]);
  });

  it('matches files globs of the config from its own folder, wherever the check runs from', async () => {
    const privileged =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: app, image: "nginx:1.27", securityContext: {privileged: true}}]\n';
    const dir = await initRepo({
      'shipshape.yaml':
        'policies: [pss-baseline]\nexceptions:\n  - rules: [pss/privileged]\n    files: ["apps/**"]\n    reason: the CNI agent\n',
      'apps/pod.yaml': privileged,
    });
    for (const [cwd, paths] of [
      [dir, ['apps']],
      [join(dir, 'apps'), ['.']],
      [join(dir, 'apps'), [join(dir, 'apps')]],
    ] as const) {
      const r = await check({ cwd, paths: [...paths], validate: false });
      expect(r.diagnostics.map((d) => [d.code, d.suppressed?.reason])).toEqual([
        ['pss/privileged', 'the CNI agent'],
      ]);
    }
  });

  it('reads a --policy folder as the tree is read: kustomizations and their patches are not manifests', async () => {
    const dir = tempTree({
      'apps/web.yaml': fiveReplicas(),
      'policy/vap.yaml': replicaLimit(),
      'policy/kustomization.yaml': 'resources: [vap.yaml]\npatches:\n  - path: bump.yaml\n',
      'policy/bump.yaml': '- op: replace\n  path: /spec/validations/0/expression\n  value: "true"\n',
    });
    const r = await check({ cwd: dir, paths: ['apps'], config: false, policies: ['policy'] });
    expect(placed(r)).toEqual([['vap/replica-limit', 'apps/web.yaml', 7, null]]);
  });

  it('with --changed-since, still reports problems in the policy files given to the run', async () => {
    const dir = await initRepo({ 'apps/web.yaml': deployment('web'), 'README.md': 'apps\n' });
    await commitAll(dir, 'first');
    writeFileSync(join(dir, 'README.md'), 'apps, changed\n');
    await commitAll(dir, 'second');
    writeFileSync(join(dir, 'vap.yaml'), replicaLimit('\n    - expression: object.spec.replicas <=='));
    const r = await check({
      cwd: dir,
      paths: ['apps'],
      changedSince: 'HEAD~1',
      config: false,
      policies: ['vap.yaml'],
    });
    expect(placed(r)).toEqual([['vap/invalid-policy', 'vap.yaml', 16, null]]);
  });

  it('with --changed-since, reports what a change causes in files it did not touch, and only that', async () => {
    const threeReplicas = fiveReplicas().replace('replicas: 5', 'replicas: 3');
    // On updates too: a changed Deployment is admitted as an UPDATE.
    const replicaLimit = (...args: Parameters<typeof replicaLimitOnCreate>) =>
      replicaLimitOnCreate(...args).replace('operations: [CREATE]', 'operations: [CREATE, UPDATE]');
    const dir = await initRepo({
      'apps/web.yaml': fiveReplicas(),
      'apps/api.yaml': threeReplicas.replaceAll('web', 'api'),
      'policy/vap.yaml': replicaLimit().replace('<= 3', '<= 4'),
    });
    await commitAll(dir, 'first');
    const since = (extra: Partial<Parameters<typeof check>[0]> = {}) =>
      check({ cwd: dir, paths: ['.'], changedSince: 'HEAD', config: false, validate: false, ...extra });
    // Nothing changed: the finding already there is not the change's.
    expect(placed(await since())).toEqual([]);
    // Lowering the limit in the policy fails a Deployment in a file the change did not touch; the
    // one that failed before still does not show.
    writeFileSync(join(dir, 'policy/vap.yaml'), replicaLimit().replace('<= 3', '<= 2'));
    expect(placed(await since())).toEqual([['vap/replica-limit', 'apps/api.yaml', 7, null]]);
    // The same between two commits, and with the findings the base had in changed files kept.
    await commitAll(dir, 'lower the limit');
    writeFileSync(join(dir, 'apps/web.yaml'), fiveReplicas('\n  labels: {team: shop}'));
    await commitAll(dir, 'label web');
    expect(placed(await since({ ref: 'HEAD', changedSince: 'HEAD~2' }))).toEqual([
      ['vap/replica-limit', 'apps/api.yaml', 7, null],
      ['vap/replica-limit', 'apps/web.yaml', 8, null],
    ]);
    // A PATH the change adds is left out of the base check; the others are still compared.
    writeFileSync(join(dir, 'policy/vap.yaml'), replicaLimit().replace('<= 3', '<= 1'));
    mkdirSync(join(dir, 'new'));
    writeFileSync(join(dir, 'new/svc.yaml'), fiveReplicas().replaceAll('web', 'fresh'));
    const added = await since({ ref: undefined, changedSince: 'HEAD', paths: ['apps', 'policy', 'new'] });
    // Both Deployments in apps/ failed before too: only the added file's finding is the change's.
    expect(added.diagnostics.map((d) => [d.code, d.span?.path ?? null])).toEqual([
      ['vap/replica-limit', 'new/svc.yaml'],
    ]);
    rmSync(join(dir, 'new'), { recursive: true });
    await commitAll(dir, 'limit one');
    // A base whose config cannot be read is said to be unchecked; changed files are still shown.
    writeFileSync(join(dir, 'shipshape.yaml'), 'kubernetesVersion: 2.0\n');
    await commitAll(dir, 'broken config');
    writeFileSync(join(dir, 'shipshape.yaml'), 'policies: []\n');
    writeFileSync(join(dir, 'policy/vap.yaml'), replicaLimit().replace('<= 3', '<= 1'));
    const broken = await check({ cwd: dir, paths: ['.'], changedSince: 'HEAD', validate: false });
    expect(broken.diagnostics.map((d) => [d.code, d.span?.path ?? null])).toEqual([
      ['check/base-unchecked', null],
    ]);
    expect(broken.diagnostics[0]?.message).toMatch(
      /^cannot check HEAD to compare with it \(shipshape\.yaml at HEAD: invalid configuration/,
    );
  });

  it('with --changed-since, admits what the change removes as the DELETE a pruning sync sends', async () => {
    const protect = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: protect
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ['']
        apiVersions: [v1]
        operations: [DELETE]
        resources: [namespaces]
    objectSelector: {matchLabels: {protected: 'true'}}
  validations:
    - expression: 'false'
      messageExpression: "'namespace ' + oldObject.metadata.name + ' is protected'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: protect
spec:
  policyName: protect
  validationActions: [Deny]
`;
    const ns = (name: string, labels = '{}') =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${labels}\n`;
    const dir = await initRepo({
      'policy.yaml': protect,
      'namespaces.yaml': `${ns('shop')}---\n${ns('prod', "{protected: 'true'}")}`,
      'team.yaml': ns('team', "{protected: 'true'}"),
    });
    await commitAll(dir, 'first');
    // prod leaves a file that stays; team's file is removed; shop stays.
    writeFileSync(join(dir, 'namespaces.yaml'), ns('shop'));
    rmSync(join(dir, 'team.yaml'));
    const r = await check({ cwd: dir, paths: ['.'], changedSince: 'HEAD', config: false, validate: false });
    const admitted = r.diagnostics.filter((d) => d.code.startsWith('vap/'));
    expect(admitted.map((d) => [d.code, d.span?.path, d.span?.ref, d.span?.start.line, d.message])).toEqual([
      [
        'vap/protect',
        'namespaces.yaml',
        'HEAD',
        7,
        'namespace prod is protected (on the DELETE of Namespace prod, which the checked files no longer have)',
      ],
      [
        'vap/protect',
        'team.yaml',
        'HEAD',
        1,
        'namespace team is protected (on the DELETE of Namespace team, which the checked files no longer have)',
      ],
    ]);
    // Deleting a namespace deletes what is in it: each is also a check/destructive-prune warning.
    expect(
      r.diagnostics.filter((d) => d.code === 'check/destructive-prune').map((d) => d.resource?.name),
    ).toEqual(['prod', 'team']);
    expect(r.summary).toMatchObject({ files: 2, errors: 2, warnings: 2 });
    // A PATH given absolute shows the files it held absolute too, as the files read now.
    const absolute = await check({
      cwd: dir,
      paths: [dir],
      changedSince: 'HEAD',
      config: false,
      validate: false,
    });
    expect(absolute.diagnostics.filter((d) => d.code.startsWith('vap/')).map((d) => d.span?.path)).toEqual([
      `${dir}/namespaces.yaml`.split('\\').join('/'),
      `${dir}/team.yaml`.split('\\').join('/'),
    ]);
    // The frame shows the file as it was, not as it is.
    const out = await run(['check', '.', '--changed-since', 'HEAD'], { cwd: dir });
    expect(out.stdout).toContain('>  7 | apiVersion: v1');
    expect(out.stdout).toContain('  10 |   name: prod');
    expect(out.code).toBe(1);
    // Without --changed-since nothing is deleted.
    expect((await check({ cwd: dir, paths: ['.'], config: false, validate: false })).diagnostics).toEqual([]);
  });

  it('with --changed-since, warns of a prune that deletes more than the object: namespaces, CRDs, claims', async () => {
    const ns = (name: string, annotations = '{}') =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  annotations: ${annotations}\n`;
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
`;
    const claim = (namespace: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n${namespace}spec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n`;
    const dir = await initRepo({
      'namespaces.yaml': [
        ns('prod'),
        ns('kept', "{argocd.argoproj.io/sync-options: 'Prune=false'}"),
        ns('asked', "{argocd.argoproj.io/sync-options: 'ServerSideApply=true,Prune=confirm'}"),
        ns('flux', '{kustomize.toolkit.fluxcd.io/prune: disabled}'),
        ns('hook', '{helm.sh/hook: pre-install}'),
      ].join('---\n'),
      'crd.yaml': crd,
      'claim.yaml': claim(''),
      'moved.yaml': claim('  namespace: default\n').replace('name: data', 'name: moved'),
      'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n',
    });
    await commitAll(dir, 'first');
    for (const file of ['namespaces.yaml', 'crd.yaml', 'claim.yaml', 'config.yaml']) rmSync(join(dir, file));
    // A claim that moves to another file, written with the default namespace spelled out or not, is kept.
    writeFileSync(join(dir, 'moved.yaml'), claim('').replace('name: data', 'name: moved'));
    const r = await check({ cwd: dir, paths: ['.'], changedSince: 'HEAD', config: false, validate: false });
    const warned = r.diagnostics.filter((d) => d.code === 'check/destructive-prune');
    expect(
      warned.map((d) => [d.severity, d.resource?.kind, d.resource?.name, d.span?.path, d.span?.ref]),
    ).toEqual([
      ['warning', 'PersistentVolumeClaim', 'data', 'claim.yaml', 'HEAD'],
      ['warning', 'CustomResourceDefinition', 'widgets.example.com', 'crd.yaml', 'HEAD'],
      ['warning', 'Namespace', 'prod', 'namespaces.yaml', 'HEAD'],
    ]);
    expect(warned.map((d) => d.message.slice(0, d.message.indexOf(';')))).toEqual([
      'a pruning sync deletes PersistentVolumeClaim data, which the checked files no longer have, and with it its volume and the data on it when the volume is reclaimed with Delete (the default of dynamically provisioned volumes)',
      'a pruning sync deletes CustomResourceDefinition widgets.example.com, which the checked files no longer have, and with it every Widget in the cluster',
      'a pruning sync deletes Namespace prod, which the checked files no longer have, and with it every object in it',
    ]);
    // An exception accepts it, as any finding; without --changed-since nothing is deleted.
    writeFileSync(
      join(dir, 'shipshape.yaml'),
      'exceptions:\n  - codes: [check/destructive-prune]\n    kinds: [Namespace]\n    reason: prod moves to its own cluster\n',
    );
    const excepted = await check({ cwd: dir, paths: ['.'], changedSince: 'HEAD', validate: false });
    expect(
      excepted.diagnostics
        .filter((d) => d.code === 'check/destructive-prune')
        .map((d) => [d.resource?.name, d.suppressed?.reason]),
    ).toEqual([
      ['data', undefined],
      ['widgets.example.com', undefined],
      ['prod', 'prod moves to its own cluster'],
    ]);
    expect(
      (await check({ cwd: dir, paths: ['.'], validate: false })).diagnostics.map((d) => d.code),
    ).not.toContain('check/destructive-prune');
  });

  it('with --changed-since, refuses a claim grown where its StorageClass does not allow expansion', async () => {
    const storageClass = (name: string, extra = '') =>
      `apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: ${name}\n${extra}provisioner: example.com/disk\n`;
    const claim = (name: string, size: string, className?: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}, namespace: shop}\nspec:\n${
        className === undefined ? '' : `  storageClassName: '${className}'\n`
      }  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: ${size}}}\n`;
    const claims = (size: string) =>
      [
        claim('fixed', size, 'fixed'),
        claim('growing', size, 'growing'),
        claim('static', size, ''),
        claim('defaulted', size),
        claim('elsewhere', size, 'cluster-only'),
      ].join('---\n');
    const dir = await initRepo({
      'classes.yaml': [
        storageClass('fixed'),
        storageClass('growing', 'allowVolumeExpansion: true\n'),
        storageClass(
          'standard',
          "metadata:\n  annotations: {storageclass.kubernetes.io/is-default-class: 'true'}\n",
        ).replace(
          'metadata:\n  name: standard\nmetadata:\n  annotations',
          'metadata:\n  name: standard\n  annotations',
        ),
      ].join('---\n'),
      'claims.yaml': claims('1Gi'),
    });
    await commitAll(dir, 'first');
    writeFileSync(join(dir, 'claims.yaml'), claims('2Gi'));
    const r = await check({ cwd: dir, paths: ['.'], changedSince: 'HEAD', config: false, validate: false });
    const refused = r.diagnostics.filter((d) => d.code === 'check/claim-resize-refused');
    expect(
      refused.map((d) => [d.severity, d.resource?.name, d.path, d.span?.path, d.span?.start.line]),
    ).toEqual([
      ['error', 'fixed', '/spec/resources/requests/storage', 'claims.yaml', 7],
      ['error', 'static', '/spec/resources/requests/storage', 'claims.yaml', 23],
      ['error', 'defaulted', '/spec/resources/requests/storage', 'claims.yaml', 30],
    ]);
    expect(refused[0]?.message).toMatch(
      /^the API server refuses to grow this claim from 1Gi to 2Gi: its StorageClass fixed does not set allowVolumeExpansion: true/,
    );
    expect(refused[1]?.message).toContain('it names no StorageClass (storageClassName: "")');
    // Allowing expansion on the class in the same change lets the claims of that class grow.
    writeFileSync(
      join(dir, 'classes.yaml'),
      readFileSync(join(dir, 'classes.yaml'), 'utf8').replace(
        'name: fixed\n',
        'name: fixed\nallowVolumeExpansion: true\n',
      ),
    );
    const allowed = await check({
      cwd: dir,
      paths: ['.'],
      changedSince: 'HEAD',
      config: false,
      validate: false,
    });
    expect(
      allowed.diagnostics.filter((d) => d.code === 'check/claim-resize-refused').map((d) => d.resource?.name),
    ).toEqual(['static', 'defaulted']);
  });

  it('with --changed-since, admits a changed resource as an UPDATE of what the changed files held at the base', async () => {
    const noScaleDown = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: no-scale-down
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [UPDATE]
        resources: [deployments]
  validations:
    - expression: object.spec.replicas >= oldObject.spec.replicas
      messageExpression: "'replicas go down from ' + string(oldObject.spec.replicas) + ' to ' + string(object.spec.replicas)"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: no-scale-down
spec:
  policyName: no-scale-down
  validationActions: [Deny]
`;
    const dir = await initRepo({
      'apps/web.yaml': fiveReplicas(),
      'policy/no-scale-down.yaml': noScaleDown,
      // A CREATE-only policy: it judges new Deployments, not changed ones.
      'policy/replica-limit.yaml': replicaLimitOnCreate(),
    });
    await commitAll(dir, 'first');
    const twoReplicas = fiveReplicas().replace('replicas: 5', 'replicas: 2');
    const since = (extra: Partial<Parameters<typeof check>[0]> = {}) =>
      check({ cwd: dir, paths: ['.'], changedSince: 'HEAD', config: false, validate: false, ...extra });
    const found = (r: Awaited<ReturnType<typeof check>>) =>
      r.diagnostics.map((d) => [d.code, d.span?.path, d.message, d.data?.['operation'] ?? null]);
    writeFileSync(join(dir, 'apps/web.yaml'), twoReplicas);
    writeFileSync(join(dir, 'apps/new.yaml'), fiveReplicas().replaceAll('web', 'new'));
    expect(found(await since())).toEqual([
      ['vap/replica-limit', 'apps/new.yaml', 'a Deployment runs at most 3 replicas', null],
      ['vap/no-scale-down', 'apps/web.yaml', 'replicas go down from 5 to 2', 'UPDATE'],
    ]);
    // Without --changed-since every resource is a CREATE, as on a new cluster.
    expect(found(await check({ cwd: dir, paths: ['.'], config: false, validate: false }))).toEqual([
      ['vap/replica-limit', 'apps/new.yaml', 'a Deployment runs at most 3 replicas', null],
    ]);
    // An object moved to another file is still the same object; between two commits too.
    rmSync(join(dir, 'apps/new.yaml'));
    rmSync(join(dir, 'apps/web.yaml'));
    writeFileSync(join(dir, 'apps/moved.yaml'), twoReplicas);
    expect(found(await since())).toEqual([
      ['vap/no-scale-down', 'apps/moved.yaml', 'replicas go down from 5 to 2', 'UPDATE'],
    ]);
    await commitAll(dir, 'move and scale down');
    expect(found(await since({ ref: 'HEAD', changedSince: 'HEAD~1' }))).toEqual([
      ['vap/no-scale-down', 'apps/moved.yaml', 'replicas go down from 5 to 2', 'UPDATE'],
    ]);
    // Scaling back up passes, and the CREATE-only limit does not judge an UPDATE (with policies
    // given apart from the tree).
    writeFileSync(join(dir, 'apps/moved.yaml'), fiveReplicas());
    expect(found(await since({ paths: ['apps'], policies: ['policy'] }))).toEqual([]);
  });

  it('with --changed-since, counts in the summary every file it reports on, not only the changed ones', async () => {
    const dir = await initRepo({
      'apps/web.yaml': fiveReplicas(),
      'apps/api.yaml': fiveReplicas().replace('replicas: 5', 'replicas: 3').replaceAll('web', 'api'),
      'apps/clean.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n',
      'policy/vap.yaml': replicaLimit().replace('<= 3', '<= 9'),
    });
    await commitAll(dir, 'first');
    writeFileSync(join(dir, 'policy/vap.yaml'), replicaLimit().replace('<= 3', '<= 2'));
    const r = await check({ cwd: dir, paths: ['.'], changedSince: 'HEAD', config: false, validate: false });
    expect(placed(r).map(([, file]) => file)).toEqual(['apps/api.yaml', 'apps/web.yaml']);
    // "1 error in 1 file" for findings in two other files read as a contradiction; the report's
    // scope is the changed files plus those its findings are in, with their resources.
    expect(r.files).toEqual(['apps/api.yaml', 'apps/web.yaml', 'policy/vap.yaml']);
    expect(r.summary).toMatchObject({ files: 3, resources: 4, errors: 2 });
    expect(r.resources.map((x) => x.source.path).sort()).toEqual([
      'apps/api.yaml',
      'apps/web.yaml',
      'policy/vap.yaml',
      'policy/vap.yaml',
    ]);
  });

  it('with --changed-since, shows everything when a --policy file outside the tree changed, and no credential', async () => {
    const secretEnv = fiveReplicas().replace(
      'containers: [{name: app, image: "nginx:1.27"}]',
      'containers:\n        - name: app\n          image: "nginx:1.27"\n          env:\n            - name: DB_PASSWORD\n              value: SUPERSECRET12',
    );
    const dir = await initRepo({
      'apps/web.yaml': secretEnv,
      'apps/api.yaml': fiveReplicas().replace('replicas: 5', 'replicas: 3').replaceAll('web', 'api'),
      'policy/vap.yaml': replicaLimit().replace('<= 3', '<= 4'),
      'rendered/out.yaml': fiveReplicas().replaceAll('web', 'out'),
      '.gitignore': 'rendered/\n',
    });
    await commitAll(dir, 'first');
    // Lowering the limit in a --policy file outside the checked PATH: the base check would read
    // the new file too, so nothing would look new. Every finding is shown, with a note.
    writeFileSync(join(dir, 'policy/vap.yaml'), replicaLimit().replace('<= 3', '<= 2'));
    const outside = await check({
      cwd: dir,
      paths: ['apps'],
      changedSince: 'HEAD',
      config: false,
      policies: ['policy/vap.yaml'],
    });
    expect(outside.diagnostics.map((d) => [d.code, d.span?.path ?? null])).toEqual([
      ['check/base-unchecked', null],
      ['vap/replica-limit', 'apps/api.yaml'],
      ['vap/replica-limit', 'apps/web.yaml'],
    ]);
    expect(outside.diagnostics[0]?.message).toBe(
      'policy/vap.yaml changed since HEAD, and every file is judged by it: every finding is shown',
    );
    // The same change inside the tree is compared: only what it causes shows. Files Git ignores
    // (rendered output) are not compared. A credential in an unchanged file stays hidden in the
    // frame of a new finding there, though its own finding (not new) is left out.
    await commitAll(dir, 'second');
    writeFileSync(join(dir, 'apps/api.yaml'), readFileSync(join(dir, 'apps/api.yaml'), 'utf8'));
    writeFileSync(join(dir, 'policy/vap.yaml'), replicaLimit().replace('<= 3', '<= 4'));
    await commitAll(dir, 'third');
    writeFileSync(join(dir, 'policy/vap.yaml'), replicaLimit().replace('<= 3', '<= 2'));
    const inside = await check({
      cwd: dir,
      paths: ['.'],
      changedSince: 'HEAD',
      policies: ['best-practices'],
    });
    const shown = inside.diagnostics.map((d) => d.span?.path);
    expect(shown.filter((p) => p === 'apps/api.yaml').length).toBeGreaterThan(0);
    expect(shown.some((p) => p?.startsWith('rendered/'))).toBe(false);
    expect(inside.sensitive.map((d) => [d.code, d.span?.path])).toEqual([
      ['bp/secrets-in-env', 'apps/web.yaml'],
    ]);
    const out = await run(['check', '.', '--changed-since', 'HEAD', '--policy', 'best-practices'], {
      cwd: dir,
    });
    expect(out.stdout).toContain('apps/api.yaml:7');
    expect(out.stdout).not.toContain('rendered/out.yaml');
    expect(out.stdout).not.toContain('SUPERSECRET12');
  });

  it('with --changed-since, reads a --policy file of another repository as unchanged', async () => {
    const other = await initRepo({ 'vap.yaml': replicaLimit() });
    await commitAll(other, 'policies');
    const dir = await initRepo({ 'apps/web.yaml': fiveReplicas() });
    await commitAll(dir, 'first');
    await git.tag({ fs, dir, ref: 'base' });
    const r = await check({
      cwd: dir,
      paths: ['apps'],
      changedSince: 'base',
      config: false,
      validate: false,
      policies: [join(other, 'vap.yaml')],
    });
    // The finding was there at the base too: nothing is the change's, and the run does not stop.
    expect(r.diagnostics.map((d) => d.code)).toEqual([]);
  });

  it('reads exception annotations even when no rule runs, to report malformed ones', async () => {
    const bad = deployment('web', '\n  annotations:\n    shipshape.dev/exceptions: "bp/replicas"');
    const dir = tempTree({ 'web.yaml': bad, 'shipshape.yaml': 'admissionPolicies: false\n' });
    expect((await check({ cwd: dir, validate: false })).diagnostics.map((d) => d.code)).toEqual([
      'policy/invalid-exception',
    ]);
  });

  it('excepts admission findings by the rule id vap, in the annotation and in the config', async () => {
    const annotated = await check({
      cwd: tempTree({
        'vap.yaml': replicaLimit(),
        'web.yaml': fiveReplicas(
          '\n  annotations:\n    shipshape.dev/exceptions: "vap: load test namespace"',
        ),
      }),
      config: false,
    });
    expect(placed(annotated)).toEqual([['vap/replica-limit', 'web.yaml', 9, 'load test namespace']]);
    const configured = await check({
      cwd: tempTree({
        'vap.yaml': replicaLimit(),
        'web.yaml': fiveReplicas(),
        'shipshape.yaml':
          'exceptions:\n  - rules: [vap]\n    namespaces: [shop]\n    reason: load tests run here\n',
      }),
    });
    expect(placed(configured)).toEqual([['vap/replica-limit', 'web.yaml', 7, 'load tests run here']]);
  });

  it('refuses a bare * in the exceptions annotation, and keeps every finding', async () => {
    const r = await check({
      cwd: tempTree({
        'vap.yaml': replicaLimit(),
        'web.yaml': fiveReplicas('\n  annotations:\n    shipshape.dev/exceptions: "*: I said so"'),
      }),
      config: false,
    });
    expect(placed(r)).toEqual([
      ['policy/invalid-exception', 'web.yaml', 7, null],
      ['vap/replica-limit', 'web.yaml', 9, null],
    ]);
    expect(r.diagnostics[0]?.message).toContain('names every rule');
  });

  it('places problems in --policy files, runs them with admissionPolicies off, and reads a file once', async () => {
    const broken = replicaLimit('\n    - expression: object.spec.replicas <=');
    const dir = tempTree({ 'policies/vap.yaml': broken, 'apps/web.yaml': fiveReplicas() });
    const r = await check({ cwd: dir, paths: ['apps'], config: false, policies: ['policies/vap.yaml'] });
    expect(placed(r)).toEqual([
      ['vap/replica-limit', 'apps/web.yaml', 7, null],
      ['vap/invalid-policy', 'policies/vap.yaml', 16, null],
    ]);
    // Turning off the repository's policies does not turn off the ones named on the command line.
    writeConfig(dir, 'admissionPolicies: false\n');
    const off = await check({ cwd: dir, paths: ['apps'], policies: ['policies/vap.yaml'] });
    expect(placed(off)).toEqual(placed(r));
    // ... but it does turn off those in the repository.
    const inRepo = await check({ cwd: dir, paths: ['.'] });
    expect(placed(inRepo)).toEqual([]);
    // A policy file inside the checked tree and named with --policy too is one policy, not two.
    const both = await check({ cwd: dir, paths: ['.'], config: false, policies: ['policies/vap.yaml'] });
    expect(placed(both)).toEqual(placed(r));
    // Also when the tree is named by its absolute path, so that its files are shown that way.
    const absolute = await check({ cwd: dir, paths: [dir], config: false, policies: ['policies/vap.yaml'] });
    expect(absolute.diagnostics.map((d) => d.code)).toEqual(['vap/replica-limit', 'vap/invalid-policy']);
  });

  it('refuses rule modules with a severity that is not one, a taken id, or TypeScript this Node.js cannot import', async () => {
    const rule = (id: string, severity: string) =>
      `{ id: '${id}', category: 'hygiene', severity: '${severity}', docs: { summary: 's', details: 'd', examples: [] }, check() {} }`;
    const dir = tempTree({
      'critical.mjs': `export const rules = [${rule('acme/sev', 'critical')}];\n`,
      'twice.mjs': `export const rules = [${rule('acme/a', 'info')}, ${rule('acme/a', 'info')}];\n`,
      'pss.mjs': `export const rules = [${rule('pss/privileged', 'info')}];\n`,
      'schema.mjs': `export const rules = [${rule('schema/unknown-field', 'info')}];\n`,
      'rules.ts': `export const rules = [${rule('acme/ts', 'info')}];\n`,
      'vap.mjs': `export const rules = [${rule('vap/replica-limit', 'info')}];\n`,
      'kinds.mjs': `export const rules = [{ ...${rule('acme/kinds', 'info')}, kinds: 'ConfigMap' }];\n`,
      'web.yaml': deployment('web'),
    });
    const fails = async (...policies: string[]) => {
      const out = await run(['check', 'web.yaml', ...policies.flatMap((p) => ['--policy', p])], { cwd: dir });
      expect(out.stderr).not.toContain('    at ');
      return [out.code, out.stderr.split('\n')[0]];
    };
    expect(await fails('critical.mjs')).toEqual([
      2,
      expect.stringContaining('--policy critical.mjs: export 0 is not a rule'),
    ]);
    expect(await fails('twice.mjs')).toEqual([
      2,
      'shipshape: --policy twice.mjs: rule id acme/a is taken by another rule (--policy twice.mjs); give each rule its own id',
    ]);
    expect(await fails('pss-baseline', 'pss.mjs')).toEqual([
      2,
      "shipshape: custom rule pss/privileged: that id is shipshape's own (a rule of an enabled pack); give the rule an id with your own prefix, such as acme/…",
    ]);
    expect(await fails('schema.mjs')).toEqual([
      2,
      expect.stringContaining("custom rule schema/unknown-field: that id is shipshape's own"),
    ]);
    // A prefix of shipshape's own, even when no rule of it runs: it would take their settings.
    expect(await fails('pss.mjs')).toEqual([
      2,
      "shipshape: custom rule pss/privileged: the prefix pss/ is shipshape's own; give the rule an id with your own prefix, such as acme/…",
    ]);
    expect(await fails('vap.mjs')).toEqual([2, expect.stringContaining('the prefix vap/ is shipshape')]);
    expect(await fails('kinds.mjs')).toEqual([
      2,
      "shipshape: rule acme/kinds: kinds must be a list of kinds, such as ['Pod'] or POD_KINDS",
    ]);
    const [tsCode, tsMessage] = await fails('rules.ts');
    // Node.js 22.18 and later import TypeScript themselves; older ones are told what to do.
    if (tsCode === 2) expect(tsMessage).toContain('compile the rules to JavaScript');
    else expect(tsCode).toBe(0);
  });

  it('reports async rules and malformed findings as rule errors, keeping what they reported', async () => {
    const dir = tempTree({
      'rules.mjs': `export const rules = [
  { id: 'acme/async', category: 'hygiene', severity: 'warning', docs: { summary: 's', details: 'd', examples: [] },
    async check(resource, context) { await null; context.report({ path: '/metadata/name', message: 'late' }); } },
  { id: 'acme/sloppy', category: 'hygiene', severity: 'warning', docs: { summary: 's', details: 'd', examples: [] },
    check(resource, context) {
      context.report({ path: '/metadata/name', message: 'bad severity', severity: 'critical' });
      context.report({ path: 'metadata/name', message: 'bad pointer' });
    } },
];
`,
      'web.yaml': deployment('web'),
    });
    const r = await check({ cwd: dir, config: false, policies: ['./rules.mjs'] });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.path, d.span?.start.line])).toEqual([
      ['policy/rule-error', 'error', '', 1],
      ['policy/rule-error', 'error', '', 1],
      ['policy/rule-error', 'error', '', 1],
      ['acme/sloppy', 'warning', '', 1],
      ['acme/sloppy', 'warning', '/metadata/name', 4],
    ]);
    expect(r.diagnostics.slice(0, 3).map((d) => d.message)).toEqual([
      'rule acme/async failed on this resource: check() returned a promise; rules run synchronously, so what it reports after an await is lost',
      `rule acme/sloppy failed on this resource: it reported the path "metadata/name", which is not a JSON Pointer ('' or '/…'); the finding is placed on the whole resource`,
      'rule acme/sloppy failed on this resource: it reported the severity "critical": use error, warning or info (the rule\'s own severity is used)',
    ]);
  });

  it('refuses ids in the config that no rule has, with the nearest one, and names the config file', async () => {
    const dir = tempTree({ 'web.yaml': deployment('web') });
    const refused = async (config: string) => {
      writeConfig(dir, config);
      const out = await run(['check', '--policy', 'best-practices'], { cwd: dir });
      return [out.code, out.stderr.trim()];
    };
    expect(await refused('rules:\n  bp/replica: {minimum: 3}\n')).toEqual([
      2,
      'shipshape: shipshape.yaml: rules: no rule or code is named bp/replica (did you mean bp/replicas?)',
    ]);
    expect(await refused('severity:\n  schema/unknown-feld: warning\n')).toEqual([
      2,
      'shipshape: shipshape.yaml: severity: no rule or code is named schema/unknown-feld (did you mean schema/unknown-field?)',
    ]);
    expect(await refused('policies: [pss-restriced]\n')).toEqual([
      2,
      'shipshape: shipshape.yaml: policies: pss-restriced: no built-in pack or file by that name (packs: pss-baseline, pss-restricted, pss-namespaces, best-practices)',
    ]);
    expect(await refused('exceptions:\n  - rules: [bp/labels]\n    reason: "   "\n')).toEqual([
      2,
      'shipshape: shipshape.yaml: invalid configuration: /exceptions/0/reason must say why, not only white space',
    ]);
    // Admission policy codes, pack prefixes and custom rules that are not loaded in this run pass.
    writeConfig(dir, 'severity:\n  vap/replica-limit: warning\n  bp/*: warning\n  acme/custom: "off"\n');
    expect((await run(['check', '--policy', 'best-practices'], { cwd: dir })).stderr).toBe('');
  });

  it('takes an empty config, and refuses rule options set for a whole pack', async () => {
    const dir = tempTree({ 'web.yaml': deployment('web'), 'shipshape.yaml': '# nothing yet\n\n' });
    expect((await check({ cwd: dir, validate: false })).diagnostics).toEqual([]);
    writeConfig(dir, '');
    expect((await check({ cwd: dir, validate: false })).configPath).toBe(join(dir, 'shipshape.yaml'));
    writeConfig(dir, 'policies: [best-practices]\nrules:\n  bp/*: {minimum: 5}\n');
    await expect(check({ cwd: dir, validate: false })).rejects.toThrow(
      'shipshape.yaml: rules.bp/*: options are set per rule, not per pack: name the rule (such as bp/replicas); severities may be set per pack, under severity',
    );
  });

  it('applies a pack-wide severity to every code of the pack without a setting of its own', async () => {
    const dir = tempTree({
      'web.yaml': deployment('web'),
      'shipshape.yaml': 'severity:\n  bp/*: info\n  bp/labels: error\n',
    });
    const r = await check({ cwd: dir, validate: false, policies: ['best-practices'] });
    const severities = new Map(r.diagnostics.map((d) => [d.code, d.severity]));
    expect(severities.get('bp/labels')).toBe('error');
    expect(severities.get('bp/priority-class')).toBe('info');
    expect([...severities.values()].filter((s) => s !== 'info')).toEqual(['error']);
    // A pack turned off with one rule turned back on runs that rule, and only it.
    writeConfig(dir, 'severity:\n  bp/*: "off"\n  bp/labels: error\n');
    const one = await check({ cwd: dir, validate: false, policies: ['best-practices'] });
    expect(one.diagnostics.map((d) => [d.code, d.severity])).toEqual([['bp/labels', 'error']]);
  });

  it('refuses a version that is not 1.x, and an empty folder of policies', async () => {
    const dir = tempTree({ 'web.yaml': deployment('web'), 'none/README.md': 'nothing here\n' });
    const out = await run(['check', '--kubernetes-version', '2.0', '--policy', 'pss-baseline'], { cwd: dir });
    expect([out.code, out.stderr.split('\n')[0]]).toEqual([
      2,
      'shipshape: --kubernetes-version: "2.0" is not a Kubernetes version: they are 1.x, such as 1.33',
    ]);
    // Without schema validation too: the Pod Security Standards would otherwise quietly run the newest.
    await expect(
      check({
        cwd: dir,
        config: false,
        validate: false,
        kubernetesVersion: '0.9',
        policies: ['pss-baseline'],
      }),
    ).rejects.toThrow('--kubernetes-version: "0.9" is not a Kubernetes version: they are 1.x, such as 1.33');
    const empty = await run(['check', '--policy', 'none'], { cwd: dir });
    expect([empty.code, empty.stderr.split('\n')[0]]).toEqual([
      2,
      'shipshape: --policy none: the folder holds no YAML or JSON file (.yaml, .yml, .json)',
    ]);
  });

  it('runs the Pod Security Standards of v1.31 for v1.31 and 1.31.4 too', async () => {
    // sysctls: net.ipv4.tcp_keepalive_time is allowed from policy version 1.29 on.
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_keepalive_time, value: "60"}]\n  containers: [{name: app, image: "nginx:1.27"}]\n';
    const dir = tempTree({ 'pod.yaml': pod });
    for (const [version, found] of [
      ['v1.28', ['pss/sysctls']],
      ['1.28.4', ['pss/sysctls']],
      ['v1.29', []],
    ] as const) {
      const r = await check({
        cwd: dir,
        config: false,
        validate: false,
        kubernetesVersion: version,
        policies: ['pss-baseline'],
      });
      expect([version, r.diagnostics.map((d) => d.code)]).toEqual([version, found]);
    }
  });
});

function writeConfig(dir: string, text: string): void {
  writeFileSync(join(dir, 'shipshape.yaml'), text);
}

describe('pss-namespaces in check', () => {
  it('judges workloads by the labels of their Namespace in another file, placed in the workload', async () => {
    const dir = tempTree({
      'apps/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext: {privileged: true}
`,
      'namespaces/shop.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.33
`,
    });
    const r = await check({ cwd: dir, config: false, policies: ['pss-namespaces'], validate: false });
    expect(
      r.diagnostics.map((d) => [d.code, d.severity, d.span?.path, d.span?.start.line, d.span?.start.column]),
    ).toEqual([['pss/privileged', 'error', 'apps/web.yaml', 12, 41]]);
    expect(r.diagnostics[0]?.message).toBe(
      'privileged (container "web" must not set securityContext.privileged=true): namespace shop enforces baseline (v1.33): the API server rejects the pods this Deployment creates',
    );
    expect(r.summary.errors).toBe(1);
    expect(r.rules.find((x) => x.code === 'pss/namespace-labels')?.title).toMatch(
      /pod-security\.kubernetes\.io labels/,
    );
    // An exception for the check's code covers it, as for the other PSS packs.
    fs.writeFileSync(
      join(dir, 'shipshape.yaml'),
      'policies: [pss-namespaces]\nexceptions:\n  - rules: [pss/privileged]\n    namespaces: [shop]\n    reason: the CNI agent (SEC-1)\n',
    );
    const excepted = await check({ cwd: dir, validate: false });
    expect(excepted.diagnostics.map((d) => [d.code, d.suppressed?.reason])).toEqual([
      ['pss/privileged', 'the CNI agent (SEC-1)'],
    ]);
    expect(excepted.summary.errors).toBe(0);
  });

  it('passes the example repository, whose namespaces enforce restricted, and fails it once a pod may run as root', async () => {
    const example = new URL('../../../examples/gitops-repo/', import.meta.url).pathname;
    const dir = tempTree({});
    for (const folder of ['apps', 'namespaces'])
      fs.cpSync(join(example, folder), join(dir, folder), { recursive: true });
    const clean = await check({ cwd: dir, config: false, policies: ['pss-namespaces'] });
    expect(clean.diagnostics).toEqual([]);
    const file = join(dir, 'apps/web/deployment.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('runAsNonRoot: true', 'runAsNonRoot: false'),
    );
    const rooted = await check({ cwd: dir, config: false, policies: ['pss-namespaces'] });
    // The pod's runAsNonRoot: false, and the container that no longer inherits true.
    expect(rooted.diagnostics.map((d) => [d.code, d.severity, d.span?.path, d.path])).toEqual([
      [
        'pss/runAsNonRoot',
        'error',
        'apps/web/deployment.yaml',
        '/spec/template/spec/securityContext/runAsNonRoot',
      ],
      [
        'pss/runAsNonRoot',
        'error',
        'apps/web/deployment.yaml',
        '/spec/template/spec/containers/0/securityContext',
      ],
    ]);
    expect(rooted.diagnostics[0]?.message).toMatch(
      /namespace web enforces restricted \(v1\.35\): the API server rejects the pods this Deployment creates$/,
    );
  });
});
