import type { Rule } from '../rule.js';
import { addedCapabilities } from './added-capabilities.js';
import {
  createHpaTarget,
  createIngressService,
  createNetworkPolicyTargets,
  createStatefulSetService,
} from './dangling-refs.js';
import { dropCapabilities } from './drop-capabilities.js';
import { envDuplicates } from './env-duplicates.js';
import { hostNamespaces } from './host-namespaces.js';
import { hostPathVolumes } from './host-path-volumes.js';
import { hostPorts } from './host-ports.js';
import { hpaReplicas } from './hpa-replicas.js';
import { imagePullPolicy } from './image-pull-policy.js';
import { imageTag } from './image-tag.js';
import { ingressTls } from './ingress-tls.js';
import { labels } from './labels.js';
import { linuxHardening } from './linux-hardening.js';
import { namespace } from './namespace.js';
import { createNetworkPolicy } from './network-policy.js';
import { pdbEvictionPolicy } from './pdb-eviction-policy.js';
import { createPdbPresent } from './pdb-present.js';
import { createPdbSane } from './pdb-sane.js';
import { portNames } from './port-names.js';
import { priorityClass } from './priority-class.js';
import { privilegeEscalation } from './privilege-escalation.js';
import { privilegedContainer } from './privileged-container.js';
import { probePorts } from './probe-ports.js';
import { livenessProbe, readinessProbe } from './probes.js';
import { probesIdentical } from './probes-identical.js';
import { procMount } from './proc-mount.js';
import { createRbacClusterAdmin } from './rbac-cluster-admin.js';
import { createRbacExecAttach } from './rbac-exec-attach.js';
import { rbacWildcards } from './rbac-wildcards.js';
import { readOnlyRootFs } from './read-only-root-fs.js';
import { createReplicas } from './replicas.js';
import { resources } from './resources.js';
import { restartPolicy } from './restart-policy.js';
import { runAsNonRoot } from './run-as-non-root.js';
import { createSaTokenAutomount } from './sa-token-automount.js';
import { secretsInEnv } from './secrets-in-env.js';
import { selectorMatchesTemplate } from './selector-matches-template.js';
import { createServiceAccount } from './service-account.js';
import { serviceExternalIps } from './service-external-ips.js';
import { createServiceSelector } from './service-selector.js';
import { serviceType } from './service-type.js';
import { spread } from './spread.js';
import { sshPort } from './ssh-port.js';
import { windowsHostProcess } from './windows-host-process.js';

/**
 * The best-practices pack: checks that Polaris, kube-score and kube-linter agree on, and those one
 * of them (or Kyverno) runs where the cluster would refuse or break the object, with the ids of the
 * merged catalogue. Security rules first, then reliability, efficiency and hygiene. Rules
 * that look across resources (`bp/network-policy`, `bp/pdb-present`, `bp/pdb-sane`, `bp/rbac-*`,
 * `bp/replicas`, `bp/sa-token-automount`, `bp/service-selector`, `bp/ingress-service`,
 * `bp/network-policy-targets`, `bp/hpa-target`, `bp/statefulset-service`, `bp/service-account`) keep what they need during a run
 * and report from `finish`, which also clears it.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: createBestPracticeRules(), kubernetesVersion: '1.35' });
 * ```
 */
export function createBestPracticeRules(): Rule[] {
  return [
    privilegedContainer,
    privilegeEscalation,
    hostNamespaces,
    hostPathVolumes,
    windowsHostProcess,
    addedCapabilities,
    runAsNonRoot,
    secretsInEnv,
    createRbacClusterAdmin(),
    createRbacExecAttach(),
    hostPorts,
    sshPort,
    serviceType,
    serviceExternalIps,
    dropCapabilities,
    readOnlyRootFs,
    linuxHardening,
    procMount,
    rbacWildcards,
    ingressTls,
    createSaTokenAutomount(),
    createNetworkPolicy(),
    imageTag,
    livenessProbe,
    readinessProbe,
    probesIdentical,
    probePorts,
    portNames,
    selectorMatchesTemplate,
    restartPolicy,
    createServiceSelector(),
    createIngressService(),
    createNetworkPolicyTargets(),
    createStatefulSetService(),
    createServiceAccount(),
    envDuplicates,
    createPdbSane(),
    pdbEvictionPolicy,
    imagePullPolicy,
    createReplicas(),
    hpaReplicas,
    createHpaTarget(),
    createPdbPresent(),
    spread,
    priorityClass,
    resources,
    labels,
    namespace,
  ];
}

