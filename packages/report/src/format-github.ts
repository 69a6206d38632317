import { type Diagnostic, formatResourceKey } from '@shipshape/core';
import type { CheckReport } from './check-report.js';
import { orderDiagnostics } from './report-order.js';
import { lastSpanLine } from './source-text.js';
import { safeTerminalText } from './terminal-text.js';

/**
 * GitHub Actions workflow commands, one line per diagnostic, which GitHub shows as annotations on
 * the pull request's changed lines: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::…`
 * (`warning`, and `notice` for infos). The message gets the resource key appended. Escaping follows
 * the Actions toolkit: `%`, CR and LF in the message, plus `:` and `,` in properties; other control
 * characters (an escape sequence in a YAML key) are shown as symbols, as in the text report, since
 * the job log is a terminal. Columns are
 * only sent for single-line spans (the toolkit forbids them when the lines differ); diagnostics
 * without a span get no `file`. An empty string when there is nothing to report.
 *
 * @example
 * ```ts
 * formatGithub(report);
 * // ::error file=web/deploy.yaml,line=8,col=16,endLine=8,endColumn=27,title=pss/privileged::Container
 * // "app" must not be privileged (apps/Deployment/web/api)
 * ```
 */
export function formatGithub(report: CheckReport): string {
  return [...githubReportPieces(report)].join('');
}

/** {@link formatGithub}'s text in pieces, a line at a time (see {@link formatReportPieces}). */
export function* githubReportPieces(report: CheckReport): Generator<string> {
  for (const d of orderDiagnostics(report.diagnostics.filter((x) => x.suppressed === undefined))) {
    yield `${commandLine(d)}\n`;
  }
}

function commandLine(d: Diagnostic): string {
  const command = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const properties: [string, string | number][] = [];
  if (d.span) {
    const { start, end } = d.span;
    const line = Math.max(1, start.line);
    const endLine = Math.max(line, lastSpanLine(d.span));
    properties.push(['file', d.span.path], ['line', line]);
    if (endLine === line && end.line === start.line) {
      properties.push(['col', Math.max(1, start.column)], ['endLine', endLine]);
      properties.push(['endColumn', Math.max(start.column, end.column)]);
    } else if (endLine === line) {
      properties.push(['col', Math.max(1, start.column)], ['endLine', endLine]);
    } else {
      properties.push(['endLine', endLine]);
    }
  }
  properties.push(['title', d.code]);
  const text = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  const message = d.resource ? `${d.message} (${formatResourceKey(d.resource)})` : d.message;
  return `::${command} ${text}::${escapeMessage(message)}`;
}

/** A message: other control characters are made visible; CR and LF are escaped as the toolkit does. */
function escapeMessage(text: string): string {
  return escapeData(text.split('\r').map(safeTerminalText).join('\r'));
}

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
