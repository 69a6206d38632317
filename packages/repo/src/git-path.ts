import type { SkipReason } from './file-tree.js';
import { type GitTreeEntry, readBlobBytes, type TreeReader } from './git-objects.js';
import { RepoError, unreadable } from './repo-error.js';
import { resolveLinkTarget } from './repo-path.js';

/** As Linux: more symlinks than this on one path is taken for a loop. */
const MAX_LINK_HOPS = 40;

export const MODE_TREE = '040000';
export const MODE_LINK = '120000';
export const MODE_SUBMODULE = '160000';

/** Where a path leads in a git tree, after following symlinks. */
export type PathLookup =
  | { readonly found: true; readonly path: string; readonly entry: GitTreeEntry; readonly link?: string }
  | { readonly found: false; readonly reason: 'not-found' | SkipReason; readonly link?: string };

/**
 * Find `parts` in the tree `root`, following symlinks on the way (and at the end when
 * `followLast`). A link's target is resolved against the link's real folder and restarted from the
 * root, so links through links work; a target that is absolute or climbs above the root is
 * `symlink-outside-tree`. `link` is the first link's target as written, for messages.
 */
export async function lookupPath(
  reader: TreeReader,
  root: string,
  parts: readonly string[],
  followLast: boolean,
): Promise<PathLookup> {
  let remaining = [...parts];
  let hops = 0;
  let link: string | undefined;
  const missing = (): PathLookup => ({
    found: false,
    reason: hops > 0 ? 'symlink-broken' : 'not-found',
    link,
  });
  for (;;) {
    let current: GitTreeEntry = { mode: MODE_TREE, path: '', oid: root, type: 'tree' };
    const done: string[] = [];
    let next: string[] | undefined;
    for (let i = 0; i < remaining.length && next === undefined; i++) {
      const name = remaining[i]!;
      if (current.type !== 'tree') return missing();
      const entry = await reader.lookup(current.oid, name);
      if (entry === undefined) return missing();
      if (entry.mode === MODE_LINK && (followLast || i < remaining.length - 1)) {
        hops += 1;
        if (hops > MAX_LINK_HOPS) return { found: false, reason: 'symlink-loop', link };
        const text = new TextDecoder().decode(await readBlobBytes(reader.ctx, entry.oid));
        link ??= text;
        const target = resolveLinkTarget(done, text);
        if (target === undefined) return { found: false, reason: 'symlink-outside-tree', link };
        next = [...target, ...remaining.slice(i + 1)];
      } else {
        done.push(name);
        current = entry;
      }
    }
    if (next === undefined) return { found: true, path: done.join('/'), entry: current, link };
    remaining = next;
  }
}

/**
 * The blob a path of the tree `root` holds, following symlinks inside the tree; `undefined`
 * when there is nothing at `path`. Throws `not-a-file` for folders and `unreadable` for what
 * `list` skips.
 */
export async function readPath(
  reader: TreeReader,
  root: string,
  parts: readonly string[],
  description: string,
): Promise<Uint8Array | undefined> {
  const path = parts.join('/');
  const result = await lookupPath(reader, root, parts, true);
  if (!result.found) {
    if (result.reason === 'not-found') return undefined;
    throw unreadable(path, description, result.reason, result.link);
  }
  if (result.entry.type === 'tree') {
    throw new RepoError('not-a-file', `"${path}" is a folder in ${description}, not a file`, { path });
  }
  if (result.entry.type === 'commit') throw unreadable(path, description, 'submodule', result.entry.oid);
  return readBlobBytes(reader.ctx, result.entry.oid);
}

export function pathNotFound(path: string, description: string): RepoError {
  return new RepoError('path-not-found', `no file "${path}" in ${description}`, { path });
}
