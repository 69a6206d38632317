import { keepShape, ownString, type Resource } from '@shipshape/core';
import { isObject } from '../workloads.js';
import { JoinedNames } from './dangling-refs.js';
import { isKind, RBAC_GROUP } from './kinds.js';

/** The kinds that grant permissions. */
export const ROLE_KINDS: readonly string[] = ['ClusterRole', 'Role'];
/** Roles and the kinds that bind them: what the cross-resource RBAC rules look at. */
export const RBAC_KINDS: readonly string[] = [...ROLE_KINDS, 'ClusterRoleBinding', 'RoleBinding'];

/** What a Role or ClusterRole grants, as far as the RBAC rules care. */
export interface RoleFacts {
  /** Index of the first rule that allows `pods/exec` or `pods/attach`, if any. */
  readonly execAttachRule: number | undefined;
  /** Index of the first rule with cluster-admin-like wildcards, if any. */
  readonly wildcardRule: number | undefined;
}

/** A binding's `roleRef`, when it is complete and valid. */
export interface RoleRef {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
}

// Built-in ClusterRoles every cluster has, for bindings whose ClusterRole is not in the repository.
// `edit` and `admin` grant create on pods/exec and pods/attach; only `cluster-admin` has wildcards.
const BUILT_IN_CLUSTER_ROLES: Readonly<Record<string, RoleFacts>> = {
  'cluster-admin': { execAttachRule: 0, wildcardRule: 0 },
  admin: { execAttachRule: 0, wildcardRule: undefined },
  edit: { execAttachRule: 0, wildcardRule: undefined },
  view: { execAttachRule: undefined, wildcardRule: undefined },
};

const ADMIN_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const ANY: readonly string[] = ['*'];
const CORE_OR_ANY: readonly string[] = ['', '*'];
const EXEC_RESOURCES: readonly string[] = ['*', 'pods/exec', 'pods/attach'];
const EXEC_VERBS: readonly string[] = ['*', 'get', 'create'];

/** The facts of a built-in ClusterRole (`cluster-admin`, `admin`, `edit`, `view`), if it is one. */
export function builtInClusterRole(name: string): RoleFacts | undefined {
  return Object.hasOwn(BUILT_IN_CLUSTER_ROLES, name) ? BUILT_IN_CLUSTER_ROLES[name] : undefined;
}

/**
 * What a Role or ClusterRole grants. A role without `rules` (or an aggregated ClusterRole, whose
 * rules the controller fills in) grants nothing these checks can see.
 */
export function roleFacts(object: Readonly<Record<string, unknown>>): RoleFacts {
  // Two rules ask about each role in turn: the last answer is reused for the same rules list.
  const rules = Array.isArray(object['rules']) ? object['rules'] : NO_RULES;
  const last = lastFacts;
  if (last !== undefined && last.rules === rules && sameItems(rules, last.items)) return last.facts;
  const facts = readRoleFacts(rules);
  lastFacts = { rules, items: [...rules], facts };
  return facts;
}

const NO_RULES: readonly unknown[] = [];
let lastFacts:
  | { readonly rules: readonly unknown[]; readonly items: readonly unknown[]; readonly facts: RoleFacts }
  | undefined;

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function readRoleFacts(rules: readonly unknown[]): RoleFacts {
  const execAttachRule = rules.findIndex(allowsExecAttach);
  const wildcardRule = rules.findIndex(isWildcardAdmin);
  return {
    execAttachRule: execAttachRule < 0 ? undefined : execAttachRule,
    wildcardRule: wildcardRule < 0 ? undefined : wildcardRule,
  };
}

/**
 * Whether a PolicyRule allows exec into or attach to pods: core group (or `*`), resource
 * `pods/exec`, `pods/attach` or `*`, and verb `create`, `get` (a websocket upgrade) or `*`.
 */
export function allowsExecAttach(rule: unknown): boolean {
  return (
    containsAny(rule, 'apiGroups', CORE_OR_ANY) &&
    containsAny(rule, 'resources', EXEC_RESOURCES) &&
    containsAny(rule, 'verbs', EXEC_VERBS)
  );
}

/**
 * Whether a PolicyRule is as wide as cluster-admin's: `*` API groups, `*` resources, and verb `*`
 * or every one of get, list, watch, create, update, patch and delete.
 */
