import * as fs from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { changedPaths, gitTree, history, log, readFileAt } from '@shipshape/repo';
import git from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY, type HistoryRepo, historyRepo, SERVICE } from './fixtures.js';
import { Repo, removeTempDirs } from './git-fixture.js';

afterAll(removeTempDirs);

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

/** Everything the package can tell about a repository, to compare loose against packed. */
async function snapshot(dir: string) {
  const cache = {};
  const tree = await gitTree({ fs, dir, ref: 'v2', cache });
  const { files } = await tree.list();
  return {
    commit: tree.commit,
    files: await Promise.all(files.map(async (f) => [f.path, text(await tree.read(f.path))])),
    changes: await changedPaths({ fs, dir, base: 'v1', head: 'main', cache }),
    history: (await history({ fs, dir, path: DEPLOY, cache })).map((c) => [c.oid, c.change]),
    log: (await log({ fs, dir, cache })).map((c) => c.oid),
    atFeature: text(await readFileAt({ fs, dir, ref: 'feature', path: SERVICE, cache })),
  };
}

describe('packed repositories', () => {
  let h: HistoryRepo;
  beforeAll(async () => {
    h = await historyRepo('packed');
  });

  it('reads the same after git gc packed every object', async () => {
    const loose = await snapshot(h.repo.dir);
    expect(loose.files).toEqual([
      ['README.md', '# manifests\n'],
      [DEPLOY, 'kind: Deployment\nreplicas: 2\n'],
      [SERVICE, 'kind: Service\n'],
    ]);
    h.repo.gc();
    const objects = join(h.repo.dir, '.git', 'objects');
    expect(fs.readdirSync(objects).sort()).toEqual(['info', 'pack']);
    expect(fs.readdirSync(join(objects, 'pack')).filter((f) => f.endsWith('.pack'))).toHaveLength(1);
    expect(fs.existsSync(join(h.repo.dir, '.git', 'packed-refs'))).toBe(true);
    expect(await snapshot(h.repo.dir)).toEqual(loose);
  });
});

describe('object store access', () => {
  it('reads through a callback-style fs as well', async () => {
    const repo = await Repo.init('callbacks');
    await repo.commit('one', 1, { 'a/b.yaml': 'b' });
    const { readFile, writeFile, unlink, readdir, mkdir, rmdir, stat, lstat, readlink, symlink } = fs;
    const callbacks = { readFile, writeFile, unlink, readdir, mkdir, rmdir, stat, lstat, readlink, symlink };
    const tree = await gitTree({ fs: callbacks, dir: repo.dir, ref: 'main' });
    expect(await tree.list()).toEqual({ files: [{ path: 'a/b.yaml' }], skipped: [] });
    expect(text(await tree.read('a/b.yaml'))).toBe('b');
  });

  it('keeps reading when the store is repacked under a live tree', async () => {
    const repo = await Repo.init('repacked');
    const one = await repo.commit('one', 1, { 'a.yaml': 'a', 'b.yaml': 'b' });
    // A short id makes the tree list objects/pack while it is still empty; reading both files
    // remembers their loose objects. After gc both memories are wrong and must be refreshed.
    const tree = await gitTree({ fs, dir: repo.dir, ref: one.slice(0, 7) });
    expect([text(await tree.read('a.yaml')), text(await tree.read('b.yaml'))]).toEqual(['a', 'b']);
    repo.gc();
    expect(fs.readdirSync(join(repo.dir, '.git', 'objects')).sort()).toEqual(['info', 'pack']);
    expect([text(await tree.read('a.yaml')), text(await tree.read('b.yaml'))]).toEqual(['a', 'b']);
  });
});

describe('damaged object stores', () => {
  let repo: Repo;
  let blob: string;
  let subtree: string;
  beforeAll(async () => {
    repo = await Repo.init('damaged');
    await repo.commit('one', 1, { 'apps/a.yaml': 'a', 'b.yaml': 'b', 'c.yaml': 'c' });
    const head = await git.resolveRef({ fs, dir: repo.dir, ref: 'HEAD' });
    blob = (await git.readBlob({ fs, dir: repo.dir, oid: head, filepath: 'b.yaml' })).oid;
    subtree = (await git.readTree({ fs, dir: repo.dir, oid: head, filepath: 'apps' })).oid;
  });

  function overwrite(oid: string, bytes: Uint8Array): void {
    const file = repo.objectPath(oid);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, bytes);
  }

  it('reports a loose object that is not zlib data as corrupt-object', async () => {
    const tree = await gitTree({ fs, dir: repo.dir, ref: 'main' });
    overwrite(blob, new TextEncoder().encode('this is not zlib data'));
    const error = await tree.read('b.yaml').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RepoError', code: 'corrupt-object', data: { oid: blob } });
    expect((error as Error).message).toContain('run "git fsck"');
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(text(await tree.read('c.yaml'))).toBe('c');
  });

  it('reports an object whose content does not match its id as corrupt-object', async () => {
    overwrite(subtree, deflateSync(new TextEncoder().encode('blob 1\0x')));
    const tree = await gitTree({ fs, dir: repo.dir, ref: 'main' });
    await expect(tree.list()).rejects.toMatchObject({ code: 'corrupt-object', data: { oid: subtree } });
  });

  it('reports a missing object as missing-object', async () => {
    const head = await git.resolveRef({ fs, dir: repo.dir, ref: 'HEAD' });
    const c = (await git.readBlob({ fs, dir: repo.dir, oid: head, filepath: 'c.yaml' })).oid;
    fs.rmSync(repo.objectPath(c));
    const tree = await gitTree({ fs, dir: repo.dir, ref: 'main' });
    await expect(tree.read('c.yaml')).rejects.toMatchObject({ code: 'missing-object', data: { oid: c } });
  });

  it('reports a corrupt commit when resolving the ref', async () => {
    const head = await git.resolveRef({ fs, dir: repo.dir, ref: 'HEAD' });
    overwrite(head, new Uint8Array([1, 2, 3]));
    await expect(gitTree({ fs, dir: repo.dir, ref: 'main' })).rejects.toMatchObject({
      code: 'corrupt-object',
      data: { oid: head },
    });
  });
});
