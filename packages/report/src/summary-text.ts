import type { SeverityCounts } from '@shipshape/core';

/** `1 error`, `2 errors`, `0 infos`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `3 errors, 1 warning, 0 infos`. */
export function countsText(counts: SeverityCounts): string {
  return `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')}`;
}

/** `12 files (40 resources)`. */
export function scopeText(summary: { readonly files: number; readonly resources: number }): string {
  return `${plural(summary.files, 'file')} (${plural(summary.resources, 'resource')})`;
}
