import type { Environment } from '@marcbachmann/cel-js';
import type { Resource, Severity } from '@shipshape/core';
import type { ResourceFinding } from '../rule.js';
import { celEquals } from './cel-compare.js';
import type { CostMeter } from './cel-cost.js';
import { createTypedVapBase, typedCheck } from './cel-environment.js';
import { SchemaTypes } from './cel-schema-types.js';
import { toCelValue } from './cel-values.js';
import type { CompiledPolicy } from './compile-policy.js';
import { evaluatePolicy, type PolicyOutcome } from './evaluate-policy.js';
import { builtInKind } from './kinds.js';
import { Authorizer } from './lib-authorizer.js';
import {
  type AdmissionTarget,
  type MatchResources,
  matchesSelectors,
  matchRules,
  type Operation,
} from './match-resources.js';
import { type ParamIndex, resolveParams } from './params.js';
import type { BindingModel } from './policy-model.js';
import { VAP_CODES } from './problems.js';
import { prunedObjects } from './pruning.js';
import { type GroupVersionResource, kubernetesMinor } from './served-resources.js';
import {
  admissionTarget,
  admittedObject,
  implicitNamespace,
  isAdmissible,
  isNamespace,
  type KindCatalog,
  labelsOf,
  type NamespaceFacts,
  namespaceFacts,
  requestObject,
} from './targets.js';
import {
  definedKindSchemas,
  fieldProblem,
  type KindSchemas,
  NAMESPACE_SCHEMAS,
  REQUEST_SCHEMAS,
} from './type-check.js';

/** Everything one run needs besides the resources. */
export interface AdmissionRun {
  readonly env: Environment;
  readonly meter: CostMeter;
  readonly kubernetesVersion: string;
  readonly report: (finding: ResourceFinding) => void;
  /** The built-in kinds' schemas, to check the fields expressions select as the API server does. */
  readonly schemas?: KindSchemas | undefined;
  /**
   * The objects as they stood before the change (see `AdmissionPolicyRuleOptions.previous`): a
   * resource with the identity of one of them is judged as an UPDATE of it, and one no resource
   * has the identity of as a DELETE.
   */
  readonly previous?: readonly Resource[] | undefined;
}

/**
 * A clone of `env` with `variables` declared as an object whose fields have the types given
 * (`map<string, dyn>` while there are none).
 */
function typedVariables(env: Environment, types: ReadonlyMap<string, string>): Environment {
  const out = env.clone();
  // Variables are read by their own names (no escaping): an identifier each, or none is typed;
  // cel-js cannot declare a field named `__proto__`.
  const fields = [...types];
  const typeable = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name !== '__proto__';
  if (fields.length === 0 || !fields.every(([name]) => typeable(name))) {
    out.registerVariable('variables', 'map<string, dyn>');
    return out;
  }
  try {
    out.registerType({ name: 'kubernetes.variables', schema: Object.fromEntries(fields) });
    out.registerVariable('variables', 'kubernetes.variables');
    return out;
  } catch {
    // A type cel-js cannot declare as a field: the variables stay untyped.
    const untyped = env.clone();
    untyped.registerVariable('variables', 'map<string, dyn>');
    return untyped;
  }
}

/** A kind's schema for the type check: `schemas.kinds[key]`, shown as `apps/v1 Deployment`. */
interface TypedKind {
  readonly schemas: KindSchemas;
  readonly key: string;
  readonly shown: string;
}

/** At most this many kinds are type-checked per policy (the API server's `maxTypesToCheck`). */
const MAX_TYPES_TO_CHECK = 10;

/** A binding that applies, with its compiled policy and the severity of its actions. */
export interface ActiveBinding {
  readonly binding: BindingModel;
  readonly policy: CompiledPolicy;
  readonly severity: Severity;
}

/** A binding whose policy and own rules match a request, and the version the policy's matched. */
interface Candidate {
  readonly active: ActiveBinding;
  readonly matched: GroupVersionResource;
}

