import * as fs from 'node:fs';
import * as path from 'node:path';
import git from 'isomorphic-git';
import { check, resourceHistory } from 'shipshape';
import { beforeAll, describe, expect, it } from 'vitest';
import { commitAll, configMap, initRepo, namespace, run, writeFiles } from './helpers.js';

let dir = '';
const oids: string[] = [];

beforeAll(async () => {
  dir = await initRepo({ 'apps/ns.yaml': namespace('web'), 'apps/cm.yaml': configMap('settings', 'one') });
  oids.push(await commitAll(dir, 'Add web namespace and settings'));
  await git.tag({ fs, dir, ref: 'v1' });
  writeFiles(dir, { 'apps/cm.yaml': configMap('settings', 'two'), 'apps/bad.yaml': 'kind: [' });
  oids.push(await commitAll(dir, 'Change settings, add a broken file'));
  // Move the ConfigMap to another file without changing it: not a change of the resource.
  fs.rmSync(path.join(dir, 'apps/cm.yaml'));
  writeFiles(dir, { 'apps/config/settings.yaml': `# moved\n${configMap('settings', 'two')}` });
  oids.push(await commitAll(dir, 'Move settings'));
  fs.rmSync(path.join(dir, 'apps/config/settings.yaml'));
  oids.push(await commitAll(dir, 'Remove settings'));
});

describe('check --ref', () => {
  it('reads a tag, a branch and a short commit id without a checkout', async () => {
    const atTag = await check({ paths: ['apps'], cwd: dir, ref: 'v1', config: false });
    expect([atTag.summary.resources, atTag.diagnostics.length]).toEqual([2, 0]);
    const atMain = await check({ paths: ['apps'], cwd: dir, ref: 'main', config: false });
    expect(atMain.diagnostics.map((d) => [d.span?.path, d.span?.ref, d.code])).toEqual([
      ['apps/bad.yaml', 'main', 'yaml/syntax'],
    ]);
    const short = await check({ paths: ['.'], cwd: dir, ref: oids[1]!.slice(0, 8), config: false });
    expect(short.files).toEqual(['apps/bad.yaml', 'apps/cm.yaml', 'apps/ns.yaml']);
  });

  it('fails with exit code 2 and a clear message for an unknown ref', async () => {
    const out = await run(['check', '.', '--ref', 'no-such-branch'], { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^shipshape: .*no-such-branch/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports only files changed since a ref, including uncommitted ones', async () => {
    const r = await check({ paths: ['.'], cwd: dir, ref: 'main', changedSince: 'v1', config: false });
    expect(r.files).toEqual(['apps/bad.yaml']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['yaml/syntax']);
    writeFiles(dir, { 'apps/new.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {}\n' });
    const working = await check({ paths: ['apps'], cwd: dir, changedSince: 'HEAD', config: false });
    expect(working.diagnostics.map((d) => [d.span?.path, d.code])).toEqual([
      ['apps/new.yaml', 'manifest/missing-name'],
    ]);
    fs.rmSync(path.join(dir, 'apps/new.yaml'));
  });
});

describe('resource history', () => {
  it('lists the commits that changed one resource, newest first, ignoring moves', async () => {
    const changes = await resourceHistory({ path: '.', resource: 'ConfigMap/web/settings', cwd: dir });
    expect(changes.map((c) => [c.oid, c.change, c.message, c.files])).toEqual([
      [oids[3], 'deleted', 'Remove settings', ['apps/config/settings.yaml']],
      [oids[1], 'modified', 'Change settings, add a broken file', ['apps/cm.yaml']],
      [oids[0], 'added', 'Add web namespace and settings', ['apps/cm.yaml']],
    ]);
    expect(changes[0]?.author).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(changes[0]?.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('prints the DESIGN.md JSON shape from the CLI', async () => {
    const out = await run(['history', '.', '--resource', 'Namespace/web', '--format', 'json'], { cwd: dir });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      version: 1,
      commits: [
        {
          oid: oids[0],
          author: 'Ada Lovelace <ada@example.com>',
          date: expect.any(String),
          message: 'Add web namespace and settings',
          change: 'added',
        },
      ],
    });
  });

  it('puts objects written without a namespace in default: writing it out is no change', async () => {
    const cm = (ns: string, value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n${ns}data: {a: "${value}"}\n`;
    const repo = await initRepo({ 'cm.yaml': cm('', '1') });
    const added = await commitAll(repo, 'one');
    writeFiles(repo, { 'cm.yaml': cm('', '2') });
    const modified = await commitAll(repo, 'two');
    writeFiles(repo, { 'cm.yaml': cm('  namespace: default\n', '2') });
    await commitAll(repo, 'explicit default namespace');
    for (const resource of ['ConfigMap/default/cfg', 'ConfigMap/cfg']) {
      const changes = await resourceHistory({ path: '.', resource, cwd: repo });
      expect(changes.map((c) => [c.oid, c.change])).toEqual([
        [modified, 'modified'],
        [added, 'added'],
      ]);
    }
  });

  it('finds a cluster-scoped object asked for with a namespace, as the API server drops it', async () => {
    const repo = await initRepo({
      'r.yaml':
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: ns}\nrules: []\n',
    });
    const added = await commitAll(repo, 'one');
    for (const resource of [
      'rbac.authorization.k8s.io/ClusterRole/r',
      'rbac.authorization.k8s.io/ClusterRole/ns/r',
    ]) {
      const changes = await resourceHistory({ path: '.', resource, cwd: repo });
      expect(changes.map((c) => [c.oid, c.change])).toEqual([[added, 'added']]);
    }
    // With a depth, no manifest in the commits looked at is no mistake.
    expect(
      await resourceHistory({ path: 'nothere', resource: 'ConfigMap/a/b', cwd: repo, depth: 1 }),
    ).toEqual([]);
  });

  it('refuses a PATH no commit ever had a manifest below (exit code 2)', async () => {
    const out = await run(['history', 'nothere', '--resource', 'ConfigMap/web/settings'], { cwd: dir });
    expect([out.code, out.stderr]).toEqual([
      2,
      'shipshape: nothere: no commit of HEAD has a manifest there (a YAML or JSON file)\n',
    ]);
  });

  it('rejects a malformed --resource with a usage error', async () => {
    const out = await run(['history', '.', '--resource', 'deployment'], { cwd: dir });
    expect([out.code, out.stderr.split('\n')[0]]).toEqual([
      2,
      'shipshape: --resource deployment is not KIND/NAMESPACE/NAME (or KIND/NAME, group/KIND/NAMESPACE/NAME)',
    ]);
  });
});
