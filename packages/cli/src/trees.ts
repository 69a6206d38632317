import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '@shipshape/core';
import {
  changedPaths,
  type FileTree,
  type FolderFs,
  folderTree,
  gitTree,
  RepoError,
  type SkippedEntry,
} from '@shipshape/repo';
import { ShipshapeError } from './errors.js';

/** One PATH argument opened as a tree, with how its paths are shown. */
export interface OpenedTree {
  readonly tree: FileTree;
  /** Folder inside the tree to list (`''` for all). */
  readonly prefix: string;
  /** When the PATH is a single file: its tree path. */
  readonly only?: string;
  /** Shown path of a tree path: the PATH as the user wrote it, joined with the path below it. */
  display(treePath: string): string;
  /** Root of the Git repository holding this PATH, when there is one. */
  readonly gitRoot?: string;
  /** Path of a tree path relative to {@link gitRoot}, for matching changed files. */
  repoPath(treePath: string): string | undefined;
  /**
   * What a tree path is, the same whichever PATH reached it: the file's absolute path (or its
   * repository path at the ref), so that overlapping PATHs (`. apps/web.yaml`) read it once.
   */
  identity(treePath: string): string;
  readonly ref?: string;
}

/** Open a PATH argument as a folder tree, or as a Git tree at `ref`. */
export async function openTree(arg: string, cwd: string, ref: string | undefined): Promise<OpenedTree> {
  const abs = path.resolve(cwd, arg);
  const shown = toPosix(path.isAbsolute(arg) ? abs : path.relative(cwd, abs));
  const gitRoot = findGitRoot(abs);
  if (ref !== undefined) {
    if (!gitRoot)
      throw new ShipshapeError(
        'usage',
        `${arg} is not inside a Git repository, so --ref ${ref} cannot be read`,
      );
    const tree = await wrapRepo(() => gitTree({ fs, dir: gitRoot, ref }));
    const sub = toPosix(path.relative(gitRoot, abs));
    // A folder missing at the ref is the user's mistake (a folder added on a branch, checked at main).
    const blobPaths = await tree.list(sub === '' ? {} : { prefix: sub }).then(
      (listing) => listing.files,
      (error: unknown) => {
        if (error instanceof RepoError) return [];
        throw error;
      },
    );
    const isFile = sub !== '' && blobPaths.length === 1 && blobPaths[0]?.path === sub;
    if (blobPaths.length === 0 && sub !== '') {
      throw new ShipshapeError('io', `${arg} does not exist at ${ref} in ${gitRoot}`, {
        data: { missingAtRef: ref },
      });
    }
    const view = treeView(tree, sub, isFile ? sub : undefined, shown, gitRoot, ref, (p) => p);
    return { ...view, identity: (p) => `${ref}\u0000${gitRoot}\u0000${p}` };
  }
  const stat = await fs.promises.stat(abs).catch((error: unknown) => {
    throw new ShipshapeError('io', `${arg}: no such file or folder`, {
      cause: error,
      data: { missingAtRef: 'the working folder' },
    });
  });
  if (stat.isFile()) {
    // A file named as PATH is read even when it is a symbolic link (the user asked for it; links
    // met while walking a folder are the ones kept inside the tree), and shown as it was named.
    const real = await fs.promises.realpath(abs);
    const dir = path.dirname(real);
    const name = path.basename(real);
    const tree = folderTree(dir, syncFolderFs);
    const parent = toPosix(path.isAbsolute(arg) ? dir : path.relative(cwd, dir));
    const view = treeView(tree, '', name, parent, gitRoot, undefined, repoRelative(gitRoot, dir));
    const identity = (p: string) => path.join(dir, p);
    if (real === abs) return { ...view, identity };
    // Reached through a link: read where it leads, shown and matched as it was named.
    const named = repoRelative(gitRoot, path.dirname(abs));
    return {
      ...view,
      identity,
      display: (p: string) => (p === name ? shown : view.display(p)),
      repoPath: (p: string) => (p === name ? named(path.basename(abs)) : view.repoPath(p)),
    };
  }
  const view = treeView(
    folderTree(abs, syncFolderFs),
    '',
    undefined,
    shown,
    gitRoot,
    undefined,
    repoRelative(gitRoot, abs),
  );
  // Listed files carry their real path (TreeEntry.real), which check reads first.
  return { ...view, identity: (p) => path.join(abs, p) };
}

function repoRelative(gitRoot: string | undefined, folder: string): (treePath: string) => string | undefined {
  if (gitRoot === undefined) return () => undefined;
  const base = toPosix(path.relative(gitRoot, folder));
  return (p) => (base === '' ? p : `${base}/${p}`);
}

function treeView(
  tree: FileTree,
  prefix: string,
  only: string | undefined,
  shown: string,
  gitRoot: string | undefined,
  ref: string | undefined,
  repoPath: (treePath: string) => string | undefined,
): Omit<OpenedTree, 'identity'> {
  const base = shown === '' ? '' : `${shown}/`;
  const strip = prefix === '' ? '' : `${prefix}/`;
  return {
    tree,
    prefix,
    ...(only === undefined ? {} : { only }),
    ...(gitRoot === undefined ? {} : { gitRoot }),
    ...(ref === undefined ? {} : { ref }),
    repoPath,
    display: (p) =>
      only !== undefined && prefix !== ''
        ? shown
        : `${base}${p.startsWith(strip) ? p.slice(strip.length) : p}`,
  };
}

