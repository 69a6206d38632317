import type { JsonSchema, SchemaBundle } from './bundle.js';
import type { ListKeys } from './list-keys.js';

/**
 * What the schema of one kind tells a diff: how list entries are identified, and which fields hold
 * quantities or int-or-string values (so `1000m` equals `1` and `"80"` equals `80`). Paths are JSON
 * Pointers in which `*` stands for any list index or map key.
 */
export interface DiffHints {
  /** Whether objects of the kind live in a namespace (`undefined` when the bundle does not say). */
  readonly namespaced?: boolean;
  readonly lists: readonly ListKeys[];
  readonly quantities: readonly string[];
  readonly intOrString: readonly string[];
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/**
 * The diff hints of `apiVersion/kind` in a bundle: keyed lists, quantity fields and int-or-string
 * fields, each as a pointer pattern. Recursive definitions (JSONSchemaProps) are followed once per
 * path. An unknown kind gives empty hints.
 *
 * @example
 * ```ts
 * const hints = diffHints(bundle, 'apps/v1/Deployment');
 * hints.quantities.includes('/spec/template/spec/containers/* /resources/limits/*'.replace(' ', '')); // true
 * hints.intOrString.includes('/spec/strategy/rollingUpdate/maxSurge'); // true
 * ```
 */
export function diffHints(bundle: SchemaBundle, gvk: string): DiffHints {
  const definition = bundle.kinds[gvk];
  const namespaced = bundle.namespaced[gvk];
  const out = { lists: [] as ListKeys[], quantities: [] as string[], intOrString: [] as string[] };
  if (definition !== undefined) {
    walk(bundle, bundle.definitions[definition] ?? {}, '', new Set([definition]), out);
  }
  return sorted(out, namespaced);
}

/**
 * Diff hints for the custom resources a CustomResourceDefinition object defines, per served
 * version (`group/version/Kind` → hints): keyed lists (`x-kubernetes-list-type`,
 * `x-kubernetes-list-map-keys`), int-or-string fields (`x-kubernetes-int-or-string`) and the scope.
 * Works on the plain object (from the repository or the cluster); anything unreadable gives no hints.
 *
 * @example
 * ```ts
 * crdDiffHints(crd).get('example.com/v1/Widget')?.lists; // [{ path: '/spec/ports', listType: 'map', mapKeys: ['name'] }]
 * ```
 */
export function crdDiffHints(crd: Readonly<Record<string, unknown>>): Map<string, DiffHints> {
  const out = new Map<string, DiffHints>();
  const spec = asRecord(crd['spec']);
  const group = spec?.['group'];
  const kind = asRecord(spec?.['names'])?.['kind'];
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec?.['versions'])) return out;
  const namespaced = spec['scope'] !== 'Cluster';
  const shared = asRecord(asRecord(spec['validation'])?.['openAPIV3Schema']);
  for (const version of spec['versions'] as unknown[]) {
    const v = asRecord(version);
    if (typeof v?.['name'] !== 'string') continue;
    const schema = asRecord(asRecord(v['schema'])?.['openAPIV3Schema']) ?? shared ?? {};
    const collected: Collected = { lists: [], quantities: [], intOrString: [] };
    walk(EMPTY_BUNDLE, schema, '', new Set(), collected);
    out.set(`${group}/${v['name']}/${kind}`, sorted(collected, namespaced));
  }
  return out;
}

const EMPTY_BUNDLE: SchemaBundle = { version: '', definitions: {}, kinds: {}, namespaced: {} };

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function sorted(out: Collected, namespaced: boolean | undefined): DiffHints {
  const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    ...(namespaced === undefined ? {} : { namespaced }),
    lists: out.lists.sort((a, b) => byPath(a.path, b.path)),
    quantities: out.quantities.sort(byPath),
    intOrString: out.intOrString.sort(byPath),
  };
}

interface Collected {
  lists: ListKeys[];
  quantities: string[];
  intOrString: string[];
}

function walk(
  bundle: SchemaBundle,
  schema: JsonSchema,
  path: string,
  seen: ReadonlySet<string>,
  out: Collected,
): void {
  const named = refName(schema);
  if (named === QUANTITY) {
    out.quantities.push(path);
    return;
  }
  if (
    named === INT_OR_STRING ||
    schema['format'] === 'int-or-string' ||
    schema['x-kubernetes-int-or-string'] === true
  ) {
    out.intOrString.push(path);
    return;
  }
  const resolved = deref(bundle, schema, seen);
  if (!resolved) return;
  const [node, names] = resolved;
  const properties = node['properties'] as Record<string, JsonSchema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) {
    const childPath = `${path}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    const merged = { ...child, ...(deref(bundle, child, names)?.[0] ?? {}) };
    if (merged['type'] === 'array') {
      const keys = listKeysOf(child, merged, childPath);
      if (keys) out.lists.push(keys);
      const items = merged['items'] as JsonSchema | undefined;
      if (items) walk(bundle, items, `${childPath}/*`, names, out);
    } else {
      walk(bundle, child, childPath, names, out);
    }
  }
  const additional = node['additionalProperties'];
  if (typeof additional === 'object' && additional !== null) {
    walk(bundle, additional as JsonSchema, `${path}/*`, names, out);
  }
}

function listKeysOf(child: JsonSchema, merged: JsonSchema, path: string): ListKeys | undefined {
  const pick = (from: string): unknown => child[from] ?? merged[from];
  const listType = pick('x-kubernetes-list-type') as string | undefined;
  const mapKeys = pick('x-kubernetes-list-map-keys') as string[] | undefined;
  const patchMergeKey = pick('x-kubernetes-patch-merge-key') as string | undefined;
  const patchStrategy = pick('x-kubernetes-patch-strategy') as string | undefined;
  if (
    listType === undefined &&
    mapKeys === undefined &&
    patchMergeKey === undefined &&
    patchStrategy === undefined
  ) {
    return undefined;
  }
  return {
    path,
    ...(listType === undefined ? {} : { listType }),
    ...(mapKeys === undefined ? {} : { mapKeys }),
    ...(patchMergeKey === undefined ? {} : { patchMergeKey }),
    ...(patchStrategy === undefined ? {} : { patchStrategy }),
  };
}

function refName(schema: JsonSchema): string | undefined {
  const allOf = schema['allOf'] as JsonSchema[] | undefined;
  const ref = (schema['$ref'] ?? allOf?.[0]?.['$ref']) as string | undefined;
  return ref === undefined ? undefined : ref.slice(ref.lastIndexOf('/') + 1);
}

/** Follow `$ref` (directly or through a one-element `allOf`); stop at a definition already on the path. */
function deref(
  bundle: SchemaBundle,
  schema: JsonSchema,
  seen: ReadonlySet<string>,
): [JsonSchema, ReadonlySet<string>] | undefined {
  const name = refName(schema);
  if (name === undefined) return [schema, seen];
  if (seen.has(name)) return undefined;
  const target = bundle.definitions[name];
  return target ? [target, new Set([...seen, name])] : undefined;
}
