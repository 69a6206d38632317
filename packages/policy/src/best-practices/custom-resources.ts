import type { Resource } from '@shipshape/core';
import { isObject, type PodSpecOptions, type PodSpecRef, podSpecOf } from '../workloads.js';

/**
 * Best practices hold for the pods of custom controllers too (an Argo `Rollout`), as Polaris checks
 * them: the pod rules of the pack find pod templates in custom resources.
 */
export const IN_CUSTOM_RESOURCES: PodSpecOptions = Object.freeze({ customResources: true });

/**
 * The pod of a resource for the rules about Linux security settings: none for a pod that declares
 * `os.name: windows`, where the API server forbids those settings (`allowPrivilegeEscalation`,
 * `readOnlyRootFilesystem`, `capabilities`, `seccompProfile`, …), so advice to set them cannot be
 * followed.
 */
export function linuxPodOf(resource: Resource): PodSpecRef | undefined {
  const pod = podSpecOf(resource, IN_CUSTOM_RESOURCES);
  if (!pod) return undefined;
  const os = pod.spec['os'];
  return isObject(os) && os['name'] === 'windows' ? undefined : pod;
}
