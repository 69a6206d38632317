import { RepoError } from './repo-error.js';

// Repository paths are POSIX strings relative to the tree root. These helpers do by hand what
// node:path would do, because the package must also run in a browser.

/**
 * Split a repository-relative path into its parts, dropping empty and `.` parts. Throws
 * `invalid-path` for absolute paths and for `..`, which could leave the tree.
 */
export function splitRepoPath(path: string, what = 'path'): string[] {
  if (path.startsWith('/')) {
    throw new RepoError(
      'invalid-path',
      `${what} "${path}" is absolute; give a path relative to the tree root`,
      { path },
    );
  }
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) {
    throw new RepoError('invalid-path', `${what} "${path}" contains ".."; paths must stay inside the tree`, {
      path,
    });
  }
  return parts;
}

/** {@link splitRepoPath}, joined again: `./a//b/` becomes `a/b`. */
export function normalizeRepoPath(path: string, what = 'path'): string {
  return splitRepoPath(path, what).join('/');
}

/** Join a folder path and a name; either may be `''`. */
export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  if (name === '') return dir;
  return `${dir}/${name}`;
}

/** Whether a path is `.git` or lies below a `.git` folder, which no tree lists. */
export function isInsideDotGit(parts: readonly string[]): boolean {
  return parts.includes('.git');
}

/**
 * Resolve a symlink target against the folder holding the link, both as parts. Returns `undefined`
 * when the target is absolute or climbs above the root: it points outside the tree.
 */
export function resolveLinkTarget(linkDir: readonly string[], target: string): string[] | undefined {
  if (target.startsWith('/') || /^[A-Za-z]:[\\/]/.test(target)) return undefined;
  const parts = [...linkDir];
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts;
}
