import type { SkipReason } from './file-tree.js';

/**
 * Every error code {@link RepoError} can carry, in a stable order.
 *
 * - `not-a-repository`: `dir` / `gitdir` holds no git repository.
 * - `ref-not-found`: the ref names no branch, tag, remote branch or commit (or walks past the root).
 * - `ambiguous-ref`: the ref names several different commits (a branch and a tag, or a short id).
 * - `not-a-commit`: the ref resolves to a tree or blob instead of a commit.
 * - `corrupt-object`: an object in the store cannot be inflated, fails its checksum or cannot be parsed.
 * - `missing-object`: an object the history refers to is not in the store (a partial clone?).
 * - `path-not-found`: no file or folder at that path.
 * - `not-a-file`: `read` was given a folder.
 * - `not-a-directory`: `list({ prefix })` was given a file.
 * - `unreadable`: the path exists but cannot or will not be read; `data.reason` is a `SkipReason`.
 * - `invalid-path`: the path is absolute, contains `..`, or (in a memory tree) clashes with a folder.
 * - `invalid-argument`: another option has a value that cannot work (e.g. `depth: -1`).
 *
 * @example
 * ```ts
 * REPO_ERROR_CODES.includes('ref-not-found'); // true
 * ```
 */
export const REPO_ERROR_CODES = [
  'not-a-repository',
  'ref-not-found',
  'ambiguous-ref',
  'not-a-commit',
  'corrupt-object',
  'missing-object',
  'path-not-found',
  'not-a-file',
  'not-a-directory',
  'unreadable',
  'invalid-path',
  'invalid-argument',
] as const;

/**
 * One of {@link REPO_ERROR_CODES}.
 *
 * @example
 * ```ts
 * const code: RepoErrorCode = 'path-not-found';
 * ```
 */
export type RepoErrorCode = (typeof REPO_ERROR_CODES)[number];

/**
 * The one error class of `@shipshape/repo`: failed I/O and configuration mistakes (a missing ref, a
 * missing path, a corrupt object). `code` is stable, `data` holds the facts as plain values, the
 * message says what to do, and `cause` keeps the underlying error (e.g. isomorphic-git's).
 *
 * @example
 * ```ts
 * try {
 *   await gitTree({ fs, dir: '/repo', ref: 'relese' });
 * } catch (error) {
 *   if (error instanceof RepoError && error.code === 'ref-not-found') {
 *     console.error(error.message); // ref "relese" not found in /repo; known branches: main, release
 *   }
 * }
 * ```
 */
export class RepoError extends Error {
  override readonly name = 'RepoError';
  readonly code: RepoErrorCode;
  readonly data: Record<string, unknown>;

  constructor(code: RepoErrorCode, message: string, data: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.data = data;
  }
}

/** The `unreadable` error for an entry that `list` skips for `reason`. */
export function unreadable(
  path: string,
  description: string,
  reason: SkipReason,
  detail?: string,
  cause?: unknown,
): RepoError {
  const why: Record<SkipReason, string> = {
    'symlink-outside-tree': 'it is a symlink that points outside the tree',
    'symlink-broken': 'it is a symlink whose target does not exist',
    'symlink-loop': 'it is a symlink that loops back on itself',
    submodule: 'it is a git submodule; read the submodule repository itself',
    'special-file': 'it is not a regular file (socket, FIFO or device)',
    unreadable:
      detail === 'EACCES' || detail === 'EPERM'
        ? `permission denied (${detail}); check its permissions`
        : `access failed${detail === undefined ? '' : ` (${detail})`}`,
  };
  const data: Record<string, unknown> = { path, reason };
  if (detail !== undefined) data['detail'] = detail;
  return new RepoError('unreadable', `cannot read "${path}" in ${description}: ${why[reason]}`, data, cause);
}
