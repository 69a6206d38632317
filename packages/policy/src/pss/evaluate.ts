import type { Resource } from '@shipshape/core';
import { isObject, type PodSpecRef, podSpecOf } from '../workloads.js';
import type { PodSecurityFailure, PodSecurityResult, PssLevel } from './model.js';
import { type PodView, podViewOf } from './pod-view.js';
import { activeChecks, NEWEST_POLICY_MINOR } from './registry.js';
import { policyMinorOf } from './version.js';

/**
 * The policy minor of a version text, or a `RangeError` naming the accepted forms: a wrong version
 * is a configuration error, and guessing one would run the wrong checks.
 */
export function requirePolicyMinor(version: string): number {
  const minor = policyMinorOf(version, NEWEST_POLICY_MINOR);
  if (minor === undefined) {
    throw new RangeError(
      `Pod Security Standards: cannot read the version ${JSON.stringify(version)}; use 1.<minor>, v1.<minor> or latest`,
    );
  }
  return minor;
}

/** Run the checks of a level on a pod view; failures in the order `kubectl` prints them. */
function evaluateView(pod: PodView, level: PssLevel, minor: number): PodSecurityResult {
  const found: { rank: number; failure: PodSecurityFailure }[] = [];
  for (const { check, variant } of activeChecks(level, minor)) {
    const violation = variant.evaluate(pod);
    if (violation)
      found.push({ rank: check.level === 'baseline' ? 0 : 1, failure: { check: check.id, ...violation } });
  }
  // Upstream reports baseline checks before restricted ones, each group by id.
  found.sort(
    (a, b) =>
      a.rank - b.rank || (a.failure.check < b.failure.check ? -1 : a.failure.check > b.failure.check ? 1 : 0),
  );
  const failures = found.map((f) => f.failure);
  return { allowed: failures.length === 0, level, policyVersion: `v1.${minor}`, failures };
}

/**
 * Evaluate a Pod-like object (its `metadata.annotations` and `spec`) against a Pod Security
 * Standards level, as the Pod Security Admission does at `pod-security.kubernetes.io/enforce-version`
 * `policyVersion` (`v1.31`, `1.31` or `latest`; newer versions than the checks know act as the
 * newest). Pointers in the result are relative to `object` (`/spec/containers/0/…`).
 *
 * @throws RangeError when `policyVersion` cannot be read, or `level` is not a level.
 * @example
 * ```ts
 * const result = evaluatePodSecurity(pod, 'restricted', 'v1.33');
 * if (!result.allowed) for (const f of result.failures) console.log(`${f.reason} (${f.detail})`);
 * ```
 */
export function evaluatePodSecurity(
  object: Readonly<Record<string, unknown>>,
  level: PssLevel,
  policyVersion: string,
): PodSecurityResult {
  const minor = requirePolicyMinor(policyVersion);
  const spec = object['spec'];
  const metadata = object['metadata'];
  const ref: PodSpecRef = {
    pointer: '/spec',
    spec: isObject(spec) ? spec : {},
    metadataPointer: '/metadata',
    metadata: isObject(metadata) ? metadata : undefined,
  };
  return evaluateView(podViewOf(ref), level, minor);
}

/**
 * Evaluate the pod of a Pod, or the pod template of a Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, ReplicationController, Job, CronJob or PodTemplate (as the Pod Security Admission
 * warns about them); pointers are relative to the whole resource
 * (`/spec/template/spec/containers/0/…`). `undefined` for resources that hold no pod.
 *
 * @throws RangeError when `policyVersion` cannot be read, or `level` is not a level.
 * @example
 * ```ts
 * const result = evaluateWorkloadSecurity(deployment, 'baseline', '1.33');
 * result?.failures.flatMap((f) => f.findings.map((x) => x.path)); // ['/spec/template/spec/…']
 * ```
 */
export function evaluateWorkloadSecurity(
  resource: Resource,
  level: PssLevel,
  policyVersion: string,
): PodSecurityResult | undefined {
  const minor = requirePolicyMinor(policyVersion);
  const ref = podSpecOf(resource);
  return ref ? evaluateView(podViewOf(ref), level, minor) : undefined;
}
