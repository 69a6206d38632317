import { type ContainerRef, containersOf, type PodSpecRef } from '../workloads.js';

/** Which containers of a pod a check looks at. */
export interface ContainerScope {
  /** Include `initContainers` (default `true`). Polaris excludes them for resources and probes. */
  readonly init?: boolean;
}

/**
 * The containers Polaris checks: `initContainers` (unless excluded) and `containers`. Ephemeral
 * containers are left out: they are added by `kubectl debug`, never written in manifests.
 *
 * @example
 * ```ts
 * for (const c of checkedContainers(podSpecOf(resource), { init: false })) console.log(c.name);
 * ```
 */
export function checkedContainers(pod: PodSpecRef | undefined, scope: ContainerScope = {}): ContainerRef[] {
  const init = scope.init ?? true;
  return containersOf(pod).filter((c) => c.list === 'containers' || (init && c.list === 'initContainers'));
}

/** How a message names a container: `container app` or `init container setup`. */
export function describeContainer(c: Pick<ContainerRef, 'list' | 'name'>): string {
  return c.list === 'initContainers' ? `init container ${c.name}` : `container ${c.name}`;
}