/** Judges resources one by one, keeping what several of them share (namespaces, params). */
export class Judge {
  readonly #run: AdmissionRun;
  readonly #catalog: KindCatalog;
  readonly #params: ParamIndex;
  readonly #namespaceResources: ReadonlyMap<string, Resource>;
  readonly #namespaces = new Map<string, NamespaceFacts>();
  readonly #paramObjects = new Map<Resource, unknown>();
  readonly #authorizer = new Authorizer();
  readonly #minor: number;
  // Policies already type-checked against a kind (`name\0apps/v1/Deployment`): each pair once;
  // `name\0params` once the policy's params have been.
  readonly #typeChecked = new Set<string>();
  // The schema of each kind the type check has looked for (`undefined`: none known).
  readonly #kindSchemas = new Map<string, TypedKind | undefined>();
  // Environments typing the variables by schema, by kind and paramKind (see #typedEnvironment).
  readonly #typedEnvironments = new Map<string, Environment | undefined>();
  #typedBase: Environment | undefined;
  #resourceKinds: ReadonlyMap<string, string> | undefined;
  // The previous objects by group, kind and name (see #previousOf), made at the first look.
  #previous: Map<string, Resource[]> | undefined;

  constructor(
    run: AdmissionRun,
    catalog: KindCatalog,
    params: ParamIndex,
    namespaces: ReadonlyMap<string, Resource>,
  ) {
    this.#run = run;
    this.#catalog = catalog;
    this.#params = params;
    this.#namespaceResources = namespaces;
    this.#minor = kubernetesMinor(run.kubernetesVersion);
  }

