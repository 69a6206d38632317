import { builtInKind, type Resource } from '@shipshape/core';

type Obj = Record<string, unknown>;

/** A PodSpec inside a resource: a Pod's own, or a workload's pod template. */
export interface PodSpecRef {
  /** Pointer to the PodSpec: `/spec`, `/spec/template/spec`, `/spec/jobTemplate/spec/template/spec`. */
  readonly pointer: string;
  readonly spec: Obj;
  /** Pointer to the pod's metadata: `/metadata` for a Pod, the template's metadata otherwise. */
  readonly metadataPointer: string;
  /** The pod's (or template's) metadata, when written. */
  readonly metadata: Obj | undefined;
}

/** One container of a PodSpec. */
export interface ContainerRef {
  readonly list: 'initContainers' | 'containers' | 'ephemeralContainers';
  readonly index: number;
  /** The container's name, or `#<index>` when it has none. */
  readonly name: string;
  /** Pointer to the container object. */
  readonly pointer: string;
  readonly container: Obj;
}

// Where each workload kind keeps its pod template, by group (core, apps, extensions, batch).
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  PodTemplate: ['template'],
  ReplicationController: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const WORKLOAD_GROUPS = new Set(['', 'apps', 'extensions', 'batch']);

/**
 * The kinds that hold a pod: Pod, PodTemplate and the workloads with a pod template. Rules about
 * pods declare `kinds: POD_KINDS`, so the engine calls them only for these.
 */
export const POD_KINDS: readonly string[] = Object.freeze(Object.keys(TEMPLATE_PATHS));

/** Whether the resource is a Pod or a kind that holds a pod template (Deployment, CronJob, …). */
export function isWorkload(resource: Pick<Resource, 'id'>): boolean {
  return Object.hasOwn(TEMPLATE_PATHS, resource.id.kind) && WORKLOAD_GROUPS.has(resource.id.group);
}

/**
 * The PodSpec of a Pod, or of the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob or PodTemplate; `undefined` for any other resource or when
 * the template is missing.
 *
 * @example
 * ```ts
 * const pod = podSpecOf(deployment);
 * pod?.pointer; // '/spec/template/spec'
 * ```
 */
export function podSpecOf(resource: Resource, options?: PodSpecOptions): PodSpecRef | undefined {
  if (!isWorkload(resource)) {
    return options?.customResources === true && builtInKind(resource.id.group, resource.id.kind) === undefined
      ? customPodSpecOf(resource)
      : undefined;
  }
  const kind = resource.id.kind;
  const path = TEMPLATE_PATHS[kind] ?? [];
  let holder: unknown = resource.object;
  for (const key of path) holder = isObject(holder) ? holder[key] : undefined;
  if (!isObject(holder)) return undefined;
  const spec = holder['spec'];
  if (!isObject(spec)) return undefined;
  const metadata = isObject(holder['metadata']) ? holder['metadata'] : undefined;
  // Every rule of a pack asks for the same pod in turn: the last answer is reused while it still
  // describes the object (same kind, same spec and metadata objects), which also lets views built
  // from it (`containersOf`, the PSS pod view) be reused.
  const last = lastPod;
  if (last !== undefined && last.kind === kind && last.ref.spec === spec && last.ref.metadata === metadata) {
    return last.ref;
  }
  const base = BASE_POINTERS[kind] ?? '';
  const ref: PodSpecRef = { pointer: `${base}/spec`, spec, metadataPointer: `${base}/metadata`, metadata };
  lastPod = { kind, ref };
  return ref;
}

let lastPod: { readonly kind: string; readonly ref: PodSpecRef } | undefined;

/** Options of {@link podSpecOf}. */
export interface PodSpecOptions {
  /**
   * Look in custom resources too (kinds the Kubernetes API does not define, such as an Argo
   * `Rollout`): the first object with a `containers` list reached through `jobTemplate`, `spec`
   * and `template` fields, as Polaris finds pods in any controller. Pair it with
   * `customResources: true` on the rule, so the engine calls the rule for such kinds.
   */
  readonly customResources?: boolean;
}

// The fields Polaris follows to a custom controller's PodSpec, in its order.
const POD_SPEC_FIELDS = ['jobTemplate', 'spec', 'template'] as const;

