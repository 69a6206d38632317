import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseResourceKey, type ResourceKey, sameResourceKey } from '@shipshape/core';
import { isManifestPath, parseManifestFile } from '@shipshape/manifests';
import { changedPaths, log, readFileAt } from '@shipshape/repo';
import { ShipshapeError } from './errors.js';
import { toPosix, wrapRepo } from './trees.js';

/** One commit that changed a resource. */
export interface ResourceChange {
  readonly oid: string;
  readonly author: { readonly name: string; readonly email: string };
  /** ISO 8601, UTC. */
  readonly date: string;
  readonly message: string;
  readonly change: 'added' | 'modified' | 'deleted';
  /** Files (repository-relative) that held the resource after the commit, or before it for a deletion. */
  readonly files: readonly string[];
}

/** Options of {@link resourceHistory}. */
export interface ResourceHistoryOptions {
  /** A folder inside a Git repository; only manifests below it are looked at. */
  readonly path: string;
  /** `Kind/namespace/name`, `Kind/name` or `group/Kind/namespace/name`, or a key. */
  readonly resource: string | ResourceKey;
  /** Where the walk starts; default `HEAD`. */
  readonly ref?: string;
  readonly cwd?: string;
  /** Stop after this many commits examined. */
  readonly depth?: number;
}

/**
 * The commits that changed one Kubernetes resource, newest first, following the first-parent
 * line: a commit counts when the object it defines differs from the parent's (whitespace,
 * comments and moves between files do not count).
 *
 * @example
 * ```ts
 * const changes = await resourceHistory({ path: 'clusters/prod', resource: 'apps/Deployment/web/api' });
 * changes[0]; // { oid: '9fce…', change: 'modified', author: { name: 'Ada', … }, date: '…', message: 'Scale api', files: ['clusters/prod/api.yaml'] }
 * ```
 */
export async function resourceHistory(options: ResourceHistoryOptions): Promise<ResourceChange[]> {
  const key = typeof options.resource === 'string' ? parseResourceKey(options.resource) : options.resource;
  if (!key) {
    throw new ShipshapeError(
      'usage',
      `--resource ${options.resource as string} is not KIND/NAMESPACE/NAME (or KIND/NAME, group/KIND/NAMESPACE/NAME)`,
    );
  }
  const abs = path.resolve(options.cwd ?? process.cwd(), options.path);
  const { default: git } = await import('isomorphic-git');
  const dir = await git.findRoot({ fs, filepath: abs }).catch(() => {
    throw new ShipshapeError('usage', `${options.path} is not inside a Git repository`);
  });
  const scope = toPosix(path.relative(dir, abs));
  const inScope = (p: string) =>
    isManifestPath(p) && (scope === '' || p === scope || p.startsWith(`${scope}/`));
  const cache = {};
  const commits = await wrapRepo(() =>
    log({
      fs,
      dir,
      cache,
      ref: options.ref ?? 'HEAD',
      firstParent: true,
      ...(options.depth ? { depth: options.depth } : {}),
    }),
  );
  const out: ResourceChange[] = [];
  for (const commit of commits) {
    const parent = commit.parents[0];
    const changed = parent
      ? (await wrapRepo(() => changedPaths({ fs, dir, cache, base: parent, head: commit.oid })))
          .flatMap((c) => [c.path, c.oldPath ?? c.path])
          .filter(inScope)
      : await allFiles(dir, commit.oid, cache, inScope);
    if (changed.length === 0) continue;
    const paths = [...new Set(changed)];
    const after = await findResource(dir, commit.oid, paths, key, cache);
    const before = parent
      ? await findResource(dir, parent, paths, key, cache)
      : { object: undefined, files: [] };
    const change = classify(before.object, after.object);
    if (!change) continue;
    out.push({
      oid: commit.oid,
      author: commit.author,
      date: commit.date,
      message: commit.message,
      change,
      files: change === 'deleted' ? before.files : after.files,
    });
  }
  return out;
}

function classify(
  before: string | undefined,
  after: string | undefined,
): ResourceChange['change'] | undefined {
  if (before === undefined && after !== undefined) return 'added';
  if (before !== undefined && after === undefined) return 'deleted';
  if (before !== undefined && after !== undefined && before !== after) return 'modified';
  return undefined;
}

async function findResource(
  dir: string,
  ref: string,
  paths: readonly string[],
  key: ResourceKey,
  cache: object,
): Promise<{ object: string | undefined; files: string[] }> {
  let object: string | undefined;
  const files: string[] = [];
  for (const p of paths) {
    const bytes = await readFileAt({ fs, dir, ref, path: p, cache }).catch(() => undefined);
    if (!bytes) continue;
    for (const r of parseManifestFile({ path: p, content: bytes }).resources) {
      if (!sameResourceKey(r.id, key)) continue;
      object ??= stableJson(r.object);
      files.push(p);
    }
  }
  return { object, files };
}

async function allFiles(
  dir: string,
  oid: string,
  cache: object,
  keep: (p: string) => boolean,
): Promise<string[]> {
  const { default: git } = await import('isomorphic-git');
  const files = await git.listFiles({ fs, dir, ref: oid, cache });
  return files.filter(keep);
}

/** JSON with sorted keys, so key order changes are not changes. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}
