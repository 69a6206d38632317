import type { PssCheckId } from './model.js';

// The policies of other tools that implement a Pod Security Standards check (the merged catalogue
// of ../shared/reference/policies.md §4.1): Kyverno's `pod-security` policies, one per check, and
// kube-linter's check where the best-practices pack has no rule of its own for it.
const OTHERS: Partial<Readonly<Record<PssCheckId, readonly string[]>>> = {
  privileged: ['kyverno/disallow-privileged-containers'],
  allowPrivilegeEscalation: ['kyverno/disallow-privilege-escalation'],
  hostNamespaces: ['kyverno/disallow-host-namespaces'],
  hostPathVolumes: ['kyverno/disallow-host-path'],
  restrictedVolumes: ['kyverno/restrict-volume-types'],
  hostPorts: ['kyverno/disallow-host-ports'],
  capabilities_baseline: ['kyverno/disallow-capabilities'],
  capabilities_restricted: ['kyverno/disallow-capabilities-strict'],
  runAsNonRoot: ['kyverno/require-run-as-nonroot'],
  runAsUser: ['kyverno/require-run-as-non-root-user'],
  seccompProfile_baseline: ['kyverno/restrict-seccomp'],
  seccompProfile_restricted: ['kyverno/restrict-seccomp-strict'],
  appArmorProfile: ['kyverno/restrict-apparmor-profiles'],
  seLinuxOptions: ['kyverno/disallow-selinux'],
  procMount: ['kyverno/disallow-proc-mount'],
  sysctls: ['kyverno/restrict-sysctls', 'kube-linter/unsafe-sysctls'],
  windowsHostProcess: ['kyverno/disallow-host-process'],
};

/**
 * What a PSS check's rule page names upstream: the standard itself, then the other tools'
 * policies that implement the check.
 *
 * @example
 * ```ts
 * pssUpstream('sysctls'); // ['Pod Security Standards: sysctls', 'kyverno/restrict-sysctls', 'kube-linter/unsafe-sysctls']
 * ```
 */
export function pssUpstream(id: PssCheckId): string[] {
  return [`Pod Security Standards: ${id}`, ...(OTHERS[id] ?? [])];
}
