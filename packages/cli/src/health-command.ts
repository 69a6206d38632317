import { compareResourceKeys, type Diagnostic, formatResourceKey, type ResourceId } from '@shipshape/core';
import { assessHealth, type CustomHealthCheck, type HealthStatus } from '@shipshape/health';
import { loadConfig, readResources } from './check.js';

/** Options of {@link health}. */
export interface HealthOptions {
  /** A file or folder of live objects, as `kubectl get -o yaml|json` prints them. */
  readonly path: string;
  /** Folder that relative paths start from. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Health checks for more kinds, or to replace a built-in one. */
  readonly checks?: readonly CustomHealthCheck[];
  /**
   * The desired state (a file or folder, relative to `cwd`): every desired resource that no live
   * object matches is reported `Missing`, as Argo CD does.
   */
  readonly desired?: string;
  /** Read `desired` at this Git ref. */
  readonly ref?: string;
  /** Namespace of desired namespaced objects written without one. Default: the config's `diff.defaultNamespace`, else `default`. */
  readonly defaultNamespace?: string;
}

/** The health of one live object; `status` is `null` where no rule applies to its kind. */
export interface ResourceHealth {
  readonly resource: ResourceId;
  readonly status: HealthStatus | null;
  readonly message?: string;
}

/** What {@link health} returns. */
export interface HealthRun {
  /** One entry per object, sorted by key. */
  readonly resources: readonly ResourceHealth[];
  /** Problems reading the files. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Assess the health of live objects read from a file or folder, per kind as Argo CD does
 * (Deployment, StatefulSet, Pod, Job, HPA, …) and by conditions for other kinds.
 *
 * @example
 * ```ts
 * import { health } from 'shipshape';
 * const run = await health({ path: 'live.yaml' });
 * run.resources.filter((r) => r.status === 'Degraded');
 * ```
 */
export async function health(options: HealthOptions): Promise<HealthRun> {
  const read = await readResources(options.path, options.cwd ?? process.cwd(), { config: false });
  const assessed = read.resources.map((r): ResourceHealth => {
    const found = assessHealth(r.object, options.checks === undefined ? {} : { checks: options.checks });
    return {
      resource: r.id,
      status: found?.status ?? null,
      ...(found?.message === undefined || found.message === '' ? {} : { message: found.message }),
    };
  });
  const diagnostics = [...read.diagnostics];
  if (options.desired !== undefined) {
    const wanted = await missing(
      options,
      read.resources.map((r) => r.id),
    );
    assessed.push(...wanted.missing);
    diagnostics.push(...wanted.diagnostics);
  }
  assessed.sort((a, b) => compareResourceKeys(a.resource, b.resource));
  return { resources: assessed, diagnostics };
}

/** Desired resources that no live object matches (by group, kind, namespace, name; not version). */
async function missing(
  options: HealthOptions,
  live: readonly ResourceId[],
): Promise<{ missing: ResourceHealth[]; diagnostics: readonly Diagnostic[] }> {
  const desiredPath = options.desired as string;
  const cwd = options.cwd ?? process.cwd();
  const { config } = loadConfig({ paths: [desiredPath] }, cwd);
  const read = await readResources(desiredPath, cwd, { ref: options.ref, config });
  const seen = new Set(live.map((id) => formatResourceKey(id)));
  const fallback = options.defaultNamespace ?? config.diff?.defaultNamespace ?? 'default';
  const out: ResourceHealth[] = [];
  for (const { id } of read.resources) {
    // Written without a namespace: cluster-scoped, or in the default namespace.
    const candidates = id.namespace === '' ? [id, { ...id, namespace: fallback }] : [id];
    if (candidates.some((c) => seen.has(formatResourceKey(c)))) continue;
    out.push({
      resource: id.namespace === '' ? { ...id, namespace: fallback } : id,
      status: 'Missing',
      message: 'not found in the live objects',
    });
  }
  return { missing: out, diagnostics: read.diagnostics };
}
