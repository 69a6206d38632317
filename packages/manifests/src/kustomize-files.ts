import { load } from 'js-yaml';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * Whether `path` is a Kustomize configuration file (`kustomization.yaml`, `.yml` or
 * `Kustomization`): build instructions, not an object for the cluster.
 *
 * @example
 * ```ts
 * isKustomizationPath('apps/web/kustomization.yaml'); // true
 * ```
 */
export function isKustomizationPath(path: string): boolean {
  return KUSTOMIZATION_NAMES.has(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * Whether `path` names a file the manifest reader parses: `.yaml`, `.yml` or `.json`, and not a
 * Kustomize configuration file.
 *
 * @example
 * ```ts
 * isManifestPath('web/deployment.yaml'); // true
 * isManifestPath('web/README.md'); // false
 * ```
 */
export function isManifestPath(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path) && !isKustomizationPath(path);
}

/**
 * Repository paths that a kustomization uses as patches, transformer and generator configurations, OpenAPI
 * schemas or replacement sources: inputs to a build, not objects of their own, so a plain-folder
 * check must not read them as manifests. Unreadable kustomizations give no paths (the reader
 * reports them elsewhere).
 *
 * @example
 * ```ts
 * kustomizationSideFiles('overlays/prod/kustomization.yaml', 'patches:\n- path: replicas.yaml\n');
 * // ['overlays/prod/replicas.yaml']
 * ```
 */
export function kustomizationSideFiles(path: string, text: string): string[] {
  let doc: unknown;
  try {
    doc = load(text);
  } catch {
    return [];
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const k = doc as Record<string, unknown>;
  const found: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value === 'string' && !value.includes('\n') && /\.(ya?ml|json)$/i.test(value))
      found.push(value);
  };
  for (const field of [
    'patchesStrategicMerge',
    'patches',
    'patchesJson6902',
    'configurations',
    'replacements',
    'transformers',
    'generators',
    'validators',
  ]) {
    const list = k[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry === 'string') add(entry);
      else if (entry !== null && typeof entry === 'object') add((entry as Record<string, unknown>)['path']);
    }
  }
  const openapi = k['openapi'];
  if (openapi !== null && typeof openapi === 'object') add((openapi as Record<string, unknown>)['path']);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  return found.map((p) => joinPath(dir, p)).filter((p): p is string => p !== undefined);
}

/** Join and normalise a relative path; `undefined` when it climbs out of the repository. */
function joinPath(dir: string, relative: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (const segment of relative.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.join('/');
}
