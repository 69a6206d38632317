import type { ContainerRef } from '../../workloads.js';
import type { PodSecurityFinding } from '../model.js';
import { objectAt, type PodView, podSecurityContext, pointAt, securityContextOf, show } from '../pod-view.js';

/** The seccomp profile types that keep a filter on: the runtime's default or one from the node. */
function validSeccompType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

/** A `seccompProfile` written with a type that is not allowed, by the pod or one container. */
export interface BadSeccomp {
  /** `pod`, or `container "<name>"`. */
  readonly who: string;
  /** The container's name, for a container. */
  readonly container?: string;
  readonly type: string;
  readonly at: Pick<PodSecurityFinding, 'path' | 'atKey'>;
  /** Position in visiting order: -1 for the pod, else the container's index in `PodView.containers`. */
  readonly order: number;
}

/** A container without a profile of its own, and where its profile would go. */
export interface UnsetSeccomp {
  readonly name: string;
  readonly at: Pick<PodSecurityFinding, 'path' | 'atKey'>;
  readonly order: number;
}

/** What the pod and its containers write in `securityContext.seccompProfile`. */
export interface SeccompSettings {
  /** The pod sets an allowed type, which containers without a profile inherit. */
  readonly podAllowed: boolean;
  /** The pod, then containers, that set a forbidden type (or a profile without a type). */
  readonly bad: readonly BadSeccomp[];
  /** Containers with no profile of their own, and where their profile would go. */
  readonly unset: readonly UnsetSeccomp[];
}

/**
 * What {@link readSeccomp} would find, without building it (most pods pass, and then allocate
 * nothing): `forbidden` when the pod or a container sets a forbidden type, else `unset` when a
 * container has no profile and the pod sets no allowed one, else `allowed`.
 */
export function seccompOutcome(pod: PodView): 'allowed' | 'unset' | 'forbidden' {
  const podProfile = objectAt(podSecurityContext(pod), 'seccompProfile');
  if (podProfile && !validSeccompType(podProfile['type'])) return 'forbidden';
  let unset = false;
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    const profile = objectAt(securityContextOf(containers[i] as ContainerRef), 'seccompProfile');
    if (!profile) unset ||= podProfile === undefined;
    else if (!validSeccompType(profile['type'])) return 'forbidden';
  }
  return unset ? 'unset' : 'allowed';
}

/** Read the seccomp profiles of a pod; a `seccompProfile` that is not an object counts as unset. */
export function readSeccomp(pod: PodView): SeccompSettings {
  const bad: BadSeccomp[] = [];
  const unset: UnsetSeccomp[] = [];
  const podProfile = objectAt(podSecurityContext(pod), 'seccompProfile');
  let podAllowed = false;
  if (podProfile) {
    if (validSeccompType(podProfile['type'])) podAllowed = true;
    else
      bad.push({
        who: 'pod',
        type: show(podProfile['type'] ?? ''),
        at: pointAt(pod.specPointer, pod.spec, ['securityContext', 'seccompProfile', 'type'], true),
        order: -1,
      });
  }
  for (const [order, c] of pod.containers.entries()) {
    const profile = objectAt(securityContextOf(c), 'seccompProfile');
    if (!profile) {
      unset.push({
        name: c.name,
        at: pointAt(c.pointer, c.container, ['securityContext', 'seccompProfile']),
        order,
      });
    } else if (!validSeccompType(profile['type'])) {
      bad.push({
        who: `container "${c.name}"`,
        container: c.name,
        type: show(profile['type'] ?? ''),
        at: pointAt(c.pointer, c.container, ['securityContext', 'seccompProfile', 'type']),
        order,
      });
    }
  }
  return { podAllowed, bad, unset };
}
