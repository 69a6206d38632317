// Resources embedded in custom resources (`x-kubernetes-embedded-resource: true`: an Argo
// Rollout's or a Crossplane Composition's templates, …): the apiextensions server checks their
// apiVersion, kind and metadata as it checks an object's (apiserver/schema/objectmeta), which the
// schema alone does not say.

import { formatPointer } from '@shipshape/core';
import type { JsonSchema } from './bundle.js';
import { asSchema } from './crd-problem.js';
import { embeddedResourceProblems, type MetaProblem } from './object-meta.js';

/**
 * Problems of the resources embedded in `data`, a custom resource, found by walking its CRD's
 * (prepared) schema alongside it: properties, `additionalProperties` and `items`. The resource
 * itself is left to the checks of every object.
 */
export function embeddedProblems(schema: JsonSchema, data: unknown): MetaProblem[] {
  if (!holdsEmbedded(schema)) return [];
  const out: MetaProblem[] = [];
  walk(schema, data, [], true, out);
  return out;
}

function walk(
  schema: JsonSchema,
  data: unknown,
  path: (string | number)[],
  root: boolean,
  out: MetaProblem[],
): void {
  if (Array.isArray(data)) {
    const items = asSchema(schema['items']);
    if (!items || !holdsEmbedded(items)) return;
    data.forEach((item, i) => {
      path.push(i);
      walk(items, item, path, false, out);
      path.pop();
    });
    return;
  }
  if (data === null || typeof data !== 'object') return;
  const object = data as Record<string, unknown>;
  if (!root && schema['x-kubernetes-embedded-resource'] === true) {
    out.push(...embeddedResourceProblems(object, formatPointer(path)));
  }
  const properties = asSchema(schema['properties']);
  const additional = asSchema(schema['additionalProperties']);
  for (const key of Object.keys(object)) {
    const below =
      (properties && Object.hasOwn(properties, key) ? asSchema(properties[key]) : undefined) ?? additional;
    if (!below || !holdsEmbedded(below)) continue;
    path.push(key);
    walk(below, object[key], path, false, out);
    path.pop();
  }
}

// Whether a schema declares an embedded resource anywhere below it, worked out once per schema.
const known = new WeakMap<object, boolean>();

function holdsEmbedded(schema: JsonSchema): boolean {
  const cached = known.get(schema);
  if (cached !== undefined) return cached;
  known.set(schema, false); // a cycle (none in CRD schemas) ends here
  let found = schema['x-kubernetes-embedded-resource'] === true;
  const properties = asSchema(schema['properties']);
  for (const child of Object.values(properties ?? {})) {
    const c = asSchema(child);
    if (found) break;
    if (c && holdsEmbedded(c)) found = true;
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const c = asSchema(schema[key]);
    if (!found && c && holdsEmbedded(c)) found = true;
  }
  known.set(schema, found);
  return found;
}
