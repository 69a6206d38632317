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
  const resources: Resource[] = [];
  const diagnostics: Diagnostic[] = [];
  const locators = new Map<string, FileLocator>();
  let count = 0;
  for (const file of files) {
    count++;
    const parsed = parseManifestFile(file, options);
    for (const r of parsed.resources) resources.push(r);
    for (const d of parsed.diagnostics) diagnostics.push(d);
    if (parsed.locator) locators.set(file.path, parsed.locator);
  }
  for (const d of findDuplicateResources(resources)) diagnostics.push(d);
  return {
    resources,
    diagnostics,
    files: count,
    locator: locatorOver(locators),
    text: (path) => locators.get(path)?.text,
  };
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
