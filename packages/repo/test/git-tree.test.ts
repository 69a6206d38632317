import * as fs from 'node:fs';
import { join } from 'node:path';
import { gitTree, type RepoError, type RepoErrorCode } from '@shipshape/repo';
import git from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY, type HistoryRepo, historyRepo, SERVICE } from './fixtures.js';
import { person, Repo, removeTempDirs, tempDir } from './git-fixture.js';

afterAll(removeTempDirs);

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('gitTree refs', () => {
  let h: HistoryRepo;
  beforeAll(async () => {
    h = await historyRepo('refs');
  });

  it.each<{ ref: string; want: keyof HistoryRepo['c'] }>([
    { ref: 'main', want: 'm' },
    { ref: 'HEAD', want: 'm' },
    { ref: '@', want: 'm' },
    { ref: 'refs/heads/main', want: 'm' },
    { ref: 'feature', want: 'f1' },
    { ref: 'v1', want: 'c1' },
    { ref: 'v2', want: 'c2' },
    { ref: 'refs/tags/v2', want: 'c2' },
    { ref: 'origin/main', want: 'c3' },
    { ref: 'refs/remotes/origin/main', want: 'c3' },
    { ref: 'HEAD~1', want: 'c5' },
    { ref: 'main~2', want: 'c4' },
    { ref: 'HEAD^2', want: 'f1' },
    { ref: 'HEAD^2~1', want: 'c2' },
    { ref: 'HEAD^^', want: 'c4' },
    { ref: 'v2^0', want: 'c2' },
  ])('resolves $ref', async ({ ref, want }) => {
    const tree = await gitTree({ fs, dir: h.repo.dir, ref });
    expect(tree.commit).toBe(h.c[want]);
    expect(tree.ref).toBe(ref);
    expect(tree.description).toBe(`${h.repo.dir}@${ref}`);
  });

  it.each([4, 7, 12, 40])('resolves a commit id shortened to %i digits, in either case', async (length) => {
    const short = h.c.c3.slice(0, length);
    expect((await gitTree({ fs, dir: h.repo.dir, ref: short })).commit).toBe(h.c.c3);
    expect((await gitTree({ fs, dir: h.repo.dir, ref: short.toUpperCase() })).commit).toBe(h.c.c3);
  });

  it.each<{ ref: string; code: RepoErrorCode }>([
    { ref: 'relese', code: 'ref-not-found' },
    { ref: 'HEAD~10', code: 'ref-not-found' },
    { ref: 'HEAD^3', code: 'ref-not-found' },
    { ref: 'main^{tree}', code: 'ref-not-found' },
    { ref: ' main', code: 'ref-not-found' },
    { ref: '', code: 'ref-not-found' },
    { ref: 'ffff', code: 'ref-not-found' },
    { ref: 'refs/heads/nope', code: 'ref-not-found' },
  ])('refuses $ref with $code', async ({ ref, code }) => {
    await expect(gitTree({ fs, dir: h.repo.dir, ref })).rejects.toMatchObject({ name: 'RepoError', code });
  });

  it('names the known branches and tags when a ref is missing', async () => {
    const error = await gitTree({ fs, dir: h.repo.dir, ref: 'relese' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ref-not-found',
      message: `ref "relese" not found in ${h.repo.dir}; known branches: feature, main; tags: v1, v2`,
      data: { ref: 'relese', branches: ['feature', 'main'], tags: ['v1', 'v2'] },
    });
  });

  it('refuses a name that is a branch and a tag of different commits', async () => {
    const repo = await Repo.init('ambiguous');
    const one = await repo.commit('one', 1, { 'a.yaml': '1' });
    const two = await repo.commit('two', 2, { 'a.yaml': '2' });
    await repo.tag('release', one);
    await repo.branch('release');
    await expect(gitTree({ fs, dir: repo.dir, ref: 'release' })).rejects.toMatchObject({
      code: 'ambiguous-ref',
      data: { candidates: ['refs/tags/release', 'refs/heads/release'] },
    });
    expect((await gitTree({ fs, dir: repo.dir, ref: 'refs/tags/release' })).commit).toBe(one);
    // The same name for the same commit is not ambiguous.
    await repo.tag('same');
    await repo.branch('same');
    expect((await gitTree({ fs, dir: repo.dir, ref: 'same' })).commit).toBe(two);
  });

  it('refuses a short id that several objects start with', async () => {
    const repo = await Repo.init('short');
    const seen = new Map<string, string>();
    let pair: string[] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const oid = await git.writeBlob({ fs, dir: repo.dir, blob: new TextEncoder().encode(`blob ${i}`) });
      const other = seen.get(oid.slice(0, 4));
      if (other !== undefined) pair = [other, oid].sort();
      seen.set(oid.slice(0, 4), oid);
    }
    const prefix = pair[0]!.slice(0, 4);
    const error = await gitTree({ fs, dir: repo.dir, ref: prefix }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ambiguous-ref', data: { ref: prefix } });
    expect([...((error as RepoError).data['candidates'] as string[])].sort()).toEqual(pair);
  });

  it('refuses a ref that names a blob', async () => {
    const repo = await Repo.init('blobref');
    await repo.commit('one', 1, { 'a.yaml': '1' });
    const blob = await git.writeBlob({ fs, dir: repo.dir, blob: new TextEncoder().encode('x') });
    await git.tag({ fs, dir: repo.dir, ref: 'blob-tag', object: blob });
    await expect(gitTree({ fs, dir: repo.dir, ref: 'blob-tag' })).rejects.toMatchObject({
      code: 'not-a-commit',
      data: { oid: blob },
    });
  });

  it('says when a folder is not a repository', async () => {
    const dir = await tempDir('plain');
    await expect(gitTree({ fs, dir, ref: 'main' })).rejects.toMatchObject({
      code: 'not-a-repository',
      data: { dir, gitdir: `${dir}/.git` },
    });
    await expect(gitTree({ fs, dir, ref: 'abcd1234' })).rejects.toMatchObject({ code: 'not-a-repository' });
  });

  it('says when the repository has no commits', async () => {
    const repo = await Repo.init('empty');
    await expect(gitTree({ fs, dir: repo.dir, ref: 'HEAD' })).rejects.toThrow(
      'the repository has no branches yet (no commits?)',
    );
  });

  it('reads a bare repository through gitdir', async () => {
    const gitdir = join(h.repo.dir, '.git');
    const tree = await gitTree({ fs, dir: '/nonexistent', gitdir, ref: 'v1' });
    expect(text(await tree.read(DEPLOY))).toBe('kind: Deployment\nreplicas: 1\n');
  });
});

