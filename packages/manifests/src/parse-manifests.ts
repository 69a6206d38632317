import type { Diagnostic, Resource, ResourceSource, SourceSpan, SpanLocator } from '@shipshape/core';
import type { FileLocator } from './document-locator.js';
import { findDuplicateResources } from './duplicates.js';
import { type ManifestFile, type ParseOptions, parseManifestFile } from './parse-file.js';

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
 * set.locator.locate(set.resources[0]!.source, '/metadata/name')?.start; // { offset: 44, line: 3, column: 17 }
 * ```
 */
export function parseManifests(files: Iterable<ManifestFile>, options: ParseOptions = {}): ManifestSet {
  const collector = new ManifestCollector(options);
  for (const file of files) collector.add(file);
  return collector.finish();
}

/**
 * Builds a {@link ManifestSet} one file at a time, so a caller reading files can drop each
 * file's bytes as soon as it is parsed.
 *
 * @example
 * ```ts
 * const collector = new ManifestCollector();
 * for await (const file of readFiles()) collector.add(file);
 * const set = collector.finish();
 * ```
 */
export class ManifestCollector {
  readonly #options: ParseOptions;
  readonly #resources: Resource[] = [];
  readonly #diagnostics: Diagnostic[] = [];
  readonly #locators = new Map<string, FileLocator>();
  #files = 0;

  constructor(options: ParseOptions = {}) {
    this.#options = options;
  }

  /** Parse one file and keep what it yields. */
  add(file: ManifestFile): void {
    this.#files++;
    const parsed = parseManifestFile(file, this.#options);
    for (const r of parsed.resources) this.#resources.push(r);
    for (const d of parsed.diagnostics) this.#diagnostics.push(d);
    if (parsed.locator) this.#locators.set(file.path, parsed.locator);
  }

  /** Everything added so far, with duplicates across files reported. */
  finish(): ManifestSet {
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

function locatorOver(locators: ReadonlyMap<string, FileLocator>): SpanLocator {
  return {
    locate(source: ResourceSource, pointer: string, options?: { key?: boolean }): SourceSpan | undefined {
      const file = locators.get(source.path);
      if (!file) return undefined;
      const prefix = source.item === undefined ? '' : `/items/${source.item}`;
      return file.locate(source.document, prefix + pointer, options?.key ?? false);
    },
  };
}
