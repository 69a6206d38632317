import type { Diagnostic, Severity } from '@shipshape/core';

/**
 * What a formatter knows about a diagnostic code (a rule). Codes missing from the catalogue fall
 * back to the code itself as title and help.
 *
 * @example
 * ```ts
 * const rule: RuleInfo = {
 *   code: 'pss/privileged',
 *   title: 'Privileged containers are not allowed',
 *   help: 'Set securityContext.privileged to false or remove it.',
 *   defaultSeverity: 'error',
 *   docsUrl: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
 * };
 * ```
 */
export interface RuleInfo {
  readonly code: string;
  /** One line, shown as the rule's short description. */
  readonly title: string;
  /** How to fix it; plain text that may use Markdown. */
  readonly help: string;
  readonly defaultSeverity?: Severity;
  readonly docsUrl?: string;
}

/**
 * Everything a formatter needs to print the outcome of `shipshape check`. Plain data plus one
 * lookup function, so the report can be built in a browser as well as in the CLI.
 *
 * @example
 * ```ts
 * const report: CheckReport = {
 *   diagnostics,
 *   summary: { files: 12, resources: 40 },
 *   sources: (path) => files.get(path),
 *   tool: { name: 'shipshape', version: '0.1.0' },
 * };
 * ```
 */
export interface CheckReport {
  readonly diagnostics: readonly Diagnostic[];
  /** How many files and resources were checked (clean ones included). */
  readonly summary: { readonly files: number; readonly resources: number };
  /**
   * File text by repo-relative path, for code frames (text) and SARIF snippets; may be partial.
   * `ref` is the span's: a report can hold findings in one path at two refs (a file as it is and
   * as it was).
   */
  readonly sources?: (path: string, ref?: string) => string | undefined;
  /**
   * Diagnostics not in the report (a check that shows only some findings) whose `data.sensitive`
   * spans must still be hidden in every code frame and snippet of their files.
   */
  readonly sensitive?: readonly Diagnostic[];
  /** Catalogue of diagnostic codes (rules); unknown codes fall back to the code itself. */
  readonly rules?: readonly RuleInfo[];
  /** The producing tool; defaults to `{ name: 'shipshape' }` without a version. */
  readonly tool?: { readonly name: string; readonly version: string; readonly informationUri?: string };
  /** Root of the paths as a URI for SARIF `originalUriBaseIds` (e.g. `'file:///repo/'`). */
  readonly rootUri?: string;
  /**
   * Repo-relative paths of every file checked. Optional: when given, JUnit shows a passing test
   * case for each file without findings, so dashboards count passes per file.
   */
  readonly files?: readonly string[];
}
