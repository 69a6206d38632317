import type { BuiltinCheck } from './builtin-check.js';
import { apiServiceCheck } from './health-apiservice.js';
import { cronJobCheck } from './health-cronjob.js';
import { daemonSetCheck } from './health-daemonset.js';
import { deploymentCheck } from './health-deployment.js';
import { horizontalPodAutoscalerCheck } from './health-hpa.js';
import { extensionsIngressCheck, ingressCheck } from './health-ingress.js';
import { jobCheck } from './health-job.js';
import { podCheck } from './health-pod.js';
import { persistentVolumeClaimCheck } from './health-pvc.js';
import { replicaSetCheck } from './health-replicaset.js';
import { serviceCheck } from './health-service.js';
import { statefulSetCheck } from './health-statefulset.js';
import { workflowCheck } from './health-workflow.js';

/** Every built-in rule, keyed by group and kind: the version never picks the rule, as upstream. */
const BUILTIN_CHECKS: ReadonlyMap<string, BuiltinCheck> = new Map(
  [
    deploymentCheck,
    statefulSetCheck,
    daemonSetCheck,
    replicaSetCheck,
    podCheck,
    serviceCheck,
    ingressCheck,
    extensionsIngressCheck,
    persistentVolumeClaimCheck,
    jobCheck,
    cronJobCheck,
    horizontalPodAutoscalerCheck,
    apiServiceCheck,
    workflowCheck,
  ].map((check) => [`${check.group}/${check.kind}`, check]),
);

/** The built-in rule for a group and kind, if there is one. */
export function findBuiltinCheck(group: string, kind: string): BuiltinCheck | undefined {
  return BUILTIN_CHECKS.get(`${group}/${kind}`);
}

/** Whether a built-in rule understands `version`. */
export function supportsVersion(check: BuiltinCheck, version: string): boolean {
  return check.versions === 'any' || check.versions.includes(version);
}
