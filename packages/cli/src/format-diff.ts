import { type Diagnostic, formatResourceKey } from '@shipshape/core';
import type { DiffSummary, ResourceDiff } from '@shipshape/diff';
import { resourceJson } from '@shipshape/report';

const SIGN = { create: '+', update: '~', delete: '-', unchanged: '=' } as const;

/**
 * `shipshape diff --format json`: `{ version: 1, resources: [{ resource, action, changes, text }],
 * summary }`, every resource included (unchanged ones too), sorted by key.
 */
export function formatDiffJson(resources: readonly ResourceDiff[], summary: DiffSummary): string {
  const out = {
    version: 1,
    resources: resources.map((r) => ({
      resource: resourceJson(r.resource),
      action: r.action,
      changes: r.changes.map((c) => ({
        path: c.path,
        op: c.op,
        ...(c.op === 'add' ? {} : { from: c.from }),
        ...(c.op === 'remove' ? {} : { to: c.to }),
      })),
      text: r.text,
    })),
    summary,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** `shipshape diff` as text: one heading per resource that would change, its unified diff, and a summary line. */
export function formatDiffText(
  resources: readonly ResourceDiff[],
  summary: DiffSummary,
  color: boolean,
): string {
  const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  let out = '';
  for (const r of resources) {
    if (r.action === 'unchanged') continue;
    out += `${paint('1', `${SIGN[r.action]} ${r.action} ${formatResourceKey(r.key)}`)}\n`;
    for (const line of r.text.split('\n')) {
      if (line === '') continue;
      const code = line.startsWith('+')
        ? '32'
        : line.startsWith('-')
          ? '31'
          : line.startsWith('@@')
            ? '36'
            : '';
      out += `${code === '' ? line : paint(code, line)}\n`;
    }
    out += '\n';
  }
  out += `${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete, ${summary.unchanged} unchanged\n`;
  return out;
}

/**
 * Diagnostics as `file:line:column: severity code: message` lines for stderr, with ` (at REF)` when
 * the file was read from a Git ref; a line repeated word for word is printed once.
 */
export function formatDiagnosticLines(diagnostics: readonly Diagnostic[]): string {
  const lines = new Set<string>();
  for (const d of diagnostics) {
    const at = d.span ? `${d.span.path}:${d.span.start.line}:${d.span.start.column}: ` : '';
    const ref = d.span?.ref === undefined ? '' : ` (at ${d.span.ref})`;
    lines.add(`${at}${d.severity} ${d.code}: ${d.message}${ref}\n`);
  }
  return [...lines].join('');
}
