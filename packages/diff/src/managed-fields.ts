/**
 * Which fields of an object the field managers of server-side apply own, read from
 * `metadata.managedFields` (FieldsV1) and expressed as JSON Pointers into the object.
 *
 * FieldsV1 keys: `f:<name>` a field, `k:<json>` a list item by its key fields, `v:<json>` a set
 * item by value, `i:<n>` a list item by position, `.` the node itself. A node `{}` is owned whole
 * (a leaf: an atomic map such as `f:selector: {}` covers everything below it); a node listing `.`
 * owns its own presence (a list item, a map) and, below it, only the fields it lists. This is how
 * Kubernetes' structured-merge-diff reads the set (`Set.Leaves()` leaves `.` nodes out).
 */
import { formatPointer } from '@shipshape/core';
import {
  type FieldPath,
  type FieldStep,
  formatFieldPath,
  type ResolveOptions,
  StepResolver,
} from './field-path.js';
import { isObject as isJsonObject } from './json-value.js';
import {
  type FieldNode,
  MANAGED_FIELDS_PROBLEM_CODES,
  type ManagedFieldsEntry,
  type ManagedFieldsProblem,
  type ManagedFieldsProblemCode,
  parseFieldsV1,
  readEntries,
} from './managed-fields-parse.js';
import { comparePaths, type PathSegments } from './path-order.js';

export { formatFieldPath, resolveFieldPath } from './field-path.js';
export type { FieldPath, FieldStep, ResolveOptions };
export {
  MANAGED_FIELDS_PROBLEM_CODES,
  type ManagedFieldsEntry,
  type ManagedFieldsProblem,
  type ManagedFieldsProblemCode,
};

/**
 * The fields some managers own in one object.
 *
 * @example
 * ```ts
 * const owned = ownedFields(live, ['argocd-controller']);
 * owned.has('/spec/replicas'); // true when argocd-controller applied spec.replicas
 * owned.covers('/spec/selector/matchLabels/app'); // true: f:selector is owned whole
 * ```
 */
export interface FieldSet {
  /** Whether `pointer` itself is owned, as a leaf or as a `.` node. */
  has(pointer: string): boolean;
  /** Whether `pointer` is owned, or lies below a location owned whole (a leaf). */
  covers(pointer: string): boolean;
  /** Every owned location (leaves and `.` nodes), in document order. */
  pointers(): readonly string[];
  /** The owned leaves only: what the managers set, without the items and maps they merely keep. */
  leaves(): readonly string[];
  /**
   * Owned paths (leaves and `.` nodes) the object lacks, ordered by their `formatFieldPath` text.
   * Resolving live's managed fields against desired (`options.managedFields`), these are fields a
   * manager set that desired no longer has.
   */
  unresolved(): readonly FieldPath[];
  /** Entries that were skipped because they are malformed. */
  readonly problems: readonly ManagedFieldsProblem[];
}

/**
 * Picks managers: by name, or by a predicate that also sees the entry (operation, time, …).
 *
 * @example
 * ```ts
 * const byName: ManagerSelector = ['argocd-controller'];
 * const appliers: ManagerSelector = (_manager, entry) => entry.operation === 'Apply';
 * ```
 */
export type ManagerSelector = readonly string[] | ((manager: string, entry: ManagedFieldsEntry) => boolean);

/**
 * Options of `ownedFields`.
 *
 * @example
 * ```ts
 * const options: OwnedFieldsOptions = { subresources: ['status'], keyDefaults: { protocol: 'TCP' } };
 * ```
 */
export interface OwnedFieldsOptions extends ResolveOptions {
  /**
   * Entries for a subresource (`subresource: status`, `scale`) are left out by default, since they
   * own what the main resource's writers cannot change. `true` takes them all; a list takes those
   * subresources. The manager selector runs after this filter.
   */
  readonly subresources?: boolean | readonly string[];
  /**
   * The `managedFields` list to read instead of `object.metadata.managedFields`: pass live's to
   * resolve its owners' fields against desired.
   */
  readonly managedFields?: unknown;
}

/**
 * The fields of `object` owned by the selected managers. `k:`, `v:` and `i:` steps are resolved
 * against the object's own lists, so the result is in pointers into this object; owned paths it
 * lacks are in `unresolved()`. Malformed entries (not an object, an unknown `fieldsType`, bad JSON
 * in a `k:` key, …) are skipped whole and reported in `problems`; this never throws and never
 * mutates `object`.
 *
 * @example
 * ```ts
 * const owned = ownedFields(service, ['argocd-controller']);
 * owned.pointers(); // ['/spec/ports/1', '/spec/ports/1/name', …] for k:{"port":1935,"protocol":"TCP"} at index 1
 * const removed = ownedFields(desired, ['argocd-controller'], { managedFields: live.metadata.managedFields });
 * removed.unresolved().map(formatFieldPath); // ['.metadata.labels.something-else'] when Git dropped that label
 * ```
 */
