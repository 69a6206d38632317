import { formatPointer } from '@shipshape/core';
import { isObject as isJsonObject } from './json-value.js';
import { sameJson } from './same-json.js';

/**
 * One step of a server-side-apply field path, as FieldsV1 spells it: `f:<name>` is `{ field }`,
 * `k:<json>` (a list item by its key fields) is `{ key }`, `v:<json>` (an item of a set) is
 * `{ value }`, `i:<n>` (an item by position) is `{ index }`.
 *
 * @example
 * ```ts
 * const step: FieldStep = { key: { containerPort: 80, protocol: 'TCP' } }; // k:{"containerPort":80,"protocol":"TCP"}
 * ```
 */
export type FieldStep =
  | { readonly field: string }
  | { readonly key: Readonly<Record<string, unknown>> }
  | { readonly value: unknown }
  | { readonly index: number };

/**
 * A field path from the object's root.
 *
 * @example
 * ```ts
 * const path: FieldPath = [{ field: 'spec' }, { field: 'ports' }, { key: { port: 80 } }]; // .spec.ports[port=80]
 * ```
 */
export type FieldPath = readonly FieldStep[];

/**
 * How field paths are matched against an object.
 *
 * @example
 * ```ts
 * resolveFieldPath(desired, path, { keyDefaults: { protocol: 'TCP' } });
 * ```
 */
export interface ResolveOptions {
  /**
   * Values assumed for list-key fields an item lacks, as the API server would default them before
   * applying: with `{ protocol: 'TCP' }`, `k:{"containerPort":80,"protocol":"TCP"}` finds a desired
   * port written without `protocol`. Applies to every keyed list. Default `{}`: key fields must be
   * present and equal.
   */
  readonly keyDefaults?: Readonly<Record<string, unknown>>;
}

/**
 * The JSON Pointer of `path` in `object`, or `undefined` when the object has no such location. A
 * `key` or `value` step picks the first matching item. Never throws; reads own properties only.
 *
 * @example
 * ```ts
 * const service = { spec: { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] } };
 * resolveFieldPath(service, [{ field: 'spec' }, { field: 'ports' }, { key: { port: 53, protocol: 'TCP' } }]);
 * // '/spec/ports/1'
 * ```
 */
export function resolveFieldPath(
  object: unknown,
  path: FieldPath,
  options: ResolveOptions = {},
): string | undefined {
  const resolver = new StepResolver(options);
  const segments: (string | number)[] = [];
  let node = object;
  for (const step of path) {
    const found = resolver.step(node, step);
    if (found === undefined) return undefined;
    segments.push(found.segment);
    node = found.value;
  }
  return formatPointer(segments);
}

/**
 * A field path as text, in the notation of Kubernetes' structured-merge-diff:
 * `.spec.ports[port=80,protocol="TCP"].name`, `.metadata.finalizers[="a"]`, `.items[2]`.
 *
 * @example
 * ```ts
 * formatFieldPath([{ field: 'spec' }, { field: 'ports' }, { key: { protocol: 'TCP', port: 80 } }]);
 * // '.spec.ports[port=80,protocol="TCP"]'
 * ```
 */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const step of path) {
    if ('field' in step) out += `.${step.field}`;
    else if ('key' in step) {
      const names = Object.keys(step.key).sort();
      out += `[${names.map((name) => `${name}=${JSON.stringify(step.key[name])}`).join(',')}]`;
    } else if ('value' in step) out += `[=${JSON.stringify(step.value)}]`;
    else out += `[${step.index}]`;
  }
  return out;
}

type Scalar = string | number | boolean | null;

/**
 * Resolves steps one at a time. Keyed and set lookups index a list the first time it is searched,
 * so resolving all the items a manager owns in a long list is linear, not quadratic. Use one
 * resolver per object: the indexes assume the lists do not change.
 *
 * @example
 * ```ts
 * const resolver = new StepResolver({ keyDefaults: { protocol: 'TCP' } });
 * resolver.step([{ port: 80 }], { key: { port: 80, protocol: 'TCP' } }); // { value: { port: 80 }, segment: 0 }
 * ```
 */
export class StepResolver {
  private readonly indexes = new WeakMap<readonly unknown[], Map<string, Map<string, number>>>();
  private readonly keyDefaults: Readonly<Record<string, unknown>>;

  constructor(options: ResolveOptions = {}) {
    this.keyDefaults = options.keyDefaults ?? {};
  }

  /** The location one step below `node`, or `undefined`. */
  step(node: unknown, step: FieldStep): { value: unknown; segment: string | number } | undefined {
    if ('field' in step) {
      if (!isJsonObject(node) || !Object.hasOwn(node, step.field)) return undefined;
      return { value: node[step.field], segment: step.field };
    }
    if (!Array.isArray(node)) return undefined;
    let position: number | undefined;
    if ('index' in step) {
      position =
        Number.isInteger(step.index) && step.index >= 0 && step.index < node.length ? step.index : undefined;
    } else if ('key' in step) position = this.findKey(node, step.key);
    else position = this.findValue(node, step.value);
    return position === undefined ? undefined : { value: node[position], segment: position };
  }

  private findKey(list: readonly unknown[], key: Readonly<Record<string, unknown>>): number | undefined {
    const names = Object.keys(key).sort();
    const wanted = names.map((name) => key[name]);
    if (!wanted.every(isScalar)) {
      const position = list.findIndex((item) =>
        names.every((name, i) => {
          const field = this.keyField(item, name);
          return field !== undefined && sameJson(field, wanted[i]);
        }),
      );
      return position < 0 ? undefined : position;
    }
    const index = this.index(list, `k:${JSON.stringify(names)}`, (item) => {
      const values = names.map((name) => this.keyField(item, name));
      return values.every(isScalar) ? canonical(values) : undefined;
    });
    return index.get(canonical(wanted));
  }

  private findValue(list: readonly unknown[], value: unknown): number | undefined {
    if (!isScalar(value)) {
      const position = list.findIndex((item) => sameJson(item, value));
      return position < 0 ? undefined : position;
    }
    const index = this.index(list, 'v:', (item) => (isScalar(item) ? canonical([item]) : undefined));
    return index.get(canonical([value]));
  }

  /** A key field of a list item, or its default, or `undefined` when it has neither. */
  private keyField(item: unknown, name: string): unknown {
    if (isJsonObject(item) && Object.hasOwn(item, name)) return item[name];
    return Object.hasOwn(this.keyDefaults, name) ? this.keyDefaults[name] : undefined;
  }

  /** The first position of each item's canonical form, built once per list and kind of lookup. */
  private index(
    list: readonly unknown[],
    kind: string,
    canonicalOf: (item: unknown) => string | undefined,
  ): Map<string, number> {
    let byKind = this.indexes.get(list);
    if (byKind === undefined) {
      byKind = new Map();
      this.indexes.set(list, byKind);
    }
    let index = byKind.get(kind);
    if (index !== undefined) return index;
    index = new Map();
    for (let i = 0; i < list.length; i++) {
      const form = canonicalOf(list[i]);
      if (form !== undefined && !index.has(form)) index.set(form, i);
    }
    byKind.set(kind, index);
    return index;
  }
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

/** Text that is equal exactly when the scalars are (`1` and `"1"` differ; `1` and `1.0` do not). */
function canonical(values: readonly Scalar[]): string {
  return JSON.stringify(values.map((value) => [typeof value, value]));
}
