import { compareText } from '@shipshape/core';
import type { FileTree, ListOptions, TreeListing } from './file-tree.js';
import {
  errnoCode,
  type FolderFs,
  type FolderStats,
  folderError,
  isInsideRoot,
  type RealPaths,
  realPaths,
} from './folder-fs.js';
import { type FolderWalk, linkText, walkFolder } from './folder-walk.js';
import { RepoError, unreadable } from './repo-error.js';
import { isInsideDotGit, splitRepoPath } from './repo-path.js';

/**
 * A tree over a folder of the file system `fs` (Node's `fs.promises` fits {@link FolderFs}).
 *
 * - `list` walks every folder below `root` with one `readdir` each, skipping `.git` (folder or
 *   file) at any depth. A root that does not exist throws `path-not-found`.
 * - Symlinks are followed, to files and to folders, while their real path stays inside the real
 *   root; a link out of the tree is skipped as `symlink-outside-tree`, a dangling one as
 *   `symlink-broken`, one back into a folder it sits in as `symlink-loop`. A folder linked twice
 *   is listed under both paths, as `find -L` does.
 * - Sockets, FIFOs and devices are skipped as `special-file`, folders that cannot be read as
 *   `unreadable`. `list` does not open files: a file without read permission is listed and its
 *   `read` throws `unreadable`.
 * - The root may be a single file: `list` then returns that one file under its base name, and
 *   `read(<base name>)` reads it.
 *
 * @example
 * ```ts
 * import { promises } from 'node:fs';
 * const tree = folderTree('./manifests', promises);
 * const { files, skipped } = await tree.list();
 * const bytes = await tree.read(files[0].path);
 * ```
 */
export function folderTree(root: string, fs: FolderFs): FileTree {
  const base = root.length > 1 ? root.replace(/[\\/]+$/, '') : root;
  const description = root;
  // Listed path → real path: reading what `list` returned needs no further checks.
  let known = new Map<string, string>();

  const fsPath = (rel: string): string =>
    rel === '' ? base : base.endsWith('/') ? base + rel : `${base}/${rel}`;
  const name = base.split(/[\\/]/).pop() || base;

  async function statRoot(): Promise<FolderStats> {
    try {
      return await fs.stat(base);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new RepoError(
          'path-not-found',
          `"${root}" does not exist; pass an existing file or folder`,
          { path: root },
          error,
        );
      }
      throw unreadable(root, description, 'unreadable', code, error);
    }
  }

  async function list(options: ListOptions = {}): Promise<TreeListing> {
    const parts = splitRepoPath(options.prefix ?? '', 'prefix');
    const prefix = parts.join('/');
    const top = await statRoot();
    const real = realPaths(await fs.realpath(base));
    const walk: FolderWalk = { fs, real, description, files: [], skipped: [], known: new Map() };
    if (!top.isDirectory()) {
      if (prefix !== '')
        throw new RepoError('path-not-found', `no folder "${prefix}" in ${description}, which is a file`, {
          path: prefix,
        });
      if (top.isFile()) {
        walk.files.push({ path: name });
        walk.known.set(name, real.root);
      } else {
        walk.skipped.push({ path: name, reason: 'special-file' });
      }
    } else if (prefix === '') {
      await walkFolder(walk, real.root, '', [real.root], true);
    } else {
      if (isInsideDotGit(parts))
        throw new RepoError('path-not-found', `no folder "${prefix}" in ${description}`, { path: prefix });
      const start = await locateFolder(fs, real, fsPath(prefix), prefix, description);
      await walkFolder(walk, start, prefix, [real.root, start], true);
    }
    known = prefix === '' ? walk.known : new Map([...known, ...walk.known]);
    return {
      files: walk.files.sort((a, b) => compareText(a.path, b.path)),
      skipped: walk.skipped.sort((a, b) => compareText(a.path, b.path)),
    };
  }

  async function read(path: string): Promise<Uint8Array> {
    const parts = splitRepoPath(path);
    const key = parts.join('/');
    const listed = known.get(key);
    if (listed !== undefined) {
      try {
        return await fs.readFile(listed);
      } catch (error) {
        throw folderError(error, key, description);
      }
    }
    if (key === '')
      throw new RepoError('not-a-file', `"" names the root of ${description}, not a file`, { path: key });
    if (isInsideDotGit(parts))
      throw new RepoError('path-not-found', `no file "${key}" in ${description}`, { path: key });
    const top = await statRoot();
    if (!top.isDirectory()) {
      if (key !== name)
        throw new RepoError('path-not-found', `no file "${key}" in ${description}`, { path: key });
      return readChecked(fs, base, key, description);
    }
    const real = realPaths(await fs.realpath(base));
    return readChecked(fs, await locateInside(fs, real, fsPath(key), key, description), key, description);
  }

  return { description, list, read };
}

/** The real path of `full`, which must stay inside the real root. */
async function locateInside(
  fs: FolderFs,
  real: RealPaths,
  full: string,
  path: string,
  description: string,
): Promise<string> {
  let target: string;
  try {
    target = await fs.realpath(full);
  } catch (error) {
    const code = errnoCode(error);
    if ((code === 'ENOENT' || code === 'ENOTDIR') && (await linkText(fs, full)) !== undefined) {
      throw unreadable(path, description, 'symlink-broken', await linkText(fs, full), error);
    }
    throw folderError(error, path, description);
  }
  if (!isInsideRoot(real, target)) {
    throw unreadable(path, description, 'symlink-outside-tree', await linkText(fs, full));
  }
  return target;
}

async function locateFolder(
  fs: FolderFs,
  real: RealPaths,
  full: string,
  prefix: string,
  description: string,
): Promise<string> {
  const target = await locateInside(fs, real, full, prefix, description);
  let stats: FolderStats;
  try {
    stats = await fs.stat(target);
  } catch (error) {
    throw folderError(error, prefix, description);
  }
  if (!stats.isDirectory()) {
    throw new RepoError(
      'not-a-directory',
      `prefix "${prefix}" is a file in ${description}, not a folder; read it with read()`,
      { path: prefix },
    );
  }
  return target;
}

/** Read a path `list` has not vouched for: only regular files, never a FIFO that would block. */
async function readChecked(
  fs: FolderFs,
  target: string,
  path: string,
  description: string,
): Promise<Uint8Array> {
  try {
    const stats = await fs.stat(target);
    if (stats.isDirectory()) {
      throw new RepoError('not-a-file', `"${path}" is a folder in ${description}, not a file`, { path });
    }
    if (!stats.isFile()) throw unreadable(path, description, 'special-file');
    return await fs.readFile(target);
  } catch (error) {
    if (error instanceof RepoError) throw error;
    throw folderError(error, path, description);
  }
}
