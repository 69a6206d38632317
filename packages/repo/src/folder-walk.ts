import type { SkippedEntry, SkipReason, TreeEntry } from './file-tree.js';
import {
  errnoCode,
  type FolderFs,
  isInsideRoot,
  linkFailureReason,
  type RealPaths,
  realJoin,
} from './folder-fs.js';
import { unreadable } from './repo-error.js';
import { joinPath } from './repo-path.js';

/** What a folder walk collects; `known` maps each listed path to the real path to read it from. */
export interface FolderWalk {
  readonly fs: FolderFs;
  readonly real: RealPaths;
  readonly description: string;
  readonly files: TreeEntry[];
  readonly skipped: SkippedEntry[];
  readonly known: Map<string, string>;
}

/**
 * List the folder at real path `dir`, shown as `rel`. `chain` holds the real paths of the folders
 * from the root down to `dir`; a symlink back into one of them is a loop. Subfolders are walked
 * concurrently: one `readdir` per folder and no `stat` for plain files or folders. An unreadable
 * subfolder is skipped; an unreadable `top` folder throws.
 */
export async function walkFolder(
  walk: FolderWalk,
  dir: string,
  rel: string,
  chain: readonly string[],
  top = false,
): Promise<void> {
  let entries: Awaited<ReturnType<FolderFs['readdir']>>;
  try {
    entries = await walk.fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (top) throw unreadable(rel, walk.description, 'unreadable', errnoCode(error), error);
    skip(walk, rel, 'unreadable', errnoCode(error));
    return;
  }
  const pending: Promise<void>[] = [];
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const path = joinPath(rel, entry.name);
    const real = realJoin(walk.real, dir, entry.name);
    if (entry.isFile()) {
      walk.files.push({ path, real });
      walk.known.set(path, real);
    } else if (entry.isDirectory()) {
      pending.push(walkFolder(walk, real, path, [...chain, real]));
    } else if (entry.isSymbolicLink()) {
      pending.push(followLink(walk, real, path, chain));
    } else {
      skip(walk, path, 'special-file');
    }
  }
  await Promise.all(pending);
}

/**
 * A symlink is listed like its target when the target's real path stays inside the real root:
 * files under the link's own path, folders walked under it.
 */
async function followLink(walk: FolderWalk, link: string, path: string, chain: readonly string[]) {
  let target: string;
  try {
    target = await walk.fs.realpath(link);
  } catch (error) {
    const reason = linkFailureReason(errnoCode(error));
    skip(walk, path, reason, reason === 'unreadable' ? errnoCode(error) : await linkText(walk.fs, link));
    return;
  }
  if (!isInsideRoot(walk.real, target)) {
    skip(walk, path, 'symlink-outside-tree', await linkText(walk.fs, link));
    return;
  }
  let stats: Awaited<ReturnType<FolderFs['stat']>>;
  try {
    stats = await walk.fs.stat(target);
  } catch (error) {
    skip(walk, path, 'unreadable', errnoCode(error));
    return;
  }
  if (stats.isFile()) {
    walk.files.push({ path, real: target });
    walk.known.set(path, target);
  } else if (stats.isDirectory()) {
    if (chain.includes(target)) {
      skip(walk, path, 'symlink-loop', await linkText(walk.fs, link));
      return;
    }
    await walkFolder(walk, target, path, [...chain, target]);
  } else {
    skip(walk, path, 'special-file');
  }
}

function skip(walk: FolderWalk, path: string, reason: SkipReason, detail?: string): void {
  walk.skipped.push(detail === undefined ? { path, reason } : { path, reason, detail });
}

/** The link's target as written, for messages; `undefined` when it cannot be read. */
export async function linkText(fs: FolderFs, link: string): Promise<string | undefined> {
  try {
    return await fs.readlink(link);
  } catch {
    return undefined;
  }
}
