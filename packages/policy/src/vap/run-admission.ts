import type { Resource, Severity } from '@shipshape/core';
import type { ResourceFinding } from '../rule.js';
import { type ActiveBinding, type AdmissionRun, Judge } from './admit-resource.js';
import { type CompiledPolicy, compilePolicy } from './compile-policy.js';
import { ParamIndex, selectsAnything } from './params.js';
import {
  type BindingModel,
  isBinding,
  isPolicy,
  readBinding,
  readPolicy,
  type ValidationAction,
} from './policy-model.js';
import { type DefinitionFacts, isAdmissible, isDefinition, isNamespace, KindCatalog } from './targets.js';

/** The codes this rule reports besides `vap/<policy-name>`. */
export const VAP_CODES = {
  invalidPolicy: 'vap/invalid-policy',
  invalidBinding: 'vap/invalid-binding',
  unknownPolicy: 'vap/unknown-policy',
  paramNotFound: 'vap/param-not-found',
  duplicate: 'vap/duplicate',
  unsupported: 'vap/unsupported',
} as const;

const ACTION_SEVERITY: Readonly<Record<ValidationAction, Severity>> = {
  Deny: 'error',
  Warn: 'warning',
  Audit: 'info',
};

/**
 * Evaluate every binding of `resources` and `extra` (policies, bindings and params given apart
 * from the repository) on every admissible resource of the repository, each as a CREATE request.
 * With `fromRepository` false, the policies and bindings among `resources` do not run: they are
 * admitted like any other resource. A document of `extra` that is also among `resources` (a
 * policy file inside the checked folder, named with `--policy` too) is taken once.
 */
export function runAdmission(
  resources: readonly Resource[],
  given: readonly Resource[],
  run: AdmissionRun,
  definitions?: readonly DefinitionFacts[],
  fromRepository = true,
): void {
  const extra = withoutCopies(given, resources);
  const catalog = new KindCatalog();
  // The definitions of `resources`, when the caller read them already (objects read again from
  // their files are slow to get); otherwise they are read here.
  for (const facts of definitions ?? []) catalog.addKind(facts);
  const params = new ParamIndex();
  const namespaces = new Map<string, Resource>();
  const policies = new Map<string, CompiledPolicy>();
  const bindings: BindingModel[] = [];
  const targets: Resource[] = [];
  const inRepo = new Set(resources);
  for (const resource of [...resources, ...extra]) {
    const runs = fromRepository || !inRepo.has(resource);
    if (runs && isPolicy(resource)) addPolicy(resource, policies, run);
    else if (runs && isBinding(resource)) bindings.push(readBinding(resource));
    else {
      if (isDefinition(resource) && (definitions === undefined || !inRepo.has(resource)))
        catalog.addDefinition(resource);
      if (isNamespace(resource) && !namespaces.has(resource.id.name))
        namespaces.set(resource.id.name, resource);
      params.add(resource);
      if (inRepo.has(resource) && isAdmissible(resource)) targets.push(resource);
    }
  }
  const active = activate(bindings, policies, params, run);
  if (active.length === 0) return;
  const judge = new Judge(run, catalog, params, namespaces);
  for (const resource of targets) judge.admit(resource, active);
}

/**
 * `extra` without the documents that `resources` holds too: the same file and document (no Git
 * ref), or the same object under another name (a path shown absolute, the same file at a ref).
 * Two different objects of one identity stay, and are reported as duplicates.
 */
function withoutCopies(extra: readonly Resource[], resources: readonly Resource[]): readonly Resource[] {
  if (extra.length === 0) return extra;
  const where = (r: Resource) => `${r.source.path}\u0000${r.source.document}\u0000${r.source.item ?? ''}`;
  const who = (r: Resource) =>
    `${r.id.group}\u0000${r.id.kind}\u0000${r.id.namespace ?? ''}\u0000${r.id.name}`;
  const checked = new Set(resources.filter((r) => r.source.ref === undefined).map(where));
  const byIdentity = new Map<string, Resource[]>();
  for (const r of resources) {
    if (!isPolicy(r) && !isBinding(r)) continue;
    const list = byIdentity.get(who(r));
    if (list) list.push(r);
    else byIdentity.set(who(r), [r]);
  }
  const same = (a: Resource, b: Resource) => JSON.stringify(a.object) === JSON.stringify(b.object);
  return extra.filter((r) => {
    if (r.source.ref === undefined && checked.has(where(r))) return false;
    const twins = byIdentity.get(who(r));
    return twins === undefined || !twins.some((t) => same(t, r));
  });
}

