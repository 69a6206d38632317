import type { Resource } from '@shipshape/core';
import { prepareSchema } from './prepare-schema.js';

/** The schema of one served version of a CustomResourceDefinition. */
export interface CrdSchema {
  /** The prepared JSON Schema (root accepts apiVersion, kind and metadata), prepared on first use. */
  schema(): object;
  readonly crd: Resource;
}

/** What the CRDs among some resources provide. */
export interface CrdSchemas {
  /** `group/version/Kind` → schema. */
  readonly byGvk: ReadonlyMap<string, CrdSchema>;
  /** group → kinds it serves, for messages. */
  readonly kindsByGroup: ReadonlyMap<string, ReadonlySet<string>>;
}

const CRD_VERSIONS = new Set(['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1']);

/**
 * Collect the schemas of every CustomResourceDefinition (v1, and the removed v1beta1) among
 * `resources`, per served version. A version without a schema accepts anything (as the API
 * server does with `x-kubernetes-preserve-unknown-fields`). The schemas keep their
 * `x-kubernetes-list-type`s, so duplicates in `set` and `map` lists are reported, as the
 * apiextensions server rejects them.
 */
export function collectCrdSchemas(
  resources: readonly Resource[],
  options: { readonly strict: boolean; readonly objectMetaRef: string },
): CrdSchemas {
  const byGvk = new Map<string, CrdSchema>();
  const kindsByGroup = new Map<string, Set<string>>();
  for (const crd of resources) {
    if (crd.id.kind !== 'CustomResourceDefinition' || !CRD_VERSIONS.has(crd.id.apiVersion)) continue;
    const spec = asObject(crd.object['spec']);
    const group = typeof spec?.['group'] === 'string' ? spec['group'] : undefined;
    const kind = asObject(spec?.['names'])?.['kind'];
    // v1beta1 CRDs (removed in 1.22, reported as such) may name one `version` and one
    // `validation` schema for all versions; their custom resources are still checked against it.
    const shared = asObject(asObject(spec?.['validation'])?.['openAPIV3Schema']);
    const versions =
      spec?.['versions'] ??
      (typeof spec?.['version'] === 'string' ? [{ name: spec['version'], served: true }] : undefined);
    if (!group || typeof kind !== 'string' || !Array.isArray(versions)) continue;
    versions.forEach((entry: unknown) => {
      const version = asObject(entry);
      const name = version?.['name'];
      if (!version || typeof name !== 'string' || version['served'] === false) return;
      const gvk = `${group}/${name}/${kind}`;
      if (byGvk.has(gvk)) return;
      const raw = asObject(asObject(version['schema'])?.['openAPIV3Schema']) ??
        shared ?? {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        };
      let prepared: object | undefined;
      byGvk.set(gvk, { schema: () => (prepared ??= rootSchema(raw, options)), crd });
      const kinds = kindsByGroup.get(group) ?? new Set<string>();
      kindsByGroup.set(group, kinds);
      kinds.add(`${kind} in ${group}/${name}`);
    });
  }
  return { byGvk, kindsByGroup };
}

function rootSchema(
  raw: Record<string, unknown>,
  options: { strict: boolean; objectMetaRef: string },
): object {
  const prepared = prepareSchema(raw, { strict: options.strict, listTypes: true }) as Record<string, unknown>;
  const properties = (prepared['properties'] as Record<string, unknown> | undefined) ?? {};
  // The API server owns apiVersion, kind and metadata of every custom resource.
  return {
    ...prepared,
    type: 'object',
    properties: {
      ...properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: options.objectMetaRef },
      // (a `#/definitions/…` reference resolves against the bundle's definitions)
    },
  };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
