import { compareResourceKeys, type Diagnostic, type ResourceId } from '@shipshape/core';
import { assessHealth, type CustomHealthCheck, type HealthStatus } from '@shipshape/health';
import { check } from './check.js';

/** Options of {@link health}. */
export interface HealthOptions {
  /** A file or folder of live objects, as `kubectl get -o yaml|json` prints them. */
  readonly path: string;
  /** Folder that relative paths start from. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Health checks for more kinds, or to replace a built-in one. */
  readonly checks?: readonly CustomHealthCheck[];
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
  const read = await check({
    paths: [options.path],
    cwd: options.cwd ?? process.cwd(),
    config: false,
    validate: false,
    admissionPolicies: false,
  });
  const resources = read.resources
    .map((r): ResourceHealth => {
      const found = assessHealth(r.object, options.checks === undefined ? {} : { checks: options.checks });
      return {
        resource: r.id,
        status: found?.status ?? null,
        ...(found?.message === undefined || found.message === '' ? {} : { message: found.message }),
      };
    })
    .sort((a, b) => compareResourceKeys(a.resource, b.resource));
  return { resources, diagnostics: read.diagnostics };
}
