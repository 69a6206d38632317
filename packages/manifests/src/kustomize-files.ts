import { type Diagnostic, LineIndex } from '@shipshape/core';
import { loadAll, YAMLException } from 'js-yaml/browser';
import { decodeManifestBytes } from './decode.js';
import type { ManifestFile } from './parse-file.js';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema.js';

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

/** What a kustomization file tells a plain-folder check. */
export interface KustomizationInputs {
  /** Repository paths of the build inputs it names (see {@link readKustomization}). */
  readonly sideFiles: string[];
  /** Why the file could not be read, if it could not: nothing the user wrote is dropped silently. */
  readonly diagnostics: Diagnostic[];
  /**
   * What would make `kustomize build` give other objects than the files as written: its fields
   * that transform or generate objects (`namePrefix`, `patches`, `configMapGenerator`, …), and
   * `resources` from outside its folder (`../../base`, a URL). Empty for a kustomization that only
   * lists its own files.
   */
  readonly transforms: string[];
}

/**
 * Read a kustomization file for the repository paths it uses as patches, transformer, generator
 * and validator configurations, replacement sources, OpenAPI schemas and `crds`, ConfigMap and
 * Secret generator files, or Helm values files: inputs to a build, not
 * objects of their own, so a plain-folder check must not read them as manifests. A kustomization
 * that is not valid YAML, or not a mapping, gives a diagnostic instead.
 *
 * @example
 * ```ts
 * readKustomization({ path: 'overlays/prod/kustomization.yaml', content: 'patches:\n- path: replicas.yaml\n' });
 * // { sideFiles: ['overlays/prod/replicas.yaml'], diagnostics: [], transforms: ['patches'] }
 * ```
 */
export function readKustomization(file: ManifestFile): KustomizationInputs {
  let text: string;
  if (typeof file.content === 'string') text = file.content;
  else {
    const decoded = decodeManifestBytes(file.content, file.path);
    if (decoded.text === undefined)
      return { sideFiles: [], diagnostics: [decoded.diagnostic], transforms: [] };
    text = decoded.text;
  }
  let doc: unknown;
  try {
    doc = loadAll(text, { schema: KUBERNETES_YAML_SCHEMA })[0];
  } catch (error) {
    const offset = error instanceof YAMLException ? (error.mark?.position ?? 0) : 0;
    const reason = error instanceof YAMLException ? error.reason : String(error);
    const at = new LineIndex(text).position(offset);
    const span = { path: file.path, ...(file.ref ? { ref: file.ref } : {}), document: 0, start: at, end: at };
    return {
      sideFiles: [],
      diagnostics: [{ code: 'yaml/syntax', severity: 'error', message: reason, span }],
      transforms: [],
    };
  }
  if (doc === null || doc === undefined) return { sideFiles: [], diagnostics: [], transforms: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    const at = { offset: 0, line: 1, column: 1 };
    const span = { path: file.path, ...(file.ref ? { ref: file.ref } : {}), document: 0, start: at, end: at };
    const message = 'a kustomization must be a mapping of fields such as resources and patches';
    return {
      sideFiles: [],
      diagnostics: [{ code: 'manifest/not-an-object', severity: 'error', message, span }],
      transforms: [],
    };
  }
  const k = doc as Record<string, unknown>;
  return { sideFiles: sideFilesOf(file.path, k), diagnostics: [], transforms: transformsOf(k) };
}

// Fields that describe the kustomization itself, or only list the files it emits as they are.
const PLAIN_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'resources', 'sortOptions', 'buildMetadata']);

// A remote base written without a scheme: `github.com/org/repo//deploy?ref=v1`, `git@host:org/repo`.
// A local folder may have dots in its name (`monitoring.coreos.com/`): only the forms kustomize
// reads as remote count, a known host, a `//` into the repository, or a `?ref=`.
const REMOTE = /^(?:git@|(?:github\.com|gitlab\.com|bitbucket\.org)\/)|^[^/]+\.[^/]+\/[^?]*\/\/|\?ref=/;

function transformsOf(k: Record<string, unknown>): string[] {
  const out = Object.keys(k).filter((field) => !PLAIN_FIELDS.has(field) && k[field] !== null);
  const outside = listOf(k['resources']).filter(
    (r): r is string =>
      typeof r === 'string' &&
      (r.startsWith('../') || r === '..' || r.startsWith('/') || r.includes('://') || REMOTE.test(r)),
  );
  if (outside.length > 0) out.push(`resources ${outside.join(', ')}`);
  return out;
}

function sideFilesOf(path: string, k: Record<string, unknown>): string[] {
  const found: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value === 'string' && !value.includes('\n') && /\.(ya?ml|json)$/i.test(value))
      found.push(value);
  };
  for (const field of SIDE_FILE_FIELDS) {
    const list = k[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry === 'string') add(entry);
      else if (entry !== null && typeof entry === 'object') add((entry as Record<string, unknown>)['path']);
    }
  }
  const openapi = k['openapi'];
  if (openapi !== null && typeof openapi === 'object') add((openapi as Record<string, unknown>)['path']);
  // Schema files for kustomize itself, not objects it emits.
  for (const entry of listOf(k['crds'])) add(entry);
  // Generator inputs: `files` (`path` or `key=path`), `envs`, and the older single `env`.
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const generator of listOf(k[field])) {
      if (generator === null || typeof generator !== 'object') continue;
      const g = generator as Record<string, unknown>;
      for (const entry of listOf(g['files'])) {
        add(typeof entry === 'string' && entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry);
      }
      for (const entry of listOf(g['envs'])) add(entry);
      add(g['env']);
    }
  }
  // Helm values given to an inflated chart.
  for (const chart of listOf(k['helmCharts'])) {
    if (chart === null || typeof chart !== 'object') continue;
    const c = chart as Record<string, unknown>;
    add(c['valuesFile']);
    for (const entry of listOf(c['additionalValuesFiles'])) add(entry);
  }
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  return found.map((p) => joinPath(dir, p)).filter((p): p is string => p !== undefined);
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

const SIDE_FILE_FIELDS = [
  'patchesStrategicMerge',
  'patches',
  'patchesJson6902',
  'configurations',
  'replacements',
  'transformers',
  'generators',
  'validators',
] as const;

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
