import { compareDiagnostics, compareText, type Diagnostic, formatResourceKey } from '@shipshape/core';

/**
 * Core's diagnostic order (file, offset, severity, code, message), with ties broken by resource,
 * JSON Pointer and span end, so that two findings that differ only there (say, the same message
 * for two resources without spans) still come out in one order whatever order they came in.
 */
export function orderDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareDiagnostics(a, b) ||
      compareText(resourceText(a), resourceText(b)) ||
      compareText(a.path ?? '', b.path ?? '') ||
      (a.span?.end.offset ?? -1) - (b.span?.end.offset ?? -1) ||
      (a.span?.start.line ?? 0) - (b.span?.start.line ?? 0) ||
      (a.span?.start.column ?? 0) - (b.span?.start.column ?? 0),
  );
}

function resourceText(d: Diagnostic): string {
  return d.resource ? `${formatResourceKey(d.resource)} ${d.resource.apiVersion}` : '';
}
