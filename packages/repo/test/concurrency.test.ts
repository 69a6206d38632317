import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { type FolderFs, folderTree, gitTree, history, readFileAt } from '@shipshape/repo';
import git from 'isomorphic-git';
import { afterAll, describe, expect, it } from 'vitest';
import { Repo, removeTempDirs, tempDir } from './git-fixture.js';

afterAll(removeTempDirs);

/** Wrap a promise function to record the most calls it ever had in flight. */
function gauge<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const state = { now: 0, max: 0 };
  const wrapped = async (...args: A): Promise<R> => {
    state.now += 1;
    state.max = Math.max(state.max, state.now);
    try {
      return await fn(...args);
    } finally {
      state.now -= 1;
    }
  };
  return { wrapped, state };
}

describe('open files', () => {
  it('a folder tree keeps at most 64 reads open, however many are asked for at once', async () => {
    const dir = await tempDir('many');
    for (let i = 0; i < 300; i++)
      fs.writeFileSync(join(dir, `f${String(i).padStart(3, '0')}.yaml`), `n: ${i}`);
    const { wrapped, state } = gauge((path: string) => fs.promises.readFile(path));
    const tree = folderTree(dir, { ...(fs.promises as FolderFs), readFile: wrapped });
    const { files } = await tree.list();
    const texts = await Promise.all(
      files.map(async (f) => new TextDecoder().decode(await tree.read(f.path))),
    );
    expect(texts).toHaveLength(300);
    expect(texts[299]).toBe('n: 299');
    expect(state.max).toBe(64);
  });

  it('a git tree keeps at most 64 object files open', async () => {
    const repo = await Repo.init('many');
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`d${i % 7}/f${i}.yaml`] = `n: ${i}`;
    await repo.commit('many', 1, files);
    const { wrapped, state } = gauge((path: string, options?: unknown) =>
      fs.promises.readFile(path, options as undefined),
    );
    const counted = { promises: { ...fs.promises, readFile: wrapped } };
    const tree = await gitTree({ fs: counted, dir: repo.dir, ref: 'HEAD' });
    const { files: listed } = await tree.list();
    const texts = await Promise.all(
      listed.map(async (f) => new TextDecoder().decode(await tree.read(f.path))),
    );
    expect(texts.filter((t) => t.startsWith('n: '))).toHaveLength(300);
    expect(state.max).toBeLessThanOrEqual(64);
    expect(state.max).toBeGreaterThan(1);
  });
});

describe('deep delta chains in a pack', () => {
  it('reads every version of a file right after git gc', async () => {
    const repo = await Repo.init('deltas');
    const versions: string[] = [];
    const oids: string[] = [];
    // Each version changes one more line: git stores each as a delta of a neighbour, in long chains.
    const lines = Array.from({ length: 80 }, (_, i) => `key${i}: value-${i} ${'x'.repeat(40)}`);
    for (let v = 0; v < 60; v++) {
      lines[v] = `key${v}: changed-in-${v} ${'y'.repeat(40)}`;
      versions.push(`${lines.join('\n')}\n`);
      oids.push(await repo.commit(`version ${v}`, v, { 'config.yaml': versions[v]! }));
    }
    repo.gc();
    expect(fs.readdirSync(join(repo.dir, '.git', 'objects')).sort()).toEqual(['info', 'pack']);
    const pack = join(repo.dir, '.git', 'objects', 'pack');
    const idx = fs.readdirSync(pack).find((f) => f.endsWith('.idx'))!;
    const stats = execFileSync('git', ['verify-pack', '-v', join(pack, idx)], { cwd: repo.dir }).toString();
    const chains = [...stats.matchAll(/chain length = (\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(...chains)).toBeGreaterThanOrEqual(20);

    const cache = {};
    const read = await Promise.all(
      oids.map((ref) => readFileAt({ fs, dir: repo.dir, ref, path: 'config.yaml', cache })),
    );
    expect(read.map((bytes) => new TextDecoder().decode(bytes))).toEqual(versions);
    // Again, newest first, through the same cache: every answer comes from cached delta bases now.
    const again = [];
    for (const ref of [...oids].reverse()) {
      again.push(
        new TextDecoder().decode(await readFileAt({ fs, dir: repo.dir, ref, path: 'config.yaml', cache })),
      );
    }
    expect(again).toEqual([...versions].reverse());
    const changes = await history({ fs, dir: repo.dir, path: 'config.yaml', cache });
    expect(changes.map((c) => c.oid)).toEqual([...oids].reverse());
    const tree = await gitTree({ fs, dir: repo.dir, ref: oids[30]!, cache });
    expect(new TextDecoder().decode(await tree.read('config.yaml'))).toBe(versions[30]);
    // isomorphic-git without a shared cache agrees.
    const plain = await git.readBlob({ fs, dir: repo.dir, oid: oids[7]!, filepath: 'config.yaml' });
    expect(new TextDecoder().decode(plain.blob)).toBe(versions[7]);
  });
});
