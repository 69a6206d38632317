import type {
  Diagnostic,
  KubernetesObject,
  Resource,
  ResourceSource,
  SourceSpan,
  SpanLocator,
} from '@shipshape/core';
import { keepShape } from '@shipshape/core';
import { FileLocator } from './document-locator.js';
import { findDuplicateResources } from './duplicates.js';
import { FileSource } from './identify.js';
import { type ManifestFile, type ParseOptions, parseManifestFile, reloadDocument } from './parse-file.js';

/** Everything read from a set of manifest files. */
export interface ManifestSet {
  /** Every resource, in file then document order. */
  readonly resources: readonly Resource[];
  /** Every problem found, duplicates across files included. */
  readonly diagnostics: readonly Diagnostic[];
  /** Number of files read. */
  readonly files: number;
  /** Spans of JSON Pointers in the resources, resolved lazily. */
  readonly locator: SpanLocator;
  /** The decoded text of a file that was read, for code frames. */
  text(path: string): string | undefined;
}

/**
 * Parse many files into one set of resources, and report resources defined twice.
 *
 * @example
 * ```ts
 * const set = parseManifests([{ path: 'a.yaml', content: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n' }]);
 * set.resources[0]?.id.name; // 'web'
 * set.locator.locate(set.resources[0]!.source, '/metadata/name')?.start; // { offset: 48, line: 3, column: 18 }
 * ```
 */
export function parseManifests(files: Iterable<ManifestFile>, options: ParseOptions = {}): ManifestSet {
  const collector = new ManifestCollector(options);
  for (const file of files) collector.add(file);
  return collector.finish();
}

/** Options of {@link ManifestCollector}. */
export interface CollectorOptions extends ParseOptions {
  /**
   * Keep every parsed object in memory (the default). With `false`, each file's objects are
   * released once `add` has handed them to its callback, and a resource's `object` is parsed again
   * from the kept text when it is read: checking a large repository then holds its text, not its
   * objects, which is several times smaller and far cheaper for the garbage collector.
   */
  readonly retainObjects?: boolean;
}

/**
 * Builds a {@link ManifestSet} one file at a time, so a caller reading files can drop each
 * file's bytes as soon as it is parsed, and look at each file's resources while their objects are
 * fresh.
 *
 * @example
 * ```ts
 * const collector = new ManifestCollector({ retainObjects: false });
 * for await (const file of readFiles()) {
 *   collector.add(file, (resources) => {
 *     for (const r of resources) inspect(r.object); // parsed objects, live during the callback
 *   });
 * }
 * const set = collector.finish(); // set.resources[i].object is parsed again when read
 * ```
 */
export class ManifestCollector {
  readonly #options: CollectorOptions;
  readonly #resources: Resource[] = [];
  readonly #diagnostics: Diagnostic[] = [];
  readonly #locators = new Map<string, FileLocator>();
  #files = 0;
  // Files `hold` parsed, whose objects and texts stay until `releaseHeld`.
  #held: HeldFile[] = [];

  constructor(options: CollectorOptions = {}) {
    this.#options = options;
  }

  /**
   * Parse one file and keep what it yields. `use`, when given, sees the file's resources with their
   * objects before they are released (see {@link CollectorOptions.retainObjects}); a resource it
   * keeps reads its object again from the text unless it copies it (`{ id, object, source }`). It
   * returns `true` to keep the file's decoded text, when positions in it will be asked for later.
   */
  add(file: ManifestFile, use?: (resources: readonly Resource[]) => unknown): void {
    this.#add(file, use, false);
  }

  /**
   * {@link add}, except that the file's objects stay live, and its text decoded, until
   * {@link releaseHeld} (or {@link finish}): for a caller that looks at the resources of many files
   * together, after they are all parsed, rather than at each file's between two parses.
   *
   * @example
   * ```ts
   * const batch: Resource[] = [];
   * for (const file of files) collector.hold(file, (resources) => batch.push(...resources));
   * for (const r of batch) inspect(r.object); // every file's objects, still live
   * collector.releaseHeld();
   * ```
   */
  hold(file: ManifestFile, use?: (resources: readonly Resource[]) => unknown): void {
    this.#add(file, use, true);
  }

  /** Release the objects and texts of the files {@link hold} kept (as {@link add} does at once). */
  releaseHeld(): void {
    const held = this.#held;
    for (let i = 0; i < held.length; i++) settle(held[i] as HeldFile);
    this.#held = [];
  }

