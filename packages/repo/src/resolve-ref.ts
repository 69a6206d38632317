import type { GitContext } from './git-context.js';
import { gitErrorCode, readCommitObject } from './git-objects.js';
import { loadGit } from './load-git.js';
import { RepoError } from './repo-error.js';

// A ref is a name (`main`, `v1.2.0`, `origin/main`, `refs/heads/main`, `HEAD`, `@`) or an
// abbreviated commit id (at least 4 hex digits), optionally followed by `~N`, `^` or `^N`.

/**
 * Resolve a ref to the oid of the commit it names, peeling annotated tags. Names are tried as git
 * does (`refs/tags/`, `refs/heads/`, `refs/remotes/`, `refs/remotes/<name>/HEAD`), but where they
 * name different commits this throws `ambiguous-ref` instead of picking one. Names win over
 * commit-id prefixes, as in git.
 */
export async function resolveCommitOid(ctx: GitContext, ref: string): Promise<string> {
  const match = /^([^~^]+)((?:[~^]\d*)*)$/.exec(ref);
  if (match === null || ref.trim() !== ref) {
    throw new RepoError(
      'ref-not-found',
      `ref "${ref}" is not a ref this reader understands; use a branch, tag, commit id, HEAD, optionally with ~N or ^N`,
      { ref, dir: ctx.dir },
    );
  }
  const name = match[1] === '@' ? 'HEAD' : match[1]!;
  let oid = await resolveName(ctx, name, ref);
  for (const step of (match[2] ?? '').matchAll(/([~^])(\d*)/g)) {
    const count = step[2] === '' ? 1 : Number(step[2]);
    if (step[1] === '~') {
      for (let i = 0; i < count; i++) oid = await parentOf(ctx, oid, 0, ref);
    } else if (count > 0) {
      oid = await parentOf(ctx, oid, count - 1, ref);
    }
  }
  return oid;
}

async function parentOf(ctx: GitContext, oid: string, index: number, ref: string): Promise<string> {
  const { commit } = await readCommitObject(ctx, oid);
  const parent = commit.parent[index];
  if (parent === undefined) {
    throw new RepoError(
      'ref-not-found',
      `ref "${ref}" goes past the history: commit ${oid.slice(0, 7)} has ${commit.parent.length} parent(s)`,
      { ref, dir: ctx.dir, oid },
    );
  }
  return parent;
}

async function resolveName(ctx: GitContext, name: string, ref: string): Promise<string> {
  const candidates =
    name === 'HEAD' || name.startsWith('refs/')
      ? [name]
      : [`refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`];
  const found: { ref: string; commit: string }[] = [];
  for (const candidate of candidates) {
    const oid = await tryResolveRef(ctx, candidate);
    if (oid !== undefined) found.push({ ref: candidate, commit: await peel(ctx, oid, ref) });
  }
  const commits = [...new Set(found.map((f) => f.commit))];
  if (commits.length > 1) {
    const names = found.map((f) => f.ref);
    throw new RepoError(
      'ambiguous-ref',
      `ref "${ref}" is ambiguous in ${ctx.dir}: ${names.join(', ')} name different commits; give the full name`,
      { ref, dir: ctx.dir, candidates: names },
    );
  }
  if (commits[0] !== undefined) return commits[0];
  if (/^[0-9a-fA-F]{4,40}$/.test(name)) {
    const oid = await tryExpandOid(ctx, name.toLowerCase(), ref);
    if (oid !== undefined) return peel(ctx, oid, ref);
  }
  throw await notFound(ctx, ref);
}

async function tryResolveRef(ctx: GitContext, ref: string): Promise<string | undefined> {
  try {
    return await (await loadGit()).resolveRef({ fs: ctx.fs, dir: ctx.dir, gitdir: ctx.gitdir, ref });
  } catch (error) {
    if (gitErrorCode(error) === 'NotFoundError') return undefined;
    const message = error instanceof Error ? error.message : String(error);
    throw new RepoError(
      'ref-not-found',
      `cannot resolve ref "${ref}" in ${ctx.dir}: ${message}`,
      { ref },
      error,
    );
  }
}

async function tryExpandOid(ctx: GitContext, short: string, ref: string): Promise<string | undefined> {
  try {
    return await (await loadGit()).expandOid({
      fs: ctx.fs,
      dir: ctx.dir,
      gitdir: ctx.gitdir,
      oid: short,
      cache: ctx.cache,
    });
  } catch (error) {
    const code = gitErrorCode(error);
    if (code === 'NotFoundError') return undefined;
    if (code === 'AmbiguousError') {
      const matches = (error as { data?: { matches?: unknown } }).data?.matches;
      throw new RepoError(
        'ambiguous-ref',
        `commit id "${ref}" is ambiguous in ${ctx.dir}: several objects start with it; give more digits`,
        { ref, dir: ctx.dir, candidates: Array.isArray(matches) ? matches : [] },
        error,
      );
    }
    throw error;
  }
}

/** The commit an oid names: itself, or the commit an annotated tag (chain) points at. */
async function peel(ctx: GitContext, oid: string, ref: string): Promise<string> {
  try {
    return (await readCommitObject(ctx, oid)).oid;
  } catch (error) {
    if (error instanceof RepoError && gitErrorCode(error.cause) === 'ObjectTypeError') {
      throw new RepoError(
        'not-a-commit',
        `ref "${ref}" names ${oid}, which is not a commit; give a branch, a tag of a commit or a commit id`,
        { ref, dir: ctx.dir, oid },
        error.cause,
      );
    }
    throw error;
  }
}

async function notFound(ctx: GitContext, ref: string): Promise<RepoError> {
  if (!(await isRepository(ctx))) {
    return new RepoError(
      'not-a-repository',
      `${ctx.dir} is not a git repository (no HEAD in ${ctx.gitdir}); pass the repository's root folder, or gitdir for a bare repository`,
      { dir: ctx.dir, gitdir: ctx.gitdir },
    );
  }
  const where = { fs: ctx.fs, dir: ctx.dir, gitdir: ctx.gitdir };
  const git = await loadGit();
  const branches = await git.listBranches(where).catch(() => [] as string[]);
  const tags = await git.listTags(where).catch(() => [] as string[]);
  const known =
    branches.length === 0
      ? 'the repository has no branches yet (no commits?)'
      : `known branches: ${sample(branches)}${tags.length > 0 ? `; tags: ${sample(tags)}` : ''}`;
  return new RepoError('ref-not-found', `ref "${ref}" not found in ${ctx.dir}; ${known}`, {
    ref,
    dir: ctx.dir,
    branches,
    tags,
  });
}

function sample(names: readonly string[]): string {
  const shown = names.slice(0, 10).join(', ');
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}

/** Whether `gitdir` holds a HEAD; checked only after a ref was not found, so it costs nothing otherwise. */
async function isRepository(ctx: GitContext): Promise<boolean> {
  try {
    await (await loadGit()).resolveRef({
      fs: ctx.fs,
      dir: ctx.dir,
      gitdir: ctx.gitdir,
      ref: 'HEAD',
      depth: 1,
    });
    return true;
  } catch (error) {
    return gitErrorCode(error) !== 'NotFoundError';
  }
}
