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

/** Where a workload kind keeps its pod: the path to the template, and the pointers made from it. */
interface Template {
  readonly path: readonly string[];
  readonly specPointer: string;
  readonly metadataPointer: string;
}

// One lookup by kind answers `isWorkload` and gives the pointers, built once (podSpecOf runs for
// every rule on every resource).
const TEMPLATES: ReadonlyMap<string, Template> = new Map(
  Object.entries(TEMPLATE_PATHS).map(([kind, path]) => {
    const base = path.map((k) => `/${k}`).join('');
    return [kind, { path, specPointer: `${base}/spec`, metadataPointer: `${base}/metadata` }];
  }),
);

const WORKLOAD_GROUPS = new Set(['', 'apps', 'extensions', 'batch']);

/**
 * The kinds that hold a pod: Pod, PodTemplate and the workloads with a pod template. Rules about
 * pods declare `kinds: POD_KINDS`, so the engine calls them only for these.
 */
export const POD_KINDS: readonly string[] = Object.freeze(Object.keys(TEMPLATE_PATHS));

/** Whether the resource is a Pod or a kind that holds a pod template (Deployment, CronJob, …). */
export function isWorkload(resource: Pick<Resource, 'id'>): boolean {
  return TEMPLATES.has(resource.id.kind) && WORKLOAD_GROUPS.has(resource.id.group);
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
  // While the engine runs the rules of this resource, the first answer is the answer: no walk and
  // no comparison per rule (see `sealResource`).
  if (resource === sealed) {
    if (options?.customResources === true) {
      if (sealedCustomPod === NOT_YET) sealedCustomPod = lookUpPodSpec(resource, options);
      return sealedCustomPod;
    }
    if (sealedPod === NOT_YET) sealedPod = lookUpPodSpec(resource, options);
    return sealedPod;
  }
  return lookUpPodSpec(resource, options);
}

/**
 * The resource whose rules the policy engine is running, the number of that run, and the answers
 * made in it so far (`NOT_YET` until asked). `sealResource` starts every run afresh, so the same
 * object edited and checked anew is read again.
 */
let sealed: Resource | undefined;
let epoch = 0;
const NOT_YET: unique symbol = Symbol('not yet');
let sealedPod: PodSpecRef | undefined | typeof NOT_YET = NOT_YET;
let sealedCustomPod: PodSpecRef | undefined | typeof NOT_YET = NOT_YET;
let sealedContainersOf: PodSpecRef | undefined;
let sealedContainers: readonly ContainerRef[] = [];

/**
 * Mark `resource` as the one whose rules run now (the engine calls this before the first rule and
 * with `undefined` after the last). Until then, `podSpecOf`, `containersOf` and the views built on
 * them give each resource's first answer again without reading the object a second time: rules
 * read the object, never change it. Every call starts a new run, so nothing made for one run is
 * given in another (an engine used inside a rule restores the outer resource as a new run).
 * Returns the resource that was marked before.
 *
 * Why: the rules of a Deployment (54 in the packs) each ask for its pod. Checking a remembered
 * answer against the object again (the template walked, every container compared) cost each rule
 * a dozen property loads on objects of many shapes, the slow, megamorphic kind: about a tenth of
 * what the engine's first pass over the generated repository executes (docs/decisions.md).
 */
export function sealResource(resource: Resource | undefined): Resource | undefined {
  const outer = sealed;
  sealed = resource;
  epoch++;
  // Nothing of the last run is given again, or kept alive once its rules are done.
  sealedPod = NOT_YET;
  sealedCustomPod = NOT_YET;
  sealedContainersOf = undefined;
  sealedContainers = NO_CONTAINERS;
  return outer;
}

/** The run number when `resource` is the one whose rules run now (see {@link sealResource}), else `-1`. */
export function sealOf(resource: Resource): number {
  return resource === sealed ? epoch : -1;
}

/** The answer of {@link podSpecOf}, found in the object (remembering the last one, for callers outside a run). */
function lookUpPodSpec(resource: Resource, options: PodSpecOptions | undefined): PodSpecRef | undefined {
  const kind = resource.id.kind;
  const template = TEMPLATES.get(kind);
  if (template === undefined || !WORKLOAD_GROUPS.has(resource.id.group)) {
    return options?.customResources === true && isCustomKind(resource.id.group, kind)
      ? customPodSpecOf(resource)
      : undefined;
  }
  const path = template.path;
  let holder: unknown = resource.object;
  for (let i = 0; i < path.length; i++) holder = isObject(holder) ? holder[path[i] as string] : undefined;
  if (!isObject(holder)) return undefined;
  const spec = holder['spec'];
  if (!isObject(spec)) return undefined;
  const metadata = isObject(holder['metadata']) ? holder['metadata'] : undefined;
  // Every rule of a pack asks for the same pod in turn: the last answer is reused while it still
  // describes the object (same kind, same spec and metadata objects), which also lets views built
  // from it (`containersOf`, the PSS pod view) be reused.
  const last = lastPod;
  if (last !== undefined && lastPodKind === kind && last.spec === spec && last.metadata === metadata) {
    return last;
  }
  const ref: PodSpecRef = {
    pointer: template.specPointer,
    spec,
    metadataPointer: template.metadataPointer,
    metadata,
  };
  lastPod = ref;
  lastPodKind = kind;
  return ref;
}

