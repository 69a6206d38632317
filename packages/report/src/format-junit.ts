import { compareText, type Diagnostic, formatResourceKey, isAtLeast, type Severity } from '@shipshape/core';
import type { CheckReport } from './check-report.js';
import { orderDiagnostics } from './report-order.js';
import { plural } from './summary-text.js';
import { xmlAttr, xmlText } from './xml-text.js';

/**
 * Options of {@link formatJunit}.
 *
 * @example
 * ```ts
 * const options: JunitOptions = { failOn: 'warning' };
 * ```
 */
export interface JunitOptions {
  /**
   * The least severity written as a `<failure>`; pass the CLI's `--fail-on` so the dashboard
   * agrees with the exit code. Findings below it are passing test cases with the finding in
   * `<system-out>`. Default `'error'`.
   */
  readonly failOn?: Severity;
}

/** Suite (and class) of the findings that belong to no file, and of the count of clean files. */
const TOOL_SUITE = 'shipshape';
/** Its key among the suites, which are keyed by path: no file has an empty path. */
const NO_FILE = '';

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly body: string;
  readonly failed: boolean;
  readonly file?: string;
  readonly line?: number;
}

/**
 * JUnit XML for test dashboards (Jenkins, GitLab, Azure DevOps): one `<testsuite>` per file, one
 * `<testcase>` per diagnostic, named after code, resource and JSON Pointer so it keeps its name
 * (and its history) when lines move. Diagnostics at or above `failOn` carry a `<failure>` with
 * `type` = code and `message` = message. Clean files are one passing test case each when
 * `report.files` lists them, otherwise one passing `files without findings` case in the
 * `shipshape` suite, which also holds the diagnostics without a file.
 *
 * @example
 * ```ts
 * formatJunit(report, { failOn: 'warning' });
 * // <?xml version="1.0" encoding="UTF-8"?>
 * // <testsuites name="shipshape" tests="3" failures="1" errors="0" skipped="0">
 * //   <testsuite name="web/deploy.yaml" tests="1" failures="1" errors="0" skipped="0">
 * //     <testcase name="pss/privileged apps/Deployment/web/api /spec/…" classname="web/deploy" …>
 * //       <failure type="pss/privileged" message="…">…</failure>
 * ```
 */
export function formatJunit(report: CheckReport, options: JunitOptions = {}): string {
  return [...junitReportPieces(report, options)].join('');
}

/**
 * {@link formatJunit}'s text in pieces, a test case at a time (see {@link formatReportPieces}): the
 * totals that open it are counted first, each case is written when its turn comes.
 */
export function* junitReportPieces(report: CheckReport, options: JunitOptions = {}): Generator<string> {
  const failOn = options.failOn ?? 'error';
  // A suite's entries: findings, made into cases when written, and the cases of clean files.
  const suites = new Map<string, (Diagnostic | Case)[]>();
  const add = (suite: string, entry: Diagnostic | Case) => {
    const entries = suites.get(suite);
    if (entries === undefined) suites.set(suite, [entry]);
    else entries.push(entry);
  };
  const shown = report.diagnostics.filter((d) => d.suppressed === undefined);
  for (const d of orderDiagnostics(shown)) add(d.span?.path ?? NO_FILE, d);
  const withFindings = new Set(shown.flatMap((d) => (d.span ? [d.span.path] : [])));
  if (report.files) {
    for (const file of [...new Set(report.files)].sort(compareText)) {
      if (withFindings.has(file)) continue;
      add(file, { name: 'no findings', classname: className(file), body: '', failed: false, file });
    }
  } else if (report.summary.files > withFindings.size) {
    const clean = report.summary.files - withFindings.size;
    const body = `<system-out>${xmlText(`${plural(clean, 'file')} of ${report.summary.files} without findings`)}</system-out>`;
    add(NO_FILE, { name: 'files without findings', classname: TOOL_SUITE, body, failed: false });
  }
  if (suites.size === 0)
    add(NO_FILE, { name: 'no findings', classname: TOOL_SUITE, body: '', failed: false });

  const names = [...suites.keys()].sort(compareText);
  const failing = (entry: Diagnostic | Case) =>
    isCase(entry) ? entry.failed : isAtLeast(entry.severity, failOn);
  let tests = 0;
  let failures = 0;
  for (const entries of suites.values()) {
    tests += entries.length;
    for (const entry of entries) if (failing(entry)) failures++;
  }
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites ${counts(TOOL_SUITE, tests, failures)}>\n`;
  for (const name of names) {
    const entries = suites.get(name)!;
    const failed = entries.filter(failing).length;
    yield `  <testsuite ${counts(name === NO_FILE ? TOOL_SUITE : name, entries.length, failed)}>\n`;
    // Dashboards key history by test name: repeated names get ` #2`, ` #3` in report order.
    const seen = new Map<string, number>();
    for (const entry of entries) {
      const c = isCase(entry) ? entry : diagnosticCase(entry, failing(entry));
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      yield `${renderCase(n === 1 ? c : { ...c, name: `${c.name} #${n}` })}\n`;
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

function isCase(entry: Diagnostic | Case): entry is Case {
  return 'classname' in entry;
}

function counts(name: string, tests: number, failures: number): string {
  return `name="${xmlAttr(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="0"`;
}

/** Like eslint's JUnit output: the path without its extension, since Jenkins splits on dots. */
function className(path: string): string {
  return path.replace(/\.[^./]*$/, '');
}

function diagnosticCase(d: Diagnostic, failed: boolean): Case {
  const resource = d.resource ? formatResourceKey(d.resource) : undefined;
  const parts = [d.code];
  if (resource !== undefined) parts.push(resource);
  if (d.path !== undefined && d.path !== '') parts.push(d.path);
  // Without resource or pointer, the line is all that tells two findings of one code apart.
  else if (resource === undefined && d.span) parts.push(`line ${d.span.start.line}`);
  const where = d.span ? `${d.span.path}:${d.span.start.line}:${d.span.start.column}` : undefined;
  const details = [
    `${d.severity} ${d.code}${where === undefined ? '' : ` at ${where}`}`,
    ...(resource === undefined ? [] : [`resource: ${resource}`]),
    ...(d.path === undefined ? [] : [`pointer: ${d.path}`]),
    d.message,
  ].join('\n');
  const body = failed
    ? `<failure type="${xmlAttr(d.code)}" message="${xmlAttr(d.message)}">${xmlText(details)}</failure>`
    : `<system-out>${xmlText(details)}</system-out>`;
  return {
    name: parts.join(' '),
    classname: d.span ? className(d.span.path) : TOOL_SUITE,
    body,
    failed,
    ...(d.span ? { file: d.span.path, line: d.span.start.line } : {}),
  };
}

function renderCase(c: Case): string {
  let attrs = `name="${xmlAttr(c.name)}" classname="${xmlAttr(c.classname)}"`;
  if (c.file !== undefined) attrs += ` file="${xmlAttr(c.file)}"`;
  if (c.line !== undefined) attrs += ` line="${c.line}"`;
  return c.body === ''
    ? `    <testcase ${attrs}/>`
    : `    <testcase ${attrs}>\n      ${c.body}\n    </testcase>`;
}
