import type { Diagnostic, Resource, SpanLocator } from '@shipshape/core';
import {
  compareVersions,
  DEPRECATIONS,
  type Deprecation,
  type JsonSchema,
  type SchemaBundle,
} from './bundle.js';
import { evaluateCelMessage, evaluateCelRule } from './cel-rules.js';
import { crdProblems, crdUpdateProblems } from './crd-rules.js';
import type { CelCompiler } from './crd-validation-rules.js';
import { type CrdSchema, collectCrdSchemas } from './crds.js';
import { embeddedProblems } from './embedded-resources.js';
import { updateProblems } from './immutable-fields.js';
import { interpretSchema, type MessageEvaluator, type RuleEvaluator, type SchemaError } from './interpret.js';
import { metadataProblems } from './object-meta.js';
import { prepareDefinitions } from './prepare-schema.js';
import { describeErrors } from './schema-errors.js';

/** Options of {@link createSchemaValidator} and {@link validateResources}. */
export interface SchemaValidatorOptions {
  /** The Kubernetes schemas to validate against (see `loadKubernetesSchemas`). */
  readonly bundle: SchemaBundle;
  /** Unknown fields are errors. Default `true`. */
  readonly strict?: boolean;
  /** Places diagnostics in the source; without it they carry only a JSON Pointer. */
  readonly locator?: SpanLocator;
  /** CustomResourceDefinitions to use besides those among the validated resources. */
  readonly crds?: readonly Resource[];
  /** Severity of `schema/no-schema` (a custom resource with no CRD anywhere). Default `warning`. */
  readonly missingSchema?: 'error' | 'warning' | 'info' | 'off';
  /**
   * The Kubernetes version (`X.Y`) deprecated and removed APIs are judged against, when it is not
   * the bundle's own: `1.32` validated with the schemas of 1.29, the nearest bundled, still
   * reports what 1.32 no longer serves. Default: the bundle's version.
   */
  readonly kubernetesVersion?: string;
  /**
   * Evaluates the CEL validation rules of CRDs (`x-kubernetes-validations`). Default: the standard
   * CEL of `@marcbachmann/cel-js`, without the Kubernetes libraries; `crdRuleEvaluators` from
   * `@shipshape/policy` adds them, types `self` by the schema and bounds each rule's cost.
   */
  readonly cel?: CelEvaluators;
  /**
   * The objects as they stood before the change being checked (the CLI gives those of the files
   * `--changed-since` finds changed, read at the base ref). A custom resource with the identity of
   * one of them (group, kind, namespace, name) is validated as an update of it: the transition
   * rules of its CRD (rules reading `oldSelf`, such as `self == oldSelf` for an immutable field)
   * run where the old object has a value, as the API server runs them; elsewhere, and on the
   * custom resources it does not hold (created), they are not run. Without it they cannot be
   * evaluated (`schema/cel-not-evaluated`). From Kubernetes 1.30, updates are ratcheted as there:
   * an error at a value the update leaves as it was is dropped (unknown fields, list-type
   * uniqueness, `metadata` and transition rules excepted). A CustomResourceDefinition among them is
   * the one in the cluster: changing its `spec.scope` or `spec.names.kind` is `schema/invalid-crd`.
   */
  readonly previous?: readonly Resource[];
}

/** What evaluates the CEL rules of CRDs and their `messageExpression`s. */
export interface CelEvaluators {
  readonly rules: RuleEvaluator;
  readonly messages: MessageEvaluator;
  /** Why a rule or message expression does not compile (a CRD with one is `schema/invalid-crd`). */
  readonly compile?: CelCompiler;
  /**
   * Called before the rules of each custom resource run: the rules of one object share its
   * runtime cost budget, as on the API server.
   */
  readonly beginObject?: () => void;
}

