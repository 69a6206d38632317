import type { FsClient } from 'isomorphic-git';
import { adaptGitFs } from './git-fs-adapter.js';

/**
 * The file system isomorphic-git reads a repository through: Node's `fs` module (or an object
 * with `promises`), LightningFS in a browser, or any other `FsClient`.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs';
 * const gitFs: GitFs = fs;
 * ```
 */
export type GitFs = FsClient;

/**
 * Where a repository is and how to read it; the common options of every git function here.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs';
 * const repo: GitRepoOptions = { fs, dir: '/work/manifests', cache: {} };
 * ```
 */
export interface GitRepoOptions {
  readonly fs: GitFs;
  /** The working tree; the repository is `<dir>/.git` unless `gitdir` says otherwise. */
  readonly dir: string;
  /** The git directory, for bare repositories or unusual layouts. */
  readonly gitdir?: string;
  /**
   * isomorphic-git's cache object. Share one between calls on the same repository so packfile
   * indexes are loaded once; each call makes its own when it is left out.
   */
  readonly cache?: object;
}

/**
 * {@link GitRepoOptions} with the defaults filled in; `fs` is the caller's wrapped by
 * {@link adaptGitFs}, and `refresh` forgets what that wrapper remembered.
 */
export interface GitContext {
  readonly fs: GitFs;
  readonly dir: string;
  readonly gitdir: string;
  readonly cache: object;
  refresh(): void;
}

export function gitContext(options: GitRepoOptions): GitContext {
  const dir = options.dir;
  const gitdir = trimSlashes(options.gitdir ?? (dir === '/' ? '/.git' : `${trimSlashes(dir)}/.git`));
  const adapter = adaptGitFs(options.fs, gitdir);
  return { fs: adapter.fs, dir, gitdir, cache: options.cache ?? {}, refresh: () => adapter.refresh() };
}

function trimSlashes(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
