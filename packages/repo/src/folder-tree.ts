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
import { createLimiter } from './limit.js';
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
  const folder: Folder = {
    root,
    base,
    name: base.split(/[\\/]/).pop() || base,
    io: limitReads(fs),
    known: new Map(),
  };
  return {
    description: root,
    list: (options = {}) => listFolder(folder, options),
    read: (path) => readFolder(folder, path),
  };
}

interface Folder {
  /** The root as given, which is also the description. */
  readonly root: string;
  /** The root without trailing slashes. */
  readonly base: string;
  /** The root's base name: the one path of a tree whose root is a file. */
  readonly name: string;
  readonly io: FolderFs;
  /** Listed path → real path: reading what `list` returned needs no further checks. */
  known: Map<string, string>;
}

function fsPath(folder: Folder, rel: string): string {
  if (rel === '') return folder.base;
  return folder.base.endsWith('/') ? folder.base + rel : `${folder.base}/${rel}`;
}

async function statRoot(folder: Folder): Promise<FolderStats> {
  try {
    return await folder.io.stat(folder.base);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const message = `"${folder.root}" does not exist; pass an existing file or folder`;
      throw new RepoError('path-not-found', message, { path: folder.root }, error);
    }
    throw unreadable(folder.root, folder.root, 'unreadable', code, error);
  }
}

async function realRoot(folder: Folder): Promise<RealPaths> {
  try {
    return realPaths(await folder.io.realpath(folder.base));
  } catch (error) {
    throw folderError(error, '', folder.root);
  }
}

async function listFolder(folder: Folder, options: ListOptions): Promise<TreeListing> {
  const parts = splitRepoPath(options.prefix ?? '', 'prefix');
  const prefix = parts.join('/');
  const description = folder.root;
  const top = await statRoot(folder);
  const real = await realRoot(folder);
  const walk: FolderWalk = { fs: folder.io, real, description, files: [], skipped: [], known: new Map() };
  if (!top.isDirectory()) {
    if (prefix !== '') {
      throw new RepoError('path-not-found', `no folder "${prefix}" in ${description}, which is a file`, {
        path: prefix,
      });
    }
    if (top.isFile()) {
      walk.files.push({ path: folder.name });
      walk.known.set(folder.name, real.root);
    } else {
      walk.skipped.push({ path: folder.name, reason: 'special-file' });
    }
  } else if (prefix === '') {
    await walkFolder(walk, real.root, '', [real.root], true);
  } else {
    if (isInsideDotGit(parts)) {
      throw new RepoError('path-not-found', `no folder "${prefix}" in ${description}`, { path: prefix });
    }
    const start = await locateFolder(folder.io, real, fsPath(folder, prefix), prefix, description);
    await walkFolder(walk, start, prefix, [real.root, start], true);
  }
  folder.known = prefix === '' ? walk.known : new Map([...folder.known, ...walk.known]);
  return {
    files: walk.files.sort((a, b) => compareText(a.path, b.path)),
    skipped: walk.skipped.sort((a, b) => compareText(a.path, b.path)),
  };
}

async function readFolder(folder: Folder, path: string): Promise<Uint8Array> {
  const parts = splitRepoPath(path);
  const key = parts.join('/');
  const description = folder.root;
  const listed = folder.known.get(key);
  if (listed !== undefined) {
    try {
      return await folder.io.readFile(listed);
    } catch (error) {
      throw folderError(error, key, description);
    }
  }
  if (key === '') {
    throw new RepoError('not-a-file', `"" names the root of ${description}, not a file`, { path: key });
  }
  const top = await statRoot(folder);
  if (isInsideDotGit(parts) || (!top.isDirectory() && key !== folder.name)) {
    throw new RepoError('path-not-found', `no file "${key}" in ${description}`, { path: key });
  }
  if (!top.isDirectory()) return readChecked(folder.io, folder.base, key, description);
  const target = await locateInside(folder.io, await realRoot(folder), fsPath(folder, key), key, description);
  return readChecked(folder.io, target, key, description);
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
    const link = code === 'ENOENT' || code === 'ENOTDIR' ? await linkText(fs, full) : undefined;
    if (link !== undefined) throw unreadable(path, description, 'symlink-broken', link, error);
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

/**
 * `fs` with at most 64 reads open at once: callers read thousands of files concurrently, and each
 * open read holds a file descriptor (EMFILE past the process limit).
 */
function limitReads(fs: FolderFs): FolderFs {
  const limit = createLimiter(64);
  return {
    readdir: (path, options) => fs.readdir(path, options),
    readFile: (path) => limit(() => fs.readFile(path)),
    stat: (path) => fs.stat(path),
    realpath: (path) => fs.realpath(path),
    readlink: (path) => fs.readlink(path),
  };
}
