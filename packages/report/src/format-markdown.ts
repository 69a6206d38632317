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
 * GitHub refuses a comment body over 65,536 characters, so the table stops before that, with room
 * left for text a workflow puts around the report (a marker to update the comment in place).
 */
const MAX_LENGTH = 60_000;
/** Characters of a message shown in its cell; a longer one ends with `…`. */
const MAX_MESSAGE = 1_000;

/**
 * A pull-request comment (GitHub-flavoured Markdown): a heading with a status emoji and the
 * counts, then a table of findings (severity, location, resource, code, message), errors first,
 * with pipes, backticks, HTML, line breaks and `@` mentions escaped, cut at `maxRows` rows with a
 * `… and N more` line. Messages are cut at 1,000 characters and the table before the report
 * reaches 60,000, so that GitHub accepts it as a comment (65,536 at most). A clean report says so.
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
  const rows: string[] = [];
  // What is written so far, plus the closing `… and N more` line the cut may need.
  let length = lines.join('\n').length + 200;
  for (const d of sorted.slice(0, maxRows)) {
    const next = row(d);
    if (length + next.length + 1 > MAX_LENGTH) break;
    rows.push(next);
    length += next.length + 1;
  }
  if (rows.length > 0) {
    lines.push('| Severity | Location | Resource | Code | Message |', '| --- | --- | --- | --- | --- |');
    for (const r of rows) lines.push(r);
  }
  if (sorted.length > rows.length) {
    if (rows.length > 0) lines.push('');
    lines.push(`… and ${sorted.length - rows.length} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** At most {@link MAX_MESSAGE} code points, cut before escaping so no escape is split. */
function shortened(text: string): string {
  if (text.length <= MAX_MESSAGE) return text;
  const points = Array.from(text);
  return points.length <= MAX_MESSAGE ? text : `${points.slice(0, MAX_MESSAGE).join('')}…`;
}

function row(d: Diagnostic): string {
  const location = d.span ? code(`${d.span.path}:${d.span.start.line}:${d.span.start.column}`) : '—';
  const resource = d.resource ? code(formatResourceKey(d.resource)) : '—';
  const cells = [
    `${ICONS[d.severity]} ${d.severity}`,
    location,
    resource,
    code(d.code),
    inline(shortened(d.message)),
  ];
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