describe('gitTree files', () => {
  let h: HistoryRepo;
  beforeAll(async () => {
    h = await historyRepo('files');
  });

  it.each([
    { ref: 'v1', files: ['README.md', DEPLOY, SERVICE], deploy: 'replicas: 1' },
    { ref: 'v2', files: ['README.md', DEPLOY, SERVICE], deploy: 'replicas: 2' },
    { ref: 'HEAD~2', files: ['README.md', SERVICE], deploy: undefined },
    { ref: 'main', files: ['README.md', DEPLOY, SERVICE], deploy: 'replicas: 3' },
  ])('lists and reads $ref', async ({ ref, files, deploy }) => {
    const tree = await gitTree({ fs, dir: h.repo.dir, ref });
    const listing = await tree.list();
    expect(listing).toEqual({ files: files.map((path) => ({ path })), skipped: [] });
    if (deploy === undefined) {
      await expect(tree.read(DEPLOY)).rejects.toMatchObject({
        code: 'path-not-found',
        data: { path: DEPLOY },
      });
    } else {
      expect(text(await tree.read(DEPLOY))).toBe(`kind: Deployment\n${deploy}\n`);
    }
  });

  it('lists below a prefix and refuses bad prefixes', async () => {
    const tree = await gitTree({ fs, dir: h.repo.dir, ref: 'main' });
    expect((await tree.list({ prefix: 'apps/web/' })).files).toEqual([{ path: DEPLOY }, { path: SERVICE }]);
    await expect(tree.list({ prefix: 'README.md' })).rejects.toMatchObject({ code: 'not-a-directory' });
    await expect(tree.list({ prefix: 'apps/api' })).rejects.toMatchObject({ code: 'path-not-found' });
    await expect(tree.list({ prefix: '../apps' })).rejects.toMatchObject({ code: 'invalid-path' });
  });

  it.each<{ path: string; code: RepoErrorCode }>([
    { path: 'apps', code: 'not-a-file' },
    { path: 'apps/web/missing.yaml', code: 'path-not-found' },
    { path: 'README.md/x', code: 'path-not-found' },
    { path: '', code: 'not-a-file' },
    { path: '/README.md', code: 'invalid-path' },
  ])('read("$path") throws $code', async ({ path, code }) => {
    const tree = await gitTree({ fs, dir: h.repo.dir, ref: 'main' });
    await expect(tree.read(path)).rejects.toMatchObject({ code });
  });

  it('reads a file before listing it', async () => {
    const tree = await gitTree({ fs, dir: h.repo.dir, ref: 'feature' });
    expect(text(await tree.read(SERVICE))).toBe('kind: Service\nport: 8080\n');
  });
});

