// The `default`s of a CRD version's schema, as the apiextensions server checks them before it
// accepts the CRD: where a default may not stand (apiextensions/validation/validation.go, the
// reasons given to `withForbiddenDefaults`), and whether a default validates against the schema
// it sits on, unknown fields included (apiserver/schema/defaulting/validation.go,
// `ValidateDefaults`). Defaults inside allOf, anyOf, oneOf and not are structural-schema.ts's.

import type { JsonSchema } from './bundle.js';
import { asSchema, type CrdProblem, type Path, problem, type Schema } from './crd-problem.js';
import { interpretSchema, type MessageEvaluator, type RuleEvaluator } from './interpret.js';
import { prepareSchema } from './prepare-schema.js';

const META = new Set(['apiVersion', 'kind', 'metadata']);

interface Place {
  /** Why a default is refused here, as the server words it; `undefined` where one is allowed. */
  readonly forbidden: string | undefined;
  /** The server checks defaults along properties and items only, not below additionalProperties. */
  readonly validated: boolean;
  /** The node is the resource root or an embedded resource: its apiVersion, kind and metadata are meta. */
  readonly resource: boolean;
  /** Inside the apiVersion, kind or metadata of a resource. */
  readonly meta: boolean;
}

/** What evaluates the CEL rules a default must pass (none without it). */
export interface DefaultRules {
  readonly rules?: RuleEvaluator;
  readonly messages?: MessageEvaluator;
}

/**
 * Problems of the defaults in one version's `openAPIV3Schema`, found at `base`. With `cel`, a
 * default must also pass the `x-kubernetes-validations` rules of its node and below, as the
 * server checks defaults with CEL too.
 */
export function defaultProblems(schema: Schema, base: Path, cel: DefaultRules = {}): CrdProblem[] {
  const out: CrdProblem[] = [];
  walk(schema, [...base], { forbidden: undefined, validated: true, resource: true, meta: false }, out, cel);
  return out;
}

function walk(s: Schema, path: Path, place: Place, out: CrdProblem[], cel: DefaultRules, top = true): void {
  const value = s['default'];
  if (value !== undefined) {
    if (place.forbidden !== undefined) {
      problem(out, [...path, 'default'], `\`default\` must not be set ${place.forbidden}`, true);
    } else if (place.validated && value !== null) {
      checkDefault(s, value, [...path, 'default'], out, cel);
    }
  }
  for (const [name, child] of Object.entries(asSchema(s['properties']) ?? {})) {
    const c = asSchema(child);
    if (!c) continue;
    const meta = place.meta || (place.resource && META.has(name));
    const forbidden = top && META.has(name) ? `in top-level ${name}` : place.forbidden;
    path.push('properties', name);
    walk(c, path, { ...place, forbidden, meta, resource: embedded(c) }, out, cel, false);
    path.length -= 2;
  }
  const items = asSchema(s['items']);
  if (items) {
    path.push('items');
    walk(items, path, { ...place, resource: embedded(items) }, out, cel, false);
    path.pop();
  }
  const additional = asSchema(s['additionalProperties']);
  if (additional) {
    // Pruning a map of metadata cannot tell a defaulted key from a real one.
    const forbidden = place.meta
      ? 'inside additionalProperties applying to object metadata'
      : place.forbidden;
    path.push('additionalProperties');
    walk(
      additional,
      path,
      { ...place, forbidden, validated: false, resource: embedded(additional) },
      out,
      cel,
      false,
    );
    path.pop();
  }
}

function embedded(s: Schema): boolean {
  return s['x-kubernetes-embedded-resource'] === true;
}

/**
 * The default must pass the checks of its own node, as a custom resource value would (type, enum,
 * pattern, formats, bounds, required, the nested allOf/anyOf/oneOf/not), and keep no field that
 * pruning would drop (`strict` reports those as additional properties).
 */
function checkDefault(s: Schema, value: unknown, at: Path, out: CrdProblem[], cel: DefaultRules): void {
  const prepared = prepareSchema(s, { strict: true }) as JsonSchema;
  // A rule that cannot be evaluated here does not refuse the default.
  const [first] = interpretSchema(prepared, value, {}, cel).filter(
    (e) => e.keyword !== 'x-kubernetes-validations-skipped',
  );
  if (!first) return;
  const where = first.instancePath === '' ? '' : ` at \`${first.instancePath}\``;
  if (first.keyword === 'additionalProperties') {
    const field = first.params['additionalProperty'];
    problem(
      out,
      at,
      `\`default\` must not have unknown fields${where}: \`${typeof field === 'string' ? field : ''}\` would be pruned`,
    );
  } else {
    problem(
      out,
      at,
      `\`default\` must validate against its own schema${where}: ${first.message ?? first.keyword}`,
    );
  }
}
