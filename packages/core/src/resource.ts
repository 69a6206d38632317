import type { ResourceId } from './resource-key.js';
import type { SourceSpan } from './source-span.js';

/** A Kubernetes object as plain JSON data. */
export type KubernetesObject = Readonly<Record<string, unknown>>;

/** Where a resource was written. */
export interface ResourceSource {
  /** Repository-relative POSIX path of the file. */
  readonly path: string;
  /** The Git ref the file was read at, when it came from Git. */
  readonly ref?: string;
  /** 0-based index of the YAML document within the file. */
  readonly document: number;
  /** 0-based index within the `items` of a `List` document, when the resource came from one. */
  readonly item?: number;
  /** The whole document (or `List` item) in the file. */
  readonly span: SourceSpan;
}

/**
 * One Kubernetes object read from a repository, with its identity and provenance.
 *
 * @example
 * ```ts
 * const r: Resource = {
 *   id: { apiVersion: 'v1', group: '', kind: 'Service', namespace: 'web', name: 'api' },
 *   object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'web' } },
 *   source: { path: 'web/service.yaml', document: 0, span },
 * };
 * ```
 */
export interface Resource {
  readonly id: ResourceId;
  readonly object: KubernetesObject;
  readonly source: ResourceSource;
}

/**
 * Finds the source span of a JSON Pointer inside a resource. Implementations resolve positions
 * lazily, so only resources that get a diagnostic pay for them.
 */
export interface SpanLocator {
  /**
   * The span of the value at `pointer` (or, with `{ key: true }`, of its key in the parent
   * mapping). Falls back to the nearest ancestor that exists in the source, so a missing field
   * points at its parent object. `undefined` when the resource's file is unknown.
   */
  locate(source: ResourceSource, pointer: string, options?: { key?: boolean }): SourceSpan | undefined;
  /**
   * {@link SpanLocator.locate} for several places in one resource, answered in order. Optional: a
   * locator that has it finds them together (the findings of a resource share most of their path),
   * which costs less than asking one at a time; callers fall back to `locate` without it.
   *
   * @example
   * ```ts
   * const [container, image] = locator.locateAll?.(resource.source, [
   *   { pointer: '/spec/containers/0' },
   *   { pointer: '/spec/containers/0/image', key: true },
   * ]) ?? [];
   * ```
   */
  locateAll?(source: ResourceSource, places: readonly PlaceQuery[]): (SourceSpan | undefined)[];
}

/** A place asked of {@link SpanLocator.locateAll}: a JSON Pointer, and whether its key is wanted. */
export interface PlaceQuery {
  readonly pointer: string;
  readonly key?: boolean;
}
