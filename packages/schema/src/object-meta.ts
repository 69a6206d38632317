// What the API server checks in metadata beyond its OpenAPI schema (apimachinery's ObjectMeta
// validation): the syntax of names, namespaces, label keys and values, and annotation keys.
// The schemas say only "string", so kubeconform and friends pass `name: Web_App`, which every
// API server rejects.

import { formatPointer } from '@shipshape/core';
import { fieldName } from './schema-errors.js';

/** One problem in an object's metadata: where, what, and which code. */
export interface MetaProblem {
  readonly code:
    | 'schema/invalid-name'
    | 'schema/invalid-metadata'
    | 'schema/invalid'
    | 'schema/missing-field';
  readonly pointer: string;
  /** Whether the span goes on the key (a label key) rather than the value. */
  readonly atKey: boolean;
  readonly message: string;
}

type NameRule = 'label' | 'dns1035' | 'subdomain' | 'segment' | 'any';

// Kinds whose names follow another rule than a DNS subdomain (the most common one, and the one
// custom resources follow), by kind then group. RBAC and API priority names may hold `:`
// (`system:controller:…`).
const NAME_RULES: ReadonlyMap<string, readonly (readonly [group: string, rule: NameRule])[]> = new Map([
  ['Namespace', [['', 'label']]],
  ['Service', [['', 'dns1035']]],
  ['Role', [['rbac.authorization.k8s.io', 'segment']]],
  ['ClusterRole', [['rbac.authorization.k8s.io', 'segment']]],
  ['RoleBinding', [['rbac.authorization.k8s.io', 'segment']]],
  ['ClusterRoleBinding', [['rbac.authorization.k8s.io', 'segment']]],
  ['FlowSchema', [['flowcontrol.apiserver.k8s.io', 'segment']]],
  // Signer names (`example.com:signer:x`) and IPv6 addresses (`2001:db8::1`) hold colons; the
  // server does not look at a CSR's name at all.
  ['ClusterTrustBundle', [['certificates.k8s.io', 'segment']]],
  ['IPAddress', [['networking.k8s.io', 'segment']]],
  ['CertificateSigningRequest', [['certificates.k8s.io', 'any']]],
  ['PriorityLevelConfiguration', [['flowcontrol.apiserver.k8s.io', 'segment']]],
  [
    'Event',
    [
      ['', 'segment'],
      ['events.k8s.io', 'segment'],
    ],
  ],
]);

function nameRuleOf(group: string, kind: string): NameRule {
  const rules = NAME_RULES.get(kind);
  if (rules !== undefined) for (const [g, rule] of rules) if (g === group) return rule;
  return 'subdomain';
}

const RULE_TEXT: Readonly<Record<NameRule, string>> = {
  label:
    'a DNS label: at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit',
  dns1035:
    'a DNS-1035 label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit',
  subdomain:
    'a DNS subdomain: at most 253 lower-case letters, digits, `-` and `.`, each dot-separated part starting and ending with a letter or digit',
  segment: 'a path segment: not `.` or `..`, and without `/` or `%`',
  any: '',
};

function nameProblem(name: string, rule: NameRule): string | undefined {
  switch (rule) {
    case 'label':
      return isDnsLabel(name, 0, name.length) ? undefined : RULE_TEXT.label;
    case 'dns1035':
      return isDnsLabel(name, 0, name.length) && isLower(name.charCodeAt(0)) ? undefined : RULE_TEXT.dns1035;
    case 'subdomain':
      return isSubdomain(name) ? undefined : RULE_TEXT.subdomain;
    case 'segment':
      return name === '.' || name === '..' || name.includes('/') || name.includes('%')
        ? RULE_TEXT.segment
        : undefined;
    case 'any':
      return undefined;
  }
}

// Character loops, not regular expressions: these run on every name and label of a repository
// (a regular expression per value cost 84 ms on 30,000 resources, a loop a fraction of it).
export function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

function isAnyAlnum(c: number): boolean {
  return isAlnum(c) || (c >= 65 && c <= 90);
}

/** `[a-z0-9]([-a-z0-9]*[a-z0-9])?` over `text[start, end)`, at most `max` long. */
export function isDnsLabel(text: string, start: number, end: number, max = 63): boolean {
  if (end - start < 1 || end - start > max) return false;
  if (!isAlnum(text.charCodeAt(start)) || !isAlnum(text.charCodeAt(end - 1))) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (!isAlnum(c) && c !== 45 /* - */) return false;
  }
  return true;
}

/** Label-shaped parts joined by dots, at most 253 in all (a part alone is not bounded). */
export function isSubdomain(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  let start = 0;
  for (let dot = text.indexOf('.'); ; dot = text.indexOf('.', start)) {
    const end = dot < 0 ? text.length : dot;
    if (!isDnsLabel(text, start, end, 253)) return false;
    if (dot < 0) return true;
    start = dot + 1;
  }
}