/**
 * The pack's rules, for documentation and catalogues. An engine needs its own instances
 * ({@link createBestPracticeRules}): the cross-resource rules keep per-run state.
 */
export const bestPracticeRules: readonly Rule[] = createBestPracticeRules();

/**
 * Which rule implements each Polaris check (by Polaris' check id). Rules that cover several
 * Polaris checks tag each finding with `data.polaris`, the check it stands for. Every built-in
 * Polaris check is listed.
 *
 * @example
 * ```ts
 * POLARIS_CHECKS['cpuLimitsMissing']; // 'bp/resources'
 * ```
 */
export const POLARIS_CHECKS: Readonly<Record<string, string>> = {
  automountServiceAccountToken: 'bp/sa-token-automount',
  clusterrolePodExecAttach: 'bp/rbac-exec-attach',
  clusterrolebindingClusterAdmin: 'bp/rbac-cluster-admin',
  clusterrolebindingPodExecAttach: 'bp/rbac-exec-attach',
  cpuLimitsMissing: 'bp/resources',
  cpuRequestsMissing: 'bp/resources',
  dangerousCapabilities: 'bp/added-capabilities',
  deploymentMissingReplicas: 'bp/replicas',
  hostIPCSet: 'bp/host-namespaces',
  hostNetworkSet: 'bp/host-namespaces',
  hostPIDSet: 'bp/host-namespaces',
  hostPathSet: 'bp/host-path-volumes',
  hostPortSet: 'bp/host-ports',
  hostProcess: 'bp/windows-host-process',
  hpaMaxAvailability: 'bp/hpa-replicas',
  hpaMinAvailability: 'bp/hpa-replicas',
  insecureCapabilities: 'bp/drop-capabilities',
  linuxHardening: 'bp/linux-hardening',
  livenessProbeMissing: 'bp/liveness-probe',
  memoryLimitsMissing: 'bp/resources',
  memoryRequestsMissing: 'bp/resources',
  metadataAndInstanceMismatched: 'bp/labels',
  missingNetworkPolicy: 'bp/network-policy',
  missingPodDisruptionBudget: 'bp/pdb-present',
  notReadOnlyRootFilesystem: 'bp/read-only-root-fs',
  pdbDisruptionsIsZero: 'bp/pdb-sane',
  pdbMinAvailableGreaterThanHPAMinReplicas: 'bp/pdb-sane',
  priorityClassNotSet: 'bp/priority-class',
  privilegeEscalationAllowed: 'bp/privilege-escalation',
  procMount: 'bp/proc-mount',
  pullPolicyNotAlways: 'bp/image-pull-policy',
  readinessProbeMissing: 'bp/readiness-probe',
  rolePodExecAttach: 'bp/rbac-exec-attach',
  rolebindingClusterAdminClusterRole: 'bp/rbac-cluster-admin',
  rolebindingClusterAdminRole: 'bp/rbac-cluster-admin',
  rolebindingClusterRolePodExecAttach: 'bp/rbac-exec-attach',
  rolebindingRolePodExecAttach: 'bp/rbac-exec-attach',
  runAsPrivileged: 'bp/privileged-container',
  runAsRootAllowed: 'bp/run-as-non-root',
  sensitiveConfigmapContent: 'bp/secrets-in-env',
  sensitiveContainerEnvVar: 'bp/secrets-in-env',
  tagNotSpecified: 'bp/image-tag',
  tlsSettingsMissing: 'bp/ingress-tls',
  topologySpreadConstraint: 'bp/spread',
};
