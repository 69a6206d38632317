import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '@shipshape/core';

/** `../shared` beside the repository, where the corpus and the conformance data live. */
export const SHARED = path.resolve(import.meta.dirname, '../../../../shared');
export const CORPUS = path.join(SHARED, 'corpus');

/** The repositories of the shared corpus, sorted. */
export const CORPUS_REPOS = fs
  .readdirSync(CORPUS)
  .filter((d) => fs.statSync(path.join(CORPUS, d)).isDirectory())
  .sort();

/**
 * The diagnostics grouped by code, each group headed by the reason it is right, one line per
 * diagnostic: what a corpus suite prints. Also returns the codes that have no reason.
 */
export function listByCode(
  heading: string,
  diagnostics: readonly Diagnostic[],
  reasons: Readonly<Record<string, string>>,
): { text: string; unexplained: string[] } {
  const lines = [heading];
  const unexplained: string[] = [];
  const byCode = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) byCode.set(d.code, [...(byCode.get(d.code) ?? []), d]);
  for (const [code, list] of [...byCode].sort()) {
    const reason = reasons[code];
    if (reason === undefined) unexplained.push(code);
    lines.push(`  ${code} ×${list.length} — right because ${reason ?? '(no reason recorded)'}:`);
    for (const d of list)
      lines.push(`    ${d.span?.path}:${d.span?.start.line}:${d.span?.start.column} ${d.message}`);
  }
  return { text: lines.join('\n'), unexplained };
}
