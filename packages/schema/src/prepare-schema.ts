import type { JsonSchema } from './bundle.js';

/** How a Kubernetes schema is turned into one the walker checks the way the API server does. */
export interface PrepareOptions {
  /** Unknown fields are errors: `additionalProperties: false` on every object with known properties. */
  readonly strict: boolean;
  /**
   * Keep `x-kubernetes-list-type` and `x-kubernetes-list-map-keys`, whose `set` and `map` lists
   * the walker checks for duplicates. Default `false`: the apiextensions server enforces them on
   * custom resources (CRD schemas pass `true`), while the list types of the built-in definitions
   * only serve server-side apply (a Pod with two env entries of the same name is accepted, with a
   * warning), and a CRD schema's `metadata` refers to the built-in ObjectMeta.
   */
  readonly listTypes?: boolean;
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/**
 * Rewrite one schema node (recursively) for the walker (`interpretSchema`):
 * - int-or-string (`format: int-or-string`, `x-kubernetes-int-or-string`) becomes
 *   `type: [integer, string]`, so a wrong value gives one clear error instead of a `oneOf` tree;
 * - `nullable` is dropped: the walker treats a null object field as unset, as the API server does;
 * - in strict mode, objects with known properties get `additionalProperties: false` unless they
 *   preserve unknown fields; embedded resources always accept `apiVersion`, `kind` and `metadata`;
 * - list types are dropped unless `options.listTypes` keeps them for the duplicate check.
 * The input is not changed.
 */
export function prepareSchema(node: unknown, options: PrepareOptions): unknown {
  if (Array.isArray(node)) return node.map((n) => prepareSchema(n, options));
  if (node === null || typeof node !== 'object') return node;
  const schema = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'description') continue;
    if (!options.listTypes && (key === 'x-kubernetes-list-type' || key === 'x-kubernetes-list-map-keys'))
      continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, prepareSchema(v, options)]),
      );
    } else {
      out[key] = prepareSchema(value, options);
    }
  }
  if (schema['format'] === 'int-or-string' || schema['x-kubernetes-int-or-string'] === true) {
    delete out['oneOf'];
    delete out['anyOf'];
    delete out['format'];
    out['type'] = ['integer', 'string'];
  }
  if (schema['x-kubernetes-embedded-resource'] === true) {
    out['properties'] = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      ...(out['properties'] as JsonSchema | undefined),
    };
  }
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (
    options.strict &&
    !preserve &&
    out['properties'] !== undefined &&
    out['additionalProperties'] === undefined
  ) {
    out['additionalProperties'] = false;
  }
  return out;
}

/** Prepare every definition of a bundle; Quantity accepts strings in its grammar and numbers. */
export function prepareDefinitions(
  definitions: Readonly<Record<string, JsonSchema>>,
  options: PrepareOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(definitions)) {
    out[name] =
      name === QUANTITY ? { type: ['string', 'number'], format: 'quantity' } : prepareSchema(schema, options);
  }
  return out;
}
