import type { CommitObject } from 'isomorphic-git';
import { type CommitSummary, summarizeCommit } from './commit-summary.js';
import { type GitRepoOptions, gitContext } from './git-context.js';
import { readCommitIfPresent, readCommitObject } from './git-objects.js';
import { RepoError } from './repo-error.js';
import { resolveCommitOid } from './resolve-ref.js';

/**
 * Options of {@link log}.
 *
 * @example
 * ```ts
 * const options: LogOptions = { fs, dir: '.', ref: 'main', depth: 50, firstParent: true };
 * ```
 */
export interface LogOptions extends GitRepoOptions {
  /** Where to start; default `HEAD`. Any ref {@link gitTree} accepts. */
  readonly ref?: string;
  /** At most this many commits (a non-negative integer); default: all. */
  readonly depth?: number;
  /** Follow only first parents (the mainline of merges), as {@link history} does; default `false`. */
  readonly firstParent?: boolean;
}

interface Queued {
  readonly oid: string;
  readonly commit: CommitObject;
}

/**
 * The commits reachable from `ref`, newest first by committer date (ties by oid), each once,
 * with its parents: for callers that walk history themselves, e.g. to follow one Kubernetes
 * resource with {@link changedPaths} between a commit and its first parent and {@link readFileAt}.
 * In a shallow clone the walk ends at the boundary commits; their `parents` still name the
 * commits that are not there.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs';
 * const commits = await log({ fs, dir: '.', depth: 2 });
 * // [{ oid: '9fce…', parents: ['2a3c…'], author: { name: 'Ada', email: 'ada@example.com' },
 * //    date: '2024-05-01T12:00:00Z', message: 'Raise web replicas to 3' }, …]
 * ```
 */
export async function log(options: LogOptions): Promise<CommitSummary[]> {
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  if (options.depth !== undefined && !(Number.isInteger(depth) && depth >= 0)) {
    throw new RepoError('invalid-argument', `depth must be a non-negative integer, got ${String(depth)}`, {
      depth,
    });
  }
  const ctx = gitContext(options);
  const start = await readCommitObject(ctx, await resolveCommitOid(ctx, options.ref ?? 'HEAD'));
  const queue: Queued[] = [start];
  const seen = new Set<string>([start.oid]);
  const out: CommitSummary[] = [];
  while (out.length < depth) {
    const next = queue.shift();
    if (next === undefined) break;
    out.push(summarizeCommit(next.oid, next.commit));
    const parents = options.firstParent === true ? next.commit.parent.slice(0, 1) : next.commit.parent;
    for (const parent of parents) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      const queued = await readCommitIfPresent(ctx, parent);
      if (queued !== undefined) enqueue(queue, queued);
    }
  }
  return out;
}

/** Keep the queue newest first by committer date, ties by oid. */
function enqueue(queue: Queued[], item: Queued): void {
  const time = item.commit.committer.timestamp;
  let at = queue.length;
  while (at > 0) {
    const before = queue[at - 1]!;
    const beforeTime = before.commit.committer.timestamp;
    if (beforeTime > time || (beforeTime === time && before.oid < item.oid)) break;
    at -= 1;
  }
  queue.splice(at, 0, item);
}
