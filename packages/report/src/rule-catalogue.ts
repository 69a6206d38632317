import { compareText, type Diagnostic, SEVERITIES, type Severity } from '@shipshape/core';
import type { RuleInfo } from './check-report.js';

/** A rule as a formatter describes it: the catalogue entry, or defaults built from the code. */
export interface ResolvedRule {
  readonly code: string;
  readonly title: string;
  readonly help?: string;
  readonly severity: Severity;
  readonly docsUrl?: string;
}

/**
 * The rules used by `diagnostics` (and only those), sorted by code. Severity is the catalogue's
 * default, else the most serious one seen; the docs URL falls back to a diagnostic's `docsUrl`.
 */
export function usedRules(
  diagnostics: readonly Diagnostic[],
  catalogue: readonly RuleInfo[] = [],
): ResolvedRule[] {
  const known = new Map(catalogue.map((r) => [r.code, r]));
  const seen = new Map<string, { severity: Severity; docsUrl?: string }>();
  for (const d of diagnostics) {
    const prev = seen.get(d.code);
    const severity =
      prev && SEVERITIES.indexOf(prev.severity) <= SEVERITIES.indexOf(d.severity)
        ? prev.severity
        : d.severity;
    const docsUrl = prev?.docsUrl ?? d.docsUrl;
    seen.set(d.code, docsUrl === undefined ? { severity } : { severity, docsUrl });
  }
  return [...seen.keys()].sort(compareText).map((code) => {
    const rule = known.get(code);
    const used = seen.get(code)!;
    const docsUrl = rule?.docsUrl ?? used.docsUrl;
    return {
      code,
      title: rule?.title ?? code,
      severity: rule?.defaultSeverity ?? used.severity,
      ...(rule?.help === undefined ? {} : { help: rule.help }),
      ...(docsUrl === undefined ? {} : { docsUrl }),
    };
  });
}