// The last answer of `podSpecOf` and the kind it was for (two variables: no object per answer).
let lastPod: PodSpecRef | undefined;
let lastPodKind = '';

/**
 * Whether the Kubernetes API does not define the kind. The last answer is remembered: the rules
 * that look in custom resources ask about every resource in turn (identities are strings of
 * their own, safe to keep).
 */
function isCustomKind(group: string, kind: string): boolean {
  if (group !== lastKindGroup || kind !== lastKindName) {
    lastKindGroup = group;
    lastKindName = kind;
    lastKindCustom = builtInKind(group, kind) === undefined;
  }
  return lastKindCustom;
}

let lastKindGroup: string | undefined;
let lastKindName: string | undefined;
let lastKindCustom = false;

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
    lastPodKind === resource.id.kind &&
    last.spec === spec &&
    last.metadata === metadata
  ) {
    return last;
  }
  const ref: PodSpecRef = { pointer, spec, metadataPointer: `${holderPointer}/metadata`, metadata };
  lastPod = ref;
  lastPodKind = resource.id.kind;
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
  if (!pod) return NO_CONTAINERS;
  // The pod `podSpecOf` gave during the engine's run for a resource: listed once for every rule.
  if (pod === sealedContainersOf) return sealedContainers;
  const list = listContainers(pod);
  if (pod === sealedPod || pod === sealedCustomPod) {
    sealedContainersOf = pod;
    sealedContainers = list;
  }
  return list;
}

/** The containers of `pod`, reusing the last list while it still holds the same containers. */
function listContainers(pod: PodSpecRef): readonly ContainerRef[] {
  if (lastContainersPod === pod && sameContainers(pod, lastContainers)) return lastContainers;
  // Pods of one kind share their pointer: the prefixes `<pod>/<list>/` are built once for it, so
  // each container's pointer is one concatenation.
  if (pod.pointer !== prefixesOf) {
    prefixesOf = pod.pointer;
    listPrefixes = listPrefixesOf(pod.pointer);
  }
  const out: ContainerRef[] = [];
  for (let l = 0; l < CONTAINER_LISTS.length; l++) {
    const list = CONTAINER_LISTS[l] as ContainerRef['list'];
    const items = pod.spec[list];
    if (!Array.isArray(items)) continue;
    for (let index = 0; index < items.length; index++) {
      const container: unknown = items[index];
      if (!isObject(container)) continue;
      const name = typeof container['name'] === 'string' ? container['name'] : `#${index}`;
      out.push({ list, index, name, pointer: `${listPrefixes[l]}${index}`, container });
    }
  }
  lastContainersPod = pod;
  lastContainers = out;
  return out;
}

const NO_CONTAINERS: readonly ContainerRef[] = Object.freeze([]);

let prefixesOf: string | undefined;
let listPrefixes: readonly string[] = [];

// Apart from containersOf: a closure there would capture `pod`, and V8 then allocates a context
// on every call, hits included (measured, about 40 bytes a call).
function listPrefixesOf(pointer: string): readonly string[] {
  return CONTAINER_LISTS.map((list) => `${pointer}/${list}/`);
}

// The last answer of `containersOf` and the pod it was for (two variables: no object per answer).
let lastContainersPod: PodSpecRef | undefined;
let lastContainers: readonly ContainerRef[] = NO_CONTAINERS;

/** Whether `list` still holds exactly the container objects of `pod`, with the same names. */
function sameContainers(pod: PodSpecRef, list: readonly ContainerRef[]): boolean {
  let at = 0;
  for (let l = 0; l < CONTAINER_LISTS.length; l++) {
    const name = CONTAINER_LISTS[l] as ContainerRef['list'];
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
    at = fieldOf(at, key);
  }
  return at;
}

/**
 * One step of {@link dig}: the own field `key` of an object, or `undefined` when `value` is not an
 * object or has no such field. Rules on hot paths chain it (`fieldOf(fieldOf(c, 'a'), 'b')`)
 * rather than call `dig`, whose rest parameter builds an array on every call.
 */
export function fieldOf(value: unknown, key: string): unknown {
  if (!isObject(value)) return undefined;
  const next = value[key];
  // Only an inherited member (a function, or `__proto__`) needs the own-property check: parsed
  // values are never functions.
  return next === undefined ||
    ((typeof next === 'function' || key === '__proto__') && !Object.hasOwn(value, key))
    ? undefined
    : next;
}

/** A JSON Pointer token for a key (`~` and `/` escaped). */
export function pointerToken(key: string | number): string {
  if (typeof key === 'number') return String(key);
  // Most keys have neither character: returned as they are, with no search-and-replace.
  if (key.indexOf('~') < 0 && key.indexOf('/') < 0) return key;
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
