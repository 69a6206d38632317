import type { SkipReason } from './file-tree.js';
import { RepoError, unreadable } from './repo-error.js';

/**
 * A directory entry as {@link FolderFs.readdir} returns it with `withFileTypes: true` (Node's
 * `fs.Dirent` fits).
 *
 * @example
 * ```ts
 * const entry: FolderDirent = { name: 'a.yaml', isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false };
 * ```
 */
export interface FolderDirent {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * What {@link FolderFs.stat} returns (Node's `fs.Stats` fits).
 *
 * @example
 * ```ts
 * const stats: FolderStats = { isFile: () => false, isDirectory: () => true };
 * ```
 */
export interface FolderStats {
  isFile(): boolean;
  isDirectory(): boolean;
}

/**
 * The file system a {@link folderTree} reads through: the subset of Node's `fs.promises` it needs,
 * so `fs.promises` itself fits, and so does any implementation for a browser (e.g. over the File
 * System Access API). Failures should be errors with a Node-style `code` (`ENOENT`, `EACCES`,
 * `ELOOP`, `ENOTDIR`, `EISDIR`).
 *
 * @example
 * ```ts
 * import { promises } from 'node:fs';
 * const fs: FolderFs = promises;
 * ```
 */
export interface FolderFs {
  /** One call per folder: the entries with their types, so files need no `stat`. */
  readdir(path: string, options: { withFileTypes: true }): Promise<FolderDirent[]>;
  readFile(path: string): Promise<Uint8Array>;
  /** Follows symlinks (used for symlinks and for the root only). */
  stat(path: string): Promise<FolderStats>;
  /** Canonical path, to keep symlinks from leaving the tree. */
  realpath(path: string): Promise<string>;
  /** Only for the `detail` of skipped symlinks and to tell a broken link from a missing file. */
  readlink(path: string): Promise<string>;
}

/** The Node-style `code` of an fs error, if any. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The skip reason for an fs error met while following a symlink. */
export function linkFailureReason(code: string | undefined): SkipReason {
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'symlink-broken';
  if (code === 'ELOOP') return 'symlink-loop';
  return 'unreadable';
}

/** Turn an fs error met while reading `path` of the tree `description` into a {@link RepoError}. */
export function folderError(error: unknown, path: string, description: string): RepoError {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new RepoError('path-not-found', `no file or folder "${path}" in ${description}`, { path }, error);
  }
  if (code === 'EISDIR') {
    return new RepoError(
      'not-a-file',
      `"${path}" is a folder in ${description}, not a file`,
      { path },
      error,
    );
  }
  const reason: SkipReason = code === 'ELOOP' ? 'symlink-loop' : 'unreadable';
  return unreadable(path, description, reason, code, error);
}

/**
 * Real paths use the platform's separator: `\` when the real root has backslashes and no slash
 * (Windows), else `/`.
 */
export interface RealPaths {
  readonly root: string;
  readonly sep: string;
}

export function realPaths(root: string): RealPaths {
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return { root, sep };
}

export function realJoin(paths: RealPaths, dir: string, name: string): string {
  return dir.endsWith(paths.sep) ? dir + name : dir + paths.sep + name;
}

export function isInsideRoot(paths: RealPaths, real: string): boolean {
  if (real === paths.root) return true;
  const below = paths.root.endsWith(paths.sep) ? paths.root : paths.root + paths.sep;
  return real.startsWith(below);
}
