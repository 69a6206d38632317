import { compareText, type Diagnostic, formatResourceKey, type Resource } from '@shipshape/core';

/**
 * One diagnostic for every resource that repeats an earlier one (same group, kind, namespace and
 * name), naming both places. "Earlier" is path order, then document order. Resources without a
 * name (created with `generateName`) are never duplicates.
 *
 * Two files clash only when one's folder is the other's or contains it: that is what
 * `kubectl apply -R` on a folder applies together. Sibling folders (`clusters/staging` and
 * `clusters/production`, `overlays/a` and `overlays/b`) are separate deployments in GitOps
 * repositories and may define the same objects.
 *
 * @example
 * ```ts
 * findDuplicateResources(resources).map((d) => d.message);
 * // ['apps/Deployment/web/api is defined twice: first at web/a.yaml:1:1']
 * ```
 */
export function findDuplicateResources(resources: readonly Resource[]): Diagnostic[] {
  const seen = new Map<string, Resource[]>();
  const diagnostics: Diagnostic[] = [];
  const ordered = [...resources].sort(
    (a, b) =>
      compareText(a.source.path, b.source.path) ||
      a.source.document - b.source.document ||
      (a.source.item ?? -1) - (b.source.item ?? -1),
  );
  for (const resource of ordered) {
    if (resource.id.name === '') continue;
    const key = formatResourceKey(resource.id);
    const before = seen.get(key);
    const earlier = before?.find((r) => sameLineage(folderOf(r.source.path), folderOf(resource.source.path)));
    if (before) before.push(resource);
    else seen.set(key, [resource]);
    if (!earlier) continue;
    const at = earlier.source.span;
    const where = `${at.path}:${at.start.line}:${at.start.column}`;
    diagnostics.push({
      code: 'manifest/duplicate-resource',
      severity: 'error',
      message: `${key} is defined twice: first at ${where}`,
      resource: resource.id,
      span: resource.source.span,
      data: { first: { path: at.path, line: at.start.line, column: at.start.column } },
    });
  }
  return diagnostics;
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function sameLineage(a: string, b: string): boolean {
  return a === b || a === '' || b === '' || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}
