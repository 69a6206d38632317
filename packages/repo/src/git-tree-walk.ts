import type { SkippedEntry, SkipReason, TreeEntry } from './file-tree.js';
import type { GitTreeEntry, TreeReader } from './git-objects.js';
import { lookupPath, MODE_LINK, MODE_SUBMODULE, MODE_TREE } from './git-path.js';
import { joinPath } from './repo-path.js';

/** What a git tree walk collects; `index` maps each listed path to the blob it reads. */
export interface GitWalk {
  readonly reader: TreeReader;
  /** The commit's root tree, where symlinks are resolved. */
  readonly root: string;
  readonly files: TreeEntry[];
  readonly skipped: SkippedEntry[];
  readonly index: Map<string, string>;
}

/**
 * List the tree `oid`, shown at `shown`, whose real location is `real` (they differ below a
 * symlinked folder). `chain` holds the real paths of the folders from the root down; a symlink back
 * into one of them is a loop. Subtrees are read concurrently through the shared isomorphic-git cache.
 */
export async function walkGitTree(
  walk: GitWalk,
  oid: string,
  shown: string,
  real: readonly string[],
  chain: readonly string[],
): Promise<void> {
  const entries = await walk.reader.entries(oid);
  await Promise.all(
    entries.map((entry) => visit(walk, entry, joinPath(shown, entry.path), [...real, entry.path], chain)),
  );
}

async function visit(
  walk: GitWalk,
  entry: GitTreeEntry,
  path: string,
  real: readonly string[],
  chain: readonly string[],
): Promise<void> {
  if (entry.path === '.git') return;
  if (entry.mode === MODE_TREE) {
    await walkGitTree(walk, entry.oid, path, real, [...chain, real.join('/')]);
  } else if (entry.mode === MODE_SUBMODULE) {
    skip(walk, path, 'submodule', entry.oid);
  } else if (entry.mode === MODE_LINK) {
    await visitLink(walk, path, real, chain);
  } else if (entry.type === 'blob') {
    walk.files.push({ path });
    walk.index.set(path, entry.oid);
  } else {
    skip(walk, path, 'special-file', entry.mode);
  }
}

/** A symlink is listed like its target when the target stays inside the tree. */
async function visitLink(walk: GitWalk, path: string, real: readonly string[], chain: readonly string[]) {
  const result = await lookupPath(walk.reader, walk.root, real, true);
  if (!result.found) {
    skip(walk, path, result.reason === 'not-found' ? 'symlink-broken' : result.reason, result.link);
    return;
  }
  const { entry } = result;
  if (entry.type === 'blob') {
    walk.files.push({ path });
    walk.index.set(path, entry.oid);
  } else if (entry.type === 'commit') {
    skip(walk, path, 'submodule', entry.oid);
  } else if (chain.includes(result.path)) {
    skip(walk, path, 'symlink-loop', result.link);
  } else {
    const target = result.path === '' ? [] : result.path.split('/');
    await walkGitTree(walk, entry.oid, path, target, [...chain, result.path]);
  }
}

function skip(walk: GitWalk, path: string, reason: SkipReason, detail?: string): void {
  walk.skipped.push(detail === undefined ? { path, reason } : { path, reason, detail });
}
