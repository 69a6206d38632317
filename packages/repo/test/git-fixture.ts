// Builds real repositories for the tests with isomorphic-git: a working folder, `add`, `commit`
// with fixed author and committer timestamps, so every oid is the same on every run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtemp, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import git from 'isomorphic-git';

export const T0 = 1_700_000_000;

export function person(timestamp: number) {
  return { name: 'Ada Lovelace', email: 'ada@example.com', timestamp, timezoneOffset: 0 };
}

const created: string[] = [];

/** A new empty folder under the system temp folder, by its real path; see {@link removeTempDirs}. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), `shipshape-repo-${prefix}-`)));
  created.push(dir);
  return dir;
}

/** Remove every folder {@link tempDir} made; each test file calls it in `afterAll`. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** What to put at a path: text, `null` to delete, a symlink, or an executable file. */
export type Change = string | null | { readonly link: string } | { readonly exec: string };

export class Repo {
  private constructor(readonly dir: string) {}

  static async init(prefix: string): Promise<Repo> {
    const dir = await tempDir(prefix);
    await git.init({ fs, dir, defaultBranch: 'main' });
    return new Repo(dir);
  }

  /** Change the working folder and the index. */
  async stage(changes: Readonly<Record<string, Change>>): Promise<void> {
    for (const [path, change] of Object.entries(changes)) {
      const full = join(this.dir, path);
      fs.rmSync(full, { force: true, recursive: true });
      if (change === null) {
        await git.remove({ fs, dir: this.dir, filepath: path });
        continue;
      }
      fs.mkdirSync(dirname(full), { recursive: true });
      if (typeof change === 'string') fs.writeFileSync(full, change);
      else if ('link' in change) fs.symlinkSync(change.link, full);
      else fs.writeFileSync(full, change.exec, { mode: 0o755 });
      await git.add({ fs, dir: this.dir, filepath: path });
    }
  }

  /** Stage `changes` and commit them at `T0 + minute * 60`; returns the commit oid. */
  async commit(
    message: string,
    minute: number,
    changes: Readonly<Record<string, Change>> = {},
    parent?: string[],
  ): Promise<string> {
    await this.stage(changes);
    const when = person(T0 + minute * 60);
    return git.commit({
      fs,
      dir: this.dir,
      message,
      author: when,
      committer: when,
      ...(parent ? { parent } : {}),
    });
  }

  async branch(name: string, checkout = false): Promise<void> {
    await git.branch({ fs, dir: this.dir, ref: name, checkout });
  }

  async checkout(ref: string): Promise<void> {
    await git.checkout({ fs, dir: this.dir, ref, force: true });
  }

  async tag(name: string, object?: string): Promise<void> {
    await git.tag({ fs, dir: this.dir, ref: name, ...(object ? { object } : {}) });
  }

  async annotatedTag(name: string, message: string, object?: string): Promise<void> {
    await git.annotatedTag({
      fs,
      dir: this.dir,
      ref: name,
      message,
      tagger: person(T0),
      ...(object ? { object } : {}),
    });
  }

  /** The path of a loose object's file. */
  objectPath(oid: string): string {
    return join(this.dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
  }

  /** Pack every object with the real git and drop the loose copies. */
  gc(): void {
    execFileSync('git', ['-c', 'gc.auto=0', 'gc', '--quiet', '--prune=now'], {
      cwd: this.dir,
      stdio: 'pipe',
    });
  }
}
