import type { Diagnostic, Resource } from '@shipshape/core';
import { constructFromEvents, parseEvents, YAMLException } from 'js-yaml/browser';
import { decodeManifestBytes, fileDiagnostic } from './decode.js';
import { contentStart, FileLocator } from './document-locator.js';
import { identifyDocument } from './identify.js';
import { duplicateJsonKeys } from './json-duplicates.js';
import { jsonErrorOffset } from './json-position.js';
import { splitJsonStream } from './json-stream.js';
import { type DocumentRange, splitDocuments } from './split-documents.js';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.js';

/** A file to parse: bytes as read, or text already decoded. */
export interface ManifestFile {
  /** Repository-relative POSIX path; `.json` files are read as JSON, anything else as YAML. */
  readonly path: string;
  readonly content: Uint8Array | string;
  /** The Git ref the file was read at, copied into every span. */
  readonly ref?: string;
}

/** Limits that keep hostile input contained. */
export interface ParseOptions {
  /** Files larger than this many bytes are not parsed (`file/too-large`). Default 16 MiB. */
  readonly maxFileBytes?: number;
  /** Deepest nesting of collections allowed (`yaml/too-deep`). Default 256. */
  readonly maxDepth?: number;
  /** Most nodes a document may expand to through aliases (`yaml/alias-bomb`). Default 1,000,000. */
  readonly maxAliasExpansion?: number;
}

/** What one file yields. */
export interface ParsedFile {
  readonly path: string;
  readonly resources: Resource[];
  readonly diagnostics: Diagnostic[];
  /** Positions in the file, for spans of later diagnostics; absent when the file was not read. */
  readonly locator: FileLocator | undefined;
}

export const DEFAULT_PARSE_OPTIONS: Required<ParseOptions> = {
  maxFileBytes: 16 * 1024 * 1024,
  maxDepth: 256,
  maxAliasExpansion: 1_000_000,
};

/**
 * Parse every document of one file into resources. Problems become diagnostics with spans; a
 * broken document never stops the others.
 *
 * @example
 * ```ts
 * const { resources, diagnostics } = parseManifestFile({ path: 'web.yaml', content: text });
 * ```
 */
export function parseManifestFile(file: ManifestFile, options: ParseOptions = {}): ParsedFile {
  const opts = { ...DEFAULT_PARSE_OPTIONS, ...options };
  const size = typeof file.content === 'string' ? file.content.length : file.content.byteLength;
  if (size > opts.maxFileBytes) {
    const message = `file is ${formatBytes(size)}, over the ${formatBytes(opts.maxFileBytes)} limit; it was not parsed`;
    return notRead(file.path, fileDiagnostic(file.path, 'file/too-large', 'error', message, { size }));
  }
  let text: string;
  const diagnostics: Diagnostic[] = [];
  if (typeof file.content === 'string') {
    text = file.content;
  } else {
    const decoded = decodeManifestBytes(file.content, file.path);
    if (decoded.text === undefined) return notRead(file.path, decoded.diagnostic);
    text = decoded.text;
    if (decoded.diagnostic) diagnostics.push(decoded.diagnostic);
  }
  const isJson = file.path.toLowerCase().endsWith('.json');
  const parsed = isJson ? loadJson(text) : loadYaml(text, opts);
  // Bytes are kept off the JavaScript heap; the text is decoded again from them when needed.
  const bytes = typeof file.content === 'string' ? undefined : file.content;
  const locator = new FileLocator(file.path, file.ref, text, parsed.documents, opts.maxDepth, bytes);
  for (const problem of parsed.problems) {
    const range = parsed.documents[problem.document];
    const at = problem.offset ?? (range ? contentStart(text, range) : 0);
    diagnostics.push({
      code: problem.code,
      severity: 'error',
      message: problem.message,
      span: locator.span(problem.document, at, problem.end ?? at),
    });
  }
  const resources: Resource[] = [];
  for (const [document, value] of parsed.values) {
    identifyDocument(value, document, locator, resources, diagnostics);
  }
  return { path: file.path, resources, diagnostics, locator };
}

/**
 * Parse one document of a file again from its text, exactly as {@link parseManifestFile} read it
 * (a `List` item when `item` is given): how a resource whose object was released gets it back.
 * Only documents that yielded a resource are asked for, so it does not fail on valid input; it
 * returns `undefined` if the text no longer yields an object there.
 */
