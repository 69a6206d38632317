import type { Environment } from '@marcbachmann/cel-js';
import { pointerToken } from '../workloads.js';
import type { AuditAnnotation } from './audit-annotations.js';
import { type CompiledExpression, compileExpression, type ExpectedType } from './cel-environment.js';
import type { NamedExpression, PolicyExpression, PolicyModel, Validation } from './policy-model.js';
import type { Problem } from './problems.js';
import { fieldProblem, type KindSchemas, NAMESPACE_SCHEMAS, REQUEST_SCHEMAS } from './type-check.js';

// The variables the API server declares with a type, and their schemas.
const TYPED_VARIABLES: Readonly<
  Record<string, { readonly schemas: KindSchemas; readonly type: string } | undefined>
> = {
  request: { schemas: REQUEST_SCHEMAS, type: 'kubernetes.AdmissionRequest' },
  namespaceObject: { schemas: NAMESPACE_SCHEMAS, type: 'kubernetes.Namespace' },
};

/** A policy expression with its program, or none when it does not compile. */
export interface CompiledEntry<T extends PolicyExpression> {
  readonly entry: T;
  readonly compiled: CompiledExpression | undefined;
}

export interface CompiledValidation extends CompiledEntry<Validation> {
  readonly message: CompiledExpression | undefined;
  /** Where a violation points in the resource: the fields the expression reads, if one place. */
  readonly pointer: string;
}

/** A policy whose expressions are compiled once, to be evaluated on many resources. */
export interface CompiledPolicy {
  readonly model: PolicyModel;
  /** Set when a matchCondition does not compile: the policy is then not evaluated at all. */
  readonly broken: boolean;
  readonly matchConditions: readonly CompiledEntry<NamedExpression>[];
  readonly variables: readonly CompiledEntry<NamedExpression>[];
  readonly validations: readonly CompiledValidation[];
  /** Left without a program when it does not compile or reads a variable that does not. */
  readonly auditAnnotations: readonly CompiledEntry<AuditAnnotation>[];
  /** Compile errors, on the policy: `vap/invalid-policy`. */
  readonly problems: readonly Problem[];
}

/**
 * Compile every expression of a policy, as the API server does when the policy is written: syntax
 * and types, the type each must give, variables used before they are defined, libraries the target
 * version lacks, regular expressions. An expression that does not compile is reported here once;
 * a validation or auditAnnotation that does not compile (or reads a variable that does not) is left
 * out when resources are judged, rather than failing every one of them.
 */
export function compilePolicy(
  model: PolicyModel,
  env: Environment,
  kubernetesVersion: string,
): CompiledPolicy {
  const problems: Problem[] = [];
  // Variables defined as a field path (`object.spec.containers`), for the type check of later uses.
  const variablePaths = new Map<string, readonly string[]>();
  const compile = (item: PolicyExpression, expected: ExpectedType, allowed: ReadonlySet<string> | 'none') => {
    const result = compileExpression(env, item.expression, expected, kubernetesVersion, variablePaths);
    if (!result.ok) {
      problems.push(
        result.unsupported
          ? { path: item.path, message: result.message, unsupported: true }
          : { path: item.path, message: `CEL: ${result.message}` },
      );
      return undefined;
    }
    // `request` and `namespaceObject` are typed in the API server: a field they lack does not compile.
    for (const [root = '', ...fields] of result.compiled.facts.typedPaths) {
      const typed = Object.hasOwn(TYPED_VARIABLES, root) ? TYPED_VARIABLES[root] : undefined;
      const problem = typed && fieldProblem(typed.schemas, root, fields, root);
      if (typed === undefined || problem === undefined) continue;
      problems.push({ path: item.path, message: `CEL: ${problem} (${root} is a ${typed.type})` });
      return undefined;
    }
    // `params` is declared only for a policy with a paramKind.
    if (result.compiled.facts.readsParams && model.paramKind === undefined) {
      problems.push({
        path: item.path,
        message: "CEL: undeclared reference to 'params': the policy has no paramKind",
      });
      return undefined;
    }
    const used = [...result.compiled.facts.variables].sort();
    const unknown = allowed === 'none' ? used : used.filter((name) => !allowed.has(name));
    if (unknown.length > 0) {
      const why =
        allowed === 'none' ? 'matchConditions cannot use variables' : 'no such variable before this point';
      problems.push({ path: item.path, message: `CEL: variables.${unknown[0]}: ${why}` });
      return undefined;
    }
    return result.compiled;
  };

  const matchConditions = model.matchConditions.map((entry) => ({
    entry,
    compiled: compile(entry, 'bool', 'none'),
  }));
  const defined = new Set<string>();
  const valid = new Set<string>();
  const variables = model.variables.map((entry) => {
    const compiled = compile(entry, 'any', defined);
    defined.add(entry.name);
    const usable = compiled !== undefined && [...compiled.facts.variables].every((name) => valid.has(name));
    if (usable) valid.add(entry.name);
    const path = compiled?.facts.wholePath;
    if (path !== undefined) variablePaths.set(entry.name, path);
    return { entry, compiled: usable ? compiled : undefined };
  });
  const validations = model.validations.map((entry): CompiledValidation => {
    const compiled = compile(entry, 'bool', defined);
    const message = entry.messageExpression ? compile(entry.messageExpression, 'string', defined) : undefined;
    const usable = compiled !== undefined && [...compiled.facts.variables].every((name) => valid.has(name));
    return {
      entry,
      compiled: usable ? compiled : undefined,
      message,
      pointer: compiled ? pointerOf(compiled) : '',
    };
  });
  const auditAnnotations = model.auditAnnotations.map((entry) => {
    const compiled = compile(entry, 'string-or-null', defined);
    const usable = compiled !== undefined && [...compiled.facts.variables].every((name) => valid.has(name));
    return { entry, compiled: usable ? compiled : undefined };
  });
  return {
    model,
    broken: matchConditions.some((m) => m.compiled === undefined),
    matchConditions,
    variables,
    validations,
    auditAnnotations,
    problems,
  };
}

/** The longest common prefix of the `object` fields an expression reads, as a JSON Pointer. */
function pointerOf(compiled: CompiledExpression): string {
  const { objectPaths, variables } = compiled.facts;
  if (variables.size > 0 || objectPaths.length === 0) return '';
  let prefix = objectPaths[0] ?? [];
  for (const path of objectPaths.slice(1)) {
    let n = 0;
    while (n < prefix.length && n < path.length && prefix[n] === path[n]) n++;
    prefix = prefix.slice(0, n);
  }
  return prefix.map((segment) => `/${pointerToken(segment)}`).join('');
}
