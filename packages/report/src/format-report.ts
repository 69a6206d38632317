import type { CheckReport } from './check-report.js';
import { formatGithub, githubReportPieces } from './format-github.js';
import { formatJson, jsonReportPieces } from './format-json.js';
import { formatJunit, type JunitOptions, junitReportPieces } from './format-junit.js';
import { formatMarkdown, type MarkdownOptions } from './format-markdown.js';
import { formatSarif, sarifReportPieces } from './format-sarif.js';
import { formatText, type TextOptions, textReportPieces } from './format-text.js';

/**
 * The output formats of `shipshape check --format`, in the order the CLI documents them.
 *
 * @example
 * ```ts
 * FORMATS.join('|'); // 'text|json|sarif|junit|github|markdown'
 * ```
 */
export const FORMATS = ['text', 'json', 'sarif', 'junit', 'github', 'markdown'] as const;

/**
 * One of {@link FORMATS}.
 *
 * @example
 * ```ts
 * const format: Format = 'sarif';
 * ```
 */
export type Format = (typeof FORMATS)[number];

/**
 * Options of {@link formatReport}: those of every formatter; each uses its own.
 *
 * @example
 * ```ts
 * const options: ReportOptions = { color: false, maxRows: 20, failOn: 'warning' };
 * ```
 */
export interface ReportOptions extends TextOptions, MarkdownOptions, JunitOptions {}

/**
 * Type guard for {@link Format}, e.g. for a `--format` argument.
 *
 * @example
 * ```ts
 * isFormat('sarif'); // true
 * isFormat('xml'); // false
 * ```
 */
export function isFormat(value: unknown): value is Format {
  return typeof value === 'string' && (FORMATS as readonly string[]).includes(value);
}

/**
 * Format a report in any of the {@link FORMATS}. Throws a `TypeError` for an unknown format (a
 * programmer error: check user input with {@link isFormat}).
 *
 * @example
 * ```ts
 * const out = formatReport(argv.format, report, { color: stdout.isTTY, failOn: argv.failOn });
 * ```
 */
export function formatReport(format: Format, report: CheckReport, options: ReportOptions = {}): string {
  return formatterOf(format).whole(report, options);
}

/**
 * {@link formatReport}'s text in pieces: joined, they are exactly its string, but a report with a
 * great many findings never becomes one string or one object tree. Text, JSON, SARIF, JUnit and
 * GitHub annotations come a finding at a time (SARIF for 190,000 findings is 250 million
 * characters, half of the longest string V8 can make); Markdown, a comment of at most `maxRows`
 * rows, in one piece.
 * Write the pieces as they come, gathered into larger writes.
 *
 * @example
 * ```ts
 * for (const piece of formatReportPieces('sarif', report)) out.write(piece);
 * ```
 */
export function formatReportPieces(
  format: Format,
  report: CheckReport,
  options: ReportOptions = {},
): Iterable<string> {
  return formatterOf(format).pieces(report, options);
}

/** Each format's string and its pieces (two ways to write one text: see formatReportPieces). */
interface Formatter {
  whole(report: CheckReport, options: ReportOptions): string;
  pieces(report: CheckReport, options: ReportOptions): Iterable<string>;
}

const FORMATTERS: { readonly [F in Format]: Formatter } = {
  text: { whole: formatText, pieces: textReportPieces },
  json: { whole: formatJson, pieces: jsonReportPieces },
  sarif: { whole: formatSarif, pieces: sarifReportPieces },
  junit: { whole: formatJunit, pieces: junitReportPieces },
  github: { whole: formatGithub, pieces: githubReportPieces },
  markdown: { whole: formatMarkdown, pieces: (report, options) => [formatMarkdown(report, options)] },
};

function formatterOf(format: Format): Formatter {
  if (!Object.hasOwn(FORMATTERS, format)) throw new TypeError(`unknown report format: ${String(format)}`);
  return FORMATTERS[format];
}
