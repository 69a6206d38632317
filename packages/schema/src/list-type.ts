import type { JsonSchema } from './bundle.js';

/** An item of a `set` or `map` list that repeats an earlier one. */
export interface ListDuplicate {
  /** Index of the repeating item. */
  readonly index: number;
  /** Index of the first item it repeats. */
  readonly first: number;
  /**
   * For a `map` list, the identifying key values of the item, in `x-kubernetes-list-map-keys`
   * order (a default filled in, `undefined` for a key the item leaves unset).
   */
  readonly keys?: readonly (readonly [name: string, value: unknown])[];
}

/** Finds the repeated items of one list. */
export type DuplicateFinder = (items: readonly unknown[]) => ListDuplicate[];

/** Stands for an unset map key: canonical JSON is never empty. */
const UNSET = '';

/**
 * What the apiextensions API server enforces on a custom resource's list declared
 * `x-kubernetes-list-type: set` (no two equal items, scalars or atomic objects and lists alike,
 * objects compared whatever their key order) or `map` (no two items with the same values of
 * `x-kubernetes-list-map-keys`; an unset or null key takes the key's default, as the server
 * defaults before it validates, else counts as unset, the same in every item): the finder, or
 * `undefined` for any other list. A map list holding an item that is neither an object nor null is
 * not checked: the server reports that item instead (here: the items schema's type error).
 * Linear: one canonical key per item in a Map.
 */
export function duplicateFinder(schema: JsonSchema): DuplicateFinder | undefined {
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') return (items) => repeats(items, canonical);
  if (listType !== 'map') return undefined;
  const names = schema['x-kubernetes-list-map-keys'];
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string'))
    return undefined;
  const keyNames: readonly string[] = names;
  const itemProperties = asObject(asObject(schema['items'])?.['properties']);
  const defaults = keyNames.map((name) => asObject(itemProperties?.[name])?.['default']);
  const keysOf = (item: unknown): [string, unknown][] => {
    const object = asObject(item);
    return keyNames.map((name, k) => {
      const value = object?.[name];
      // A null item has no fields to default.
      return [name, value ?? (object ? defaults[k] : undefined)];
    });
  };
  return (items) => {
    if (items.some((item) => item !== null && asObject(item) === undefined)) return [];
    const keys = items.map(keysOf);
    return repeats(keys, (pairs) =>
      pairs
        .map(([, value]) => (value === undefined || value === null ? UNSET : canonical(value)))
        .join('\u0000'),
    ).map((d) => ({ ...d, keys: keys[d.index] ?? [] }));
  };
}

/** Every item whose identity an earlier item already has, with the index of that first one. */
function repeats<T>(items: readonly T[], identity: (item: T) => string): ListDuplicate[] {
  const out: ListDuplicate[] = [];
  if (items.length < 2) return out;
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const id = identity(item);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else out.push({ index, first });
  });
  return out;
}

/**
 * JSON with object keys sorted, so that equal values serialize alike (as Go's encoding/json, which
 * the server compares with, sorts map keys). `1` and `1.0` are one number here; the server tells
 * an integer from a float, which parsed YAML no longer can.
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const object = asObject(value);
  if (object) {
    const keys = Object.keys(object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