export function ownedFields(
  object: unknown,
  managers: ManagerSelector,
  options: OwnedFieldsOptions = {},
): FieldSet {
  const list = Object.hasOwn(options, 'managedFields') ? options.managedFields : managedFieldsOf(object);
  const { entries, problems } = readEntries(list);
  const select = typeof managers === 'function' ? managers : (manager: string) => managers.includes(manager);
  const builder = new Collector(new StepResolver(options));
  for (const { entry, index } of entries) {
    if (!subresourceWanted(entry.subresource, options.subresources ?? false)) continue;
    if (!select(entry.manager, entry) || entry.fieldsV1 === undefined) continue;
    const parsed = parseFieldsV1(entry.fieldsV1);
    if ('problem' in parsed) problems.push({ ...parsed.problem, index });
    else builder.walk(parsed.tree, object, [], []);
  }
  return builder.finish(problems);
}

/**
 * Every path a FieldsV1 object owns (`.` nodes and leaves), as step lists to resolve against any
 * object with `resolveFieldPath`; ordered by their `formatFieldPath` text. Malformed FieldsV1
 * yields `[]` (use `ownedFields` to learn why).
 *
 * @example
 * ```ts
 * fieldPathsOf({ 'f:spec': { 'f:ports': { 'k:{"port":80}': { '.': {}, 'f:name': {} } } } });
 * // [[{ field: 'spec' }, { field: 'ports' }, { key: { port: 80 } }],
 * //  [{ field: 'spec' }, { field: 'ports' }, { key: { port: 80 } }, { field: 'name' }]]
 * fieldPathsOf(fieldsV1, { leavesOnly: true }); // only the second
 * ```
 */
export function fieldPathsOf(
  fieldsV1: unknown,
  options: { readonly leavesOnly?: boolean } = {},
): FieldPath[] {
  if (!isJsonObject(fieldsV1)) return [];
  const parsed = parseFieldsV1(fieldsV1);
  if ('problem' in parsed) return [];
  const out: FieldPath[] = [];
  const visit = (node: FieldNode, steps: readonly FieldStep[]): void => {
    for (const { step, node: child } of node.children) {
      const path = [...steps, step];
      if (child.member === 'leaf' || (child.member === 'self' && options.leavesOnly !== true)) out.push(path);
      visit(child, path);
    }
  };
  visit(parsed.tree, []);
  return sortFieldPaths(out);
}

function managedFieldsOf(object: unknown): unknown {
  if (!isJsonObject(object) || !Object.hasOwn(object, 'metadata')) return undefined;
  const metadata = object['metadata'];
  return isJsonObject(metadata) && Object.hasOwn(metadata, 'managedFields')
    ? metadata['managedFields']
    : undefined;
}

function subresourceWanted(subresource: string | undefined, wanted: boolean | readonly string[]): boolean {
  if (subresource === undefined || subresource === '') return true;
  return wanted === true || (Array.isArray(wanted) && wanted.includes(subresource));
}

function sortFieldPaths(paths: FieldPath[]): FieldPath[] {
  const keyed = paths.map((path) => ({ path, text: formatFieldPath(path) }));
  keyed.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return keyed.map(({ path }) => path);
}

/** Walks parsed FieldsV1 trees along the object and gathers what they own. */
class Collector {
  private readonly members = new Map<string, { segments: PathSegments; leaf: boolean }>();
  private readonly missing = new Map<string, FieldPath>();

  constructor(private readonly resolver: StepResolver) {}

  walk(node: FieldNode, value: unknown, segments: PathSegments | null, steps: FieldPath): void {
    for (const { step, node: child } of node.children) {
      const found = segments === null ? undefined : this.resolver.step(value, step);
      const childSegments = found === undefined ? null : [...segments!, found.segment];
      const childSteps = [...steps, step];
      if (child.member !== 'none') this.record(childSegments, childSteps, child.member === 'leaf');
      this.walk(child, found?.value, childSegments, childSteps);
    }
  }

  private record(segments: PathSegments | null, steps: FieldPath, leaf: boolean): void {
    if (segments === null) {
      this.missing.set(formatFieldPath(steps), steps);
      return;
    }
    const pointer = formatPointer(segments);
    const known = this.members.get(pointer);
    this.members.set(pointer, { segments, leaf: leaf || known?.leaf === true });
  }

  finish(problems: readonly ManagedFieldsProblem[]): FieldSet {
    const sorted = [...this.members].sort((a, b) => comparePaths(a[1].segments, b[1].segments));
    const pointers = Object.freeze(sorted.map(([pointer]) => pointer));
    const leaves = Object.freeze(sorted.filter(([, member]) => member.leaf).map(([pointer]) => pointer));
    const leafSet = new Set(leaves);
    const members = this.members;
    const unresolved = Object.freeze(sortFieldPaths([...this.missing.values()]));
    return {
      has: (pointer) => members.has(pointer),
      covers: (pointer) => members.has(pointer) || hasLeafAncestor(pointer, leafSet),
      pointers: () => pointers,
      leaves: () => leaves,
      unresolved: () => unresolved,
      problems,
    };
  }
}

function hasLeafAncestor(pointer: string, leaves: ReadonlySet<string>): boolean {
  for (let at = pointer.lastIndexOf('/'); at > 0; at = pointer.lastIndexOf('/', at - 1)) {
    if (leaves.has(pointer.slice(0, at))) return true;
  }
  return false;
}
