import { type GitRepoOptions, gitContext } from './git-context.js';
import { readCommitObject, TreeReader } from './git-objects.js';
import { readPath } from './git-path.js';
import { RepoError } from './repo-error.js';
import { splitRepoPath } from './repo-path.js';
import { resolveCommitOid } from './resolve-ref.js';

/**
 * Options of {@link readFileAt}.
 *
 * @example
 * ```ts
 * const options: ReadFileAtOptions = { fs, dir: '.', ref: '9fceb02', path: 'apps/web/deployment.yaml' };
 * ```
 */
export interface ReadFileAtOptions extends GitRepoOptions {
  /** Any ref {@link gitTree} accepts; a full commit oid is cheapest. */
  readonly ref: string;
  readonly path: string;
}

/**
 * The bytes of one file at one ref, or `undefined` when the path holds nothing there: the cheap
 * way to read a file at many commits while walking {@link log}. Symlinks are followed as in
 * {@link gitTree}; a folder throws `not-a-file`, and what a listing would skip (a link out of the
 * tree, a submodule) throws `unreadable`. Pass one `cache` to every call.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs';
 * const cache = {};
 * const bytes = await readFileAt({ fs, dir: '.', ref: 'HEAD~1', path: 'apps/web/deployment.yaml', cache });
 * if (bytes === undefined) console.log('not there yet');
 * ```
 */
export async function readFileAt(options: ReadFileAtOptions): Promise<Uint8Array | undefined> {
  const parts = splitRepoPath(options.path);
  if (parts.length === 0) {
    throw new RepoError('not-a-file', `"${options.path}" names the root of the repository, not a file`, {
      path: options.path,
    });
  }
  const ctx = gitContext(options);
  const { commit } = await readCommitObject(ctx, await resolveCommitOid(ctx, options.ref));
  const reader = new TreeReader(ctx, { memo: false });
  return readPath(reader, commit.tree, parts, `${options.dir}@${options.ref}`);
}
