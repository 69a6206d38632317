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
  // Most keys are seen once: a key keeps just its first resource until a second one comes.
  const seen = new Map<string, Resource | KeyPlaces>();
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
    const found = seen.get(key);
    if (found === undefined) {
      seen.set(key, resource);
      continue;
    }
    let places: KeyPlaces;
    if (isPlaces(found)) places = found;
    else {
      places = { at: new Map(), under: new Map() };
      record(places, folderOf(found.source.path), found);
      seen.set(key, places);
    }
    const folder = folderOf(resource.source.path);
    const earlier = findInLineage(places, folder);
    record(places, folder, resource);
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

/** Where one key was seen: the first resource per folder, and per folder the first one below it. */
interface KeyPlaces {
  readonly at: Map<string, Resource>;
  readonly under: Map<string, Resource>;
}

function isPlaces(value: Resource | KeyPlaces): value is KeyPlaces {
  return 'at' in value;
}

/** The first resource in `folder`, in one of its ancestors, or below it: O(depth), not O(n). */
function findInLineage(places: KeyPlaces, folder: string): Resource | undefined {
  const here = places.at.get(folder) ?? places.under.get(folder);
  if (here) return here;
  for (let f = folder; f !== ''; ) {
    f = folderOf(f);
    const found = places.at.get(f);
    if (found) return found;
  }
  return undefined;
}

function record(places: KeyPlaces, folder: string, resource: Resource): void {
  if (!places.at.has(folder)) places.at.set(folder, resource);
  for (let f = folder; f !== ''; ) {
    f = folderOf(f);
    if (places.under.has(f)) break;
    places.under.set(f, resource);
  }
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