export function reloadDocument(
  locator: FileLocator,
  document: number,
  item: number | undefined,
  options: ParseOptions = {},
): Record<string, unknown> | undefined {
  const range = locator.documents[document];
  if (!range) return undefined;
  const source = locator.text.slice(range.start, range.end);
  let value: unknown;
  if (locator.path.toLowerCase().endsWith('.json')) {
    try {
      value = JSON.parse(source) as unknown;
    } catch {
      return undefined;
    }
  } else {
    value = loadDocument(source, range.start, document, { ...DEFAULT_PARSE_OPTIONS, ...options }, []);
  }
  if (item !== undefined) {
    const items = isRecord(value) ? value['items'] : undefined;
    value = Array.isArray(items) ? (items[item] as unknown) : undefined;
  }
  return isRecord(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface Problem {
  readonly document: number;
  readonly code: string;
  readonly message: string;
  /** Absolute offset; the document's first content line when absent. */
  readonly offset?: number;
  /** Absolute end offset, when the problem covers a range (a duplicated key). */
  readonly end?: number;
}

interface Loaded {
  readonly documents: DocumentRange[];
  readonly values: Map<number, unknown>;
  readonly problems: Problem[];
}

function loadYaml(text: string, opts: Required<ParseOptions>): Loaded {
  const documents = splitDocuments(text);
  const values = new Map<number, unknown>();
  const problems: Problem[] = [];
  // Fast path: one js-yaml call for the whole stream (a call per document costs ~20% more on
  // repositories of small files). Any error, or documents that do not line up with the split,
  // sends the file down the per-document path, which isolates and places each problem.
  const whole = loadWhole(text, opts);
  const perDocument = whole === undefined || whole.length !== documents.length;
  documents.forEach((range, document) => {
    const value = perDocument
      ? loadDocument(text.slice(range.start, range.end), range.start, document, opts, problems)
      : whole[document];
    if (value === undefined || value === null) return;
    if (mayAlias(text, range) && countNodes(value, opts.maxAliasExpansion) > opts.maxAliasExpansion) {
      problems.push({
        document,
        code: 'yaml/alias-bomb',
        message: `aliases in this document expand to more than ${opts.maxAliasExpansion.toLocaleString('en-US')} nodes; it was refused`,
      });
      return;
    }
    values.set(document, value);
  });
  return { documents, values, problems };
}

// An alias node: `*name` where a value starts (after `: `, `- `, `[`, `,` or at a line start).
const ALIAS = /(?:^|[\s[,])\*[^\s,[\]{}*]/m;

/**
 * Whether a document may expand through aliases, so its node count must be bounded: it needs an
 * anchor and an alias. Cheap text tests keep the walk off the many documents that only contain
 * `&&` or `"*"` (CEL expressions, RBAC verbs).
 */
function mayAlias(text: string, range: DocumentRange): boolean {
  const anchor = text.indexOf('&', range.start);
  if (anchor < 0 || anchor >= range.end) return false;
  return ALIAS.test(text.slice(range.start, range.end));
}

function loadWhole(text: string, opts: Required<ParseOptions>): unknown[] | undefined {
  try {
    return loadStream(text, opts.maxDepth, false);
  } catch {
    return undefined;
  }
}

/**
 * What js-yaml's `loadAll` returns, through its two halves: `parseEvents`, then
 * `constructFromEvents`, each given its own options. `loadAll` merges its default options into
 * fresh objects on every call before doing the same; skipping that made the parse of the generated
 * repository about a sixth faster (docs/decisions.md, "Parsing"). Throws what `loadAll` throws.
 */
function loadStream(text: string, maxDepth: number, json: boolean): unknown[] {
  return constructFromEvents(parseEvents(text, { maxDepth }), {
    source: text,
    schema: KUBERNETES_YAML_SCHEMA,
    json,
  });
}

function loadDocument(
  source: string,
  base: number,
  document: number,
  opts: Required<ParseOptions>,
  problems: Problem[],
): unknown {
  try {
    return loadStream(source, opts.maxDepth, false)[0];
  } catch (error) {
    const problem = yamlProblem(error, source, base, document, opts.maxDepth);
    problems.push(problem);
    if (problem.code !== 'yaml/duplicate-key') return undefined;
  }
  try {
    // Keep the object (last value wins, as most decoders do) so its other problems show too.
    return loadStream(source, opts.maxDepth, true)[0];
  } catch (error) {
    problems.push(yamlProblem(error, source, base, document, opts.maxDepth));
    return undefined;
  }
}

function yamlProblem(
  error: unknown,
  source: string,
  base: number,
  document: number,
  maxDepth: number,
): Problem {
  if (error instanceof YAMLException) {
    const offset = base + (error.mark?.position ?? 0);
    if (error.reason.includes('complex keys')) {
      const template = source.indexOf('{{');
      return {
        document,
        offset: template >= 0 ? base + template : offset,
        code: 'yaml/syntax',
        message:
          'a mapping or list is used as a key; Kubernetes objects only have string keys (is this an unrendered template such as `{{ .Values.x }}`?)',
      };
    }
    if (error.reason.startsWith('duplicated mapping key')) {
      const key = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^:#\n]*?))\s*:/.exec(
        source.slice(error.mark?.position ?? 0),
      );
      const name = key ? (key[1] ?? key[2] ?? key[3] ?? '') : '';
      const what = name === '' ? 'a key' : `key \`${name}\``;
      return {
        document,
        offset,
        ...(key ? { end: offset + key[0].replace(/\s*:$/, '').length } : {}),
        code: 'yaml/duplicate-key',
        message: `${what} appears twice in one mapping; only the last value would be kept`,
      };
    }
    if (error.reason.includes('maxDepth')) {
      return {
        document,
        offset,
        code: 'yaml/too-deep',
        message: `collections nest deeper than ${maxDepth} levels`,
      };
    }
    if (error.reason.includes('maxTotalMergeKeys') || error.reason.includes('maxAliases')) {
      return { document, offset, code: 'yaml/alias-bomb', message: `refused: ${error.reason}` };
    }
    return { document, offset, code: 'yaml/syntax', message: error.reason };
  }
  if (error instanceof RangeError) {
    return { document, code: 'yaml/too-deep', message: 'the document nests too deeply to parse' };
  }
  return { document, code: 'yaml/syntax', message: error instanceof Error ? error.message : String(error) };
}

function loadJson(text: string): Loaded {
  const whole: DocumentRange = { start: 0, end: text.length };
  if (text.trim() === '') {
    return {
      documents: [whole],
      values: new Map(),
      problems: [
        {
          document: 0,
          offset: 0,
          code: 'json/syntax',
          message: 'the file is empty: a .json manifest must hold a JSON value',
        },
      ],
    };
  }
  try {
    const value = JSON.parse(text) as unknown;
    return {
      documents: [whole],
      values: new Map([[0, value]]),
      problems: duplicateProblems(text, value, 0, 0),
    };
  } catch (error) {
    const chunks = splitJsonStream(text);
    if (chunks && chunks.length > 1) {
      const values = new Map<number, unknown>();
      const problems: Problem[] = [];
      chunks.forEach((chunk, i) => {
        try {
          const source = text.slice(chunk.start, chunk.end);
          const value = JSON.parse(source) as unknown;
          values.set(i, value);
          problems.push(...duplicateProblems(source, value, i, chunk.start));
        } catch (inner) {
          problems.push({
            document: i,
            offset: chunk.start + jsonErrorOffset(text.slice(chunk.start, chunk.end)),
            code: 'json/syntax',
            message: jsonMessage(inner),
          });
        }
      });
      return { documents: chunks, values, problems };
    }
    return {
      documents: [whole],
      values: new Map(),
      problems: [
        { document: 0, offset: jsonErrorOffset(text), code: 'json/syntax', message: jsonMessage(error) },
      ],
    };
  }
}

/** Keys a JSON document writes twice (JSON.parse keeps the last value and says nothing). */
function duplicateProblems(source: string, value: unknown, document: number, base: number): Problem[] {
  return duplicateJsonKeys(source, value).map((d) => ({
    document,
    offset: base + d.start,
    end: base + d.end,
    code: 'json/duplicate-key',
    message: `key \`${d.key}\` appears twice in one object; only the last value would be kept`,
  }));
}

function jsonMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `invalid JSON: ${message.split('\n')[0]}`;
}

/** Node count with aliases expanded, stopping once over `limit`; shared subtrees count each time. */
function countNodes(root: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0 && count <= limit) {
    const node = stack.pop();
    count++;
    if (Array.isArray(node)) {
      for (const child of node) stack.push(child);
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return count;
}

function notRead(path: string, diagnostic: Diagnostic): ParsedFile {
  return { path, resources: [], diagnostics: [diagnostic], locator: undefined };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
