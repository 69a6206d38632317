import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  builtInKind,
  type KubernetesObject,
  parseResourceKey,
  type ResourceKey,
  sameResourceKey,
} from '@shipshape/core';
import { isManifestPath, parseManifestFile } from '@shipshape/manifests';
import { changedPaths, log, readFileAt } from '@shipshape/repo';
import { ShipshapeError } from './errors.js';
import { findGitRoot, toPosix, wrapRepo } from './trees.js';

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
  const asked = typeof options.resource === 'string' ? parseResourceKey(options.resource) : options.resource;
  // Objects written without a namespace are in `default` (as apply puts them), asked or found.
  const key = asked && { ...asked, namespace: effectiveNamespace(asked) };
  if (!key) {
    throw new ShipshapeError(
      'usage',
      `--resource ${options.resource as string} is not KIND/NAMESPACE/NAME (or KIND/NAME, group/KIND/NAMESPACE/NAME)`,
    );
  }
  const abs = path.resolve(options.cwd ?? process.cwd(), options.path);
  // Found from the path even when it no longer exists (a folder deleted since, read at a ref).
  const dir = findGitRoot(abs);
  if (dir === undefined) {
    throw fs.existsSync(abs)
      ? new ShipshapeError('usage', `${options.path} is not inside a Git repository`)
      : new ShipshapeError('io', `${options.path}: no such file or folder`);
  }
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
  let touched = false;
  for (const commit of commits) {
    const parent = commit.parents[0];
    const changed = parent
      ? (await wrapRepo(() => changedPaths({ fs, dir, cache, base: parent, head: commit.oid })))
          .flatMap((c) => [c.path, c.oldPath ?? c.path])
          .filter(inScope)
      : await allFiles(dir, commit.oid, cache, inScope);
    if (changed.length === 0) continue;
    touched = true;
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
  // A PATH no commit ever had a manifest below is a mistake (a typo), not a quiet history (with
  // a depth, the commits looked at may just be too few to tell).
  if (!touched && options.depth === undefined) {
    throw new ShipshapeError(
      'io',
      `${options.path}: no commit of ${options.ref ?? 'HEAD'} has a manifest there (a YAML or JSON file)`,
    );
  }
  return out;
}

/**
 * The namespace an object lands in: none for a cluster-scoped kind, else its own, else `default`
 * (kinds the built-in table does not know, custom resources, are taken as namespaced).
 */
function effectiveNamespace(id: Pick<ResourceKey, 'group' | 'kind' | 'namespace'>): string {
  // A cluster-scoped kind has none, whatever was written or asked (`ClusterRole/ns/r`).
  if (builtInKind(id.group, id.kind)?.namespaced === false) return '';
  return id.namespace !== '' ? id.namespace : 'default';
}

/** The object with `metadata.namespace` as it lands: writing `namespace: default` is no change. */
function inNamespace(object: KubernetesObject, namespace: string): KubernetesObject {
  const metadata = object['metadata'];
  if (namespace === '' || metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))
    return object;
  return { ...object, metadata: { ...metadata, namespace } };
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
      const namespace = effectiveNamespace(r.id);
      if (!sameResourceKey({ ...r.id, namespace }, key)) continue;
      object ??= stableJson(inNamespace(r.object, namespace));
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
