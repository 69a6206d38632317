import type { CheckVariant, PssCheck } from './check.js';
import { allowPrivilegeEscalation } from './checks/allow-privilege-escalation.js';
import { appArmorProfile } from './checks/app-armor-profile.js';
import { capabilitiesBaseline } from './checks/capabilities-baseline.js';
import { capabilitiesRestricted } from './checks/capabilities-restricted.js';
import { hostNamespaces } from './checks/host-namespaces.js';
import { hostPathVolumes } from './checks/host-path-volumes.js';
import { hostPorts } from './checks/host-ports.js';
import { hostProbesAndHostLifecycle } from './checks/host-probes-and-host-lifecycle.js';
import { privileged } from './checks/privileged.js';
import { procMount } from './checks/proc-mount.js';
import { procMountRestricted } from './checks/proc-mount-restricted.js';
import { restrictedVolumes } from './checks/restricted-volumes.js';
import { runAsNonRoot } from './checks/run-as-non-root.js';
import { runAsUser } from './checks/run-as-user.js';
import { seLinuxOptions } from './checks/se-linux-options.js';
import { seccompProfileBaseline } from './checks/seccomp-profile-baseline.js';
import { seccompProfileRestricted } from './checks/seccomp-profile-restricted.js';
import { sysctls } from './checks/sysctls.js';
import { windowsHostProcess } from './checks/windows-host-process.js';
import type { PssLevel } from './model.js';

/** Every check, in the order of `PSS_CHECK_IDS`: the baseline checks, then the restricted ones. */
export const CHECKS: readonly PssCheck[] = [
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  hostProbesAndHostLifecycle,
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];

/** The newest policy minor any variant starts at; `latest` and newer versions resolve to it. */
export const NEWEST_POLICY_MINOR = Math.max(...CHECKS.flatMap((c) => c.variants.map((v) => v.since)));

/** A check that runs, with the variant that runs at the policy version. */
export interface ActiveCheck {
  readonly check: PssCheck;
  readonly variant: CheckVariant;
}

/** The newest variant of a check that starts at or before v1.`minor`, if any. */
export function variantAt(check: PssCheck, minor: number): CheckVariant | undefined {
  let found: CheckVariant | undefined;
  for (const variant of check.variants) if (variant.since <= minor) found = variant;
  return found;
}

/**
 * The checks of a level at policy version v1.`minor`, in table order: a check runs its newest
 * variant that has started; at the restricted level, a baseline check gives way to the
 * restricted check that overrides it, whenever that one runs.
 */
export function activeChecks(level: PssLevel, minor: number): ActiveCheck[] {
  // A typo ('Restricted', 'strict') must not quietly check less: the pod would pass as allowed.
  if (level !== 'privileged' && level !== 'baseline' && level !== 'restricted') {
    throw new RangeError(
      `Pod Security Standards: ${JSON.stringify(level)} is not a level; use privileged, baseline or restricted`,
    );
  }
  if (level === 'privileged') return [];
  const running = CHECKS.filter((c) => level === 'restricted' || c.level === 'baseline').flatMap((check) => {
    const variant = variantAt(check, minor);
    return variant ? [{ check, variant }] : [];
  });
  const overridden = new Set(running.flatMap(({ check }) => (check.overrides ? [check.overrides] : [])));
  return running.filter(({ check }) => !overridden.has(check.id));
}
