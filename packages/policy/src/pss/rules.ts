import type { Resource } from '@shipshape/core';
import type { Rule } from '../rule.js';
import { containersOf, POD_KINDS, type PodSpecRef, podSpecOf, sealOf } from '../workloads.js';
import { requirePolicyMinor } from './evaluate.js';
import { type PodView, podViewOf } from './pod-view.js';
import type { ActiveCheck } from './registry.js';
import { activeChecks } from './registry.js';
import { pssUpstream } from './upstream.js';

// The rules of a pack all read the same pod in turn; its view is built once and reused while
// `podSpecOf` gives the same answer (no WeakMap: one entry per object made the collector trace
// every resource of a repository).
// Three variables rather than one entry object: no allocation per pod.
let lastRef: PodSpecRef | undefined;
let lastAnnotations: unknown;
let lastView: PodView | undefined;

/** The PSS view of a resource's pod, shared by the rules that read it in turn. */
export function viewOf(resource: Resource): PodView | undefined {
  // While the engine runs this resource's rules, the view made for its first PSS rule serves all.
  const run = sealOf(resource);
  if (run >= 0 && run === viewRun) return runView;
  const view = lookUpView(resource);
  viewRun = run;
  runView = run >= 0 ? view : undefined;
  return view;
}

// The engine's run the last answer was made in (see `sealResource`), or -1, and that answer.
let viewRun = -1;
let runView: PodView | undefined;

function lookUpView(resource: Resource): PodView | undefined {
  const ref = podSpecOf(resource);
  if (!ref) return undefined;
  const containers = containersOf(ref);
  // The annotations too: an object edited in place (an editor's) may have gained or swapped them.
  const annotations = ref.metadata?.['annotations'];
  if (
    lastView !== undefined &&
    lastRef === ref &&
    lastView.containers === containers &&
    lastAnnotations === annotations
  )
    return lastView;
  const view = podViewOf(ref);
  lastRef = ref;
  lastAnnotations = annotations;
  lastView = view;
  return view;
}

function ruleFor({ check, variant }: ActiveCheck): Rule {
  return {
    id: `pss/${check.id}`,
    category: 'security',
    severity: 'error',
    kinds: POD_KINDS,
    docs: {
      summary: check.docs.summary,
      details: check.docs.details,
      upstream: pssUpstream(check.id),
      examples: variant.examples ?? check.docs.examples,
    },
    check(resource, context) {
      const pod = viewOf(resource);
      if (!pod) return;
      const violation = variant.evaluate(pod);
      if (violation === undefined) return;
      // One data object for the violation's findings: they carry the same reason and detail, and
      // reported data is never changed (the engine copies each distinct object once).
      const data = { reason: violation.reason, detail: violation.detail };
      const findings = violation.findings;
      for (let i = 0; i < findings.length; i++) {
        const finding = findings[i] as (typeof findings)[number];
        context.report({ path: finding.path, message: finding.message, atKey: finding.atKey === true, data });
      }
    },
  };
}

/**
 * The Pod Security Standards rules of `level` for a Kubernetes version (`1.31` runs policy
 * version v1.31, as `pod-security.kubernetes.io/enforce-version: v1.31` would; `latest` and
 * versions newer than every check run the newest): one rule per check that runs at that version,
 * with id `pss/<check>`. They check Pods and the pod templates of workloads (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, PodTemplate).
 *
 * @throws RangeError when `kubernetesVersion` is not `1.<minor>`, `v1.<minor>` or `latest`, or `level` is not a level.
 * @example
 * ```ts
 * pssRules('restricted', '1.33').map((r) => r.id);
 * // ['pss/hostNamespaces', 'pss/privileged', …, 'pss/capabilities_restricted']
 * ```
 */
export function pssRules(level: 'baseline' | 'restricted', kubernetesVersion: string): Rule[] {
  return activeChecks(level, requirePolicyMinor(kubernetesVersion)).map(ruleFor);
}
