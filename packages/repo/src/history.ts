import type { CommitSummary } from './commit-summary.js';
import { summarizeCommit } from './commit-summary.js';
import { type GitRepoOptions, gitContext } from './git-context.js';
import { type GitTreeEntry, readCommitIfPresent, readCommitObject, TreeReader } from './git-objects.js';
import { RepoError } from './repo-error.js';
import { splitRepoPath } from './repo-path.js';
import { resolveCommitOid } from './resolve-ref.js';

/**
 * Options of {@link history}.
 *
 * @example
 * ```ts
 * const options: HistoryOptions = { fs, dir: '.', path: 'apps/web/deployment.yaml' };
 * ```
 */
export interface HistoryOptions extends GitRepoOptions {
  /** Where to start; default `HEAD`. */
  readonly ref?: string;
  /** A file or folder, repository-relative. */
  readonly path: string;
  /** Reserved: renames are not followed (see {@link history}). */
  readonly follow?: never;
}

/**
 * A commit that changed a path, and how.
 *
 * @example
 * ```ts
 * const info: CommitInfo = {
 *   oid: '9fceb02d0ae598e95dc970b74767f19372d61af8', parents: [],
 *   author: { name: 'Ada', email: 'ada@example.com' }, date: '2024-05-01T12:00:00Z',
 *   message: 'Add web', change: 'added',
 * };
 * ```
 */
export interface CommitInfo extends CommitSummary {
  readonly change: 'added' | 'modified' | 'deleted';
}

/** The trees on the way to a path and the entry at its end, so a parent can reuse equal subtrees. */
interface Trail {
  readonly trees: readonly string[];
  readonly leaf: GitTreeEntry | undefined;
}

/**
 * The commits that added, modified or deleted the entry at `path` (a file, or a folder whose tree
 * changed), newest first. The walk follows first parents only, as `git log --first-parent`: a
 * change made on a merged branch is reported at the merge commit, and renames are not followed (a
 * rename shows as `added` here and `deleted` at the old path). Each commit is compared with its
 * first parent by walking down the path and stopping at the first subtree both share, so unchanged
 * commits cost one or two tree reads. A root commit, or the boundary of a shallow clone, counts
 * as adding whatever it holds.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs';
 * await history({ fs, dir: '.', path: 'apps/web/deployment.yaml' });
 * // [{ oid: 'c3…', change: 'deleted', … }, { oid: 'b2…', change: 'modified', … }, { oid: 'a1…', change: 'added', … }]
 * ```
 */
export async function history(options: HistoryOptions): Promise<CommitInfo[]> {
  const parts = splitRepoPath(options.path);
  if (parts.length === 0) {
    throw new RepoError('invalid-argument', 'history needs the path of a file or folder, not the root', {
      path: options.path,
    });
  }
  const ctx = gitContext(options);
  const reader = new TreeReader(ctx, { memo: false });
  let current = await readCommitObject(ctx, await resolveCommitOid(ctx, options.ref ?? 'HEAD'));
  let trail = await trailOf(reader, current.commit.tree, parts);
  const out: CommitInfo[] = [];
  for (;;) {
    const first = current.commit.parent[0];
    const parent = first === undefined ? undefined : await readCommitIfPresent(ctx, first);
    const parentTrail =
      parent === undefined ? undefined : await trailOf(reader, parent.commit.tree, parts, trail);
    const change = classify(parentTrail?.leaf, trail.leaf);
    if (change !== undefined) out.push({ ...summarizeCommit(current.oid, current.commit), change });
    if (parent === undefined || parentTrail === undefined) return out;
    current = parent;
    trail = parentTrail;
  }
}

function classify(
  before: GitTreeEntry | undefined,
  after: GitTreeEntry | undefined,
): CommitInfo['change'] | undefined {
  if (before === undefined) return after === undefined ? undefined : 'added';
  if (after === undefined) return 'deleted';
  return before.oid === after.oid && before.mode === after.mode ? undefined : 'modified';
}

/**
 * Walk `parts` down from `root`. Where a tree on the way equals the one at the same depth of
 * `like` (the child commit's trail), the rest is the same and is taken from `like` unread.
 */
async function trailOf(
  reader: TreeReader,
  root: string,
  parts: readonly string[],
  like?: Trail,
): Promise<Trail> {
  const trees: string[] = [];
  let tree = root;
  for (let i = 0; i < parts.length; i++) {
    if (like !== undefined && like.trees[i] === tree) {
      return { trees: [...trees, ...like.trees.slice(i)], leaf: like.leaf };
    }
    trees.push(tree);
    const entry = await reader.lookup(tree, parts[i]!);
    if (entry === undefined || i === parts.length - 1) return { trees, leaf: entry };
    if (entry.type !== 'tree') return { trees, leaf: undefined };
    tree = entry.oid;
  }
  return { trees, leaf: undefined };
}
