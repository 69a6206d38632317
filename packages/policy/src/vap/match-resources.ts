import { type LabelSelector, selectorMatches } from '../label-selector.js';
import { equivalentGroups } from './kinds.js';
import { readLabelSelector } from './label-selector.js';
import type { FieldReader } from './problems.js';

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

/** Whether the request's kind, scope, name and operation (CREATE) pass the resource rules. */
export function matchesRules(match: MatchResources, target: AdmissionTarget): boolean {
  const equivalent = match.matchPolicy === 'Equivalent';
  const included =
    match.resourceRules === undefined || match.resourceRules.some((r) => ruleMatches(r, target, equivalent));
  return included && !match.excludeResourceRules.some((r) => ruleMatches(r, target, equivalent));
}

/**
 * Whether the selectors pass. `namespaceLabels` are the labels of the request's namespace, or of
 * the object itself when it is a Namespace; `undefined` for other cluster-scoped objects, which
 * a namespace selector never excludes.
 */
export function matchesSelectors(
  match: MatchResources,
  objectLabels: Readonly<Record<string, unknown>>,
  namespaceLabels: Readonly<Record<string, unknown>> | undefined,
): boolean {
  if (namespaceLabels !== undefined && !selectorMatches(match.namespaceSelector, namespaceLabels))
    return false;
  return selectorMatches(match.objectSelector, objectLabels);
}

function ruleMatches(rule: ResourceRule, target: AdmissionTarget, equivalent: boolean): boolean {
  if (!rule.operations.some((op) => op === '*' || op === 'CREATE')) return false;
  if (rule.scope === 'Cluster' && target.namespaced) return false;
  if (rule.scope === 'Namespaced' && !target.namespaced) return false;
  if (rule.resourceNames.length > 0 && !rule.resourceNames.includes(target.name)) return false;
  if (!rule.resources.some((entry) => resourceMatches(entry, target.resource))) return false;
  const groups = equivalent ? equivalentGroups(target.group, target.resource) : [target.group];
  if (!groups.some((g) => rule.apiGroups.includes('*') || rule.apiGroups.includes(g))) return false;
  // Equivalent: the API server converts the object to whichever version the rule names.
  if (equivalent) return rule.apiVersions.length > 0;
  return rule.apiVersions.includes('*') || rule.apiVersions.includes(target.version);
}

/** `pods`, `*`, `*\/*`, `pods/*` match the main resource (a CREATE has no subresource). */
function resourceMatches(entry: string, resource: string): boolean {
  const slash = entry.indexOf('/');
  const name = slash >= 0 ? entry.slice(0, slash) : entry;
  const sub = slash >= 0 ? entry.slice(slash + 1) : '';
  return (name === '*' || name === resource) && (sub === '*' || sub === '');
}
