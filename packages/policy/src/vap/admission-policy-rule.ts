import type { Resource } from '@shipshape/core';
import type { Rule } from '../rule.js';
import { CostMeter, DEFAULT_COST_BUDGET } from './cel-cost.js';
import { createVapEnvironment } from './cel-environment.js';
import { VAP_DOCS } from './docs.js';
import { isBinding, isPolicy } from './policy-model.js';
import { runAdmission } from './run-admission.js';
import { type DefinitionFacts, definitionFacts, isDefinition } from './targets.js';
import type { KindSchemas } from './type-check.js';

/** Options of {@link admissionPolicyRule}. */
export interface AdmissionPolicyRuleOptions {
  /**
   * Policies, bindings and params from outside the repository (`--policy FILE`). They are not
   * themselves judged as admission requests.
   */
  readonly extraResources?: readonly Resource[];
  /**
   * Evaluate the policies and bindings found among the checked resources (default `true`). With
   * `false` only those of `extraResources` run; the repository's own are checked as ordinary
   * resources, as a cluster without them would admit them.
   */
  readonly repositoryPolicies?: boolean;
  /** The Kubernetes version the policies are compiled for, `X.Y`. Default: the engine's target. */
  readonly kubernetesVersion?: string;
  /**
   * Units one expression may spend (list and map elements visited, sizes of what `+` joins); one
   * policy evaluation may spend ten times that. Default 1,000,000, as the API server's per-call limit.
   */
  readonly costBudget?: number;
  /**
   * The OpenAPI schemas of the built-in kinds (`loadKubernetesSchemas(version)` of
   * `@shipshape/schema` gives them). With them, the fields an expression selects from `object` are
   * checked against the schema of each kind a policy's rules name, as the API server's type check
   * does when the policy is written: `vap/type-warning` for a field the kind does not have
   * (`object.spec.replicass`), and `params` against the schema of the policy's paramKind. Without
   * them, the fields of built-in kinds are only known when expressions run; kinds defined by a
   * CustomResourceDefinition among the resources are checked against its schema either way.
   */
  readonly schemas?: KindSchemas;
  /**
   * The objects as they stood before the change being checked (the CLI gives those of the files
   * `--changed-since` finds changed, read at the base ref). A resource with the identity of one of
   * them (group, kind, namespace, name) is judged as the UPDATE a sync would send: `oldObject` is
   * that object, `request.operation` is `UPDATE`, rules must name `UPDATE` (or `*`) to match, and
   * an object selector passes when it selects either object; one written exactly as its previous
   * object is not admitted at all (a sync sends nothing for it). Every other resource is a CREATE.
   * A previous object no resource has the identity of (and that admission policies apply to) is
   * judged as the DELETE a pruning sync sends: `object` null, `oldObject` the object, rules naming
   * `DELETE`, the object selector on its labels; findings sit on the previous object (its `source`
   * places them). Default: none, so every resource is a CREATE.
   */
  readonly previous?: readonly Resource[];
}

/**
 * A rule that evaluates the ValidatingAdmissionPolicies and bindings found among the resources
 * (and `extraResources`) on every other resource, offline, as CREATE requests (UPDATE requests
 * for those with a `previous` object). It keeps each
 * resource it is shown and does its work in `finish`, so file order does not matter. Violations
 * are reported as `vap/<policy-name>`; see its docs for the other codes.
 *
 * @example
 * ```ts
 * const engine = createPolicyEngine({ rules: [admissionPolicyRule()], kubernetesVersion: '1.33' });
 * const diagnostics = [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
 * ```
 */
export function admissionPolicyRule(options: AdmissionPolicyRuleOptions = {}): Rule {
  const meter = new CostMeter(options.costBudget ?? DEFAULT_COST_BUDGET);
  let env: ReturnType<typeof createVapEnvironment> | undefined;
  let seen: Resource[] = [];
  let definitions: DefinitionFacts[] = [];
  // Whether a policy or binding is among `seen`: asked here while the resource is at hand, rather
  // than of all of them again in `finish` (CPU profile: 8–11 ms a run on 30,000 resources).
  let seenConfig = false;
  return {
    id: 'vap',
    category: 'admission',
    severity: 'error',
    docs: VAP_DOCS,
    check(resource) {
      seen.push(resource);
      if (!seenConfig && isAdmissionConfig(resource)) seenConfig = true;
      // What a CRD defines is read now: its object is large to read again at the end.
      if (isDefinition(resource)) {
        const facts = definitionFacts(resource);
        if (facts) definitions.push(facts);
      }
    },
    finish(context) {
      const resources = seen;
      const defined = definitions;
      const configured = seenConfig;
      seen = [];
      definitions = [];
      seenConfig = false;
      const extra = options.extraResources ?? [];
      const fromRepository = options.repositoryPolicies ?? true;
      // Always on in the CLI: without a policy or binding anywhere there is nothing to do.
      if (!(fromRepository && configured) && !extra.some(isAdmissionConfig)) return;
      env ??= createVapEnvironment(meter);
      runAdmission(
        resources,
        extra,
        {
          env,
          meter,
          kubernetesVersion: options.kubernetesVersion ?? context.kubernetesVersion,
          report: (finding) => context.report(finding),
          schemas: options.schemas,
          previous: options.previous,
        },
        defined,
        fromRepository,
      );
    },
  };
}

function isAdmissionConfig(resource: Resource): boolean {
  return isPolicy(resource) || isBinding(resource);
}
