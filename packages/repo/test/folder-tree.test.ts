import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { type FolderFs, folderTree, type RepoErrorCode } from '@shipshape/repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './git-fixture.js';

afterAll(removeTempDirs);

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Build a folder from a spec: strings are files, `{ link }` symlinks, `'fifo'` named pipes. */
function build(root: string, spec: Record<string, string | { link: string } | { fifo: true }>): void {
  for (const [path, what] of Object.entries(spec)) {
    const full = join(root, path);
    fs.mkdirSync(join(full, '..'), { recursive: true });
    if (typeof what === 'string') fs.writeFileSync(full, what);
    else if ('link' in what) fs.symlinkSync(what.link, full);
    else execFileSync('mkfifo', [full]);
  }
}

describe('folderTree', () => {
  let base: string;
  let root: string;

  beforeAll(async () => {
    base = await tempDir('folder');
    root = join(base, 'root');
    build(base, { 'outside/secret.yaml': 'secret' });
    build(root, {
      'a.yaml': 'a',
      '.gitignore': 'dist\n',
      '.git/config': '[core]\n',
      'apps/web/deploy.yaml': 'kind: Deployment',
      'apps/web/.git/HEAD': 'ref: refs/heads/main\n',
      'apps/web-extra/x.yaml': 'x',
      'apps/loop': { link: '..' },
      'link-file.yaml': { link: 'apps/web/deploy.yaml' },
      'link-dir': { link: 'apps' },
      self: { link: 'self' },
      outside: { link: '../outside' },
      'outside-abs': { link: join(base, 'outside', 'secret.yaml') },
      broken: { link: 'nope.yaml' },
      fifo: { fifo: true },
    });
  });

  it('lists files sorted, follows links inside the tree and says why it skipped the rest', async () => {
    const tree = folderTree(root, fs.promises);
    // Each file with the real path it is read from: a file reached through a link has its target's.
    const real = fs.realpathSync(root);
    expect(await tree.list()).toEqual({
      files: [
        ['.gitignore', '.gitignore'],
        ['a.yaml', 'a.yaml'],
        ['apps/web-extra/x.yaml', 'apps/web-extra/x.yaml'],
        ['apps/web/deploy.yaml', 'apps/web/deploy.yaml'],
        ['link-dir/web-extra/x.yaml', 'apps/web-extra/x.yaml'],
        ['link-dir/web/deploy.yaml', 'apps/web/deploy.yaml'],
        ['link-file.yaml', 'apps/web/deploy.yaml'],
      ].map(([path = '', to = '']) => ({ path, real: join(real, to) })),
      skipped: [
        { path: 'apps/loop', reason: 'symlink-loop', detail: '..' },
        { path: 'broken', reason: 'symlink-broken', detail: 'nope.yaml' },
        { path: 'fifo', reason: 'special-file' },
        { path: 'link-dir/loop', reason: 'symlink-loop', detail: '..' },
        { path: 'outside', reason: 'symlink-outside-tree', detail: '../outside' },
        { path: 'outside-abs', reason: 'symlink-outside-tree', detail: join(base, 'outside', 'secret.yaml') },
        { path: 'self', reason: 'symlink-loop', detail: 'self' },
      ],
    });
  });

  it.each([
    { path: 'a.yaml', want: 'a' },
    { path: 'apps/web/deploy.yaml', want: 'kind: Deployment' },
    { path: 'link-file.yaml', want: 'kind: Deployment' },
    { path: 'link-dir/web/deploy.yaml', want: 'kind: Deployment' },
    { path: './apps//web-extra/x.yaml', want: 'x' },
  ])('reads $path, before and after list', async ({ path, want }) => {
    const fresh = folderTree(root, fs.promises);
    expect(text(await fresh.read(path))).toBe(want);
    await fresh.list();
    expect(text(await fresh.read(path))).toBe(want);
  });

  it.each<{ path: string; code: RepoErrorCode; reason?: string }>([
    { path: 'missing.yaml', code: 'path-not-found' },
    { path: 'a.yaml/x', code: 'path-not-found' },
    { path: '.git/config', code: 'path-not-found' },
    { path: 'apps', code: 'not-a-file' },
    { path: 'outside/secret.yaml', code: 'unreadable', reason: 'symlink-outside-tree' },
    { path: 'outside-abs', code: 'unreadable', reason: 'symlink-outside-tree' },
    { path: 'broken', code: 'unreadable', reason: 'symlink-broken' },
    { path: 'self', code: 'unreadable', reason: 'symlink-loop' },
    { path: 'fifo', code: 'unreadable', reason: 'special-file' },
    { path: '../outside/secret.yaml', code: 'invalid-path' },
  ])('read("$path") throws $code $reason', async ({ path, code, reason }) => {
    const tree = folderTree(root, fs.promises);
    const error = await tree.read(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RepoError', code });
    if (reason !== undefined) expect(error).toMatchObject({ data: { reason } });
  });

  it.each([
    { prefix: 'apps/web', files: ['apps/web/deploy.yaml'], skipped: [] },
    {
      prefix: 'link-dir',
      files: ['link-dir/web-extra/x.yaml', 'link-dir/web/deploy.yaml'],
      skipped: ['link-dir/loop'],
    },
    { prefix: 'apps/', files: ['apps/web-extra/x.yaml', 'apps/web/deploy.yaml'], skipped: ['apps/loop'] },
  ])('lists below prefix $prefix', async ({ prefix, files, skipped }) => {
    const listing = await folderTree(root, fs.promises).list({ prefix });
    expect(listing.files.map((f) => f.path)).toEqual(files);
    expect(listing.skipped.map((s) => s.path)).toEqual(skipped);
  });

  it.each<{ prefix: string; code: RepoErrorCode }>([
    { prefix: 'a.yaml', code: 'not-a-directory' },
    { prefix: 'nope', code: 'path-not-found' },
    { prefix: '.git', code: 'path-not-found' },
    { prefix: 'outside', code: 'unreadable' },
    { prefix: '../root', code: 'invalid-path' },
  ])('rejects prefix $prefix with $code', async ({ prefix, code }) => {
    await expect(folderTree(root, fs.promises).list({ prefix })).rejects.toMatchObject({ code });
  });

  it('treats a root that is a file as a tree of that one file', async () => {
    const tree = folderTree(join(root, 'apps', 'web', 'deploy.yaml'), fs.promises);
    expect(await tree.list()).toEqual({ files: [{ path: 'deploy.yaml' }], skipped: [] });
    expect(text(await tree.read('deploy.yaml'))).toBe('kind: Deployment');
    await expect(tree.read('other.yaml')).rejects.toMatchObject({ code: 'path-not-found' });
  });

  it('judges links against the real root when the root itself is a link', async () => {
    const listing = await folderTree(join(root, 'link-dir'), fs.promises).list();
    expect(listing.files.map((f) => f.path)).toEqual(['web-extra/x.yaml', 'web/deploy.yaml']);
    expect(listing.skipped).toEqual([{ path: 'loop', reason: 'symlink-outside-tree', detail: '..' }]);
  });

  it('throws path-not-found for a root that does not exist', async () => {
    const tree = folderTree(join(base, 'nope'), fs.promises);
    expect(tree.description).toBe(join(base, 'nope'));
    await expect(tree.list()).rejects.toMatchObject({
      code: 'path-not-found',
      data: { path: join(base, 'nope') },
    });
  });

  it('skips folders it may not read and refuses files it may not read', async () => {
    const dir = await tempDir('eacces');
    build(dir, { 'ok.yaml': 'ok', 'private/p.yaml': 'p', 'locked.yaml': 'l' });
    const denied = (path: string) =>
      Object.assign(new Error(`EACCES: permission denied, ${path}`), { code: 'EACCES' });
    const guarded: FolderFs = {
      ...fs.promises,
      readdir: (path, options) =>
        path.endsWith('/private') ? Promise.reject(denied(path)) : fs.promises.readdir(path, options),
      readFile: (path) =>
        path.endsWith('/locked.yaml') ? Promise.reject(denied(path)) : fs.promises.readFile(path),
    };
    const tree = folderTree(dir, guarded);
    const real = fs.realpathSync(dir);
    expect(await tree.list()).toEqual({
      files: [
        { path: 'locked.yaml', real: join(real, 'locked.yaml') },
        { path: 'ok.yaml', real: join(real, 'ok.yaml') },
      ],
      skipped: [{ path: 'private', reason: 'unreadable', detail: 'EACCES' }],
    });
    await expect(tree.read('locked.yaml')).rejects.toMatchObject({
      code: 'unreadable',
      data: { path: 'locked.yaml', reason: 'unreadable', detail: 'EACCES' },
    });
    await expect(folderTree(join(dir, 'private'), guarded).list()).rejects.toMatchObject({
      code: 'unreadable',
    });
  });

  it('guards against loops through several links', async () => {
    const dir = await tempDir('loops');
    build(dir, { 'a/x.yaml': 'x', 'b/y.yaml': 'y', 'a/to-b': { link: '../b' }, 'b/to-a': { link: '../a' } });
    const listing = await folderTree(dir, fs.promises).list();
    expect(listing.files.map((f) => f.path)).toEqual([
      'a/to-b/y.yaml',
      'a/x.yaml',
      'b/to-a/x.yaml',
      'b/y.yaml',
    ]);
    expect(listing.skipped).toEqual([
      { path: 'a/to-b/to-a', reason: 'symlink-loop', detail: '../a' },
      { path: 'b/to-a/to-b', reason: 'symlink-loop', detail: '../b' },
    ]);
  });
});
