import * as fs from 'node:fs';
import { type CommitInfo, changedPaths, history, log, type RepoErrorCode, readFileAt } from '@shipshape/repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY, type HistoryRepo, historyRepo, SERVICE } from './fixtures.js';
import { Repo, removeTempDirs } from './git-fixture.js';

afterAll(removeTempDirs);

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

let h: HistoryRepo;
beforeAll(async () => {
  h = await historyRepo('history');
});

describe('history', () => {
  type Name = keyof HistoryRepo['c'];
  it.each<{ path: string; ref?: string; want: [Name, CommitInfo['change']][] }>([
    {
      path: DEPLOY,
      want: [
        ['c5', 'added'],
        ['c4', 'deleted'],
        ['c2', 'modified'],
        ['c1', 'added'],
      ],
    },
    {
      path: SERVICE,
      want: [
        ['m', 'modified'],
        ['c1', 'added'],
      ],
    },
    {
      path: SERVICE,
      ref: 'feature',
      want: [
        ['f1', 'modified'],
        ['c1', 'added'],
      ],
    },
    {
      path: DEPLOY,
      ref: 'v2',
      want: [
        ['c2', 'modified'],
        ['c1', 'added'],
      ],
    },
    {
      path: 'README.md',
      want: [
        ['c3', 'modified'],
        ['c1', 'added'],
      ],
    },
    {
      path: 'apps/web/',
      want: [
        ['m', 'modified'],
        ['c5', 'modified'],
        ['c4', 'modified'],
        ['c2', 'modified'],
        ['c1', 'added'],
      ],
    },
    { path: 'apps/web/nope.yaml', want: [] },
    { path: 'README.md/x', want: [] },
  ])('of $path from $ref', async ({ path, ref, want }) => {
    const commits = await history({ fs, dir: h.repo.dir, path, ...(ref ? { ref } : {}) });
    expect(commits.map((c) => [c.oid, c.change])).toEqual(want.map(([name, change]) => [h.c[name], change]));
  });

  it('describes each commit', async () => {
    const commits = await history({ fs, dir: h.repo.dir, path: DEPLOY });
    expect(commits.at(-1)).toEqual({
      oid: h.c.c1,
      parents: [],
      author: { name: 'Ada Lovelace', email: 'ada@example.com' },
      date: '2023-11-14T22:14:20Z',
      message: 'Add web\n\nFirst version of the web app.',
      change: 'added',
    });
    expect(commits[0]).toMatchObject({
      parents: [h.c.c4],
      date: '2023-11-14T22:18:20Z',
      message: 'Bring web back',
    });
  });

  it.each<{ path: string; code: RepoErrorCode }>([
    { path: '', code: 'invalid-argument' },
    { path: '../x', code: 'invalid-path' },
  ])('refuses path "$path" with $code', async ({ path, code }) => {
    await expect(history({ fs, dir: h.repo.dir, path })).rejects.toMatchObject({ code });
  });
});

describe('log', () => {
  it.each<{ name: string; options: object; want: (keyof HistoryRepo['c'])[] }>([
    { name: 'all commits, newest first', options: {}, want: ['m', 'f1', 'c5', 'c4', 'c3', 'c2', 'c1'] },
    { name: 'first parents', options: { firstParent: true }, want: ['m', 'c5', 'c4', 'c3', 'c2', 'c1'] },
    { name: 'depth 2', options: { depth: 2 }, want: ['m', 'f1'] },
    { name: 'depth 0', options: { depth: 0 }, want: [] },
    { name: 'from a branch', options: { ref: 'feature' }, want: ['f1', 'c2', 'c1'] },
    { name: 'from an annotated tag', options: { ref: 'v2' }, want: ['c2', 'c1'] },
  ])('lists $name', async ({ options, want }) => {
    const commits = await log({ fs, dir: h.repo.dir, ...options });
    expect(commits.map((c) => c.oid)).toEqual(want.map((name) => h.c[name]));
  });

  it('gives parents, first parent first', async () => {
    const [merge] = await log({ fs, dir: h.repo.dir, depth: 1 });
    expect(merge).toEqual({
      oid: h.c.m,
      parents: [h.c.c5, h.c.f1],
      author: { name: 'Ada Lovelace', email: 'ada@example.com' },
      date: '2023-11-14T22:20:20Z',
      message: 'Merge feature',
    });
  });

  it.each([-1, 1.5, Number.NaN])('refuses depth %d', async (depth) => {
    await expect(log({ fs, dir: h.repo.dir, depth })).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('lets a caller rebuild a history from log and changedPaths', async () => {
    const commits = await log({ fs, dir: h.repo.dir, firstParent: true });
    const touched: string[] = [];
    for (const commit of commits) {
      const parent = commit.parents[0];
      const changes =
        parent === undefined
          ? [{ path: DEPLOY, change: 'added' }]
          : await changedPaths({ fs, dir: h.repo.dir, base: parent, head: commit.oid });
      const change = changes.find((c) => c.path === DEPLOY);
      if (change) touched.push(`${commit.oid}:${change.change}`);
    }
    const direct = await history({ fs, dir: h.repo.dir, path: DEPLOY });
    expect(touched).toEqual(direct.map((c) => `${c.oid}:${c.change}`));
  });
});

describe('shallow history', () => {
  it('stops at a commit whose parent is missing and counts it as adding what it holds', async () => {
    const repo = await Repo.init('shallow');
    const one = await repo.commit('one', 1, { 'a.yaml': '1' });
    const two = await repo.commit('two', 2, { 'b.yaml': '2' });
    const three = await repo.commit('three', 3, { 'a.yaml': '3' });
    fs.rmSync(repo.objectPath(one));
    expect((await log({ fs, dir: repo.dir })).map((c) => [c.oid, c.parents])).toEqual([
      [three, [two]],
      [two, [one]],
    ]);
    const commits = await history({ fs, dir: repo.dir, path: 'a.yaml' });
    expect(commits.map((c) => [c.oid, c.change])).toEqual([
      [three, 'modified'],
      [two, 'added'],
    ]);
  });
});

describe('readFileAt', () => {
  it.each<{ ref: string; path: string; want: string | undefined }>([
    { ref: 'v1', path: DEPLOY, want: 'kind: Deployment\nreplicas: 1\n' },
    { ref: 'HEAD~2', path: DEPLOY, want: undefined },
    { ref: 'main', path: DEPLOY, want: 'kind: Deployment\nreplicas: 3\n' },
    { ref: 'feature', path: SERVICE, want: 'kind: Service\nport: 8080\n' },
    { ref: 'main', path: 'apps/api/x.yaml', want: undefined },
  ])('reads $path at $ref', async ({ ref, path, want }) => {
    expect(text(await readFileAt({ fs, dir: h.repo.dir, ref, path, cache: {} }))).toBe(want);
  });

  it('reads at full commit ids', async () => {
    expect(text(await readFileAt({ fs, dir: h.repo.dir, ref: h.c.c2, path: DEPLOY }))).toBe(
      'kind: Deployment\nreplicas: 2\n',
    );
  });

  it.each<{ ref: string; path: string; code: RepoErrorCode }>([
    { ref: 'main', path: 'apps', code: 'not-a-file' },
    { ref: 'main', path: '', code: 'not-a-file' },
    { ref: 'nope', path: DEPLOY, code: 'ref-not-found' },
  ])('throws $code for $path at $ref', async ({ ref, path, code }) => {
    await expect(readFileAt({ fs, dir: h.repo.dir, ref, path })).rejects.toMatchObject({ code });
  });
});
