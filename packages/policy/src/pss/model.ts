/**
 * The Pod Security Standards levels, from the most to the least permissive. `privileged` runs no
 * check; `restricted` runs every `baseline` check except those a restricted check overrides.
 */
export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const;

/** One of {@link PSS_LEVELS}. */
export type PssLevel = (typeof PSS_LEVELS)[number];

/**
 * The ids of the 19 Pod Security Admission checks, as upstream names them: the 12 baseline checks,
 * then the 7 restricted ones. Rule ids are `pss/<id>`.
 */
export const PSS_CHECK_IDS = [
  'hostNamespaces',
  'privileged',
  'capabilities_baseline',
  'hostPathVolumes',
  'hostPorts',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'seccompProfile_baseline',
  'sysctls',
  'windowsHostProcess',
  'hostProbesAndHostLifecycle',
  'restrictedVolumes',
  'allowPrivilegeEscalation',
  'runAsNonRoot',
  'runAsUser',
  'seccompProfile_restricted',
  'capabilities_restricted',
  'procMount_restricted',
] as const;

/** One of {@link PSS_CHECK_IDS}. */
export type PssCheckId = (typeof PSS_CHECK_IDS)[number];

/** One offending field of a failed check. */
export interface PodSecurityFinding {
  /** JSON Pointer of the field, or of its nearest existing parent when the field is missing. */
  readonly path: string;
  /** The check's reason and what this field must change, e.g. `privileged (container "app" must not …)`. */
  readonly message: string;
  /** `true` when `path` names the parent of a missing field: point at its key rather than its value. */
  readonly atKey?: boolean;
}

/** A check that forbids the pod. */
export interface PodSecurityFailure {
  readonly check: PssCheckId;
  /** Pod Security Admission's short reason (`privileged`, `host namespaces`, …). */
  readonly reason: string;
  /** Pod Security Admission's detail: the containers, volumes or values at fault, in one line. */
  readonly detail: string;
  /** Every offending field, in the order the check visits them. */
  readonly findings: readonly PodSecurityFinding[];
}

/** The verdict of one level at one policy version. */
export interface PodSecurityResult {
  readonly allowed: boolean;
  readonly level: PssLevel;
  /** The policy version the checks ran at, `v1.<minor>` (`latest` and newer versions resolved). */
  readonly policyVersion: string;
  /** Failed checks in the order `kubectl` prints them: baseline checks, then restricted, each by id. */
  readonly failures: readonly PodSecurityFailure[];
}
