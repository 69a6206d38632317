// The list and map extensions of a CRD schema, as the apiextensions server checks them
// (apiextensions/validation/validation.go): `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
// `x-kubernetes-map-type`, and what `set` and `map` lists ask of their items.

import { asSchema, type CrdProblem, type Path, problem, type Schema } from './crd-problem.js';

/** `x-kubernetes-list-type`, `x-kubernetes-list-map-keys` and `x-kubernetes-map-type`. */
export function checkListAndMap(s: Schema, path: Path, out: CrdProblem[]): void {
  const type = s['type'];
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && type !== 'object') {
    problem(
      out,
      type === undefined ? path : [...path, 'type'],
      '`type` must be object when x-kubernetes-map-type is set',
    );
  }
  if (mapType !== undefined && mapType !== 'atomic' && mapType !== 'granular') {
    problem(out, [...path, 'x-kubernetes-map-type'], 'must be atomic or granular');
  }
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (listType !== undefined && type !== 'array') {
    problem(
      out,
      type === undefined ? path : [...path, 'type'],
      '`type` must be array when x-kubernetes-list-type is set',
    );
  }
  if (listType !== undefined && listType !== 'atomic' && listType !== 'set' && listType !== 'map') {
    problem(out, [...path, 'x-kubernetes-list-type'], 'must be atomic, set or map');
  }
  if (Array.isArray(keys) && keys.length > 0 && listType !== 'map') {
    problem(
      out,
      listType === undefined ? [...path, 'x-kubernetes-list-map-keys'] : [...path, 'x-kubernetes-list-type'],
      'x-kubernetes-list-type must be map when x-kubernetes-list-map-keys is set',
      listType === undefined,
    );
  }
  const items = asSchema(s['items']);
  if ((listType === 'set' || listType === 'map') && items?.['nullable'] === true) {
    problem(out, [...path, 'items', 'nullable'], `the items of a ${listType} list must not be nullable`);
  }
  if (listType === 'map') checkMapList(s, items, path, out);
  if (listType === 'set' && items) checkSetItems(items, path, out);
}

function checkMapList(s: Schema, items: Schema | undefined, path: Path, out: CrdProblem[]): void {
  const keys = Array.isArray(s['x-kubernetes-list-map-keys'])
    ? (s['x-kubernetes-list-map-keys'] as unknown[])
    : [];
  if (keys.length === 0) {
    problem(out, path, 'x-kubernetes-list-map-keys must name the keys when x-kubernetes-list-type is map');
  }
  if (!items) return; // a missing `items` is reported by the structural checks
  if (items['type'] !== 'object') {
    const at = items['type'] === undefined ? [...path, 'items'] : [...path, 'items', 'type'];
    problem(out, at, 'the items of a list with x-kubernetes-list-type map must be of type object');
    return;
  }
  const properties = asSchema(items['properties']) ?? {};
  const required = new Set(Array.isArray(items['required']) ? items['required'] : []);
  const seen = new Set<unknown>();
  keys.forEach((key, i) => {
    const keyPath = [...path, 'x-kubernetes-list-map-keys', i];
    if (seen.has(key)) problem(out, keyPath, `x-kubernetes-list-map-keys names \`${String(key)}\` twice`);
    seen.add(key);
    const property = typeof key === 'string' ? asSchema(properties[key]) : undefined;
    if (!property) {
      problem(out, keyPath, `map key \`${String(key)}\` must be a property of the items`);
      return;
    }
    const at = [...path, 'items', 'properties', key as string];
    if (property['type'] === 'array' || property['type'] === 'object') {
      problem(out, [...at, 'type'], `map key \`${key as string}\` must be of a scalar type`);
    }
    if (!required.has(key) && property['default'] === undefined) {
      problem(out, at, `map key \`${key as string}\` must be required in the items or have a default`, true);
    }
    if (property['nullable'] === true) {
      problem(out, [...at, 'nullable'], `map key \`${key as string}\` must not be nullable`);
    }
  });
}

// Set items are compared whole, so they must be scalars or atomic.
function checkSetItems(items: Schema, path: Path, out: CrdProblem[]): void {
  if (items['type'] === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
    problem(
      out,
      items['x-kubernetes-map-type'] === undefined
        ? [...path, 'items']
        : [...path, 'items', 'x-kubernetes-map-type'],
      'object items of a list with x-kubernetes-list-type set must be x-kubernetes-map-type atomic',
    );
  }
  const inner = items['x-kubernetes-list-type'];
  if (items['type'] === 'array' && inner !== undefined && inner !== 'atomic') {
    problem(
      out,
      [...path, 'items', 'x-kubernetes-list-type'],
      'list items of a list with x-kubernetes-list-type set must be atomic',
    );
  }
}
