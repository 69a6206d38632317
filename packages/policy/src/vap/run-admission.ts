import { compareText, type Resource, type Severity } from '@shipshape/core';
import type { ResourceFinding } from '../rule.js';
import { type ActiveBinding, type AdmissionRun, Judge } from './admit-resource.js';
import { type CompiledPolicy, compilePolicy } from './compile-policy.js';
import { mightSelect, ParamIndex, selectsAnything } from './params.js';
import {
  type BindingModel,
  isBinding,
  isPolicy,
  readBinding,
  readPolicy,
  type ValidationAction,
} from './policy-model.js';
import { VAP_CODES } from './problems.js';
import { type DefinitionFacts, isAdmissible, isDefinition, isNamespace, KindCatalog } from './targets.js';

export { VAP_CODES };

const ACTION_SEVERITY: Readonly<Record<ValidationAction, Severity>> = {
  Deny: 'error',
  Warn: 'warning',
  Audit: 'info',
};

/**
 * Evaluate every binding of `resources` and `extra` (policies, bindings and params given apart
 * from the repository) on every admissible resource of the repository, each as a CREATE request
 * (an UPDATE of its previous object, when `run.previous` has one).
 * With `fromRepository` false, the policies and bindings among `resources` do not run: they are
 * admitted like any other resource. A document of `extra` that is also among `resources` (a
 * policy file inside the checked folder, named with `--policy` too) is taken once.
 *
 * Of two objects with one identity (policies, bindings, params, namespaces), the one a cluster
 * ends with counts: the last applied, in path then document order, `extra` after the repository
 * in the order given. Each policy, binding or used param so replaced is `vap/duplicate`, naming
 * the one that replaces it.
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
  const policyObjects = new LastApplied('ValidatingAdmissionPolicy');
  const bindingObjects = new LastApplied('ValidatingAdmissionPolicyBinding');
  const replacedParams: Replaced[] = [];
  const targets: Resource[] = [];
  const inRepo = new Set(resources);
  for (const resource of [...inApplyOrder(resources), ...extra]) {
    const runs = fromRepository || !inRepo.has(resource);
    if (runs && isPolicy(resource)) policyObjects.add(resource);
    else if (runs && isBinding(resource)) bindingObjects.add(resource);
    else {
      if (isDefinition(resource) && (definitions === undefined || !inRepo.has(resource)))
        catalog.addDefinition(resource);
      if (isNamespace(resource)) namespaces.set(resource.id.name, resource);
      const replaced = params.add(resource);
      if (replaced)
        replacedParams.push({
          loser: replaced,
          winner: resource,
          kind: resource.id.kind,
          role: 'used as params',
        });
      if (inRepo.has(resource) && isAdmissible(resource)) targets.push(resource);
    }
  }
  for (const replaced of [...policyObjects.replaced, ...bindingObjects.replaced])
    run.report(duplicate(replaced, inRepo));
  const policies = new Map<string, CompiledPolicy>();
  for (const resource of policyObjects.kept) addPolicy(resource, policies, run);
  const bindings = bindingObjects.kept.map(readBinding);
  const active = activate(bindings, policies, params, run);
  // A replaced param matters only where a binding's paramRef could pick the object that replaces
  // it (a policy taking params of its kind is not enough: kustomize's test data would get a warning
  // for every Deployment repeated across its sibling test folders).
  for (const replaced of replacedParams) {
    const used = active.some(
      ({ binding, policy }) =>
        policy.model.paramKind !== undefined &&
        paramKey(policy.model.paramKind) === paramKey(replaced.winner.id) &&
        binding.paramRef !== undefined &&
        mightSelect(binding.paramRef, replaced.winner, params),
    );
    if (used) run.report(duplicate(replaced, inRepo));
  }
  const judge = new Judge(run, catalog, params, namespaces);
  // Every policy is type-checked when written, bound or not.
  for (const policy of policies.values()) judge.typeCheck(policy);
  if (active.length === 0) return;
  for (const resource of targets) judge.admit(resource, active);
  // What the previous objects had and the repository no longer has is deleted by a pruning sync.
  for (const old of judge.deletedAmong(targets)) judge.admitDeletion(old, active);
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

/** The repository's resources in the order `kubectl apply -R` applies them: path, then document. */
function inApplyOrder(resources: readonly Resource[]): readonly Resource[] {
  const order = (a: Resource, b: Resource) =>
    compareText(a.source.path, b.source.path) ||
    a.source.document - b.source.document ||
    (a.source.item ?? -1) - (b.source.item ?? -1);
  // Usually already in order (files are checked sorted): then no copy is made.
  for (let i = 1; i < resources.length; i++) {
    if (order(resources[i - 1] as Resource, resources[i] as Resource) > 0) return [...resources].sort(order);
  }
  return resources;
}