/** `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63: a label value or a key's name. */
function isQualifiedPart(text: string, start: number, end: number): boolean {
  if (end - start < 1 || end - start > 63) return false;
  if (!isAnyAlnum(text.charCodeAt(start)) || !isAnyAlnum(text.charCodeAt(end - 1))) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (!isAnyAlnum(c) && c !== 45 && c !== 95 /* _ */ && c !== 46 /* . */) return false;
  }
  return true;
}

// Keys repeat across a repository (`app.kubernetes.io/name`): each is judged once.
const KEY_VERDICTS_LIMIT = 10_000;
const keyVerdicts = new Map<string, string | undefined>();

/** Why a label or annotation key is not a qualified name (`prefix/name`), if it is not one. */
function keyProblem(key: string): string | undefined {
  if (keyVerdicts.has(key)) return keyVerdicts.get(key);
  const slash = key.indexOf('/');
  let why: string | undefined;
  if (slash >= 0 && !isSubdomain(key.slice(0, slash)))
    why = 'its prefix (before `/`) must be a DNS subdomain, such as `example.com`';
  else if (!isQualifiedPart(key, slash + 1, key.length))
    why =
      'its name (after any `prefix/`) must be at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit';
  if (keyVerdicts.size >= KEY_VERDICTS_LIMIT) keyVerdicts.clear();
  keyVerdicts.set(key, why);
  return why;
}

// Values repeat too (an app's name on each of its objects): good ones are remembered.
const goodValues = new Set<string>();

function valueProblem(value: string): string | undefined {
  if (value === '' || goodValues.has(value)) return undefined;
  if (isQualifiedPart(value, 0, value.length)) {
    if (goodValues.size >= KEY_VERDICTS_LIMIT) goodValues.clear();
    goodValues.add(value);
    return undefined;
  }
  return 'must be empty or at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit';
}

/** The total size the API server allows for an object's annotations (256 KiB, keys and values). */
const ANNOTATIONS_LIMIT = 256 * 1024;

// Where the built-in workloads keep the metadata of the pods they make: the server validates it
// as well. (A custom resource's `spec.template` may be anything: an ApplicationSet's is a template.)
const POD_TEMPLATE = ['spec', 'template', 'metadata'] as const;
const TEMPLATE_METADATA: ReadonlyMap<string, readonly [group: string, path: readonly string[]]> = new Map([
  ['Deployment', ['apps', POD_TEMPLATE]],
  ['StatefulSet', ['apps', POD_TEMPLATE]],
  ['DaemonSet', ['apps', POD_TEMPLATE]],
  ['ReplicaSet', ['apps', POD_TEMPLATE]],
  ['ReplicationController', ['', POD_TEMPLATE]],
  ['PodTemplate', ['', ['template', 'metadata']]],
  ['Job', ['batch', POD_TEMPLATE]],
  ['CronJob', ['batch', ['spec', 'jobTemplate', 'spec', 'template', 'metadata']]],
]);