/**
 * Repository paths of files changed since `base`: committed changes from `base` to `ref` (or
 * HEAD), plus, for a working folder, uncommitted changes to manifest files; deleted files
 * included. `cache` keeps them by repository for the other PATHs of one check.
 */
export async function changedSince(
  opened: OpenedTree,
  base: string,
  cache: Map<string, Set<string>> = new Map(),
): Promise<Set<string>> {
  const root = opened.gitRoot;
  if (!root)
    throw new ShipshapeError('usage', '--changed-since needs the checked PATH to be inside a Git repository');
  return changedManifests(root, base, opened.ref, cache);
}

/** {@link changedSince} by repository root, kept in `cache`. */
export async function changedManifests(
  root: string,
  base: string,
  ref: string | undefined,
  cache: Map<string, Set<string>>,
): Promise<Set<string>> {
  let changed = cache.get(root);
  if (changed === undefined) {
    changed = await changedFiles(root, base, ref, (f) => /\.(ya?ml|json)$/i.test(f), true);
    cache.set(root, changed);
  }
  return changed;
}

/**
 * Repository paths (from `root`) of files changed since `base`: committed changes from `base` to
 * `ref` (or HEAD), plus, without `ref`, uncommitted changes in the working folder of the files
 * `uncommitted` selects. Deleted files count when `deleted`.
 */
export async function changedFiles(
  root: string,
  base: string,
  ref: string | undefined,
  uncommitted: (file: string) => boolean,
  deleted: boolean,
): Promise<Set<string>> {
  const changes = await wrapRepo(() => changedPaths({ fs, dir: root, base, head: ref ?? 'HEAD' }));
  const changed = new Set(changes.filter((c) => deleted || c.change !== 'deleted').map((c) => c.path));
  if (ref === undefined) {
    const { default: git } = await import('isomorphic-git');
    const matrix = await git.statusMatrix({ fs, dir: root, filter: uncommitted });
    for (const [file, head, workdir] of matrix) {
      if (workdir === 2 || (deleted && head === 1 && workdir === 0)) changed.add(file);
    }
  }
  return changed;
}

/** The nearest folder at or above `abs` that holds `.git` (a folder, or a file for worktrees). */
export function findGitRoot(abs: string): string | undefined {
  for (let dir = abs; ; ) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Turn repository errors into run-stopping errors with the repository's own message. */
export async function wrapRepo<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RepoError) throw new ShipshapeError('io', error.message, { cause: error });
    throw error;
  }
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * The folder tree's file system, answered with synchronous calls: a CLI reads one file at a time
 * anyway, and `fs.promises.readFile` costs four thread-pool round trips per file (measured: about
 * a third of the run on a 19,000-file repository).
 */
const syncFolderFs: FolderFs = {
  readdir: (p, options) => settle(() => fs.readdirSync(p, options)),
  readFile: (p) => settle(() => fs.readFileSync(p)),
  stat: (p) => settle(() => fs.statSync(p)),
  realpath: (p) => settle(() => fs.realpathSync(p)),
  readlink: (p) => settle(() => fs.readlinkSync(p)),
};

/** A promise of a synchronous call's result; a throw becomes a rejection. */
function settle<T>(call: () => T): Promise<T> {
  return new Promise((resolve) => resolve(call()));
}

const SKIP_SEVERITY: Record<SkippedEntry['reason'], Diagnostic['severity']> = {
  'symlink-outside-tree': 'warning',
  'symlink-broken': 'warning',
  'symlink-loop': 'warning',
  submodule: 'info',
  'special-file': 'info',
  unreadable: 'error',
};

const SKIP_MESSAGE: Record<SkippedEntry['reason'], string> = {
  'symlink-outside-tree': 'symbolic link points outside the checked tree; it was not followed',
  'symlink-broken': 'symbolic link points to nothing; it was skipped',
  'symlink-loop': 'symbolic link leads back into itself; it was not followed',
  submodule: 'Git submodule; its files are not read (check that repository on its own)',
  'special-file': 'not a regular file (socket, FIFO or device); it was skipped',
  unreadable: 'file or folder could not be read; check its permissions',
};

/** The diagnostic of an entry a tree listing skipped (a link out of the tree, a special file, …). */
export function skippedDiagnostic(entry: SkippedEntry, opened: OpenedTree): Diagnostic {
  const at = { offset: 0, line: 1, column: 1 };
  const detail = entry.detail ? ` (${entry.detail})` : '';
  return {
    code: `file/${entry.reason}`,
    severity: SKIP_SEVERITY[entry.reason],
    message: `${SKIP_MESSAGE[entry.reason]}${detail}`,
    span: {
      path: opened.display(entry.path),
      document: 0,
      start: at,
      end: at,
      ...(opened.ref ? { ref: opened.ref } : {}),
    },
  };
}