/** An object that a later one with its identity replaces. */
interface Replaced {
  readonly loser: Resource;
  readonly winner: Resource;
  readonly kind: string;
  /** What the replaced object is not: `evaluated` (policies, bindings) or `used as params`. */
  readonly role: string;
}

/** Objects of one cluster-scoped kind by name, the last one added kept. */
class LastApplied {
  readonly #kind: string;
  readonly #byName = new Map<string, Resource>();
  readonly #unnamed: Resource[] = [];
  readonly replaced: Replaced[] = [];

  constructor(kind: string) {
    this.#kind = kind;
  }

  add(resource: Resource): void {
    const { name } = resource.id;
    // Without a name nothing is replaced (the object is refused, or named by the server).
    if (name === '') {
      this.#unnamed.push(resource);
      return;
    }
    const earlier = this.#byName.get(name);
    if (earlier)
      this.replaced.push({ loser: earlier, winner: resource, kind: this.#kind, role: 'evaluated' });
    // Deleted first so that the kept objects stay in the order their winners came.
    this.#byName.delete(name);
    this.#byName.set(name, resource);
  }

  get kept(): Resource[] {
    return [...this.#unnamed, ...this.#byName.values()];
  }
}

function paramKey(kind: { readonly group: string; readonly kind: string }): string {
  return `${kind.group}/${kind.kind}`;
}

function addPolicy(resource: Resource, policies: Map<string, CompiledPolicy>, run: AdmissionRun): void {
  const model = readPolicy(resource);
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

/**
 * The finding on a replaced object, naming the one that replaces it. An info when both are in the
 * repository in one folder or one inside the other: `manifest/duplicate-resource` already reports
 * that pair as an error, and this only says which one counts. Otherwise (sibling folders, a
 * `--policy` file) it is the only word on the clash, a warning.
 */
function duplicate({ loser, winner, kind, role }: Replaced, inRepo: ReadonlySet<Resource>): ResourceFinding {
  const at = winner.source.span;
  const where = `${at.path}:${at.start.line}:${at.start.column}`;
  const reported =
    inRepo.has(loser) && inRepo.has(winner) && inLineage(loser.source.path, winner.source.path);
  const { namespace, name } = loser.id;
  const id = namespace ? `${namespace}/${name}` : name;
  return {
    resource: loser,
    path: '/metadata/name',
    message: `not ${role}: the ${kind} ${id} at ${where} replaces it (a cluster keeps the last one applied)`,
    code: VAP_CODES.duplicate,
    severity: reported ? 'info' : 'warning',
    data: { name, kind, replacedBy: { path: at.path, line: at.start.line, column: at.start.column } },
  };
}

/** Whether two files are applied together by `kubectl apply -R`: one's folder holds the other. */
function inLineage(a: string, b: string): boolean {
  const folder = (path: string) => path.slice(0, Math.max(path.lastIndexOf('/'), 0));
  const [fa, fb] = [folder(a), folder(b)];
  const under = (inner: string, outer: string) =>
    outer === '' || inner === outer || inner.startsWith(`${outer}/`);
  return under(fa, fb) || under(fb, fa);
}

/** Check each binding against its policy and params; the ones that apply, sorted by name. */
function activate(
  bindings: readonly BindingModel[],
  policies: ReadonlyMap<string, CompiledPolicy>,
  params: ParamIndex,
  run: AdmissionRun,
): ActiveBinding[] {
  const active: ActiveBinding[] = [];
  for (const binding of bindings) {
    const { resource, name } = binding;
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