describe('gitTree symlinks and submodules', () => {
  let repo: Repo;
  beforeAll(async () => {
    repo = await Repo.init('links');
    await repo.commit('links', 1, {
      'base/deploy.yaml': 'kind: Deployment',
      'base/kustomization.yaml': 'resources: [deploy.yaml]',
      'overlays/prod/base': { link: '../../base' },
      'overlays/prod/deploy.yaml': { link: 'base/deploy.yaml' },
      'overlays/prod/chain.yaml': { link: 'deploy.yaml' },
      'overlays/loop': { link: '..' },
      'outside.yaml': { link: '../secret.yaml' },
      'absolute.yaml': { link: '/etc/passwd' },
      'broken.yaml': { link: 'nope.yaml' },
      'self.yaml': { link: 'self.yaml' },
    });
  });

  it('follows links inside the tree and skips the rest with a reason', async () => {
    const tree = await gitTree({ fs, dir: repo.dir, ref: 'HEAD' });
    expect(await tree.list()).toEqual({
      files: [
        'base/deploy.yaml',
        'base/kustomization.yaml',
        'overlays/prod/base/deploy.yaml',
        'overlays/prod/base/kustomization.yaml',
        'overlays/prod/chain.yaml',
        'overlays/prod/deploy.yaml',
      ].map((path) => ({ path })),
      skipped: [
        { path: 'absolute.yaml', reason: 'symlink-outside-tree', detail: '/etc/passwd' },
        { path: 'broken.yaml', reason: 'symlink-broken', detail: 'nope.yaml' },
        { path: 'outside.yaml', reason: 'symlink-outside-tree', detail: '../secret.yaml' },
        { path: 'overlays/loop', reason: 'symlink-loop', detail: '..' },
        { path: 'self.yaml', reason: 'symlink-loop', detail: 'self.yaml' },
      ],
    });
  });

  it.each([
    { path: 'overlays/prod/chain.yaml', want: 'kind: Deployment' },
    { path: 'overlays/prod/base/kustomization.yaml', want: 'resources: [deploy.yaml]' },
    { path: 'overlays/loop/base/deploy.yaml', want: 'kind: Deployment' },
  ])('reads $path through links', async ({ path, want }) => {
    const tree = await gitTree({ fs, dir: repo.dir, ref: 'HEAD' });
    expect(text(await tree.read(path))).toBe(want);
  });

  it.each([
    { path: 'outside.yaml', reason: 'symlink-outside-tree' },
    { path: 'broken.yaml', reason: 'symlink-broken' },
    { path: 'self.yaml', reason: 'symlink-loop' },
  ])('refuses to read $path ($reason)', async ({ path, reason }) => {
    const tree = await gitTree({ fs, dir: repo.dir, ref: 'HEAD' });
    await expect(tree.read(path)).rejects.toMatchObject({ code: 'unreadable', data: { path, reason } });
  });

  it('lists a prefix reached through a link', async () => {
    const tree = await gitTree({ fs, dir: repo.dir, ref: 'HEAD' });
    expect((await tree.list({ prefix: 'overlays/prod/base' })).files).toEqual([
      { path: 'overlays/prod/base/deploy.yaml' },
      { path: 'overlays/prod/base/kustomization.yaml' },
    ]);
  });

  it('skips submodule entries', async () => {
    const sub = await Repo.init('submodule');
    const blob = await git.writeBlob({ fs, dir: sub.dir, blob: new TextEncoder().encode('kind: Namespace') });
    const gitmodules = await git.writeBlob({
      fs,
      dir: sub.dir,
      blob: new TextEncoder().encode('[submodule "vendor"]\n'),
    });
    const pinned = 'a'.repeat(40);
    const tree = await git.writeTree({
      fs,
      dir: sub.dir,
      tree: [
        { mode: '100644', path: '.gitmodules', oid: gitmodules, type: 'blob' },
        { mode: '100644', path: 'ns.yaml', oid: blob, type: 'blob' },
        { mode: '160000', path: 'vendor', oid: pinned, type: 'commit' },
      ],
    });
    await git.commit({
      fs,
      dir: sub.dir,
      message: 'with submodule',
      tree,
      author: person(0),
      committer: person(0),
    });
    const files = await gitTree({ fs, dir: sub.dir, ref: 'main' });
    expect(await files.list()).toEqual({
      files: [{ path: '.gitmodules' }, { path: 'ns.yaml' }],
      skipped: [{ path: 'vendor', reason: 'submodule', detail: pinned }],
    });
    await expect(files.read('vendor')).rejects.toMatchObject({
      code: 'unreadable',
      data: { reason: 'submodule' },
    });
    await expect(files.list({ prefix: 'vendor' })).rejects.toMatchObject({ code: 'not-a-directory' });
  });
});
