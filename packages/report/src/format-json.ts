import { countSeverities, type Diagnostic } from '@shipshape/core';
import type { CheckReport } from './check-report.js';
import { jsonPieces, jsonText, STREAMED, type StreamedDocument } from './json-pieces.js';
import { orderDiagnostics } from './report-order.js';
import { resourceJson } from './resource-json.js';

/**
 * The `shipshape check --format json` document (version 1 of the CLI contract): diagnostics in
 * report order and a summary with counts per severity. Optional keys are left out, never `null`;
 * `resource.namespace` is left out for cluster-scoped objects. `data` is never written.
 *
 * @example
 * ```ts
 * JSON.parse(formatJson(report));
 * // { version: 1, diagnostics: [{ code: 'pss/privileged', severity: 'error', message: '…',
 * //   resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'api' },
 * //   path: '/spec/…', file: 'web/deploy.yaml', line: 8, column: 16, endLine: 8, endColumn: 27 }],
 * //   summary: { files: 12, resources: 40, errors: 1, warnings: 0, infos: 0 } }
 * ```
 */
export function formatJson(report: CheckReport): string {
  return `${jsonText(jsonDocument(report))}\n`;
}

/** {@link formatJson}'s text in pieces, a diagnostic at a time (see {@link formatReportPieces}). */
export function* jsonReportPieces(report: CheckReport): Generator<string> {
  yield* jsonPieces(jsonDocument(report));
  yield '\n';
}

function jsonDocument(report: CheckReport): StreamedDocument {
  const counts = countSeverities(report.diagnostics);
  const summary = {
    files: report.summary.files,
    resources: report.summary.resources,
    errors: counts.errors,
    warnings: counts.warnings,
    infos: counts.infos,
  };
  return {
    document: { version: 1, diagnostics: STREAMED, summary },
    items: eachJson(orderDiagnostics(report.diagnostics)),
  };
}

function* eachJson(diagnostics: readonly Diagnostic[]): Generator<Record<string, unknown>> {
  for (const d of diagnostics) yield toJson(d);
}

// Keys are written one by one, in the documented order, so no other field of a Diagnostic (such
// as `data`, which may hold values from the manifest) can reach the output.
function toJson(d: Diagnostic): Record<string, unknown> {
  const out: Record<string, unknown> = { code: d.code, severity: d.severity, message: d.message };
  if (d.resource) out['resource'] = resourceJson(d.resource);
  if (d.path !== undefined) out['path'] = d.path;
  if (d.span) {
    out['file'] = d.span.path;
    out['line'] = d.span.start.line;
    out['column'] = d.span.start.column;
    out['endLine'] = d.span.end.line;
    out['endColumn'] = d.span.end.column;
  }
  // Accepted by an exception: listed, marked, and not counted in the summary.
  if (d.suppressed) out['suppressed'] = { by: d.suppressed.by, reason: d.suppressed.reason };
  return out;
}
