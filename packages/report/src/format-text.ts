import { countSeverities, type Diagnostic, formatResourceKey } from '@shipshape/core';
import { createPainter, type Painter, severityStyle } from './ansi.js';
import type { CheckReport } from './check-report.js';
import { renderCodeFrame } from './code-frame.js';
import { orderDiagnostics } from './report-order.js';
import { createSourceReader } from './source-text.js';
import { countsText, scopeText } from './summary-text.js';
import { safeTerminalText } from './terminal-text.js';

/**
 * Options of {@link formatText}.
 *
 * @example
 * ```ts
 * const options: TextOptions = { color: process.stdout.isTTY, contextLines: 1 };
 * ```
 */
export interface TextOptions {
  /** ANSI colours; the caller decides (TTY, `NO_COLOR`, `FORCE_COLOR`). Default `false`. */
  readonly color?: boolean;
  /** Source lines shown before and after the marked lines of a code frame. Default `2`. */
  readonly contextLines?: number;
}

/**
 * Human-readable report, like eslint and tsc: one `path:line:col severity code message` line per
 * diagnostic, the resource and JSON Pointer under it, a code frame when the file's text is known,
 * and a closing summary line. Untrusted text (messages, source lines) is printed with control
 * characters made visible, code frames are never shown for Secret documents, and a line that a
 * diagnostic marked `data.sensitive` covers (a credential) is never shown in any frame of its file.
 *
 * @example
 * ```ts
 * formatText({ diagnostics, summary: { files: 12, resources: 40 }, sources }, { color: true });
 * // web/deploy.yaml:8:30 error pss/privileged container "app" must not be privileged
 * //   in apps/Deployment/web/api at /spec/template/spec/containers/0/securityContext/privileged
 * //   7 |       containers:
 * // > 8 |         - securityContext: { privileged: true }
 * //     |                              ^^^^^^^^^^^^^^^^
 * //
 * // ✖ 1 error, 0 warnings, 0 infos in 12 files (40 resources)
 * ```
 */
export function formatText(report: CheckReport, options: TextOptions = {}): string {
  return [...textReportPieces(report, options)].join('');
}

/** {@link formatText}'s text in pieces, a diagnostic at a time (see {@link formatReportPieces}). */
export function* textReportPieces(report: CheckReport, options: TextOptions = {}): Generator<string> {
  const paint = createPainter(options.color ?? false);
  const contextLines = Math.max(0, Math.floor(options.contextLines ?? 2));
  const read = createSourceReader(report);
  // Suppressed findings (accepted by an exception) are counted in the summary line only.
  for (const d of orderDiagnostics(report.diagnostics.filter((x) => x.suppressed === undefined))) {
    const lines = [headerLine(d, paint), ...detailLines(d, paint)];
    if (d.span) {
      const source = read(d, d.span);
      if (source === 'secret') lines.push(paint('  (source not shown: the document is a Secret)', 'gray'));
      else if (source) {
        const frame = {
          contextLines,
          color: options.color ?? false,
          severity: d.severity,
          hidden: source.hidden,
        };
        lines.push(...renderCodeFrame(source.index, d.span, frame));
      }
    }
    yield `${lines.join('\n')}\n\n`;
  }
  yield `${summaryLine(report, paint)}\n`;
}

function headerLine(d: Diagnostic, paint: Painter): string {
  const [first = '', ...rest] = safeTerminalText(d.message).split('\n');
  const severity = paint(d.severity, severityStyle(d.severity), 'bold');
  const head = `${severity} ${paint(d.code, 'gray')} ${first}`;
  const location = d.span
    ? `${paint(safeTerminalText(d.span.path), 'bold')}:${d.span.start.line}:${d.span.start.column} `
    : '';
  return [`${location}${head}`, ...rest.map((line) => `  ${line}`)].join('\n');
}

function detailLines(d: Diagnostic, paint: Painter): string[] {
  const parts: string[] = [];
  if (d.resource) parts.push(`in ${paint(safeTerminalText(formatResourceKey(d.resource)), 'cyan')}`);
  if (d.path !== undefined && d.path !== '') parts.push(`at ${safeTerminalText(d.path)}`);
  return parts.length > 0 ? [`  ${parts.join(' ')}`] : [];
}

function summaryLine(report: CheckReport, paint: Painter): string {
  const counts = countSeverities(report.diagnostics);
  const scope = scopeText(report.summary);
  const suppressed = report.diagnostics.filter((d) => d.suppressed !== undefined).length;
  const accepted = suppressed === 0 ? '' : `; ${suppressed} accepted by exceptions`;
  if (counts.errors + counts.warnings + counts.infos === 0)
    return paint(`✔ no problems in ${scope}${accepted}`, 'green', 'bold');
  const style = counts.errors > 0 ? 'red' : counts.warnings > 0 ? 'yellow' : 'cyan';
  const mark = counts.errors > 0 ? '✖' : counts.warnings > 0 ? '⚠' : 'ℹ';
  return paint(`${mark} ${countsText(counts)} in ${scope}${accepted}`, style, 'bold');
}