/** Validates resources one at a time, compiling each kind's schema once, when first needed. */
export interface SchemaValidator {
  /** Diagnostics for one resource (empty when it is valid). */
  validate(resource: Resource): Diagnostic[];
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const CRD_V1 = 'apiextensions.k8s.io/v1/CustomResourceDefinition';

/**
 * Make a validator for one Kubernetes version, the CRDs given and those found among the resources
 * it is asked to validate (pass them in `crds` to have them all known up front).
 *
 * @example
 * ```ts
 * const bundle = await loadKubernetesSchemas('1.33');
 * const validator = createSchemaValidator({ bundle, crds: set.resources, locator: set.locator });
 * const diagnostics = set.resources.flatMap((r) => validator.validate(r));
 * ```
 */
export function createSchemaValidator(options: SchemaValidatorOptions): SchemaValidator {
  const strict = options.strict ?? true;
  const bundle = options.bundle;
  const target = options.kubernetesVersion ?? bundle.version;
  const definitions = definitionsFor(bundle, strict);
  const crds = collectCrdSchemas(options.crds ?? [], {
    strict,
    objectMetaRef: `k8s#/definitions/${OBJECT_META}`,
  });
  const skippedRules = new Set<string>();
  // Validation ratcheting is on by default from 1.30 (beta), GA in 1.33.
  const ratcheting = compareVersions(target, '1.30') >= 0;
  const cel = options.cel ?? { rules: evaluateCelRule, messages: evaluateCelMessage };
  const builtInGroups = new Set(
    Object.keys(bundle.kinds).map((k) => groupOf(k.slice(0, k.lastIndexOf('/')))),
  );
  for (const d of DEPRECATIONS) if (d.component === 'k8s') builtInGroups.add(groupOf(d.apiVersion));
  // One root schema object per definition, so the walker finds the checks it built for it again.
  const roots = new Map<string, JsonSchema>();

  function builtInErrors(definition: string, data: unknown): readonly SchemaError[] {
    let root = roots.get(definition);
    if (!root) {
      root = { $ref: `#/definitions/${definition}` };
      roots.set(definition, root);
    }
    return interpretSchema(root, data, definitions);
  }

  // The previous objects by identity, the last given of each (made at the first look).
  let previous: Map<string, Resource> | undefined;
  function previousOf(resource: Resource): Resource | undefined {
    if (options.previous === undefined || options.previous.length === 0) return undefined;
    if (previous === undefined) {
      previous = new Map();
      for (const r of options.previous) previous.set(identity(r), r);
    }
    return previous.get(identity(resource));
  }

  return {
    validate(resource: Resource): Diagnostic[] {
      const { apiVersion, kind } = resource.id;
      const gvk = `${apiVersion}/${kind}`;
      const out: Diagnostic[] = [];
      const deprecation = findDeprecation(apiVersion, kind);
      if (deprecation?.removedIn && compareVersions(deprecation.removedIn, target) <= 0) {
        out.push(apiDiagnostic(resource, 'api/removed', 'error', deprecation, target));
        return out.map((d) => place(d, options.locator, resource));
      }
      if (deprecation?.deprecatedIn && compareVersions(deprecation.deprecatedIn, target) <= 0) {
        out.push(apiDiagnostic(resource, 'api/deprecated', 'warning', deprecation, target));
      }
      const definition = bundle.kinds[gvk];
      const crd = crds.byGvk.get(gvk);
      if (definition === undefined && !crd) {
        // A built-in API the target version still serves, which the bundle used no longer has
        // (a target older than every bundle): not validated, and said so, rather than unknown.
        const missing =
          deprecation !== undefined && compareVersions(target, bundle.version) < 0
            ? unbundledApi(resource, bundle, target)
            : missingSchema(
                resource,
                builtInGroups.has(resource.id.group),
                crds,
                bundle,
                options.missingSchema ?? 'warning',
              );
        if (missing) out.push(missing);
        return out.map((d) => place(d, options.locator, resource));
      }
      const data = resource.object;
      if (definition === undefined) cel.beginObject?.();
      // With previous objects, the object is an update of its previous one, or created.
      const old = previousOf(resource);
      const errors =
        definition !== undefined
          ? builtInErrors(definition, data)
          : interpretSchema((crd as CrdSchema).schema() as JsonSchema, data, definitions, {
              rules: cel.rules,
              messages: cel.messages,
              ...(options.previous === undefined
                ? {}
                : { update: old === undefined ? false : { old: old.object }, ratcheting }),
            });
      // What the API server checks in metadata beyond the schema's "string" (names, label syntax),
      // and in the resources a custom resource embeds.
      const metaProblems = metadataProblems(resource.id.group, kind, data);
      if (crd && definition === undefined)
        metaProblems.push(...embeddedProblems(crd.schema() as JsonSchema, data));
      for (const p of metaProblems) {
        out.push({
          code: p.code,
          severity: 'error',
          message: p.message,
          resource: resource.id,
          path: p.pointer,
          data: { atKey: p.atKey },
        });
      }
      // What the apiextensions server refuses in a CRD beyond its schema; the CRD still serves
      // its custom resources here, as far as its schema can be read.
      if (gvk === CRD_V1) {
        // As an update of the definition the objects before the change hold, if any.
        const updates = old === undefined ? [] : crdUpdateProblems(data, old.object);
        for (const p of [...crdProblems(data, cel), ...updates]) {
          out.push({
            code: 'schema/invalid-crd',
            severity: 'error',
            message: p.message,
            resource: resource.id,
            path: p.pointer,
            data: { atKey: p.atKey },
          });
        }
      }
      // An update keeps the fields the API server does not let one change.
      if (old !== undefined && definition !== undefined) {
        for (const p of updateProblems(resource.id.group, kind, data, old.object)) {
          out.push({
            code: 'schema/immutable-field',
            severity: 'error',
            message: p.message,
            resource: resource.id,
            path: p.pointer,
          });
        }
      }
      for (const p of describeErrors(errors, data)) {
        const info = p.code === 'schema/cel-not-evaluated';
        // A rule that cannot be evaluated is reported once per kind: the reason is the same each time.
        if (info && skippedRules.has(`${gvk}\u0000${p.message}`)) continue;
        if (info) skippedRules.add(`${gvk}\u0000${p.message}`);
        out.push({
          code: p.code,
          severity: info ? 'info' : 'error',
          message: p.message,
          resource: resource.id,
          path: p.pointer,
          data: { atKey: p.atKey },
        });
      }
      return out.map((d) => place(d, options.locator, resource));
    },
  };
}

const prepared = new WeakMap<SchemaBundle, Map<boolean, Record<string, unknown>>>();

/**
 * The bundle's definitions prepared for one strictness, shared by every validator: the walker keeps
 * the checks it builds per definitions object, so a second check in the same process reuses them.
 */
function definitionsFor(bundle: SchemaBundle, strict: boolean): Record<string, unknown> {
  let byStrict = prepared.get(bundle);
  if (!byStrict) {
    byStrict = new Map();
    prepared.set(bundle, byStrict);
  }
  let definitions = byStrict.get(strict);
  if (!definitions) {
    definitions = prepareDefinitions(bundle.definitions, { strict });
    byStrict.set(strict, definitions);
  }
  return definitions;
}

/**
 * Validate resources against the bundle and the CRDs among them (and in `options.crds`).
 *
 * @example
 * ```ts
 * const diagnostics = validateResources(set.resources, { bundle: await loadKubernetesSchemas('1.33'), locator: set.locator });
 * ```
 */
export function validateResources(
  resources: readonly Resource[],
  options: SchemaValidatorOptions,
): Diagnostic[] {
  const crds = [...(options.crds ?? []), ...resources];
  const validator = createSchemaValidator({ ...options, crds });
  const out: Diagnostic[] = [];
  for (const r of resources) out.push(...validator.validate(r));
  return out;
}

function unbundledApi(resource: Resource, bundle: SchemaBundle, target: string): Diagnostic {
  const { apiVersion, kind } = resource.id;
  return {
    code: 'schema/no-schema',
    severity: 'warning',
    message: `the schemas used (${bundle.version}, the oldest bundled) have no ${kind} in ${apiVersion}, which Kubernetes ${target} may still serve: its fields are not validated`,
    resource: resource.id,
    path: '/kind',
  };
}

function missingSchema(
  resource: Resource,
  builtIn: boolean,
  crds: { readonly kindsByGroup: ReadonlyMap<string, ReadonlySet<string>> },
  bundle: SchemaBundle,
  severity: 'error' | 'warning' | 'info' | 'off',
): Diagnostic | undefined {
  const { apiVersion, kind, group } = resource.id;
  if (builtIn) {
    const versions = Object.keys(bundle.kinds)
      .filter((k) => k.endsWith(`/${kind}`) && groupOf(k.slice(0, k.lastIndexOf('/'))) === group)
      .map((k) => k.slice(0, k.lastIndexOf('/')));
    const known =
      versions.length > 0 ? `; Kubernetes ${bundle.version} serves ${kind} as ${versions.join(', ')}` : '';
    return {
      code: 'schema/unknown-kind',
      severity: 'error',
      message: `Kubernetes ${bundle.version} has no ${kind} in ${apiVersion}${known}`,
      resource: resource.id,
      path: '/kind',
    };
  }
  if (severity === 'off') return undefined;
  const served = crds.kindsByGroup.get(group);
  const why = served
    ? `the CustomResourceDefinitions for ${group} among the checked files do not serve ${kind} in ${apiVersion} (they serve ${[...served].sort().join(', ')})`
    : `no CustomResourceDefinition for ${group || apiVersion} is among the checked files; check the folder that holds it too, or name that folder under \`crds\` in shipshape.yaml`;
  return {
    code: 'schema/no-schema',
    severity,
    message: `${apiVersion} ${kind} was not validated: ${why}`,
    resource: resource.id,
    path: '/apiVersion',
  };
}

function apiDiagnostic(
  resource: Resource,
  code: string,
  severity: 'error' | 'warning',
  d: Deprecation,
  target: string,
): Diagnostic {
  const { apiVersion, kind } = resource.id;
  const use = d.replacement ? `; use ${d.replacement}` : '; it has no replacement';
  const message =
    code === 'api/removed'
      ? `${apiVersion} ${kind} was removed in Kubernetes ${short(d.removedIn)} (target ${target})${use}`
      : `${apiVersion} ${kind} is deprecated since Kubernetes ${short(d.deprecatedIn)}${d.removedIn ? ` and removed in ${short(d.removedIn)}` : ''}${use}`;
  return { code, severity, message, resource: resource.id, path: '/apiVersion', data: { ...d } };
}

const deprecationIndex = new Map(
  DEPRECATIONS.filter((d) => d.component === 'k8s').map((d) => [`${d.apiVersion}/${d.kind}`, d]),
);

function findDeprecation(apiVersion: string, kind: string): Deprecation | undefined {
  return deprecationIndex.get(`${apiVersion}/${kind}`);
}

function place(d: Diagnostic, locator: SpanLocator | undefined, resource?: Resource): Diagnostic {
  const { data, ...rest } = d;
  const atKey = data?.['atKey'] === true;
  const keep = data && !('atKey' in data) ? { data } : {};
  if (!locator || !resource || d.path === undefined) return { ...rest, ...keep };
  const span = locator.locate(resource.source, d.path, { key: atKey });
  return { ...rest, ...keep, ...(span ? { span } : {}) };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function short(version: string | undefined): string {
  return (version ?? '').replace(/^v/, '').replace(/\.0$/, '');
}

/**
 * Who an object is in a cluster: group, kind, namespace and name (a namespaced object written
 * without a namespace is created in `default`, so the two are one).
 */
function identity(resource: Resource): string {
  const { group, kind, namespace, name } = resource.id;
  return `${group}\u0000${kind}\u0000${namespace === '' ? 'default' : namespace}\u0000${name}`;
}
