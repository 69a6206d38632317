import { type Diagnostic, formatResourceKey, type Severity, type SourceSpan } from '@shipshape/core';
import type { Location, Log, Notification, Region, ReportingDescriptor, Result, Run } from 'sarif';
import type { CheckReport } from './check-report.js';
import { fnv1a64 } from './fingerprint.js';
import { jsonPieces, jsonText, STREAMED, type StreamedDocument } from './json-pieces.js';
import { orderDiagnostics } from './report-order.js';
import { type ResolvedRule, usedRules } from './rule-catalogue.js';
import { createSourceReader, type SourceLookup, type SourceText } from './source-text.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Base id of every artifact URI; the consumer (e.g. GitHub code scanning) knows the checkout. */
const SRCROOT = '%SRCROOT%';
const FINGERPRINT_KEY = 'shipshapeFingerprint/v1';
/** Longer regions get no snippet: the point is a glance at the offending text, not a copy. */
const MAX_SNIPPET = 1000;

/**
 * A SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF viewers. Each code used
 * becomes a rule; each diagnostic a result with its file region (relative, percent-encoded URI
 * under `%SRCROOT%`, or a `file:` URI for an absolute path), its resource as a logical location, and a partial fingerprint that survives
 * edits elsewhere in the file (a hash of code, file, resource and JSON Pointer). Diagnostics without
 * a span are `toolExecutionNotifications` of the run's invocation, with their rule and resource:
 * GitHub code scanning refuses a whole log when one result has no file.
 *
 * @example
 * ```ts
 * const sarif = formatSarif({ ...report, tool: { name: 'shipshape', version: '0.1.0' } });
 * JSON.parse(sarif).runs[0].results[0];
 * // { ruleId: 'pss/privileged', ruleIndex: 0, level: 'error', message: { text: '…' },
 * //   locations: [{ physicalLocation: { artifactLocation: { uri: 'web/deploy.yaml',
 * //   uriBaseId: '%SRCROOT%' }, region: { startLine: 8, … } }, logicalLocations: […] }],
 * //   partialFingerprints: { 'shipshapeFingerprint/v1': '…:1' } }
 * ```
 */
export function formatSarif(report: CheckReport): string {
  return `${jsonText(sarifDocument(report))}\n`;
}

/** {@link formatSarif}'s text in pieces, a result at a time (see {@link formatReportPieces}). */
export function* sarifReportPieces(report: CheckReport): Generator<string> {
  yield* jsonPieces(sarifDocument(report));
  yield '\n';
}

/** The log, its results given one by one. */
function sarifDocument(report: CheckReport): StreamedDocument {
  const diagnostics = orderDiagnostics(report.diagnostics);
  const rules = usedRules(diagnostics, report.rules);
  const ruleIndex = new Map(rules.map((rule, i) => [rule.code, i]));
  // Code scanning refuses a whole log when one result lacks a file ("expected at least one
  // location"), so findings without a span are notifications of the run instead.
  const notifications = diagnostics
    .filter((d) => d.span === undefined)
    .map((d) => notificationOf(d, ruleIndex.get(d.code)!));
  const tool = report.tool;
  const run = {
    tool: {
      driver: {
        name: tool?.name ?? 'shipshape',
        ...(tool?.version === undefined ? {} : { version: tool.version }),
        ...(tool?.informationUri === undefined ? {} : { informationUri: tool.informationUri }),
        rules: rules.map(toDescriptor),
      },
    },
    ...(report.rootUri === undefined
      ? {}
      : {
          originalUriBaseIds: {
            [SRCROOT]: { uri: report.rootUri.endsWith('/') ? report.rootUri : `${report.rootUri}/` },
          },
        }),
    ...(notifications.length === 0
      ? {}
      : { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }] }),
    columnKind: 'utf16CodeUnits',
    results: STREAMED,
  } satisfies Omit<Run, 'results'> & { results: typeof STREAMED };
  const log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] } satisfies Omit<Log, 'runs'> & {
    runs: unknown[];
  };
  return { document: log, items: resultsOf(diagnostics, ruleIndex, createSourceReader(report)) };
}

