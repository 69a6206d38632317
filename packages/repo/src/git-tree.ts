import { compareText } from '@shipshape/core';
import type { FileTree, ListOptions, TreeListing } from './file-tree.js';
import { type GitContext, type GitRepoOptions, gitContext } from './git-context.js';
import { readBlobBytes, readCommitObject, TreeReader } from './git-objects.js';
import { lookupPath, pathNotFound, readPath } from './git-path.js';
import { type GitWalk, walkGitTree } from './git-tree-walk.js';
import { RepoError, unreadable } from './repo-error.js';
import { splitRepoPath } from './repo-path.js';
import { resolveCommitOid } from './resolve-ref.js';

/**
 * Options of {@link gitTree}.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs';
 * const options: GitTreeOptions = { fs, dir: '/work/manifests', ref: 'origin/main' };
 * ```
 */
export interface GitTreeOptions extends GitRepoOptions {
  /**
   * A branch, tag (lightweight or annotated), remote branch (`origin/main`), full ref name
   * (`refs/heads/main`), `HEAD`, or a full or abbreviated (at least 4 hex digits) commit id,
   * optionally followed by `~N`, `^` or `^N`.
   */
  readonly ref: string;
}

/**
 * A {@link FileTree} read from a git commit, with the commit it resolved to.
 *
 * @example
 * ```ts
 * const tree: GitFileTree = await gitTree({ fs, dir: '.', ref: 'main' });
 * tree.commit; // '4f2c…' (40 hex digits)
 * ```
 */
export interface GitFileTree extends FileTree {
  readonly ref: string;
  /** The full oid of the commit `ref` named when the tree was made. */
  readonly commit: string;
}

/**
 * The files of a commit, read straight from the object store (loose objects and packfiles) with
 * isomorphic-git: no checkout, no working tree needed. The ref is resolved once, here; a ref that
 * does not exist throws `ref-not-found` with the known branches, one naming several commits
 * `ambiguous-ref`, a folder without a repository `not-a-repository`.
 *
 * Symlinks (mode 120000) are followed inside the tree, to files and folders; a link whose target
 * leaves the tree is skipped as `symlink-outside-tree`, a dangling one as `symlink-broken`, one
 * into its own folder chain as `symlink-loop`. Submodules (mode 160000) are skipped as
 * `submodule` with the commit as `detail`. Each blob is read only when `read` asks for it.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs';
 * const tree = await gitTree({ fs, dir: '/work/manifests', ref: 'v1.4.0' });
 * const { files } = await tree.list({ prefix: 'apps' });
 * const bytes = await tree.read('apps/web/deployment.yaml');
 * ```
 */
export async function gitTree(options: GitTreeOptions): Promise<GitFileTree> {
  const ctx = gitContext(options);
  const commit = await resolveCommitOid(ctx, options.ref);
  const root = (await readCommitObject(ctx, commit)).commit.tree;
  const reader = new TreeReader(ctx, { memo: true });
  const description = `${options.dir}@${options.ref}`;
  // Listed path → blob oid: reading what `list` returned needs no tree lookups.
  const index = new Map<string, string>();

  async function list(listOptions: ListOptions = {}): Promise<TreeListing> {
    const parts = splitRepoPath(listOptions.prefix ?? '', 'prefix');
    const walk: GitWalk = { reader, root, files: [], skipped: [], index };
    if (parts.length === 0) {
      await walkGitTree(walk, root, '', [], ['']);
    } else {
      const start = await locateFolder(ctx, reader, root, parts, description);
      const real = start.path === '' ? [] : start.path.split('/');
      const chain = real.map((_, i) => real.slice(0, i + 1).join('/'));
      await walkGitTree(walk, start.oid, parts.join('/'), real, ['', ...chain]);
    }
    return {
      files: walk.files.sort((a, b) => compareText(a.path, b.path)),
      skipped: walk.skipped.sort((a, b) => compareText(a.path, b.path)),
    };
  }

  async function read(path: string): Promise<Uint8Array> {
    const parts = splitRepoPath(path);
    const key = parts.join('/');
    const listed = index.get(key);
    if (listed !== undefined) return readBlobBytes(ctx, listed);
    if (key === '')
      throw new RepoError('not-a-file', `"" names the root of ${description}, not a file`, { path });
    const bytes = await readPath(reader, root, parts, description);
    if (bytes === undefined) throw pathNotFound(key, description);
    return bytes;
  }

  return { description, ref: options.ref, commit, list, read };
}

async function locateFolder(
  ctx: GitContext,
  reader: TreeReader,
  root: string,
  parts: readonly string[],
  description: string,
): Promise<{ oid: string; path: string }> {
  const prefix = parts.join('/');
  const result = await lookupPath(reader, root, parts, true);
  if (!result.found) {
    if (result.reason === 'not-found') {
      throw new RepoError('path-not-found', `no folder "${prefix}" in ${description}`, { path: prefix });
    }
    throw unreadable(prefix, description, result.reason, result.link);
  }
  if (result.entry.type !== 'tree') {
    throw new RepoError(
      'not-a-directory',
      `prefix "${prefix}" is a ${result.entry.type === 'commit' ? 'submodule' : 'file'} in ${description}, not a folder`,
      { path: prefix, gitdir: ctx.gitdir },
    );
  }
  return { oid: result.entry.oid, path: result.path };
}