export function isWildcardAdmin(rule: unknown): boolean {
  if (!containsAny(rule, 'apiGroups', ANY) || !containsAny(rule, 'resources', ANY)) return false;
  const verbs = stringsAt(rule, 'verbs');
  return verbs.includes('*') || ADMIN_VERBS.every((v) => verbs.includes(v));
}

/** The binding's roleRef, or `undefined` when it lacks the RBAC apiGroup, a kind or a name. */
export function roleRefOf(binding: Readonly<Record<string, unknown>>): RoleRef | undefined {
  const ref = binding['roleRef'];
  if (!isObject(ref) || ref['apiGroup'] !== RBAC_GROUP) return undefined;
  const { kind, name } = ref;
  if ((kind !== 'Role' && kind !== 'ClusterRole') || typeof name !== 'string' || name === '')
    return undefined;
  // An own copy: bindings wait for the end of the run, after their file's text is released.
  return { kind, name: ownString(name) };
}

/** Whether a name belongs to Kubernetes' own RBAC objects, which Polaris leaves alone. */
export function isSystemName(name: string): boolean {
  return name.startsWith('system:') || name === 'gce:podsecuritypolicy:calico-sa';
}

/**
 * What the Roles (by namespace and name) and ClusterRoles (by name) of a run grant, looked up with
 * no key string built for each role and binding (CPU profile of the joined keys,
 * `Role\0namespace\0name`: 12 ms a run on 30,000 resources); they meet as those keys did. A later
 * role of the same kind, namespace and name replaces an earlier one.
 */
export class RoleTable {
  readonly #clusterRoles = new Map<string, RoleFacts>();
  readonly #roles = new JoinedNames<RoleFacts>();

  set(kind: 'Role' | 'ClusterRole', namespace: string, name: string, facts: RoleFacts): void {
    if (kind === 'ClusterRole') this.#clusterRoles.set(name, facts);
    else this.#roles.set(namespace, name, facts);
  }

  get(kind: 'Role' | 'ClusterRole', namespace: string, name: string): RoleFacts | undefined {
    return kind === 'ClusterRole' ? this.#clusterRoles.get(name) : this.#roles.get(namespace, name);
  }
}

// Tables are made again for each run: one kept keeps their hidden class (see keepShape).
keepShape(new RoleTable());

/** Whether a resource is a Role or ClusterRole, and which. */
export function roleKindOf(resource: Resource): 'Role' | 'ClusterRole' | undefined {
  if (isKind(resource, 'Role')) return 'Role';
  if (isKind(resource, 'ClusterRole')) return 'ClusterRole';
  return undefined;
}

function stringsAt(rule: unknown, key: string): string[] {
  const list = isObject(rule) ? rule[key] : undefined;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
}

function containsAny(rule: unknown, key: string, wanted: readonly string[]): boolean {
  const list = isObject(rule) ? rule[key] : undefined;
  if (!Array.isArray(list)) return false;
  for (let i = 0; i < list.length; i++) {
    const v: unknown = list[i];
    if (typeof v === 'string' && wanted.includes(v)) return true;
  }
  return false;
}

/** Whether a resource is a RoleBinding or ClusterRoleBinding, and which. */
export function bindingKindOf(resource: Resource): 'RoleBinding' | 'ClusterRoleBinding' | undefined {
  if (isKind(resource, 'RoleBinding')) return 'RoleBinding';
  if (isKind(resource, 'ClusterRoleBinding')) return 'ClusterRoleBinding';
  return undefined;
}

/**
 * What the role a binding references grants: the Role in the binding's namespace or the
 * (cluster-scoped) ClusterRole from the repository, else a built-in ClusterRole; `undefined` when
 * it is neither.
 */
export function lookupRole(roles: RoleTable, ref: RoleRef, namespace: string): RoleFacts | undefined {
  const own = roles.get(ref.kind, namespace, ref.name);
  if (own) return own;
  return ref.kind === 'ClusterRole' ? builtInClusterRole(ref.name) : undefined;
}

/** `Role shop/reader` or `ClusterRole edit`, for messages. */
export function describeRef(ref: RoleRef): string {
  return `${ref.kind} ${ref.name}`;
}
