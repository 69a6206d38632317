import type { PodSpecOptions } from '../workloads.js';

/**
 * Best practices hold for the pods of custom controllers too (an Argo `Rollout`), as Polaris checks
 * them: the pod rules of the pack find pod templates in custom resources.
 */
export const IN_CUSTOM_RESOURCES: PodSpecOptions = Object.freeze({ customResources: true });
