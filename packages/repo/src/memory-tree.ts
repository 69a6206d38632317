import { compareText } from '@shipshape/core';
import type { FileTree, ListOptions, TreeEntry, TreeListing } from './file-tree.js';
import { RepoError } from './repo-error.js';
import { isInsideDotGit, normalizeRepoPath, splitRepoPath } from './repo-path.js';

/**
 * Options of {@link memoryTree}.
 *
 * @example
 * ```ts
 * const options: MemoryTreeOptions = { description: 'fixture deployment-privileged' };
 * ```
 */
export interface MemoryTreeOptions {
  /** What messages call the tree; default `memory`. */
  readonly description?: string;
}

/**
 * A tree held in memory, for tests, editors and web pages. Keys are repository-relative paths
 * (`./a//b` is read as `a/b`); strings are stored as UTF-8. The input is copied: changing it later
 * does not change the tree, and `read` returns a fresh copy each time. Paths below `.git/` are
 * left out as in every tree. Throws `invalid-path` for absolute paths, `..`, two keys naming the
 * same path, or a path that is both a file and a folder (`a` and `a/b`).
 *
 * @example
 * ```ts
 * const tree = memoryTree({ 'apps/web/deployment.yaml': 'kind: Deployment' });
 * await tree.list(); // { files: [{ path: 'apps/web/deployment.yaml', size: 16 }], skipped: [] }
 * await tree.read('apps/web/deployment.yaml'); // Uint8Array of 'kind: Deployment'
 * ```
 */
export function memoryTree(
  files: Readonly<Record<string, string | Uint8Array>>,
  options: MemoryTreeOptions = {},
): FileTree {
  const description = options.description ?? 'memory';
  const { blobs, dirs } = collect(files);
  const entries: TreeEntry[] = [...blobs]
    .map(([path, bytes]) => ({ path, size: bytes.byteLength }))
    .sort((a, b) => compareText(a.path, b.path));

  function listNow(listOptions: ListOptions): TreeListing {
    const prefix = normalizeRepoPath(listOptions.prefix ?? '', 'prefix');
    if (prefix === '') return { files: entries, skipped: [] };
    if (blobs.has(prefix)) {
      throw new RepoError(
        'not-a-directory',
        `prefix "${prefix}" is a file in ${description}, not a folder; read it with read()`,
        { path: prefix },
      );
    }
    if (!dirs.has(prefix)) {
      throw new RepoError('path-not-found', `no folder "${prefix}" in ${description}`, { path: prefix });
    }
    const below = `${prefix}/`;
    return { files: entries.filter((e) => e.path.startsWith(below)), skipped: [] };
  }

  function readNow(path: string): Uint8Array {
    const key = normalizeRepoPath(path);
    const bytes = blobs.get(key);
    if (bytes !== undefined) return bytes.slice();
    if (dirs.has(key)) {
      throw new RepoError('not-a-file', `"${key}" is a folder in ${description}, not a file`, { path: key });
    }
    throw new RepoError('path-not-found', `no file "${key}" in ${description}`, { path: key });
  }

  // Errors become rejections, as from the other trees.
  return {
    description,
    list: (listOptions = {}) => Promise.resolve(listOptions).then(listNow),
    read: (path) => Promise.resolve(path).then(readNow),
  };
}

function collect(files: Readonly<Record<string, string | Uint8Array>>): {
  blobs: Map<string, Uint8Array>;
  dirs: Set<string>;
} {
  const encoder = new TextEncoder();
  const blobs = new Map<string, Uint8Array>();
  const dirs = new Set<string>(['']);
  for (const [key, value] of Object.entries(files)) {
    const parts = splitRepoPath(key);
    if (parts.length === 0) {
      throw new RepoError('invalid-path', `memory tree key "${key}" names no file`, { path: key });
    }
    if (isInsideDotGit(parts)) continue;
    const path = parts.join('/');
    if (blobs.has(path)) {
      throw new RepoError('invalid-path', `memory tree keys name "${path}" twice`, { path });
    }
    blobs.set(path, typeof value === 'string' ? encoder.encode(value) : value.slice());
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const path of blobs.keys()) {
    if (dirs.has(path)) {
      throw new RepoError('invalid-path', `memory tree path "${path}" is both a file and a folder`, { path });
    }
  }
  return { blobs, dirs };
}