function addPolicy(resource: Resource, policies: Map<string, CompiledPolicy>, run: AdmissionRun): void {
  const model = readPolicy(resource);
  if (policies.has(model.name)) {
    run.report(duplicate(resource, 'ValidatingAdmissionPolicy', model.name));
    return;
  }
  const policy = compilePolicy(model, run.env, run.kubernetesVersion);
  policies.set(model.name, policy);
  for (const problem of [...model.problems, ...policy.problems]) {
    const unsupported = 'unsupported' in problem && problem.unsupported === true;
    run.report({
      resource,
      path: problem.path,
      message: problem.message,
      code: unsupported ? VAP_CODES.unsupported : VAP_CODES.invalidPolicy,
      severity: unsupported ? 'warning' : 'error',
      data: { policy: model.name },
    });
  }
}

function duplicate(resource: Resource, kind: string, name: string): ResourceFinding {
  return {
    resource,
    path: '/metadata/name',
    message: `another ${kind} named ${name} came first; this one is ignored`,
    code: VAP_CODES.duplicate,
    severity: 'warning',
    data: { name },
  };
}

/** Check each binding against its policy and params; the ones that apply, sorted by name. */
function activate(
  bindings: readonly BindingModel[],
  policies: ReadonlyMap<string, CompiledPolicy>,
  params: ParamIndex,
  run: AdmissionRun,
): ActiveBinding[] {
  const seen = new Set<string>();
  const active: ActiveBinding[] = [];
  for (const binding of bindings) {
    const { resource, name } = binding;
    if (seen.has(name)) {
      run.report(duplicate(resource, 'ValidatingAdmissionPolicyBinding', name));
      continue;
    }
    seen.add(name);
    const data = { binding: name, policy: binding.policyName };
    for (const problem of binding.problems) {
      run.report({ resource, ...problem, code: VAP_CODES.invalidBinding, severity: 'error', data });
    }
    if (binding.policyName === undefined || binding.actions.length === 0) continue;
    const policy = policies.get(binding.policyName);
    if (!policy) {
      const message = `no ValidatingAdmissionPolicy named ${binding.policyName}: the binding does nothing`;
      run.report({
        resource,
        path: '/spec/policyName',
        message,
        code: VAP_CODES.unknownPolicy,
        severity: 'warning',
        data,
      });
      continue;
    }
    const kind = policy.model.paramKind;
    if (kind && !binding.paramRef) {
      const message = `policy ${policy.model.name} takes ${kind.kind} params, but the binding has no paramRef`;
      run.report({
        resource,
        path: '/spec',
        message,
        code: VAP_CODES.invalidBinding,
        severity: 'error',
        data,
      });
    } else if (kind && binding.paramRef && !selectsAnything(kind, binding.paramRef, params)) {
      const message = `paramRef selects no ${kind.kind} in the repository`;
      run.report({
        resource,
        path: '/spec/paramRef',
        message,
        code: VAP_CODES.paramNotFound,
        severity: 'warning',
        data,
      });
    }
    const severity = binding.actions.map((a) => ACTION_SEVERITY[a]).sort(bySeverity)[0] ?? 'error';
    active.push({ binding, policy, severity });
  }
  return active.sort((a, b) =>
    a.binding.name < b.binding.name ? -1 : a.binding.name > b.binding.name ? 1 : 0,
  );
}

function bySeverity(a: Severity, b: Severity): number {
  const order: Severity[] = ['error', 'warning', 'info'];
  return order.indexOf(a) - order.indexOf(b);
}
