import { memoryTree, type RepoErrorCode } from '@shipshape/repo';
import { describe, expect, it } from 'vitest';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('memoryTree', () => {
  const tree = memoryTree({
    'b.yaml': 'b',
    './apps//web/deploy.yaml': 'kind: Deployment',
    'apps/web-extra/x.yaml': new Uint8Array([120]),
    'apps/api/é.yaml': 'é',
    '.git/config': 'never listed',
  });

  it('lists every file sorted by path, with byte sizes', async () => {
    expect(await tree.list()).toEqual({
      files: [
        { path: 'apps/api/é.yaml', size: 2 },
        { path: 'apps/web-extra/x.yaml', size: 1 },
        { path: 'apps/web/deploy.yaml', size: 16 },
        { path: 'b.yaml', size: 1 },
      ],
      skipped: [],
    });
  });

  it.each([
    { prefix: 'apps/web', want: ['apps/web/deploy.yaml'] },
    { prefix: './apps/web/', want: ['apps/web/deploy.yaml'] },
    { prefix: 'apps', want: ['apps/api/é.yaml', 'apps/web-extra/x.yaml', 'apps/web/deploy.yaml'] },
    { prefix: '', want: ['apps/api/é.yaml', 'apps/web-extra/x.yaml', 'apps/web/deploy.yaml', 'b.yaml'] },
    { prefix: '.', want: ['apps/api/é.yaml', 'apps/web-extra/x.yaml', 'apps/web/deploy.yaml', 'b.yaml'] },
  ])('lists below prefix "$prefix"', async ({ prefix, want }) => {
    const { files } = await tree.list({ prefix });
    expect(files.map((f) => f.path)).toEqual(want);
  });

  it.each<{ prefix: string; code: RepoErrorCode }>([
    { prefix: 'b.yaml', code: 'not-a-directory' },
    { prefix: 'nope', code: 'path-not-found' },
    { prefix: '.git', code: 'path-not-found' },
    { prefix: '../x', code: 'invalid-path' },
    { prefix: '/apps', code: 'invalid-path' },
  ])('rejects prefix "$prefix" with $code', async ({ prefix, code }) => {
    await expect(tree.list({ prefix })).rejects.toMatchObject({ name: 'RepoError', code });
  });

  it.each([
    { path: 'apps/web/deploy.yaml', want: 'kind: Deployment' },
    { path: './apps/web/deploy.yaml', want: 'kind: Deployment' },
    { path: 'apps/web-extra/x.yaml', want: 'x' },
    { path: 'apps/api/é.yaml', want: 'é' },
  ])('reads $path', async ({ path, want }) => {
    expect(text(await tree.read(path))).toBe(want);
  });

  it.each<{ path: string; code: RepoErrorCode }>([
    { path: 'missing.yaml', code: 'path-not-found' },
    { path: '.git/config', code: 'path-not-found' },
    { path: 'apps/web', code: 'not-a-file' },
    { path: '', code: 'not-a-file' },
    { path: 'apps/../b.yaml', code: 'invalid-path' },
  ])('read("$path") throws $code', async ({ path, code }) => {
    await expect(tree.read(path)).rejects.toMatchObject({ code, data: { path } });
  });

  it('copies its input and its output', async () => {
    const input = new Uint8Array([1, 2, 3]);
    const copied = memoryTree({ 'a.bin': input });
    input[0] = 9;
    const first = await copied.read('a.bin');
    first[1] = 9;
    expect([...(await copied.read('a.bin'))]).toEqual([1, 2, 3]);
  });

  it.each<{ name: string; files: Record<string, string>; path: string }>([
    { name: 'a file that is also a folder', files: { a: '1', 'a/b': '2' }, path: 'a' },
    { name: 'two keys for one path', files: { 'a/b': '1', './a/b': '2' }, path: 'a/b' },
    { name: 'an absolute key', files: { '/etc/passwd': '1' }, path: '/etc/passwd' },
    { name: 'a key that climbs out', files: { '../x': '1' }, path: '../x' },
    { name: 'an empty key', files: { '': '1' }, path: '' },
  ])('refuses $name', ({ files, path }) => {
    expect(() => memoryTree(files)).toThrow(
      expect.objectContaining({ code: 'invalid-path', data: { path } }),
    );
  });

  it('names itself as told', () => {
    expect(memoryTree({}).description).toBe('memory');
    expect(memoryTree({}, { description: 'fixture' }).description).toBe('fixture');
  });

  it('mentions the description in messages', async () => {
    await expect(memoryTree({}, { description: 'fixture x' }).read('a.yaml')).rejects.toThrow(
      'no file "a.yaml" in fixture x',
    );
  });
});