function customPodSpecOf(resource: Resource): PodSpecRef | undefined {
  const found = findPodSpec(resource.object, '', 0);
  if (!found) return undefined;
  const { holder, holderPointer, spec, pointer } = found;
  const metadata = isObject(holder['metadata']) ? holder['metadata'] : undefined;
  const last = lastPod;
  if (
    last !== undefined &&
    last.kind === resource.id.kind &&
    last.ref.spec === spec &&
    last.ref.metadata === metadata
  ) {
    return last.ref;
  }
  const ref: PodSpecRef = { pointer, spec, metadataPointer: `${holderPointer}/metadata`, metadata };
  lastPod = { kind: resource.id.kind, ref };
  return ref;
}

interface FoundPodSpec {
  readonly holder: Obj;
  readonly holderPointer: string;
  readonly spec: Obj;
  readonly pointer: string;
}

function findPodSpec(value: Obj, pointer: string, depth: number): FoundPodSpec | undefined {
  if (depth > 6) return undefined;
  for (const key of POD_SPEC_FIELDS) {
    const next = Object.hasOwn(value, key) ? value[key] : undefined;
    if (!isObject(next)) continue;
    const at = `${pointer}/${key}`;
    if (Array.isArray(next['containers']))
      return { holder: value, holderPointer: pointer, spec: next, pointer: at };
    const found = findPodSpec(next, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const BASE_POINTERS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TEMPLATE_PATHS).map(([kind, path]) => [kind, path.map((k) => `/${k}`).join('')]),
);

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Every container of a PodSpec: `initContainers`, `containers` and `ephemeralContainers`, in that
 * order (the Pod Security Admission visits all three). The list is shared by the rules that ask
 * for the same pod in turn: do not modify it.
 *
 * @example
 * ```ts
 * for (const c of containersOf(podSpecOf(resource))) console.log(c.name, c.pointer);
 * ```
 */
export function containersOf(pod: PodSpecRef | undefined): readonly ContainerRef[] {
  if (!pod) return [];
  const last = lastContainers;
  if (last !== undefined && last.pod === pod && sameContainers(pod, last.list)) return last.list;
  const out: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = pod.spec[list];
    if (!Array.isArray(items)) continue;
    for (let index = 0; index < items.length; index++) {
      const container: unknown = items[index];
      if (!isObject(container)) continue;
      const name = typeof container['name'] === 'string' ? container['name'] : `#${index}`;
      out.push({ list, index, name, pointer: `${pod.pointer}/${list}/${index}`, container });
    }
  }
  lastContainers = { pod, list: out };
  return out;
}

let lastContainers: { readonly pod: PodSpecRef; readonly list: readonly ContainerRef[] } | undefined;

/** Whether `list` still holds exactly the container objects of `pod`, with the same names. */
function sameContainers(pod: PodSpecRef, list: readonly ContainerRef[]): boolean {
  let at = 0;
  for (const name of CONTAINER_LISTS) {
    const items = pod.spec[name];
    if (!Array.isArray(items)) continue;
    for (let index = 0; index < items.length; index++) {
      const container: unknown = items[index];
      if (!isObject(container)) continue;
      const ref = list[at++];
      if (ref === undefined || ref.container !== container || ref.list !== name || ref.index !== index)
        return false;
      if (ref.name !== (typeof container['name'] === 'string' ? container['name'] : `#${index}`))
        return false;
    }
  }
  return at === list.length;
}

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at `keys` below `value`, or `undefined` when any step is missing. */
export function dig(value: unknown, ...keys: readonly (string | number)[]): unknown {
  let at = value;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string | number;
    if (typeof key === 'number') {
      at = Array.isArray(at) ? at[key] : undefined;
      continue;
    }
    if (!isObject(at)) return undefined;
    const next = at[key];
    // Only an inherited member (a function, or `__proto__`) needs the own-property check: parsed
    // values are never functions.
    at =
      next === undefined || ((typeof next === 'function' || key === '__proto__') && !Object.hasOwn(at, key))
        ? undefined
        : next;
  }
  return at;
}

/** A JSON Pointer token for a key (`~` and `/` escaped). */
export function pointerToken(key: string | number): string {
  if (typeof key === 'number') return String(key);
  // Most keys have neither character: returned as they are, with no search-and-replace.
  if (key.indexOf('~') < 0 && key.indexOf('/') < 0) return key;
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
