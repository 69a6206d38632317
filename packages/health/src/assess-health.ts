import { splitApiVersion } from '@shipshape/core';
import { findBuiltinCheck, supportsVersion } from './builtin-checks.js';
import { type CustomHealthCheck, runCustomChecks } from './custom-health-check.js';
import { type Health, health } from './health.js';
import { assessGeneric } from './health-generic.js';
import { isRecord, type JsonRecord, MalformedObjectError } from './object-reader.js';

/**
 * Options of {@link assessHealth}.
 *
 * @example
 * ```ts
 * const options: HealthOptions = { checks: [certificateCheck] };
 * assessHealth(object, options);
 * ```
 */
export interface HealthOptions {
  /** Caller-supplied rules, tried before the built-in ones. Default: none. */
  readonly checks?: readonly CustomHealthCheck[];
}

/** The finalizer Argo CD puts on sync hooks; a hook being deleted is still judged by its state. */
const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

function own(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * `metadata.deletionTimestamp` is set and no hook finalizer holds the object. Read leniently, as
 * Kubernetes' unstructured accessors do: malformed metadata is "not being deleted".
 */
function isPendingDeletion(object: JsonRecord): boolean {
  const metadata = own(object, 'metadata');
  if (!isRecord(metadata)) return false;
  const timestamp = own(metadata, 'deletionTimestamp');
  const set = (typeof timestamp === 'string' && timestamp !== '') || timestamp instanceof Date;
  if (!set) return false;
  const finalizers = own(metadata, 'finalizers');
  return !(Array.isArray(finalizers) && finalizers.includes(HOOK_FINALIZER));
}

function gvkText(group: string, version: string, kind: string): string {
  return `${group}/${version}, Kind=${kind}`;
}

/**
 * The health of one live Kubernetes object, as Argo CD assesses it, or `null` when no rule
 * applies (the kind has no health; in a sync that counts as success). Never throws, whatever the
 * input; never changes it.
 *
 * In order:
 * 1. `metadata.deletionTimestamp` set → Progressing "Pending deletion", unless the Argo CD hook
 *    finalizer `argocd.argoproj.io/hook-finalizer` is present;
 * 2. `options.checks` for the object's group and kind (see {@link CustomHealthCheck});
 * 3. the built-in rule for the group and kind: Deployment, StatefulSet, DaemonSet, ReplicaSet,
 *    Pod, Service, Ingress, PersistentVolumeClaim, Job, CronJob, HorizontalPodAutoscaler,
 *    APIService and Argo Workflow. An apiVersion the rule does not support, or a field of the
 *    wrong type, gives Unknown with a message;
 * 4. a kstatus-like rule from `observedGeneration` and the `Stalled`, `Reconciling`, `Ready` and
 *    `Available` conditions, for every other kind except the Argo CD `Application`, which has no
 *    health (gitops-engine dropped that check in Argo CD 1.8);
 * 5. `null`.
 *
 * Input that is not an object with a string `kind` gives `null`.
 *
 * @example
 * ```ts
 * assessHealth({
 *   apiVersion: 'apps/v1',
 *   kind: 'Deployment',
 *   metadata: { name: 'api', generation: 2 },
 *   spec: { replicas: 2 },
 *   status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 },
 * });
 * // { status: 'Progressing', message: 'Waiting for rollout to finish: 1 of 2 updated replicas are available...' }
 *
 * assessHealth({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } }); // null
 * ```
 */
export function assessHealth(object: unknown, given: HealthOptions | null = {}): Health | null {
  // Callers in plain JavaScript pass null for "no options": never a crash.
  const options = given ?? {};
  if (!isRecord(object)) return null;
  const kind = own(object, 'kind');
  if (typeof kind !== 'string' || kind === '') return null;
  const apiVersion = own(object, 'apiVersion');
  const { group, version } = splitApiVersion(typeof apiVersion === 'string' ? apiVersion : '');

  if (isPendingDeletion(object)) return health('Progressing', 'Pending deletion');

  const custom = runCustomChecks(object, group, kind, options.checks ?? []);
  if (custom !== undefined) return custom;

  const builtin = findBuiltinCheck(group, kind);
  if (builtin !== undefined) {
    if (!supportsVersion(builtin, version)) {
      return health('Unknown', `unsupported ${kind} GVK: ${gvkText(group, version, kind)}`);
    }
    try {
      return builtin.assess(object, version);
    } catch (error) {
      if (error instanceof MalformedObjectError)
        return health('Unknown', `cannot read ${kind}: ${error.message}`);
      // A bug in a rule must not take the caller down with it: report it like bad data.
      return health('Unknown', `health check for ${kind} failed: ${String(error)}`);
    }
  }

  if (group === 'argoproj.io' && kind === 'Application') return null;
  return assessGeneric(object);
}
