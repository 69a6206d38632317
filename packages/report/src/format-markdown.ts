import {
  countSeverities,
  type Diagnostic,
  formatResourceKey,
  SEVERITIES,
  type Severity,
} from '@shipshape/core';
import type { CheckReport } from './check-report.js';
import { orderDiagnostics } from './report-order.js';
import { countsText, scopeText } from './summary-text.js';

/**
 * Options of {@link formatMarkdown}.
 *
 * @example
 * ```ts
 * const options: MarkdownOptions = { maxRows: 20 };
 * ```
 */
export interface MarkdownOptions {
  /** Table rows at most; the rest is counted in a `… and N more` line. Default `50`. */
  readonly maxRows?: number;
}

const ICONS: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };

/**
 * A pull-request comment (GitHub-flavoured Markdown): a heading with a status emoji and the
 * counts, then a table of findings (severity, location, resource, code, message), errors first,
 * with pipes, backticks, HTML, line breaks and `@` mentions escaped, cut at `maxRows` rows with a
 * `… and N more` line. A clean report says so.
 *
 * @example
 * ```ts
 * formatMarkdown(report, { maxRows: 20 });
 * // ### ❌ shipshape: 1 error, 0 warnings, 0 infos
 * //
 * // Checked 12 files (40 resources).
 * //
 * // | Severity | Location | Resource | Code | Message |
 * // | --- | --- | --- | --- | --- |
 * // | ❌ error | `web/deploy.yaml:8:16` | `apps/Deployment/web/api` | `pss/privileged` | Container … |
 * ```
 */
export function formatMarkdown(report: CheckReport, options: MarkdownOptions = {}): string {
  const maxRows = Math.max(0, Math.floor(options.maxRows ?? 50));
  const name = report.tool?.name ?? 'shipshape';
  const counts = countSeverities(report.diagnostics);
  const scope = `Checked ${scopeText(report.summary)}.`;
  const open = report.diagnostics.filter((d) => d.suppressed === undefined);
  if (open.length === 0) {
    return `### ✅ ${inline(name)}: no problems\n\n${scope}\n`;
  }
  const icon = counts.errors > 0 ? ICONS.error : counts.warnings > 0 ? ICONS.warning : ICONS.info;
  const lines = [`### ${icon} ${inline(name)}: ${countsText(counts)}`, '', scope, ''];
  // Most serious first, so that cutting the table at `maxRows` never hides an error behind infos.
  const sorted = orderDiagnostics(open).sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
  );
  const shown = sorted.slice(0, maxRows);
  if (shown.length > 0) {
    lines.push('| Severity | Location | Resource | Code | Message |', '| --- | --- | --- | --- | --- |');
    for (const d of shown) lines.push(row(d));
  }
  if (sorted.length > shown.length) {
    if (shown.length > 0) lines.push('');
    lines.push(`… and ${sorted.length - shown.length} more`);
  }
  return `${lines.join('\n')}\n`;
}

function row(d: Diagnostic): string {
  const location = d.span ? code(`${d.span.path}:${d.span.start.line}:${d.span.start.column}`) : '—';
  const resource = d.resource ? code(formatResourceKey(d.resource)) : '—';
  const cells = [`${ICONS[d.severity]} ${d.severity}`, location, resource, code(d.code), inline(d.message)];
  return `| ${cells.join(' | ')} |`;
}

/**
 * A code span that holds any text: the fence is one backtick longer than the longest run inside,
 * padded with spaces when the text starts or ends with a backtick. Pipes are escaped even here,
 * because GFM splits table cells before it parses code spans.
 */
function code(text: string): string {
  const flat = text.replace(/\r\n|[\r\n]/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat.replaceAll('|', '\\|')}${pad}${fence}`;
}

/**
 * Plain text in a table cell: Markdown punctuation backslash-escaped, HTML characters as entities,
 * line breaks as `<br>`, and `@` followed by a zero-width space so that names in messages do not
 * notify people or teams.
 */
function inline(text: string): string {
  return text
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('@', '@\u200b')
    .replace(/\r\n|[\r\n]/g, '<br>');
}
