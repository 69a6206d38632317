import type { CommitObject, TreeEntry as GitTreeEntry } from 'isomorphic-git';
import type { GitContext } from './git-context.js';
import { loadGit } from './load-git.js';
import { enableDeltaBaseCache } from './pack-delta-cache.js';
import { RepoError } from './repo-error.js';

export type { GitTreeEntry };

/** The `code` isomorphic-git puts on its errors (`NotFoundError`, `AmbiguousError`, …). */
export function gitErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Every failure while reading an object that a ref or tree names means the store is damaged: the
 * object is missing (`NotFoundError`, e.g. a partial clone) or cannot be inflated, checked or parsed
 * (isomorphic-git's `DecompressionError`, `InternalError`, `ObjectTypeError`, or an error of its
 * parsers).
 */
export function objectError(error: unknown, ctx: GitContext, oid: string, what: string): RepoError {
  if (error instanceof RepoError) return error;
  if (gitErrorCode(error) === 'NotFoundError') {
    return new RepoError(
      'missing-object',
      `${what} ${oid} is missing from ${ctx.gitdir}; if this is a partial or shallow clone, fetch the full history`,
      { oid, gitdir: ctx.gitdir },
      error,
    );
  }
  return new RepoError(
    'corrupt-object',
    `${what} ${oid} in ${ctx.gitdir} is corrupt (${messageOf(error)}); run "git fsck" and repair or re-clone the repository`,
    { oid, gitdir: ctx.gitdir },
    error,
  );
}

/**
 * Run an object read; when the object seems missing, forget the remembered store listings and
 * try once more (the store may have been repacked since they were taken).
 */
async function readObject<T>(ctx: GitContext, oid: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    const result = await read();
    enableDeltaBaseCache(ctx.cache);
    return result;
  } catch (error) {
    if (gitErrorCode(error) !== 'NotFoundError') throw objectError(error, ctx, oid, what);
  }
  ctx.refresh();
  try {
    return await read();
  } catch (error) {
    throw objectError(error, ctx, oid, what);
  }
}

export async function readTreeEntries(ctx: GitContext, oid: string): Promise<GitTreeEntry[]> {
  const { fs, dir, gitdir, cache } = ctx;
  const { tree } = await readObject(ctx, oid, 'tree', async () =>
    (await loadGit()).readTree({ fs, dir, gitdir, oid, cache }),
  );
  return tree;
}

export async function readBlobBytes(ctx: GitContext, oid: string): Promise<Uint8Array> {
  const { fs, dir, gitdir, cache } = ctx;
  const { blob } = await readObject(ctx, oid, 'blob', async () =>
    (await loadGit()).readBlob({ fs, dir, gitdir, oid, cache }),
  );
  return blob;
}

/** Read a commit; annotated tags are peeled, so `oid` in the result is the commit's own. */
export async function readCommitObject(
  ctx: GitContext,
  oid: string,
): Promise<{ oid: string; commit: CommitObject }> {
  const { fs, dir, gitdir, cache } = ctx;
  const result = await readObject(ctx, oid, 'commit', async () =>
    (await loadGit()).readCommit({ fs, dir, gitdir, oid, cache }),
  );
  return { oid: result.oid, commit: result.commit };
}

/** A commit, or `undefined` when it is missing (the parent of a shallow clone's boundary commit). */
export async function readCommitIfPresent(
  ctx: GitContext,
  oid: string,
): Promise<{ oid: string; commit: CommitObject } | undefined> {
  try {
    return await readCommitObject(ctx, oid);
  } catch (error) {
    if (error instanceof RepoError && error.code === 'missing-object') return undefined;
    throw error;
  }
}

/**
 * Reads trees and looks names up in them. With `memo`, each tree is parsed once for the reader's
 * lifetime (a `FileTree` that lists and then reads); without, nothing is kept (long history walks).
 */
export class TreeReader {
  readonly ctx: GitContext;
  readonly #memo: Map<string, Promise<Map<string, GitTreeEntry>>> | undefined;

  constructor(ctx: GitContext, options: { memo: boolean }) {
    this.ctx = ctx;
    this.#memo = options.memo ? new Map() : undefined;
  }

  async entries(oid: string): Promise<readonly GitTreeEntry[]> {
    if (this.#memo === undefined) return readTreeEntries(this.ctx, oid);
    return [...(await this.#byName(oid)).values()];
  }

  async lookup(oid: string, name: string): Promise<GitTreeEntry | undefined> {
    if (this.#memo === undefined) return (await readTreeEntries(this.ctx, oid)).find((e) => e.path === name);
    return (await this.#byName(oid)).get(name);
  }

  #byName(oid: string): Promise<Map<string, GitTreeEntry>> {
    const memo = this.#memo!;
    let entries = memo.get(oid);
    if (entries === undefined) {
      entries = readTreeEntries(this.ctx, oid).then((tree) => new Map(tree.map((e) => [e.path, e])));
      memo.set(oid, entries);
    }
    return entries;
  }
}
