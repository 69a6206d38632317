import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Resource, SpanLocator } from '@shipshape/core';
import { isManifestPath, type ManifestFile, type ParseOptions, parseManifests } from '@shipshape/manifests';
import { type GitFileTree, gitTree, RepoError } from '@shipshape/repo';
import { changedManifests, findGitRoot, toPosix, wrapRepo } from './trees.js';

/** The objects before the change, and where they were written (findings on deleted objects sit there). */
export interface PreviousObjects {
  readonly resources: readonly Resource[];
  /** The ref they were read at: their sources carry it. */
  readonly ref: string;
  /** Places pointers in their files at `ref`. */
  readonly locator: SpanLocator;
  /** The text of one of their files at `ref`, for code frames. */
  text(path: string): string | undefined;
}

/**
 * The resources of the manifest files changed since `base` under the checked PATHs (files the
 * change deletes included, so an object moved to another file is still found), as they were at
 * `base`: what admission policies compare a changed resource with (`oldObject` of the UPDATE a
 * sync sends). Files the change adds have nothing at `base`. What `base`'s files cannot give (a
 * YAML error there) is not this change's problem and is left out; the check of `base` that
 * `--changed-since` runs reports it if it matters.
 *
 * `ref` is the checked ref (the working folder when `undefined`, uncommitted changes included).
 * `skip` says which repository paths are not manifests (shipshape's own config files); `limits`
 * are the parse limits of the check; `changedByRoot` keeps the changed paths by repository, to
 * share with the rest of the check.
 */
export async function previousObjects(
  paths: readonly string[],
  cwd: string,
  base: string,
  ref: string | undefined,
  skip: (repoPath: string) => boolean,
  limits: ParseOptions = {},
  changedByRoot: Map<string, Set<string>> = new Map(),
): Promise<PreviousObjects> {
  const files: ManifestFile[] = [];
  const done = new Set<string>();
  const treeByRoot = new Map<string, GitFileTree>();
  for (const arg of paths) {
    const abs = path.resolve(cwd, arg);
    const root = findGitRoot(abs);
    // Outside a repository, the check itself says --changed-since cannot work there.
    if (root === undefined) continue;
    const changed = await changedManifests(root, base, ref, changedByRoot);
    const below = toPosix(path.relative(root, abs));
    const inside = (f: string) => below === '' || f === below || f.startsWith(`${below}/`);
    for (const file of [...changed].sort()) {
      const key = `${root}\u0000${file}`;
      if (done.has(key) || !inside(file) || !isManifestPath(file) || skip(file)) continue;
      done.add(key);
      let tree = treeByRoot.get(root);
      if (tree === undefined) {
        tree = await wrapRepo(() => gitTree({ fs, dir: root, ref: base }));
        treeByRoot.set(root, tree);
      }
      const content = await readAt(tree, file);
      if (content !== undefined)
        files.push({ path: shownAs(arg, abs, cwd, below, file), content, ref: base });
    }
  }
  const set = parseManifests(files, limits);
  return { resources: set.resources, ref: base, locator: set.locator, text: (p) => set.text(p) };
}

/** The bytes of `file` in `tree`, or `undefined` when the tree has no such file (the change adds it). */
async function readAt(tree: GitFileTree, file: string): Promise<Uint8Array | undefined> {
  try {
    return await tree.read(file);
  } catch (error) {
    if (error instanceof RepoError) return undefined;
    throw error;
  }
}

/**
 * A repository file below a PATH shown as the check shows the files it reads: the PATH as written
 * (relative to the working folder, or absolute when given so) joined with the path below it.
 */
function shownAs(arg: string, abs: string, cwd: string, below: string, file: string): string {
  const shown = toPosix(path.isAbsolute(arg) ? abs : path.relative(cwd, abs));
  if (file === below) return shown;
  const rest = below === '' ? file : file.slice(below.length + 1);
  return shown === '' ? rest : `${shown}/${rest}`;
}