// A value still holding a variable for a tool to substitute before it is applied (Flux's
// `${cluster_env}`, kustomize's `$(NAMESPACE)`, envsubst's `$APP`, a `{{ template }}`) is not what
// reaches the API server.
const SUBSTITUTED = /\$\{|\$\(|\{\{|\$[A-Za-z_]/;

/**
 * Problems in an object's metadata the API server rejects: its name by its kind's rule (most are
 * DNS subdomains), the namespace (a DNS label), label keys and values, annotation keys and their
 * total size, at the top level and in a built-in workload's pod template. Types are left to the
 * schema; values holding a substitution variable (`${env}`, `$(VAR)`, `{{ x }}`) are left alone.
 *
 * @example
 * ```ts
 * metadataProblems('apps', 'Deployment', { metadata: { name: 'Web_App' } })[0]?.code; // 'schema/invalid-name'
 * ```
 */
export function metadataProblems(
  group: string,
  kind: string,
  object: Record<string, unknown>,
): MetaProblem[] {
  const out: MetaProblem[] = [];
  const metadata = object['metadata'];
  if (!isObject(metadata)) return out;
  objectMetaProblems(metadata, '/metadata', nameRuleOf(group, kind), out);
  const template = TEMPLATE_METADATA.get(kind);
  if (template !== undefined && template[0] === group) {
    const path = template[1];
    let at: unknown = object;
    for (const key of path) at = isObject(at) ? at[key] : undefined;
    if (isObject(at)) labelsAndAnnotations(at, `/${path.join('/')}`, out);
  }
  return out;
}

/**
 * Problems the apiextensions server finds in a resource embedded in a custom resource (a value
 * whose schema says `x-kubernetes-embedded-resource: true`, found at pointer `base`): `apiVersion`
 * and `kind` present, non-empty strings, a group/version and a kind that is a DNS-1035 label once
 * lower-cased; and its metadata as an object's, with the name a path segment (not `.` or `..`,
 * without `/` or `%`).
 */
export function embeddedResourceProblems(object: Record<string, unknown>, base: string): MetaProblem[] {
  const out: MetaProblem[] = [];
  for (const key of ['apiVersion', 'kind'] as const) {
    const value = object[key];
    const pointer = `${base}/${key}`;
    if (value === undefined) {
      out.push({
        code: 'schema/missing-field',
        pointer: base,
        atKey: true,
        message: `missing required field \`${key}\` in \`${fieldName(base)}\` (an embedded resource)`,
      });
      continue;
    }
    // A value that is not a string is the schema's `schema/type`.
    if (typeof value !== 'string') continue;
    const why =
      value === ''
        ? 'must not be empty'
        : key === 'apiVersion'
          ? groupVersionProblem(value)
          : isDnsLabel(value.toLowerCase(), 0, value.length) && isLower(value.toLowerCase().charCodeAt(0))
            ? undefined
            : `may have mixed case, but should otherwise be ${RULE_TEXT.dns1035}`;
    if (why !== undefined && unlessSubstituted(why, value) !== undefined)
      out.push({
        code: 'schema/invalid',
        pointer,
        atKey: false,
        message: `\`${key}\` of an embedded resource ${why}`,
      });
  }
  const metadata = object['metadata'];
  if (isObject(metadata)) objectMetaProblems(metadata, `${base}/metadata`, 'segment', out);
  return out;
}

/** The name (by `nameRule`), namespace, labels and annotations of the metadata at pointer `base`. */
function objectMetaProblems(
  metadata: Record<string, unknown>,
  base: string,
  nameRule: NameRule,
  out: MetaProblem[],
): void {
  const name = metadata['name'];
  if (typeof name === 'string' && name !== '') {
    const why = unlessSubstituted(nameProblem(name, nameRule), name);
    if (why) out.push(invalidName(`${base}/name`, `name \`${name}\` must be ${why}`));
  }
  const namespace = metadata['namespace'];
  if (typeof namespace === 'string' && namespace !== '') {
    const why = unlessSubstituted(nameProblem(namespace, 'label'), namespace);
    if (why) out.push(invalidName(`${base}/namespace`, `namespace \`${namespace}\` must be ${why}`));
  }
  labelsAndAnnotations(metadata, base, out);
}

/** Why `text` is not a group/version, as apimachinery's ParseGroupVersion reads it: at most one `/`. */
function groupVersionProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  if (slash < 0 || text.indexOf('/', slash + 1) < 0) return undefined;
  return `must be a version or group/version, such as \`v1\` or \`apps/v1\`, not \`${text}\``;
}

function labelsAndAnnotations(metadata: Record<string, unknown>, base: string, out: MetaProblem[]): void {
  const labels = metadata['labels'];
  if (isObject(labels)) {
    for (const key in labels) {
      const value = labels[key];
      const badKey = unlessSubstituted(keyProblem(key), key);
      const badValue = typeof value === 'string' ? unlessSubstituted(valueProblem(value), value) : undefined;
      if (badKey === undefined && badValue === undefined) continue;
      const pointer = `${base}${formatPointer(['labels', key])}`;
      if (badKey) out.push(invalidMeta(pointer, true, `label key \`${key}\` is not valid: ${badKey}`));
      if (badValue) out.push(invalidMeta(pointer, false, `the value of label \`${key}\` ${badValue}`));
    }
  }
  const annotations = metadata['annotations'];
  if (isObject(annotations)) {
    let size = 0;
    for (const key in annotations) {
      const value = annotations[key];
      size += key.length + (typeof value === 'string' ? value.length : 0);
      // Annotation keys are checked lower-cased (apimachinery's ValidateAnnotations): case is free.
      const badKey = unlessSubstituted(keyProblem(key.toLowerCase()), key);
      if (badKey)
        out.push(
          invalidMeta(
            `${base}${formatPointer(['annotations', key])}`,
            true,
            `annotation key \`${key}\` is not valid: ${badKey}`,
          ),
        );
    }
    // Characters count at least one byte each: only a large total needs its UTF-8 size.
    if (size * 3 > ANNOTATIONS_LIMIT) {
      const bytes = utf8Size(annotations);
      if (bytes > ANNOTATIONS_LIMIT)
        out.push(
          invalidMeta(
            `${base}/annotations`,
            true,
            `annotations take ${bytes} bytes; the API server allows ${ANNOTATIONS_LIMIT} (move large data to a ConfigMap)`,
          ),
        );
    }
  }
}

function utf8Size(annotations: Record<string, unknown>): number {
  const encoder = new TextEncoder();
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    bytes += encoder.encode(key).length + (typeof value === 'string' ? encoder.encode(value).length : 0);
  }
  return bytes;
}

function invalidName(pointer: string, message: string): MetaProblem {
  return { code: 'schema/invalid-name', pointer, atKey: false, message };
}

function invalidMeta(pointer: string, atKey: boolean, message: string): MetaProblem {
  return { code: 'schema/invalid-metadata', pointer, atKey, message };
}

/** The problem, unless the text still holds a variable to be substituted (then it is not judged). */
function unlessSubstituted(problem: string | undefined, text: string): string | undefined {
  return problem !== undefined && !SUBSTITUTED.test(text) ? problem : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
