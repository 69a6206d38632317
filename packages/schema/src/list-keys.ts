import type { JsonSchema, SchemaBundle } from './bundle.js';

/** How the entries of one list are identified, for merging and diffing. */
export interface ListKeys {
  /** JSON Pointer pattern of the list; `*` stands for any index of an enclosing list. */
  readonly path: string;
  /** `x-kubernetes-list-type`: `atomic`, `set` or `map`. */
  readonly listType?: string;
  /** `x-kubernetes-list-map-keys` (server-side apply identity). */
  readonly mapKeys?: readonly string[];
  /** `x-kubernetes-patch-merge-key` (strategic merge patch identity). */
  readonly patchMergeKey?: string;
  /** `x-kubernetes-patch-strategy`, e.g. `merge` or `merge,retainKeys`. */
  readonly patchStrategy?: string;
}

/**
 * The keyed lists of a kind, for the diff engine: where they are and what identifies an entry.
 * Recursive definitions (JSONSchemaProps) are followed once per path.
 *
 * @example
 * ```ts
 * listKeys(bundle, 'apps/v1/Deployment').find((l) => l.path === '/spec/template/spec/containers');
 * // { path: '/spec/template/spec/containers', listType: 'map', mapKeys: ['name'], patchMergeKey: 'name', patchStrategy: 'merge' }
 * ```
 */
export function listKeys(bundle: SchemaBundle, gvk: string): ListKeys[] {
  const definition = bundle.kinds[gvk];
  if (definition === undefined) return [];
  const out: ListKeys[] = [];
  walk(bundle, bundle.definitions[definition] ?? {}, '', new Set([definition]), out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(
  bundle: SchemaBundle,
  schema: JsonSchema,
  path: string,
  seen: ReadonlySet<string>,
  out: ListKeys[],
): void {
  const resolved = deref(bundle, schema, seen);
  if (!resolved) return;
  const [node, names] = resolved;
  const properties = node['properties'] as Record<string, JsonSchema> | undefined;
  for (const [name, child] of Object.entries(properties ?? {})) {
    const childPath = `${path}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    const merged = { ...child, ...(deref(bundle, child, names)?.[0] ?? {}) };
    if (merged['type'] === 'array') {
      const keys: ListKeys = {
        path: childPath,
        ...pick(child, merged, 'x-kubernetes-list-type', 'listType'),
        ...pick(child, merged, 'x-kubernetes-list-map-keys', 'mapKeys'),
        ...pick(child, merged, 'x-kubernetes-patch-merge-key', 'patchMergeKey'),
        ...pick(child, merged, 'x-kubernetes-patch-strategy', 'patchStrategy'),
      };
      if (Object.keys(keys).length > 1) out.push(keys);
      const items = merged['items'] as JsonSchema | undefined;
      if (items) walk(bundle, items, `${childPath}/*`, names, out);
    } else {
      walk(bundle, child, childPath, names, out);
    }
  }
}

function pick(a: JsonSchema, b: JsonSchema, from: string, to: string): Record<string, unknown> {
  const value = a[from] ?? b[from];
  return value === undefined ? {} : { [to]: value };
}

/** Follow `$ref` (directly or through a one-element `allOf`); stop at a definition already on the path. */
function deref(
  bundle: SchemaBundle,
  schema: JsonSchema,
  seen: ReadonlySet<string>,
): [JsonSchema, ReadonlySet<string>] | undefined {
  const allOf = schema['allOf'] as JsonSchema[] | undefined;
  const ref = (schema['$ref'] ?? allOf?.[0]?.['$ref']) as string | undefined;
  if (ref === undefined) return [schema, seen];
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  if (seen.has(name)) return undefined;
  const target = bundle.definitions[name];
  return target ? [target, new Set([...seen, name])] : undefined;
}
