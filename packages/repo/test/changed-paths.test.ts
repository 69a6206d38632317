import * as fs from 'node:fs';
import { changedPaths, type PathChange } from '@shipshape/repo';
import git from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Repo, removeTempDirs } from './git-fixture.js';

afterAll(removeTempDirs);

describe('changedPaths', () => {
  let repo: Repo;
  let before: string;
  let after: string;
  beforeAll(async () => {
    repo = await Repo.init('changes');
    before = await repo.commit('before', 1, {
      'keep.yaml': 'keep',
      'edit.yaml': 'v1',
      'gone.yaml': 'gone',
      'old/moved.yaml': 'moved content',
      'exec.sh': 'run',
      'dir-to-file/x.yaml': 'x',
      'file-to-dir': 'f',
      'empty-a.yaml': '',
      'dup-a/same.yaml': 'same',
      'dup-b/z.yaml': 'same',
      'renamed-edit.yaml': 'abc',
      'stable/deep/a.yaml': 'a',
    });
    after = await repo.commit('after', 2, {
      'edit.yaml': 'v2',
      'gone.yaml': null,
      'old/moved.yaml': null,
      'new/moved.yaml': 'moved content',
      'exec.sh': { exec: 'run' },
      'dir-to-file/x.yaml': null,
      'dir-to-file': 'now a file',
      'file-to-dir': null,
      'file-to-dir/y.yaml': 'y',
      'empty-a.yaml': null,
      'empty-b.yaml': '',
      'dup-a/same.yaml': null,
      'dup-b/z.yaml': null,
      'new/same.yaml': 'same',
      'new/a.yaml': 'same',
      'renamed-edit.yaml': null,
      'new-edit.yaml': 'abcd',
      'link.yaml': { link: 'keep.yaml' },
    });
  });

  it('reports every kind of change, sorted by path', async () => {
    expect(await changedPaths({ fs, dir: repo.dir, base: before, head: after })).toEqual<PathChange[]>([
      { path: 'dir-to-file', change: 'added' },
      { path: 'dir-to-file/x.yaml', change: 'deleted' },
      { path: 'edit.yaml', change: 'modified' },
      { path: 'empty-a.yaml', change: 'deleted' },
      { path: 'empty-b.yaml', change: 'added' },
      { path: 'exec.sh', change: 'modified' },
      { path: 'file-to-dir', change: 'deleted' },
      { path: 'file-to-dir/y.yaml', change: 'added' },
      { path: 'gone.yaml', change: 'deleted' },
      { path: 'link.yaml', change: 'added' },
      { path: 'new-edit.yaml', change: 'added' },
      { path: 'new/a.yaml', change: 'renamed', oldPath: 'dup-b/z.yaml' },
      { path: 'new/moved.yaml', change: 'renamed', oldPath: 'old/moved.yaml' },
      { path: 'new/same.yaml', change: 'renamed', oldPath: 'dup-a/same.yaml' },
      { path: 'renamed-edit.yaml', change: 'deleted' },
    ]);
  });

  it('pairs renames the other way when the refs are swapped', async () => {
    const changes = await changedPaths({ fs, dir: repo.dir, base: after, head: before });
    expect(changes.filter((c) => c.change === 'renamed')).toEqual([
      { path: 'dup-a/same.yaml', change: 'renamed', oldPath: 'new/same.yaml' },
      { path: 'dup-b/z.yaml', change: 'renamed', oldPath: 'new/a.yaml' },
      { path: 'old/moved.yaml', change: 'renamed', oldPath: 'new/moved.yaml' },
    ]);
    expect(changes).toContainEqual({ path: 'link.yaml', change: 'deleted' });
  });

  it('returns nothing for the same commit, by any name', async () => {
    expect(await changedPaths({ fs, dir: repo.dir, base: 'HEAD', head: after.slice(0, 8) })).toEqual([]);
  });

  it('never reads a subtree both commits share', async () => {
    const stable = (await git.readTree({ fs, dir: repo.dir, oid: after, filepath: 'stable' })).oid;
    const copy = fs.readFileSync(repo.objectPath(stable));
    fs.rmSync(repo.objectPath(stable));
    try {
      expect(await changedPaths({ fs, dir: repo.dir, base: before, head: after })).toHaveLength(15);
    } finally {
      fs.writeFileSync(repo.objectPath(stable), copy);
    }
  });

  it('resolves both refs with the usual errors', async () => {
    await expect(changedPaths({ fs, dir: repo.dir, base: 'nope', head: 'HEAD' })).rejects.toMatchObject({
      code: 'ref-not-found',
      data: { ref: 'nope' },
    });
  });
});
