import { type LabelSelector, selectorMatches } from '../label-selector.js';
import { readLabelSelector } from './label-selector.js';
import type { FieldReader } from './problems.js';
import type { GroupVersionResource } from './served-resources.js';

/** The admission request a resource stands for, as far as matching needs it. */
export interface AdmissionTarget {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The resource (plural, lower-case). */
  readonly resource: string;
  readonly namespaced: boolean;
  /** The namespace of a namespaced resource (`default` when the manifest has none), else `''`. */
  readonly namespace: string;
  readonly name: string;
  /** Whether the target Kubernetes version serves the object's version: if not, nothing admits it. */
  readonly served: boolean;
  /**
   * How the object converts to another version of its storage: as a built-in resource does (see
   * `convertBuiltIn`), by rewriting `apiVersion` only (a custom resource whose definition converts
   * with strategy `None`), or not offline (a conversion webhook, or a kind nothing here defines:
   * the object stays as written).
   */
  readonly conversion: 'built-in' | 'rename' | 'as-written';
  /**
   * The other group/versions the API server would convert the object to for a rule under
   * `matchPolicy: Equivalent` (the served versions of its storage); `undefined` when unknown (a
   * custom resource without its definition), where any version of its group and resource counts.
   */
  readonly equivalents: readonly GroupVersionResource[] | undefined;
}

/** A rule of `resourceRules` / `excludeResourceRules`. */
export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly resources: readonly string[];
  readonly operations: readonly string[];
  readonly scope: '*' | 'Cluster' | 'Namespaced';
  readonly resourceNames: readonly string[];
}

/** `matchConstraints` of a policy or `matchResources` of a binding. */
export interface MatchResources {
  /** `undefined`: any resource (a binding without resourceRules); empty: none. */
  readonly resourceRules: readonly ResourceRule[] | undefined;
  readonly excludeResourceRules: readonly ResourceRule[];
  readonly namespaceSelector: LabelSelector | undefined;
  readonly objectSelector: LabelSelector | undefined;
  readonly matchPolicy: 'Equivalent' | 'Exact';
}

const OPERATIONS = ['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'];
const SCOPES = ['*', 'Cluster', 'Namespaced'] as const;

/** Read match criteria at `path`; a policy's need resourceRules (`required`), a binding's do not. */
export function readMatchResources(
  value: Record<string, unknown>,
  path: string,
  reader: FieldReader,
  options: { readonly required: boolean },
): MatchResources {
  const rules = (key: string) =>
    reader.objects(value, key, path).map(([rule, i]) => readRule(rule, `${path}/${key}/${i}`, reader));
  const present = Array.isArray(value['resourceRules']);
  if (options.required && !present) reader.problem(path, 'matchConstraints needs resourceRules');
  return {
    resourceRules: present || options.required ? rules('resourceRules') : undefined,
    excludeResourceRules: rules('excludeResourceRules'),
    namespaceSelector: readLabelSelector(value['namespaceSelector'], `${path}/namespaceSelector`, reader),
    objectSelector: readLabelSelector(value['objectSelector'], `${path}/objectSelector`, reader),
    matchPolicy: reader.choice(value, 'matchPolicy', path, ['Equivalent', 'Exact'], 'Equivalent'),
  };
}

function readRule(rule: Record<string, unknown>, path: string, reader: FieldReader): ResourceRule {
  const list = (key: string) => reader.strings(rule, key, path) ?? [];
  const operations = list('operations');
  for (const op of operations) {
    if (!OPERATIONS.includes(op))
      reader.problem(`${path}/operations`, `unknown operation ${JSON.stringify(op)}`);
  }
  return {
    apiGroups: list('apiGroups'),
    apiVersions: list('apiVersions'),
    resources: list('resources'),
    operations,
    scope: reader.choice(rule, 'scope', path, SCOPES, '*'),
    resourceNames: list('resourceNames'),
  };
}

/**
 * The operations a request from the repository can be: a resource created, changed, or removed
 * (by a sync that prunes).
 */
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

/**
 * The group, version and resource through which the request's kind, scope, name and operation
 * pass the resource rules, or `undefined` when they do not. It is the request's own, unless only
 * an `Equivalent` match lets it through: then it is the version the matching rule names, which
 * the API server gives as `request.kind` and `request.resource` (and converts the object to).
 */
