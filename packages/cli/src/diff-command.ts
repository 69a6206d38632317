import * as path from 'node:path';
import type { Diagnostic, KubernetesObject, Resource } from '@shipshape/core';
import { type DiffResult, diffResources, type HintsFor } from '@shipshape/diff';
import { crdDiffHints, diffHints, loadKubernetesSchemas, resolveKubernetesVersion } from '@shipshape/schema';
import { loadConfig, readResources } from './check.js';
import type { ShipshapeConfig } from './config.js';
import { ShipshapeError } from './errors.js';

/** Options of {@link diff}. */
export interface DiffOptions {
  /** The desired state: a file or folder, relative to `cwd` (a Git repository when `ref` or `base` is given). */
  readonly path: string;
  /** Folder that relative paths start from. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Live state: a file or folder of what `kubectl get -o yaml|json` prints (Lists or streams of objects). */
  readonly live?: string;
  /** Compare against the repository at this ref instead of live state (what a change between refs does). */
  readonly base?: string;
  /** Read the desired state at this Git ref. */
  readonly ref?: string;
  /** A config file path, a config object, or `false` for none. Default: `shipshape.yaml` found from PATH. */
  readonly config?: string | ShipshapeConfig | false;
  /** Kubernetes version whose schemas give list keys, quantities and int-or-string fields. Default: the config's, else the newest bundled. */
  readonly kubernetesVersion?: string;
}

/** What {@link diff} returns: the diff, and every problem met reading either side. */
export interface DiffRun extends DiffResult {
  /** Problems reading the desired or live files and in the diff options, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Diff a repository's desired state against live state (`live`), or against the same repository
 * at another ref (`base`): `create`, `update` (with structural changes and a unified YAML diff),
 * `delete` and `unchanged` per resource, Secret values masked. Unreadable documents are
 * diagnostics; a missing path, an unknown ref or a bad config throw a {@link ShipshapeError}.
 *
 * @example
 * ```ts
 * import { diff } from 'shipshape';
 * const run = await diff({ path: 'clusters/prod', live: 'live.yaml' });
 * for (const r of run.resources) if (r.action !== 'unchanged') console.log(r.action, r.key.kind, r.key.name);
 * ```
 */
export async function diff(options: DiffOptions): Promise<DiffRun> {
  const cwd = options.cwd ?? process.cwd();
  if ((options.live === undefined) === (options.base === undefined)) {
    throw new ShipshapeError('usage', 'diff needs either --live FILE|DIR or --base REF (with --ref REF)');
  }
  const { config, configPath } = loadConfig(
    { paths: [options.path], ...(options.config === undefined ? {} : { config: options.config }) },
    cwd,
  );
  const base = options.base;
  // Between two refs, a PATH that one side lacks (a folder a pull request adds or removes) is
  // empty there: everything is a create, or a delete. Missing on both sides, it is a mistake.
  const atRef = (ref: string | undefined) =>
    base === undefined
      ? readResources(options.path, cwd, { ref, config })
      : readResources(options.path, cwd, { ref, config }).catch((error: unknown) => {
          if (error instanceof ShipshapeError && error.data['missingAtRef'] !== undefined) return undefined;
          throw error;
        });
  const desiredRead = await atRef(options.ref);
  const live =
    options.live !== undefined
      ? await readResources(options.live, cwd, { config: false })
      : await atRef(base);
  if (desiredRead === undefined && live === undefined) {
    throw new ShipshapeError(
      'io',
      `${options.path} exists neither at ${base} nor at ${options.ref ?? 'the working folder'}`,
    );
  }
  const desired = desiredRead ?? EMPTY;
  const liveSide = live ?? EMPTY;
  const hints = await hintsFor(options.kubernetesVersion ?? config.kubernetesVersion, [
    ...desired.resources,
    ...liveSide.resources,
  ]);
  const settings = config.diff ?? {};
  const result = diffResources(desired.resources, liveSide.resources.map(objectOf), {
    hints,
    ...(settings.ignore === undefined ? {} : { ignore: settings.ignore }),
    ...(settings.fieldManagers === undefined ? {} : { fieldManagers: settings.fieldManagers }),
    ...(settings.defaultNamespace === undefined ? {} : { defaultNamespace: settings.defaultNamespace }),
    ...(settings.ignoreAggregatedRoles === undefined
      ? {}
      : { ignoreAggregatedRoles: settings.ignoreAggregatedRoles }),
    ...(settings.hpaReplicas === undefined ? {} : { hpaReplicas: settings.hpaReplicas }),
    // Between two refs every resource the base had is the repository's own: one gone is a delete.
    ...(options.base === undefined ? {} : { isOwned: () => true }),
  });
  return {
    ...result,
    diagnostics: [
      ...desired.diagnostics,
      ...liveSide.diagnostics,
      ...result.diagnostics.map((d) => inConfigFile(d, configPath, cwd)),
    ],
  };
}

/** A mistake in the config's ignore rules names the file and the field (`diff.ignore[0]`). */
function inConfigFile(d: Diagnostic, configPath: string | undefined, cwd: string): Diagnostic {
  if (d.code !== 'diff/invalid-ignore-path' || configPath === undefined) return d;
  const file = path.relative(cwd, configPath) || configPath;
  return { ...d, message: `${file}: diff.${d.message.replace(/^ignore rule (\d+):/, 'ignore[$1]:')}` };
}

/** A side that does not exist at its ref. */
const EMPTY: { readonly resources: readonly Resource[]; readonly diagnostics: readonly Diagnostic[] } = {
  resources: [],
  diagnostics: [],
};

function objectOf(resource: Resource): KubernetesObject {
  return resource.object;
}

/**
 * Diff hints from the bundled schemas of a version, computed once per kind, and for custom
 * resources from the CustomResourceDefinitions among `resources` (desired ones first).
 */
async function hintsFor(version: string | undefined, resources: readonly Resource[]): Promise<HintsFor> {
  let resolved: string;
  try {
    resolved = resolveKubernetesVersion(version).version;
  } catch (error) {
    throw new ShipshapeError('usage', error instanceof Error ? error.message : String(error));
  }
  const bundle = await loadKubernetesSchemas(resolved);
  const cache = new Map<string, ReturnType<typeof diffHints>>();
  for (const r of resources) {
    if (r.id.kind !== 'CustomResourceDefinition' || r.id.group !== 'apiextensions.k8s.io') continue;
    for (const [gvk, hints] of crdDiffHints(r.object)) if (!cache.has(gvk)) cache.set(gvk, hints);
  }
  return (apiVersion, kind) => {
    const gvk = `${apiVersion}/${kind}`;
    let hints = cache.get(gvk);
    if (hints === undefined) {
      hints = diffHints(bundle, gvk);
      cache.set(gvk, hints);
    }
    return hints;
  };
}