  /**
   * The API server type-checks a policy's expressions against the schema of each kind its
   * matchConstraints name (a built-in kind's, or the CustomResourceDefinition's), with `params`
   * typed by the schema of its paramKind, and writes what it finds as warnings in the policy's
   * status: fields `object` or `params` does not have, then values no operator or function takes.
   * Here for one kind (see {@link typeCheck}); `params`' fields once per policy.
   */
  #typeCheck(policy: CompiledPolicy, group: string, version: string, kind: string): void {
    const key = group === '' ? `${version}/${kind}` : `${group}/${version}/${kind}`;
    const once = `${policy.model.name}\u0000${key}`;
    if (this.#typeChecked.has(once)) return;
    this.#typeChecked.add(once);
    const objectSchemas = this.#schemasOf(group, version, kind);
    const paramKind = policy.model.paramKind;
    const paramsTyped =
      paramKind === undefined ? undefined : this.#paramSchemas(paramKind.apiVersion, paramKind.kind);
    // The params' fields are the same whatever the kind: checked with the first kind only.
    const paramsOnce = `${policy.model.name}\u0000params`;
    const paramSchemas = this.#typeChecked.has(paramsOnce) ? undefined : paramsTyped;
    this.#typeChecked.add(paramsOnce);
    if (objectSchemas === undefined && paramSchemas === undefined) return;
    // The values' types, once the fields are known to exist: with the kind's schema, as the API
    // server checks each kind (a kind without a known schema is not checked there either).
    const kindEnv = objectSchemas && this.#typedEnvironment(objectSchemas, paramsTyped);
    // `variables` is typed as the API server types it: each variable by its expression's type,
    // for the expressions after it.
    const variableTypes = new Map<string, string>();
    let typed: Environment | undefined;
    const withVariables = (): Environment | undefined => {
      if (kindEnv === undefined) return undefined;
      typed ??= typedVariables(kindEnv, variableTypes);
      return typed;
    };
    const expressions = [
      ...policy.matchConditions.map((m) => [m.entry.path, m.compiled, undefined] as const),
      ...policy.variables.map((v) => [v.entry.path, v.compiled, v.entry.name] as const),
      ...policy.validations.flatMap((v) => [
        [v.entry.path, v.compiled, undefined] as const,
        ...(v.entry.messageExpression
          ? [[v.entry.messageExpression.path, v.message, undefined] as const]
          : []),
      ]),
      ...policy.auditAnnotations.map((a) => [a.entry.path, a.compiled, undefined] as const),
    ];
    for (const [path, compiled, variable] of expressions) {
      const reported = new Set<string>();
      for (const [root = 'object', ...fields] of compiled?.facts.typedPaths ?? []) {
        const schema =
          root === 'object' || root === 'oldObject'
            ? objectSchemas
            : root === 'params'
              ? paramSchemas
              : undefined;
        const problem = schema && fieldProblem(schema.schemas, schema.key, fields, root);
        // One expression reading a field twice (`has(x) && x > 1`) gets one warning.
        if (schema === undefined || problem === undefined || reported.has(problem)) continue;
        reported.add(problem);
        const whose = root === 'params' ? `, the policy's paramKind` : '';
        this.#run.report({
          resource: policy.model.resource,
          path,
          message: `${problem} in the schema of ${schema.shown}${whose}: the API server's type check warns about this expression in the policy's status`,
          code: VAP_CODES.typeWarning,
          severity: 'warning',
          data: { policy: policy.model.name, kind: schema.key },
        });
      }
      const env = withVariables();
      const checked = env && reported.size === 0 && compiled ? typedCheck(env, compiled) : undefined;
      if (variable !== undefined) {
        variableTypes.set(variable, checked?.type ?? 'dyn');
        typed = undefined;
      }
      const problem = checked?.problem;
      // The same mistake met again with another kind (one in params, say) is said once.
      const said = `${policy.model.name}\u0000${path}\u0000${problem}`;
      if (objectSchemas === undefined || problem === undefined || this.#typeChecked.has(said)) continue;
      this.#typeChecked.add(said);
      const params = paramsTyped === undefined ? '' : ` and params as ${paramsTyped.shown}`;
      this.#run.report({
        resource: policy.model.resource,
        path,
        message: `${problem}, with object typed as ${objectSchemas.shown}${params}: the API server's type check warns about this expression in the policy's status`,
        code: VAP_CODES.typeWarning,
        severity: 'warning',
        data: { policy: policy.model.name, kind: objectSchemas.key },
      });
    }
  }

  /**
   * Type-check a policy against each kind its rules name, as the API server does when the policy
   * is written, whether or not the repository has objects of the kind: rules with a wildcard
   * (`*`) are skipped, subresources too, and at most ten kinds are checked, the first in the order
   * of the rules and, within one, of their sorted groups, versions and resources. A kind is known
   * from the repository's CustomResourceDefinitions, else from the built-in kinds' schemas.
   */
  typeCheck(policy: CompiledPolicy): void {
    if (policy.broken) return;
    let count = 0;
    for (const rule of policy.model.match?.resourceRules ?? []) {
      const { apiGroups, apiVersions, resources } = rule;
      if ([...apiGroups, ...apiVersions, ...resources].some((x) => x.includes('*'))) continue;
      for (const group of [...apiGroups].sort()) {
        for (const version of [...apiVersions].sort()) {
          for (const resource of [...resources].sort()) {
            if (resource.includes('/') || count >= MAX_TYPES_TO_CHECK) continue;
            const kind = this.#kindOf(group, version, resource);
            if (kind === undefined) continue;
            count++;
            this.#typeCheck(policy, group, version, kind);
          }
        }
      }
    }
  }

  /** The kind `resource` is in `group/version`: a CustomResourceDefinition's, else a built-in's. */
  #kindOf(group: string, version: string, resource: string): string | undefined {
    const defined = this.#catalog.definitionOfResource(group, resource);
    if (defined !== undefined)
      return defined.versions === undefined || defined.versions.some((v) => v.name === version)
        ? defined.kind
        : undefined;
    return this.#builtInResources().get(`${group}/${version}/${resource}`);
  }

  /** The built-in kinds the schemas have, by `group/version/resource` (made once). */
  #builtInResources(): ReadonlyMap<string, string> {
    if (this.#resourceKinds !== undefined) return this.#resourceKinds;
    const out = new Map<string, string>();
    for (const key of Object.keys(this.#run.schemas?.kinds ?? {})) {
      const parts = key.split('/');
      const [group, version, kind] = parts.length === 2 ? ['', ...parts] : parts;
      const resource =
        group !== undefined && kind !== undefined ? builtInKind(group, kind)?.resource : undefined;
      if (resource !== undefined) out.set(`${group}/${version}/${resource}`, kind as string);
    }
    this.#resourceKinds = out;
    return out;
  }

  /**
   * A clone of the typed base environment whose `object` and `oldObject` have the kind's type,
   * `params` its paramKind's (else `dyn`), `request` and `namespaceObject` theirs; one per pair.
   */
  #typedEnvironment(objectKind: TypedKind, paramKind: TypedKind | undefined): Environment | undefined {
    const key = `${objectKind.key}\u0000${paramKind?.key ?? ''}`;
    if (this.#typedEnvironments.has(key)) return this.#typedEnvironments.get(key);
    this.#typedBase ??= createTypedVapBase(this.#run.meter);
    let env: Environment | undefined = this.#typedBase.clone();
    try {
      const types = new SchemaTypes(env);
      const objectType = types.kindType(objectKind.schemas, objectKind.key);
      env.registerVariable('object', objectType);
      env.registerVariable('oldObject', objectType);
      env.registerVariable('params', paramKind ? types.kindType(paramKind.schemas, paramKind.key) : 'dyn');
      env.registerVariable('request', types.kindType(REQUEST_SCHEMAS, 'request'));
      env.registerVariable('namespaceObject', types.kindType(NAMESPACE_SCHEMAS, 'namespaceObject'));
    } catch {
      // A schema cel-js cannot declare (a CustomResourceDefinition's odd names): values stay untyped.
      env = undefined;
    }
    this.#typedEnvironments.set(key, env);
    return env;
  }

  /**
   * The schema a kind has, as the type check finds it: the repository's CustomResourceDefinition
   * of the kind, else the built-in kinds' schemas (when the run has them).
   */
  #schemasOf(group: string, version: string, kind: string): TypedKind | undefined {
    const key = group === '' ? `${version}/${kind}` : `${group}/${version}/${kind}`;
    if (this.#kindSchemas.has(key)) return this.#kindSchemas.get(key);
    const shown = `${group === '' ? '' : `${group}/`}${version} ${kind}`;
    const definition = this.#catalog.definition(group, kind);
    const builtIn = this.#run.schemas;
    let schemas: KindSchemas | undefined;
    if (definition !== undefined) {
      // A definition without a schema for the version types nothing: its objects are `dyn`.
      const source = definition.source;
      schemas = source && definedKindSchemas(source.object, version, key, builtIn);
    } else if (builtIn !== undefined && Object.hasOwn(builtIn.kinds, key)) {
      schemas = builtIn;
    }
    const typed = schemas === undefined ? undefined : { schemas, key, shown };
    this.#kindSchemas.set(key, typed);
    return typed;
  }

  /** The schema of a policy's paramKind (`apiVersion`, `kind`), when known. */
  #paramSchemas(apiVersion: string, kind: string): TypedKind | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    return version === '' || kind === '' ? undefined : this.#schemasOf(group, version, kind);
  }

  /**
   * Evaluate every binding whose rules and selectors match `resource`: as an UPDATE of its previous
   * object when the run has one with its identity, else as a CREATE. A resource written exactly as
   * its previous object is not admitted at all: a sync sends nothing for it.
   */
  admit(resource: Resource, active: readonly ActiveBinding[]): void {
    const target = admissionTarget(resource, this.#catalog, this.#minor);
    // The API server refuses an object in a version it does not serve before any admission.
    if (!target.served) return;
    const old = this.#previousOf(target);
    // `kubectl apply` sends no patch when there is nothing to change, and Argo CD and Flux leave
    // objects in sync alone: no request, so no policy sees it.
    if (old !== undefined && celEquals(old.resource.object, resource.object)) return;
    this.#judge(resource, target, old === undefined ? 'CREATE' : 'UPDATE', true, old, active);
  }

  /**
   * The previous objects that none of `resources` (the run's admissible resources) has the
   * identity after defaulting and conversion: those a sync that prunes deletes (see
   * {@link prunedObjects}).
   */
  deletedAmong(resources: readonly Resource[]): Resource[] {
    const previous = this.#run.previous ?? [];
    if (previous.length === 0) return [];
    return prunedObjects(previous, resources, (r) => {
      if (!isAdmissible(r) || r.id.name === '') return undefined;
      const t = admissionTarget(r, this.#catalog, this.#minor);
      return `${t.group}\u0000${t.kind}\u0000${t.namespace}\u0000${t.name}`;
    });
  }

  /**
   * Evaluate every binding whose rules and selectors match the DELETE of `old`: `object` is null,
   * `oldObject` the object, and findings sit on it, where the previous objects were read.
   */
  admitDeletion(old: Resource, active: readonly ActiveBinding[]): void {
    const target = admissionTarget(old, this.#catalog, this.#minor);
    if (!target.served) return;
    this.#judge(old, target, 'DELETE', false, { resource: old, target }, active);
  }

  /**
   * One request: the resource's object unless `withObject` is false (a DELETE), and the object it
   * replaces or deletes. The object is read only once some binding's rules match the request: a
   * resource whose file is done is read from it again, and most resources of a repository match
   * no policy (the kyverno policies in the corpus: 1.4 s a run went to reading them all again).
   */
  #judge(
    resource: Resource,
    target: AdmissionTarget,
    operation: Operation,
    withObject: boolean,
    old: { readonly resource: Resource; readonly target: AdmissionTarget } | undefined,
    active: readonly ActiveBinding[],
  ): void {
    // The policy's rules decide the version the request is matched as (the API server's
    // `DefinitionMatches`); a binding's own rules only narrow which requests it sees.
    const candidates: Candidate[] = [];
    for (const a of active) {
      const matched = a.policy.model.match && matchRules(a.policy.model.match, target, operation);
      if (matched && (a.binding.match === undefined || matchRules(a.binding.match, target, operation)))
        candidates.push({ active: a, matched });
    }
    if (candidates.length === 0) return;
    const object = withObject ? resource.object : undefined;
    const labels = object === undefined ? undefined : labelsOf(object);
    const oldLabels = old === undefined ? undefined : labelsOf(old.resource.object);
    const namespace = target.namespaced ? this.#namespace(target.namespace) : undefined;
    const namespaceLabels = isNamespace(resource)
      ? namespaceFacts(target.name, object ?? resource.object).labels
      : namespace?.labels;
    // The object (and the old one) as each matched version sees it, made once per version.
    const admitted = new Map<string, unknown>();
    const admittedOld = new Map<string, unknown>();
    for (const { active, matched } of candidates) {
      const { policy, binding } = active;
      const selected =
        matchesSelectors(policy.model.match as MatchResources, labels, namespaceLabels, oldLabels) &&
        (binding.match === undefined || matchesSelectors(binding.match, labels, namespaceLabels, oldLabels));
      if (!selected || policy.broken) continue;
      const version = `${matched.group}/${matched.version}`;
      if (object !== undefined && !admitted.has(version))
        admitted.set(version, admittedObject(object, target, matched));
      if (old !== undefined && !admittedOld.has(version))
        admittedOld.set(version, admittedObject(old.resource.object, old.target, matched));
      const input = {
        object: object === undefined ? null : admitted.get(version),
        oldObject: old === undefined ? null : admittedOld.get(version),
        request: requestObject(target, matched, operation),
        namespaceObject: namespace?.object ?? null,
        authorizer: this.#authorizer,
      };
      const resolution = resolveParams(policy.model.paramKind, binding, target, this.#params, this.#catalog);
      if (resolution.kind === 'none-needed') {
        this.#report(
          resource,
          active,
          evaluatePolicy(policy, { ...input, params: null }, this.#run.meter),
          undefined,
          operation,
        );
      } else if (resolution.kind === 'found') {
        for (const param of resolution.params) {
          const outcomes = evaluatePolicy(
            policy,
            { ...input, params: this.#paramObject(param) },
            this.#run.meter,
          );
          this.#report(resource, active, outcomes, param, operation);
        }
      } else if (resolution.kind === 'error' || binding.paramRef?.notFound !== 'Allow') {
        const message =
          resolution.kind === 'error'
            ? resolution.message
            : `${resolution.description} for binding ${binding.name}`;
        this.#report(
          resource,
          active,
          [{ kind: 'error', where: 'paramRef', message, costLimit: false }],
          undefined,
          operation,
        );
      }
    }
  }

  /**
   * The previous object with the request's identity (group, kind, namespace as admitted, name),
   * the last given when there are two; `undefined` when there is none
   * (the change adds it). A previous object without a name matches nothing.
   */
  #previousOf(target: AdmissionTarget): { resource: Resource; target: AdmissionTarget } | undefined {
    const previous = this.#run.previous;
    if (previous === undefined || previous.length === 0 || target.name === '') return undefined;
    if (this.#previous === undefined) {
      this.#previous = new Map();
      for (const r of previous) {
        if (r.id.name === '' || r.id.kind === '') continue;
        const key = `${r.id.group}\u0000${r.id.kind}\u0000${r.id.name}`;
        const list = this.#previous.get(key);
        if (list) list.push(r);
        else this.#previous.set(key, [r]);
      }
    }
    const list = this.#previous.get(`${target.group}\u0000${target.kind}\u0000${target.name}`);
    for (let i = (list?.length ?? 0) - 1; i >= 0; i--) {
      const resource = list?.[i] as Resource;
      const oldTarget = admissionTarget(resource, this.#catalog, this.#minor);
      if (oldTarget.namespace === target.namespace) return { resource, target: oldTarget };
    }
    return undefined;
  }

  #namespace(name: string): NamespaceFacts {
    let facts = this.#namespaces.get(name);
    if (!facts) {
      const resource = this.#namespaceResources.get(name);
      facts = resource ? namespaceFacts(name, resource.object) : implicitNamespace(name);
      this.#namespaces.set(name, facts);
    }
    return facts;
  }

  #paramObject(param: Resource): unknown {
    if (!this.#paramObjects.has(param)) this.#paramObjects.set(param, toCelValue(param.object));
    return this.#paramObjects.get(param);
  }

  #report(
    resource: Resource,
    active: ActiveBinding,
    outcomes: readonly PolicyOutcome[],
    param: Resource | undefined,
    operation: Operation,
  ): void {
    const { policy, binding, severity } = active;
    const base = {
      policy: policy.model.name,
      binding: binding.name,
      actions: binding.actions,
      ...(param
        ? { param: param.id.namespace ? `${param.id.namespace}/${param.id.name}` : param.id.name }
        : {}),
      // Said only for an UPDATE or DELETE: a CREATE is what every finding was before previous objects.
      ...(operation === 'CREATE' ? {} : { operation }),
    };
    // A finding on a deleted object sits in a file the change removed it from: the message says so.
    const deleted =
      operation === 'DELETE'
        ? ` (on the DELETE of ${resource.id.kind} ${resource.id.namespace ? `${resource.id.namespace}/` : ''}${resource.id.name}, which the checked files no longer have)`
        : '';
    const code = `vap/${policy.model.name}`;
    for (const outcome of outcomes) {
      if (outcome.kind === 'violation') {
        const { entry, pointer } = outcome.validation;
        const data = {
          ...base,
          validation: entry.index,
          expression: entry.expression,
          ...(entry.reason ? { reason: entry.reason } : {}),
        };
        const message = `${outcome.message}${deleted}`;
        this.#run.report({ resource, path: pointer, message, code, severity, data });
      } else if (policy.model.failurePolicy === 'Fail' || outcome.wrongType) {
        const message = `${outcome.where} could not be evaluated: ${outcome.message}${deleted}`;
        const { auditAnnotation } = outcome;
        const data = {
          ...base,
          error: outcome.where,
          ...(outcome.costLimit ? { costLimit: true } : {}),
          ...(auditAnnotation ? { auditAnnotation: auditAnnotation.key } : {}),
        };
        // The API server denies for an auditAnnotation whatever the binding's validationActions.
        const level = auditAnnotation ? 'error' : severity;
        this.#run.report({ resource, path: '', message, code, severity: level, data });
      }
    }
  }
}
