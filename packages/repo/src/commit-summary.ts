import type { CommitObject } from 'isomorphic-git';

/**
 * A commit as {@link log} returns it: enough to walk the history (parents) and to show it.
 *
 * @example
 * ```ts
 * const commit: CommitSummary = {
 *   oid: '9fceb02d0ae598e95dc970b74767f19372d61af8',
 *   parents: ['2a3c1e5b0c1f5e0f4fd3c1bbd0d0f1a6e3b0e1d2'],
 *   author: { name: 'Ada', email: 'ada@example.com' },
 *   date: '2024-05-01T12:00:00Z',
 *   message: 'Raise web replicas to 3',
 * };
 * ```
 */
export interface CommitSummary {
  readonly oid: string;
  /** Parent oids, first parent first; `[]` for a root commit. */
  readonly parents: readonly string[];
  readonly author: { readonly name: string; readonly email: string };
  /** The author timestamp as ISO 8601 in UTC, to the second: `2024-05-01T12:00:00Z`. */
  readonly date: string;
  /** The full commit message, trimmed. */
  readonly message: string;
}

export function summarizeCommit(oid: string, commit: CommitObject): CommitSummary {
  return {
    oid,
    parents: [...commit.parent],
    author: { name: commit.author.name, email: commit.author.email },
    date: new Date(commit.author.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    message: commit.message.trim(),
  };
}
