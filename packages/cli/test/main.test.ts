import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configMap, namespace, run, tempTree } from './helpers.js';

const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: web\n';

describe('shipshape check (exit codes and formats)', () => {
  const dir = tempTree({
    'good/ns.yaml': namespace('web'),
    'bad/cm.yaml': broken,
    'warn/cm.yaml': configMap('x', '1'),
  });

  it.each([
    [['check', 'good'], 0],
    [['check', 'bad'], 1],
    [['check', 'bad', '--fail-on', 'never'], 0],
    [['check'], 1],
    [['check', 'missing-folder'], 2],
    [['check', '--format', 'xml'], 2],
    [['check', '--fail-on', 'sometimes'], 2],
    [['check', '--no-such-flag'], 2],
    [['frobnicate'], 2],
    [[], 2],
    [['--help'], 0],
  ])('%j exits %i', async (args, code) => {
    const out = await run(args, { cwd: dir });
    expect(out.code).toBe(code);
    if (code === 2 && args.length > 0) {
      expect(out.stderr).toMatch(/^shipshape: /);
      expect(out.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    }
  });

  it('prints usage help after a usage error', async () => {
    const out = await run(['check', '--bogus'], { cwd: dir });
    expect(out.stderr).toContain("shipshape: Unknown option '--bogus'");
    expect(out.stderr).toContain('Usage:');
  });

  it('--format json has the DESIGN.md shape', async () => {
    const out = await run(['check', 'bad', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(out.stdout)).toEqual({
      version: 1,
      diagnostics: [
        {
          code: 'manifest/missing-name',
          severity: 'error',
          message: 'metadata.name is missing',
          resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'web', name: '' },
          path: '/metadata/name',
          file: 'bad/cm.yaml',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 9,
        },
      ],
      summary: { files: 1, resources: 0, errors: 1, warnings: 0, infos: 0 },
    });
  });

  it.each([
    ['sarif', (s: string) => expect(JSON.parse(s).runs[0].results[0].ruleId).toBe('manifest/missing-name')],
    [
      'junit',
      (s: string) => expect(s).toMatch(/<testsuites[^>]*>[\s\S]*<failure[^>]*manifest\/missing-name/),
    ],
    ['github', (s: string) => expect(s).toContain('::error file=bad/cm.yaml,line=3,col=1')],
    ['markdown', (s: string) => expect(s).toContain('manifest/missing-name')],
    ['text', (s: string) => expect(s).toMatch(/^bad\/cm\.yaml:3:1 /)],
  ])('--format %s', async (format, assert) => {
    const out = await run(['check', 'bad', '--format', format], { cwd: dir });
    expect(out.code).toBe(1);
    assert(out.stdout);
  });

  it('says when a SARIF log has more results than code scanning accepts, and writes it all the same', async () => {
    const many = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-many-'));
    try {
      // 25,001 ConfigMaps without a name: one manifest/missing-name result each.
      fs.writeFileSync(path.join(many, 'cms.yaml'), 'apiVersion: v1\nkind: ConfigMap\n---\n'.repeat(25_001));
      const over = await run(['check', '.', '--format', 'sarif'], { cwd: many });
      expect(over.code).toBe(1);
      expect(JSON.parse(over.stdout).runs[0].results).toHaveLength(25_001);
      expect(over.stderr).toBe(
        'shipshape: the SARIF log has 25,001 results; GitHub code scanning refuses a run of more than 25,000 (and shows at most 5,000): check fewer PATHs, turn rules off in shipshape.yaml, or add exceptions\n',
      );
      // At the limit, or in another format, nothing is said.
      fs.writeFileSync(path.join(many, 'cms.yaml'), 'apiVersion: v1\nkind: ConfigMap\n---\n'.repeat(25_000));
      expect((await run(['check', '.', '--format', 'sarif'], { cwd: many })).stderr).toBe('');
      fs.writeFileSync(path.join(many, 'cms.yaml'), 'apiVersion: v1\nkind: ConfigMap\n---\n'.repeat(25_001));
      expect((await run(['check', '.', '--format', 'json'], { cwd: many })).stderr).toBe('');
    } finally {
      fs.rmSync(many, { recursive: true, force: true });
    }
  }, 60_000);

  it('writes a report of many findings in pieces: the file and stdout hold the same whole text', async () => {
    const many = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-pieces-'));
    try {
      // 12,000 findings: several megabytes of SARIF, so several writes of a mebibyte.
      fs.writeFileSync(path.join(many, 'cms.yaml'), 'apiVersion: v1\nkind: ConfigMap\n---\n'.repeat(12_000));
      for (const format of ['sarif', 'json', 'junit', 'text']) {
        // The file named, not the folder: the reports written there are not manifests to check.
        const shown = await run(['check', 'cms.yaml', '--format', format], { cwd: many });
        const written = await run(['check', 'cms.yaml', '--format', format, '--output', `out.${format}`], {
          cwd: many,
        });
        const file = fs.readFileSync(path.join(many, `out.${format}`), 'utf8');
        expect([written.code, written.stdout, shown.code]).toEqual([1, '', 1]);
        expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
        expect(file).toBe(shown.stdout);
      }
      // Nothing lost at a write's edge: the documents parse whole, the text ends with its summary.
      const sarif = JSON.parse(fs.readFileSync(path.join(many, 'out.sarif'), 'utf8'));
      expect(sarif.runs[0].results).toHaveLength(12_000);
      const json = JSON.parse(fs.readFileSync(path.join(many, 'out.json'), 'utf8'));
      expect([json.diagnostics.length, json.summary.errors]).toEqual([12_000, 12_000]);
      expect(fs.readFileSync(path.join(many, 'out.junit'), 'utf8').endsWith('</testsuites>\n')).toBe(true);
      const text = fs.readFileSync(path.join(many, 'out.text'), 'utf8');
      expect(text.slice(text.lastIndexOf('\n\n') + 2)).toMatch(/^✖ 12000 errors, .*\n$/);
    } finally {
      fs.rmSync(many, { recursive: true, force: true });
    }
  }, 120_000);

  it('--output writes the report to a file and nothing to stdout', async () => {
    const out = await run(['check', 'bad', '--format', 'sarif', '--output', 'reports/out.sarif'], {
      cwd: dir,
    });
    expect([out.code, out.stdout]).toEqual([1, '']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'reports/out.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('--output makes the folders it needs, and says in words why it cannot write', async () => {
    const deep = await run(['check', 'good', '--output', 'a/b/c/out.txt'], { cwd: dir });
    expect([deep.code, fs.existsSync(path.join(dir, 'a/b/c/out.txt'))]).toEqual([0, true]);
    fs.writeFileSync(path.join(dir, 'a-file'), 'x');
    const blocked = await run(['check', 'good', '--output', 'a-file/out.txt'], { cwd: dir });
    expect([blocked.code, blocked.stderr]).toEqual([
      2,
      'shipshape: cannot write a-file/out.txt: a file is in the way of a folder on its path\n',
    ]);
  });

  it('colours text only on a terminal and never with NO_COLOR', async () => {
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[`);
    expect((await run(['check', 'bad'], { cwd: dir, tty: true })).stdout).toMatch(ansi);
    expect((await run(['check', 'bad'], { cwd: dir, tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(
      ansi,
    );
    expect((await run(['check', 'bad'], { cwd: dir, tty: false })).stdout).not.toMatch(ansi);
  });

  it('shows a progress line on a terminal stderr only', async () => {
    expect((await run(['check', 'good'], { cwd: dir, tty: true })).stderr).toContain('reading manifests 1/1');
    expect((await run(['check', 'good'], { cwd: dir, tty: false })).stderr).toBe('');
  });
});

describe('flags a command does not read', () => {
  it('are refused with exit code 2, not ignored', async () => {
    const cwd = tempTree({ 'a.yaml': namespace('a') });
    const cases = [
      [['diff', '.', '--live', 'a.yaml', '--fail-on', 'warning'], 'shipshape: diff does not take --fail-on'],
      [['render', '.', '--policy', 'pss-baseline'], 'shipshape: render does not take --policy'],
      [
        ['health', 'a.yaml', '--ref', 'HEAD'],
        'shipshape: health --ref reads --desired at a ref: give --desired PATH too',
      ],
    ] as const;
    for (const [args, message] of cases) {
      const out = await run([...args], { cwd });
      expect([out.code, out.stderr.split('\n')[0]]).toEqual([2, message]);
    }
  });
});

describe('shipshape render', () => {
  it('prints the resources as one YAML stream, or JSON', async () => {
    const dir = tempTree({ 'a.yaml': `${namespace('a')}---\n${configMap('c', 'v', 'a')}` });
    const yaml = await run(['render', '.'], { cwd: dir });
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toBe(`---\n${namespace('a')}---\n${configMap('c', 'v', 'a').replace('"v"', 'v')}`);
    const json = await run(['render', '.', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(json.stdout).resources.map((o: { kind: string }) => o.kind)).toEqual([
      'Namespace',
      'ConfigMap',
    ]);
  });

  it('does not judge what it prints: admission policies in the tree do not fail it', async () => {
    const deny = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-configmaps}
spec:
  failurePolicy: Fail
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]}
  validations: [{expression: "false", message: no ConfigMaps}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-configmaps}
spec: {policyName: no-configmaps, validationActions: [Deny]}
`;
    const dir = tempTree({ 'a.yaml': configMap('c', 'v', 'a'), 'policy.yaml': deny });
    expect((await run(['check', '.'], { cwd: dir })).code).toBe(1);
    const out = await run(['render', '.'], { cwd: dir });
    expect([out.code, out.stderr]).toEqual([0, '']);
    expect(out.stdout.match(/^kind: /gm)).toHaveLength(3);
  });
});

describe('render and diff of a Kustomize overlay', () => {
  const dir = () =>
    tempTree({
      'base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'base/cm.yaml': configMap('cfg', 'v', 'shop'),
      'overlays/prod/kustomization.yaml': 'namePrefix: prod-\nresources: [../../base, extra.yaml]\n',
      'overlays/prod/extra.yaml': configMap('extra', 'v', 'shop'),
      'live.yaml': configMap('prod-extra', 'v', 'shop'),
    });

  it('refuses to pass off the files as the overlay: an error naming the kustomization', async () => {
    const cwd = dir();
    const render = await run(['render', 'overlays/prod'], { cwd });
    expect([render.code, render.stderr.split(': ')[0]]).toEqual([1, 'overlays/prod/kustomization.yaml:1:1']);
    expect(render.stderr).toContain('kustomize/not-rendered');
    expect(render.stderr).toContain('namePrefix, resources ../../base would change the objects');
    const diff = await run(['diff', 'overlays/prod', '--live', 'live.yaml', '--exit-code'], { cwd });
    expect(diff.code).toBe(2);
    expect(diff.stdout).toContain(
      'incomplete: 1 problem reading the input (on standard error) left out of the counts above',
    );
  });

  it('reads a kustomization that only lists its files as those files', async () => {
    const out = await run(['render', 'base'], { cwd: dir() });
    expect([out.code, out.stderr, out.stdout.match(/^kind: /gm)]).toEqual([0, '', ['kind: ']]);
  });
});

describe('the installed bin', () => {
  // The file the package's `bin` names: the bundle `pnpm build` makes of dist/cli.js.
  const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as {
    bin: { shipshape: string };
  };
  const bin = path.resolve(import.meta.dirname, '..', pkg.bin.shipshape);

  it('is the bundle: no import of a workspace package or of the unbundled modules is left', () => {
    expect(pkg.bin.shipshape).toBe('./dist/shipshape.js');
    const source = fs.readFileSync(bin, 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Bundled: no import of a workspace package is left for Node to resolve.
    expect(source).not.toMatch(/from ["']@shipshape\//);
    expect(source).not.toMatch(/import\(["']@shipshape\//);
    expect(source).not.toMatch(/from ["']\.\/main\.js["']/);
  });

  it('runs as a program with exit codes and no stack traces', () => {
    const dir = tempTree({ 'bad.yaml': broken });
    const bad = spawnSync(process.execPath, [bin, 'check', '.'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('bad.yaml:3:1');
    const usage = spawnSync(process.execPath, [bin, 'check', '--ref'], { cwd: dir, encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toMatch(
      /^\d+\.\d+\.\d+\n$/,
    );
  });

  it('ends quietly, with its own exit code, when its reader stops early (`| head`)', () => {
    // Several mebibytes of JSON into a shell pipe whose reader takes one line and goes.
    const dir = tempTree({ 'cms.yaml': 'apiVersion: v1\nkind: ConfigMap\n---\n'.repeat(12_000) });
    const piped = spawnSync(
      '/bin/sh',
      [
        '-c',
        `"${process.execPath}" "${bin}" check cms.yaml --format json 2>err.txt | head -n 1; echo "status $?"`,
      ],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    expect(piped.stdout).toBe('{\nstatus 0\n');
    const pipeStatus = spawnSync(
      '/bin/bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${bin}" check cms.yaml --format json 2>/dev/null | head -n 1 >/dev/null; echo $?`,
      ],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    // The check's own answer (findings: 1), not a crash's.
    expect(pipeStatus.stdout).toBe('1\n');
    expect(fs.readFileSync(path.join(dir, 'err.txt'), 'utf8')).toBe('');
  });

  it('fails, saying why, when a rule module never finishes loading', () => {
    const dir = tempTree({
      'hang.mjs': 'await new Promise(() => {});\nexport const rules = [];\n',
      'ok.yaml': 'a: 1\n',
    });
    const hung = spawnSync(process.execPath, [bin, 'check', 'ok.yaml', '--policy', './hang.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect([hung.status, hung.stdout]).toEqual([2, '']);
    expect(hung.stderr).toBe(
      'shipshape: the run stopped before it finished: something it waited for never settled (a --policy module with a top-level await that never resolves?)\n',
    );
  });
});