/** The results of the diagnostics that have a file, in order (their fingerprints count repeats). */
function* resultsOf(
  diagnostics: readonly Diagnostic[],
  ruleIndex: ReadonlyMap<string, number>,
  read: ReturnType<typeof createSourceReader>,
): Generator<Result> {
  const occurrences = new Map<string, number>();
  for (const d of diagnostics) {
    const span = d.span;
    if (span === undefined) continue;
    const locations = locationsOf(d, span, read(d, span));
    const hash = fingerprintOf(d);
    const n = (occurrences.get(hash) ?? 0) + 1;
    occurrences.set(hash, n);
    yield {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: levelOf(d.severity),
      message: { text: d.message },
      locations,
      partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${n}` },
      // SARIF's own way to keep an accepted finding visible: code scanning shows it as dismissed.
      ...(d.suppressed
        ? {
            suppressions: [
              {
                kind: d.suppressed.by === 'annotation' ? ('inSource' as const) : ('external' as const),
                justification: d.suppressed.reason,
              },
            ],
          }
        : {}),
    };
  }
}

function levelOf(severity: Severity): Result.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function toDescriptor(rule: ResolvedRule): ReportingDescriptor {
  const helpText = rule.help ?? rule.title;
  return {
    id: rule.code,
    name: ruleName(rule.code),
    shortDescription: { text: rule.title },
    ...(rule.help === undefined ? {} : { fullDescription: { text: rule.help } }),
    // Help is Markdown (RuleInfo.help); code scanning renders `markdown` and shows `text` raw.
    help: {
      text: helpText,
      ...(rule.docsUrl !== undefined
        ? { markdown: `${helpText}\n\n[Documentation](${rule.docsUrl})` }
        : rule.help !== undefined
          ? { markdown: rule.help }
          : {}),
    },
    // SARIF's helpUri is an absolute URI (the schema's `uri` format); a relative one is in the help text only.
    ...(rule.docsUrl !== undefined && isAbsoluteUri(rule.docsUrl) ? { helpUri: rule.docsUrl } : {}),
    defaultConfiguration: { level: levelOf(rule.severity) },
  };
}

function isAbsoluteUri(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) && URL.canParse(text);
}

/** SARIF viewers expect a Pascal-case friendly name: `pss/run-as-non-root` → `PssRunAsNonRoot`. */
function ruleName(code: string): string {
  const words = code.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Rule';
}

/** A finding without a file: its rule, level, message and resource; an accepted one says so. */
function notificationOf(d: Diagnostic, index: number): Notification {
  const logicalLocations = logicalLocationsOf(d);
  return {
    level: levelOf(d.severity),
    message: { text: d.message },
    associatedRule: { id: d.code, index },
    ...(logicalLocations ? { locations: [{ logicalLocations }] } : {}),
    ...(d.suppressed
      ? { properties: { suppressed: { by: d.suppressed.by, reason: d.suppressed.reason } } }
      : {}),
  };
}

function logicalLocationsOf(d: Diagnostic) {
  return d.resource
    ? [{ name: d.resource.name, fullyQualifiedName: formatResourceKey(d.resource), kind: 'resource' }]
    : undefined;
}

function locationsOf(d: Diagnostic, span: SourceSpan, source: SourceLookup): Location[] {
  const logicalLocations = logicalLocationsOf(d);
  const { start, end } = span;
  const startLine = Math.max(1, start.line);
  const startColumn = Math.max(1, start.column);
  const endLine = Math.max(startLine, end.line);
  const endColumn = endLine === startLine ? Math.max(startColumn, end.column) : Math.max(1, end.column);
  const region: Region = { startLine, startColumn, endLine, endColumn };
  const snippet = source && source !== 'secret' ? snippetOf(source, span) : undefined;
  if (snippet !== undefined) region.snippet = { text: snippet };
  return [
    {
      physicalLocation: { artifactLocation: artifactOf(span.path), region },
      ...(logicalLocations ? { logicalLocations } : {}),
    },
  ];
}

/**
 * The exact text of the region, only when the span agrees with the text we were given and none of
 * its lines holds a credential (a line some sensitive diagnostic covers).
 */
function snippetOf(source: SourceText, span: Diagnostic['span'] & {}): string | undefined {
  const { start, end } = span;
  if (
    end.offset < start.offset ||
    end.offset - start.offset > MAX_SNIPPET ||
    end.offset > source.text.length
  ) {
    return undefined;
  }
  const at = source.index.position(start.offset);
  if (at.line !== start.line || at.column !== start.column) return undefined;
  // The line of the last character taken: a region that ends at column 1 of a line takes none of it.
  const last = source.index.position(Math.max(start.offset, end.offset - 1)).line;
  for (let line = at.line; line <= last; line++) if (source.hidden(line)) return undefined;
  return source.text.slice(start.offset, end.offset);
}

/**
 * A relative path as a URI reference under `%SRCROOT%`; an absolute one (PATH given as one) as a
 * `file:` URI of its own, since SARIF applies a base id to relative references only, and resolving
 * `/work/a.yaml` against the source root would name another file.
 */
function artifactOf(path: string): { uri: string; uriBaseId?: string } {
  if (path.startsWith('/')) return { uri: `file://${encodePath(path)}` };
  if (/^[A-Za-z]:\//.test(path)) return { uri: `file:///${path.slice(0, 2)}${encodePath(path.slice(2))}` };
  return { uri: encodePath(path.replace(/^(\.\/)+/, '')), uriBaseId: SRCROOT };
}

/** Each POSIX segment percent-encoded (spaces, `#`, `%`, `:`, non-ASCII). */
function encodePath(path: string): string {
  const wellFormed = path.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
  return wellFormed.split('/').map(encodeURIComponent).join('/');
}

/**
 * Identity of a finding that does not move with line numbers: code, file, resource and JSON
 * Pointer. Findings with neither resource nor pointer (e.g. YAML syntax) add their message.
 */
function fingerprintOf(d: Diagnostic): string {
  const parts = [d.code, d.span?.path ?? '', d.resource ? formatResourceKey(d.resource) : '', d.path ?? ''];
  if (!d.resource && d.path === undefined) parts.push(d.message);
  return fnv1a64(parts.join('\u0000'));
}