  #add(
    file: ManifestFile,
    use: ((resources: readonly Resource[]) => unknown) | undefined,
    hold: boolean,
  ): void {
    this.#files++;
    const parsed = parseManifestFile(file, this.#options);
    for (const d of parsed.diagnostics) this.#diagnostics.push(d);
    if (parsed.locator) this.#locators.set(file.path, parsed.locator);
    const locator = parsed.locator;
    if (this.#options.retainObjects === false && locator) {
      const stored = parsed.resources.map((r) => new ReloadableResource(r, locator, this.#options));
      const keepText = use?.(stored) === true;
      for (const r of stored) this.#resources.push(r);
      // The text stays when the caller says resources of this file will be placed later, or when
      // the file already has findings (more are likely: duplicates, cross-resource rules).
      const done: HeldFile = {
        resources: stored,
        locator,
        compact: !keepText && parsed.diagnostics.length === 0,
      };
      if (hold) this.#held.push(done);
      else settle(done);
      return;
    }
    use?.(parsed.resources);
    for (const r of parsed.resources) this.#resources.push(r);
  }

  /**
   * Drop again the texts of files released after their check and decoded since: placing a finding
   * at the end (a rule's `finish`) decodes its file again, and a repository's worth of such texts
   * would stay with the result. They are decoded again when asked (a report's code frame).
   */
  release(): void {
    for (const locator of this.#locators.values()) locator.recompact();
  }

  /** Positions in every file added so far (usable before {@link finish}). */
  get locator(): SpanLocator {
    return locatorOver(this.#locators);
  }

  /** Everything added so far, with duplicates across files reported (held files are released). */
  finish(): ManifestSet {
    this.releaseHeld();
    const locators = this.#locators;
    return {
      resources: this.#resources,
      diagnostics: [...this.#diagnostics, ...findDuplicateResources(this.#resources)],
      files: this.#files,
      locator: locatorOver(locators),
      text: (path) => locators.get(path)?.text,
    };
  }
}

/** A file parsed with objects not kept: its resources, and whether its text goes once they are released. */
interface HeldFile {
  readonly resources: readonly ReloadableResource[];
  readonly locator: FileLocator;
  readonly compact: boolean;
}

function settle(file: HeldFile): void {
  for (const r of file.resources) r.release();
  if (file.compact) file.locator.compact();
}

/**
 * A resource whose object can be released and read again from its file's text. `object` is a getter
 * on the prototype (no closure or accessor per resource), so a spread `{ ...resource }` does not
 * carry it: copy with `{ id, object, source }`. `JSON.stringify` includes it.
 */
class ReloadableResource implements Resource {
  readonly id: Resource['id'];
  readonly source: ResourceSource;
  #object: KubernetesObject | undefined;
  readonly #locator: FileLocator;
  readonly #options: ParseOptions;

  constructor(resource: Resource, locator: FileLocator, options: ParseOptions) {
    this.id = resource.id;
    this.source = resource.source;
    this.#object = resource.object;
    this.#locator = locator;
    this.#options = options;
  }

  get object(): KubernetesObject {
    this.#object ??=
      reloadDocument(this.#locator, this.source.document, this.source.item, this.#options) ?? {};
    return this.#object;
  }

  release(): void {
    this.#object = undefined;
  }

  toJSON(): Resource {
    return { id: this.id, object: this.object, source: this.source };
  }
}

// Every rule reads resources of this class, and they all die with their check: one kept keeps
// their hidden class, and the rules compiled for it (see keepShape).
{
  const locator = new FileLocator('', undefined, '', [], 1);
  const id = { apiVersion: '', group: '', kind: '', namespace: '', name: '' };
  const source = new FileSource(locator, 0, undefined, '');
  keepShape(new ReloadableResource({ id, object: {}, source }, locator, {}));
}

function locatorOver(locators: ReadonlyMap<string, FileLocator>): SpanLocator {
  return {
    locate(source: ResourceSource, pointer: string, options?: { key?: boolean }): SourceSpan | undefined {
      const file = locators.get(source.path);
      if (!file) return undefined;
      const prefix = source.item === undefined ? '' : `/items/${source.item}`;
      return file.locate(source.document, prefix + pointer, options?.key ?? false);
    },
    locateAll(source, places) {
      const file = locators.get(source.path);
      if (!file) return places.map(() => undefined);
      if (source.item === undefined) return file.locateAll(source.document, places);
      const prefix = `/items/${source.item}`;
      return file.locateAll(
        source.document,
        places.map((p) => ({ pointer: prefix + p.pointer, key: p.key ?? false })),
      );
    },
  };
}
