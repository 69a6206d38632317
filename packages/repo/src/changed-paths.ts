import { compareText } from '@shipshape/core';
import { type GitRepoOptions, gitContext } from './git-context.js';
import { type GitTreeEntry, readCommitObject, TreeReader } from './git-objects.js';
import { MODE_LINK, MODE_SUBMODULE, MODE_TREE } from './git-path.js';
import { joinPath } from './repo-path.js';
import { resolveCommitOid } from './resolve-ref.js';

/**
 * The kinds of {@link PathChange}, in a stable order.
 *
 * @example
 * ```ts
 * CHANGE_KINDS.includes('renamed'); // true
 * ```
 */
export const CHANGE_KINDS = ['added', 'modified', 'deleted', 'renamed'] as const;

/**
 * One of {@link CHANGE_KINDS}.
 *
 * @example
 * ```ts
 * const kind: ChangeKind = 'modified';
 * ```
 */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * A path that differs between two commits. `renamed` carries `oldPath`.
 *
 * @example
 * ```ts
 * const change: PathChange = { path: 'apps/web/deploy.yaml', change: 'renamed', oldPath: 'web/deploy.yaml' };
 * ```
 */
export interface PathChange {
  readonly path: string;
  readonly change: ChangeKind;
  readonly oldPath?: string;
}

/**
 * Options of {@link changedPaths}.
 *
 * @example
 * ```ts
 * const options: ChangedPathsOptions = { fs, dir: '.', base: 'origin/main', head: 'HEAD' };
 * ```
 */
export interface ChangedPathsOptions extends GitRepoOptions {
  /** The ref to compare from (any ref {@link gitTree} accepts). */
  readonly base: string;
  /** The ref to compare to. */
  readonly head: string;
}

/** Git's empty blob: empty files are not paired as renames, as in git. */
const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

interface Leaf {
  readonly path: string;
  readonly oid: string;
  readonly mode: string;
}

/**
 * The files (blobs, symlinks and submodule entries) that differ between the commits `base` and
 * `head` names, sorted by path. The trees are compared recursively and subtrees with the same
 * oid are skipped unread, so the cost follows the size of the change, not of the repository.
 *
 * A content or mode change is `modified`. A deleted and an added blob with the same oid are one
 * `renamed` change (exact renames; several candidates pair up by equal file name first, then in
 * path order; empty files never pair). A rename with edits is reported as `deleted` plus `added`:
 * there is no similarity detection. A file replaced by a folder is `deleted` plus the folder's
 * files `added`.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs';
 * await changedPaths({ fs, dir: '.', base: 'main', head: 'feature' });
 * // [{ path: 'apps/web/deployment.yaml', change: 'modified' },
 * //  { path: 'apps/web/svc.yaml', change: 'renamed', oldPath: 'apps/web/service.yaml' }]
 * ```
 */
export async function changedPaths(options: ChangedPathsOptions): Promise<PathChange[]> {
  const ctx = gitContext(options);
  const [base, head] = await Promise.all([
    resolveCommitOid(ctx, options.base),
    resolveCommitOid(ctx, options.head),
  ]);
  const [baseCommit, headCommit] = await Promise.all([
    readCommitObject(ctx, base),
    readCommitObject(ctx, head),
  ]);
  const reader = new TreeReader(ctx, { memo: false });
  const deleted: Leaf[] = [];
  const added: Leaf[] = [];
  const changes: PathChange[] = [];
  await diffTrees(reader, baseCommit.commit.tree, headCommit.commit.tree, '', { deleted, added, changes });
  changes.push(...pairRenames(deleted, added));
  return changes.sort((a, b) => compareText(a.path, b.path) || compareText(a.change, b.change));
}

interface DiffOutput {
  readonly deleted: Leaf[];
  readonly added: Leaf[];
  readonly changes: PathChange[];
}

async function diffTrees(
  reader: TreeReader,
  a: string,
  b: string,
  dir: string,
  out: DiffOutput,
): Promise<void> {
  if (a === b) return;
  const [before, after] = await Promise.all([reader.entries(a), reader.entries(b)]);
  const beforeByName = new Map(before.map((e) => [e.path, e]));
  const pending: Promise<void>[] = [];
  for (const entry of after) {
    const old = beforeByName.get(entry.path);
    beforeByName.delete(entry.path);
    const path = joinPath(dir, entry.path);
    if (old === undefined) {
      pending.push(collect(reader, entry, path, out.added));
    } else if (old.mode === MODE_TREE && entry.mode === MODE_TREE) {
      pending.push(diffTrees(reader, old.oid, entry.oid, path, out));
    } else if (old.mode === MODE_TREE || entry.mode === MODE_TREE) {
      pending.push(collect(reader, old, path, out.deleted), collect(reader, entry, path, out.added));
    } else if (old.oid !== entry.oid || old.mode !== entry.mode) {
      out.changes.push({ path, change: 'modified' });
    }
  }
  for (const old of beforeByName.values()) {
    pending.push(collect(reader, old, joinPath(dir, old.path), out.deleted));
  }
  await Promise.all(pending);
}

/** Every leaf at or below `entry`. */
async function collect(reader: TreeReader, entry: GitTreeEntry, path: string, into: Leaf[]): Promise<void> {
  if (entry.mode !== MODE_TREE) {
    into.push({ path, oid: entry.oid, mode: entry.mode });
    return;
  }
  const entries = await reader.entries(entry.oid);
  await Promise.all(entries.map((child) => collect(reader, child, joinPath(path, child.path), into)));
}

function pairRenames(deleted: Leaf[], added: Leaf[]): PathChange[] {
  const byPath = (x: Leaf, y: Leaf) => compareText(x.path, y.path);
  deleted.sort(byPath);
  added.sort(byPath);
  const pool = new Map<string, Leaf[]>();
  for (const leaf of deleted) {
    if (leaf.oid === EMPTY_BLOB || leaf.mode === MODE_SUBMODULE) continue;
    const key = renameKey(leaf);
    pool.set(key, [...(pool.get(key) ?? []), leaf]);
  }
  const renamedFrom = new Map<Leaf, Leaf>();
  // Two passes: a file that moved folders keeps its name more often than not.
  for (const sameName of [true, false]) {
    for (const leaf of added) {
      const candidates = pool.get(renameKey(leaf));
      if (candidates === undefined || renamedFrom.has(leaf)) continue;
      const at = candidates.findIndex((c) => !sameName || baseName(c.path) === baseName(leaf.path));
      if (at < 0) continue;
      renamedFrom.set(leaf, candidates[at]!);
      candidates.splice(at, 1);
    }
  }
  const used = new Set(renamedFrom.values());
  return [
    ...deleted
      .filter((leaf) => !used.has(leaf))
      .map((leaf) => ({ path: leaf.path, change: 'deleted' as const })),
    ...added.map((leaf): PathChange => {
      const from = renamedFrom.get(leaf);
      return from === undefined
        ? { path: leaf.path, change: 'added' }
        : { path: leaf.path, change: 'renamed', oldPath: from.path };
    }),
  ];
}

/** Same content, and both symlinks or both files (a mode change 644 → 755 still pairs). */
function renameKey(leaf: Leaf): string {
  return `${leaf.mode === MODE_LINK ? 'link' : 'file'} ${leaf.oid}`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
