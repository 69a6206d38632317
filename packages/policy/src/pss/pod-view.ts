import { type ContainerRef, containersOf, isObject, type PodSpecRef, pointerToken } from '../workloads.js';
import type { PodSecurityFinding } from './model.js';

type Obj = Record<string, unknown>;

/**
 * What a check sees of a pod: its spec, annotations and containers, with the JSON Pointers of each
 * inside the resource being checked (a Pod's `/spec`, a Deployment's `/spec/template/spec`, …).
 *
 * Values of the wrong JSON type cannot get past the API server's decoding, and the schema
 * validator reports them; here an object of the wrong type counts as absent, and a scalar must
 * equal an allowed value to pass.
 */
export interface PodView {
  readonly spec: Obj;
  readonly specPointer: string;
  readonly annotations: Obj;
  readonly annotationsPointer: string;
  /** `initContainers`, `containers`, `ephemeralContainers`, in that order (as upstream visits them). */
  readonly containers: readonly ContainerRef[];
}

/** The view of a PodSpec found by `podSpecOf` (or built for a bare Pod-like object). */
export function podViewOf(ref: PodSpecRef): PodView {
  const annotations = ref.metadata?.['annotations'];
  // Pods of one kind share their metadata pointer: its annotations pointer is built once.
  if (ref.metadataPointer !== lastMetadataPointer) {
    lastMetadataPointer = ref.metadataPointer;
    lastAnnotationsPointer = `${ref.metadataPointer}/annotations`;
  }
  return {
    spec: ref.spec,
    specPointer: ref.pointer,
    annotations: isObject(annotations) ? annotations : NO_ANNOTATIONS,
    annotationsPointer: lastAnnotationsPointer,
    containers: containersOf(ref),
  };
}

let lastMetadataPointer: string | undefined;
let lastAnnotationsPointer = '';

// Shared by every pod without annotations (checks only read it).
const NO_ANNOTATIONS: Obj = Object.freeze({});

const NO_ITEMS: readonly unknown[] = Object.freeze([]);

/** `null` is how YAML writes an unset field (`emptyDir:` with nothing after it). */
export function isUnset(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** The object at `key`, or `undefined` when it is missing, `null` or not an object. */
export function objectAt(holder: Obj | undefined, key: string): Obj | undefined {
  const value = holder?.[key];
  return isObject(value) ? value : undefined;
}

/** The items of the list at `key` (an empty list when it is missing or not a list). */
export function listAt(holder: Obj | undefined, key: string): readonly unknown[] {
  const value = holder?.[key];
  return Array.isArray(value) ? value : NO_ITEMS;
}

/** The pod-level `securityContext`. */
export function podSecurityContext(pod: PodView): Obj | undefined {
  return objectAt(pod.spec, 'securityContext');
}

/** A container's `securityContext`. */
export function securityContextOf(container: ContainerRef): Obj | undefined {
  return objectAt(container.container, 'securityContext');
}

/** The container's own `name` as written (`''` when unnamed, as the API decodes it). */
export function rawName(container: ContainerRef): string {
  const name = container.container['name'];
  return typeof name === 'string' ? name : '';
}

/** Whether the pod opts into a user namespace (`hostUsers: false`). */
export function usesUserNamespace(pod: PodView): boolean {
  return pod.spec['hostUsers'] === false;
}

/** Whether the pod declares itself a Windows pod (`spec.os.name: windows`). */
export function isWindowsPod(pod: PodView): boolean {
  return objectAt(pod.spec, 'os')?.['name'] === 'windows';
}

/**
 * Where to point for a field at `keys` below `holder` (at `pointer`): the field itself when it is
 * written, else the deepest object on the way that exists, marked `atKey` when it has a key (an
 * array item such as a container has none).
 */
export function pointAt(
  pointer: string,
  holder: Obj,
  keys: readonly string[],
  holderHasKey = false,
): Pick<PodSecurityFinding, 'path' | 'atKey'> {
  let at = pointer;
  let current: Obj = holder;
  let hasKey = holderHasKey;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!Object.hasOwn(current, key)) return hasKey ? { path: at, atKey: true } : { path: at };
    at = `${at}/${pointerToken(key)}`;
    hasKey = true;
    const next = current[key];
    if (i === keys.length - 1) return { path: at };
    if (!isObject(next)) return { path: at, atKey: true };
    current = next;
  }
  return { path: at };
}

/** `"a", "b"`: names quoted and joined, as upstream writes lists in its messages. */
export function joinQuote(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(', ');
}

/** The singular form for one item, the plural otherwise. */
export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Unique strings in code-unit order (upstream sorts sets the same way). */
export function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `container "a"` / `containers "a", "b"`. */
export function containerList(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

/** A scalar as the messages show it: strings as they are, anything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** A finding whose message is the check's reason and the field's own detail. */
export function finding(
  reason: string,
  detail: string,
  at: Pick<PodSecurityFinding, 'path' | 'atKey'>,
): PodSecurityFinding {
  // Written out, not spread: V8 copies a spread slowly.
  return at.atKey === undefined
    ? { path: at.path, message: `${reason} (${detail})` }
    : { path: at.path, atKey: at.atKey, message: `${reason} (${detail})` };
}
