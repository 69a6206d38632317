import { type ContainerRef, containersOf, fieldOf, isObject, type PodSpecRef } from '../workloads.js';

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
  // Most rules ask for the same pod in turn: the last selection of each scope is reused while it
  // comes from the same list (plain variables, no entry object per pod).
  if (scope.init ?? true) {
    if (all !== lastAllWithInit) {
      lastAllWithInit = all;
      lastWithInit = select(all, true);
    }
    return lastWithInit;
  }
  if (all !== lastAllWithoutInit) {
    lastAllWithoutInit = all;
    lastWithoutInit = select(all, false);
  }
  return lastWithoutInit;
}

/**
 * The `containers` (and `initContainers` when `init`) of `all`, in order. Usually that is every
 * container of the pod: then `all` itself is returned, and nothing is allocated (measured: the
 * copies were the largest allocation of the best-practices pack).
 */
function select(all: readonly ContainerRef[], init: boolean): readonly ContainerRef[] {
  let kept = 0;
  for (let i = 0; i < all.length; i++) if (checked(all[i] as ContainerRef, init)) kept++;
  if (kept === all.length) return all;
  const list: ContainerRef[] = [];
  for (let i = 0; i < all.length; i++) {
    const c = all[i] as ContainerRef;
    if (checked(c, init)) list.push(c);
  }
  return list;
}

function checked(c: ContainerRef, init: boolean): boolean {
  return c.list === 'containers' || (init && c.list === 'initContainers');
}

const ALL_CONTAINERS: ContainerScope = {};

let lastAllWithInit: readonly ContainerRef[] | undefined;
let lastWithInit: readonly ContainerRef[] = [];
let lastAllWithoutInit: readonly ContainerRef[] | undefined;
let lastWithoutInit: readonly ContainerRef[] = [];

/**
 * `securityContext.<key>` of a container or PodSpec, as `dig(holder, 'securityContext', key)` reads
 * it, without `dig`'s array per call (these are read for every container by many rules).
 *
 * @example
 * ```ts
 * securitySetting({ securityContext: { privileged: true } }, 'privileged'); // true
 * ```
 */
export function securitySetting(holder: unknown, key: string): unknown {
  return fieldOf(fieldOf(holder, 'securityContext'), key);
}

/** How a message names a container: `container app` or `init container setup`. */
export function describeContainer(c: Pick<ContainerRef, 'list' | 'name'>): string {
  return c.list === 'initContainers' ? `init container ${c.name}` : `container ${c.name}`;
}

/**
 * Whether a container declares a port named `name` (`ports[].name`): `portNamesOf(c).includes(name)`
 * without the list, for rules that look up a name in every container.
 *
 * @example
 * ```ts
 * declaresPortName({ ports: [{ name: 'http', containerPort: 8080 }] }, 'http'); // true
 * ```
 */
export function declaresPortName(container: Readonly<Record<string, unknown>>, name: string): boolean {
  const ports = container['ports'];
  if (!Array.isArray(ports)) return false;
  for (let i = 0; i < ports.length; i++) {
    const p: unknown = ports[i];
    if (isObject(p) && p['name'] === name) return true;
  }
  return false;
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
