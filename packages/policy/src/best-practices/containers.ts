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
export function checkedContainers(
  pod: PodSpecRef | undefined,
  scope: ContainerScope = ALL_CONTAINERS,
): readonly ContainerRef[] {
  const all = containersOf(pod);
  const init = scope.init ?? true;
  // Most rules ask for the same pod in turn: reuse the last selection while it comes from the same list.
  const key = init ? 1 : 0;
  const last = lastChecked[key];
  if (last !== undefined && last.all === all) return last.list;
  const list = all.filter((c) => c.list === 'containers' || (init && c.list === 'initContainers'));
  lastChecked[key] = { all, list };
  return list;
}

const ALL_CONTAINERS: ContainerScope = {};

const lastChecked: (
  | { readonly all: readonly ContainerRef[]; readonly list: readonly ContainerRef[] }
  | undefined
)[] = [undefined, undefined];

/** How a message names a container: `container app` or `init container setup`. */
export function describeContainer(c: Pick<ContainerRef, 'list' | 'name'>): string {
  return c.list === 'initContainers' ? `init container ${c.name}` : `container ${c.name}`;
}

/**
 * The names a container gives its ports (`ports[].name`), in order.
 *
 * @example
 * ```ts
 * portNamesOf({ ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9090 }] }); // ['http']
 * ```
 */
export function portNamesOf(container: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const ports = container['ports'];
  if (!Array.isArray(ports)) return out;
  for (const p of ports as unknown[]) {
    if (p !== null && typeof p === 'object' && !Array.isArray(p)) {
      const name = (p as Record<string, unknown>)['name'];
      if (typeof name === 'string') out.push(name);
    }
  }
  return out;
}
