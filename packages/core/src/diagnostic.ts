import { compareText, type ResourceId } from './resource-key.js';
import type { Severity } from './severity.js';
import { SEVERITIES } from './severity.js';
import type { SourceSpan } from './source-span.js';

/**
 * A problem found in user input. Stages return these rather than throw, and go on.
 *
 * @example
 * ```ts
 * const d: Diagnostic = {
 *   code: 'manifest/missing-name',
 *   severity: 'error',
 *   message: 'metadata.name is missing',
 *   path: '/metadata',
 *   span,
 * };
 * ```
 */
export interface Diagnostic {
  /** Stable, namespaced code such as `yaml/syntax` or `schema/unknown-field`. */
  readonly code: string;
  readonly severity: Severity;
  /** One sentence a person understands; never contains Secret values. */
  readonly message: string;
  readonly resource?: ResourceId;
  /** JSON Pointer into the resource's object. */
  readonly path?: string;
  readonly span?: SourceSpan;
  readonly docsUrl?: string;
  /**
   * Free-form details for programs; formatters never print it. One key has a meaning to them:
   * `sensitive: true` says the span covers a credential (a literal password), so no report shows
   * the source lines of the span, or the lines indented under it, in any frame or snippet.
   */
  readonly data?: Readonly<Record<string, unknown>>;
  /**
   * Set when an exception covers the finding. It stays in JSON and SARIF output, marked as
   * suppressed, and is not counted or printed as a problem.
   */
  readonly suppressed?: Suppression;
}

/** Why a diagnostic is suppressed: an exception annotation on the resource, or the config file. */
export interface Suppression {
  readonly by: 'annotation' | 'config';
  /** The reason the exception gives (exceptions must have one). */
  readonly reason: string;
}

/** What a stage returns: its value and the diagnostics found on the way. */
export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/** Counts of diagnostics per severity. */
export interface SeverityCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/**
 * Order diagnostics by file, line, column, severity, code and message, so output is stable.
 *
 * @example
 * ```ts
 * const sorted = [...diagnostics].sort(compareDiagnostics);
 * ```
 */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return compareText(a.span?.path ?? '', b.span?.path ?? '') || compareInFile(a, b);
}

/**
 * A sorted copy of `diagnostics` (see {@link compareDiagnostics}).
 *
 * @example
 * ```ts
 * sortDiagnostics(result.diagnostics);
 * ```
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // The order of `[...diagnostics].sort(compareDiagnostics)`, without comparing file paths in each
  // of the n·log n comparisons: the diagnostics are gathered by file (in order, so each file's
  // list is as stable as the whole), the files are sorted once, then each file's list by the rest
  // of the key. CPU profile of a check with 188,894 findings: 139 ms a run sorting with paths
  // compared each time.
  const byFile = new Map<string, Diagnostic[]>();
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i] as Diagnostic;
    const file = d.span?.path ?? '';
    const list = byFile.get(file);
    if (list === undefined) byFile.set(file, [d]);
    else list.push(d);
  }
  const files = [...byFile.keys()].sort(compareText);
  const out: Diagnostic[] = [];
  for (const file of files) {
    const list = (byFile.get(file) as Diagnostic[]).sort(compareInFile);
    for (let i = 0; i < list.length; i++) out.push(list[i] as Diagnostic);
  }
  return out;
}

/** {@link compareDiagnostics} for two diagnostics of one file (or two without one). */
function compareInFile(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.span?.start.offset ?? -1) - (b.span?.start.offset ?? -1) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    compareText(a.code, b.code) ||
    compareText(a.message, b.message)
  );
}

/**
 * Count diagnostics per severity; suppressed ones do not count.
 *
 * @example
 * ```ts
 * countSeverities(diagnostics); // { errors: 2, warnings: 0, infos: 1 }
 * ```
 */
export function countSeverities(diagnostics: readonly Diagnostic[]): SeverityCounts {
  const counts: SeverityCounts = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.suppressed) continue;
    if (d.severity === 'error') counts.errors++;
    else if (d.severity === 'warning') counts.warnings++;
    else counts.infos++;
  }
  return counts;
}