export function matchRules(
  match: MatchResources,
  target: AdmissionTarget,
  operation: Operation = 'CREATE',
): GroupVersionResource | undefined {
  const equivalent = match.matchPolicy === 'Equivalent';
  const matched =
    match.resourceRules === undefined
      ? ownOf(target)
      : matchSome(match.resourceRules, target, equivalent, operation);
  if (matched === undefined || matchSome(match.excludeResourceRules, target, equivalent, operation))
    return undefined;
  return matched;
}

/**
 * As the API server's `matchesResourceRules`: a rule that names the request's own group, version
 * and resource; else, under Equivalent, the first rule (in order) that names one of the versions
 * it would convert the object to (see {@link AdmissionTarget.equivalents}), trying those in order.
 */
function matchSome(
  rules: readonly ResourceRule[],
  target: AdmissionTarget,
  equivalent: boolean,
  operation: Operation,
): GroupVersionResource | undefined {
  if (rules.some((r) => ruleMatches(r, target, target, operation))) return ownOf(target);
  if (!equivalent) return undefined;
  const { equivalents } = target;
  for (const rule of rules) {
    if (equivalents === undefined) {
      // A custom resource without its definition: the first version the rule names stands in for
      // the one the API server would pick from the definition's list.
      const version = rule.apiVersions[0];
      if (version !== undefined && ruleMatches(rule, target, undefined, operation))
        return { group: target.group, version, resource: target.resource };
      continue;
    }
    const found = equivalents.find((e) => ruleMatches(rule, target, e, operation));
    if (found) return found;
  }
  return undefined;
}

function ownOf(target: AdmissionTarget): GroupVersionResource {
  return { group: target.group, version: target.version, resource: target.resource };
}

/**
 * Whether the selectors pass. `namespaceLabels` are the labels of the request's namespace, or of
 * the object itself when it is a Namespace; `undefined` for other cluster-scoped objects, which
 * a namespace selector never excludes. On an UPDATE the object selector passes when either the
 * object or the old object (`oldLabels`) has labels it selects, as the API server's object matcher
 * does: removing a label does not take an object out of a policy's reach. A DELETE has no object
 * (`objectLabels` undefined): only the old object's labels can pass.
 */
export function matchesSelectors(
  match: MatchResources,
  objectLabels: Readonly<Record<string, unknown>> | undefined,
  namespaceLabels: Readonly<Record<string, unknown>> | undefined,
  oldLabels?: Readonly<Record<string, unknown>>,
): boolean {
  if (namespaceLabels !== undefined && !selectorMatches(match.namespaceSelector, namespaceLabels))
    return false;
  // An empty selector selects every request, with an object or without.
  if (match.objectSelector === undefined) return true;
  return (
    (objectLabels !== undefined && selectorMatches(match.objectSelector, objectLabels)) ||
    (oldLabels !== undefined && selectorMatches(match.objectSelector, oldLabels))
  );
}

/** Whether `rule` matches the request as `as` (its own or an equivalent; `undefined`: any version). */
function ruleMatches(
  rule: ResourceRule,
  target: AdmissionTarget,
  as: GroupVersionResource | undefined,
  operation: Operation,
): boolean {
  if (!rule.operations.some((op) => op === '*' || op === operation)) return false;
  if (rule.scope === 'Cluster' && target.namespaced) return false;
  if (rule.scope === 'Namespaced' && !target.namespaced) return false;
  if (rule.resourceNames.length > 0 && !rule.resourceNames.includes(target.name)) return false;
  const { group, resource } = as ?? target;
  if (!rule.resources.some((entry) => resourceMatches(entry, resource))) return false;
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(group)) return false;
  if (as === undefined) return rule.apiVersions.length > 0;
  return rule.apiVersions.includes('*') || rule.apiVersions.includes(as.version);
}

/** `pods`, `*`, `*\/*`, `pods/*` match the main resource (a request from a manifest has no subresource). */
function resourceMatches(entry: string, resource: string): boolean {
  const slash = entry.indexOf('/');
  const name = slash >= 0 ? entry.slice(0, slash) : entry;
  const sub = slash >= 0 ? entry.slice(slash + 1) : '';
  return (name === '*' || name === resource) && (sub === '*' || sub === '');
}
