import { type KubernetesObject, splitApiVersion } from '@shipshape/core';
import { isObject, type JsonObject, put } from './json-value.js';

/**
 * Per-kind normalisations that gitops-engine applies to both sides before comparing
 * (`pkg/diff` `Normalize`): Secret `stringData`, empty Role rules, Endpoints order. Inputs are
 * never mutated; an object with nothing to change is returned as is.
 */

/** Options of {@link normalizeKind}. */
export interface NormalizeKindOptions {
  /**
   * Drop `rules` of a Role or ClusterRole that has an `aggregationRule`: a controller writes
   * them from the aggregated roles. Default `false`.
   */
  readonly ignoreAggregatedRoles?: boolean;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Apply the normalisation of the object's kind (by API group and kind; the version does not
 * matter): {@link normalizeSecret} for core Secrets; for RBAC Roles and ClusterRoles, `rules`
 * that are `[]` or `null` are removed (the API server stores `[]` as `null`; removing both makes
 * `rules: []` and `rules: null` agree whatever the merge does with nulls); for core Endpoints,
 * ports without a protocol get `TCP` and addresses, ports and subsets are sorted.
 *
 * @example
 * ```ts
 * normalizeKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', rules: [] });
 * // { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }
 * normalizeKind({ apiVersion: 'v1', kind: 'Secret', stringData: { a: 'hi' } });
 * // { apiVersion: 'v1', kind: 'Secret', data: { a: 'aGk=' } }
 * ```
 */
export function normalizeKind(object: KubernetesObject, options: NormalizeKindOptions = {}): JsonObject {
  const { group, kind } = kindOf(object);
  if (group === '' && kind === 'Secret') return normalizeSecret(object);
  if (group === '' && kind === 'Endpoints') return normalizeEndpoints(object);
  if (group === RBAC_GROUP && (kind === 'Role' || kind === 'ClusterRole'))
    return normalizeRole(object, options);
  return object;
}

/**
 * Fold a core Secret's `stringData` into `data` as the API server does: each string value
 * base64-encoded (UTF-8), other values copied as is; `stringData` wins over `data` and is
 * removed. `data` values are then brought to the form the server stores: `null` becomes `""`
 * and base64 text is re-encoded (line breaks dropped), unless some value is not valid base64,
 * as gitops-engine's typed round trip would fail then. An empty `data` is removed. Objects that
 * are not core Secrets, or whose `data`/`stringData` is not a map, come back as they are.
 *
 * @example
 * ```ts
 * normalizeSecret({ apiVersion: 'v1', kind: 'Secret', data: { a: null, b: 'eA==' }, stringData: { b: 'y' } });
 * // { apiVersion: 'v1', kind: 'Secret', data: { a: '', b: 'eQ==' } }
 * ```
 */
export function normalizeSecret(object: KubernetesObject): JsonObject {
  const { group, kind } = kindOf(object);
  const data = object['data'];
  const stringData = object['stringData'];
  const mapOrAbsent = (v: unknown): boolean => v === undefined || v === null || isObject(v);
  if (group !== '' || kind !== 'Secret' || !mapOrAbsent(data) || !mapOrAbsent(stringData)) {
    return object;
  }
  const merged: JsonObject = {};
  if (isObject(data)) for (const [key, value] of Object.entries(data)) put(merged, key, value);
  if (isObject(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      put(merged, key, typeof value === 'string' ? encodeBase64(encodeUtf8(value)) : value);
    }
  }
  const values = storedData(merged) ?? merged;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'stringData') continue;
    if (key !== 'data') put(out, key, value);
    else if (Object.keys(values).length > 0) put(out, key, values);
  }
  if (!Object.hasOwn(out, 'data') && Object.keys(values).length > 0) put(out, 'data', values);
  return out;
}

/** `data` as the server stores it, or `undefined` when a value cannot be decoded. */
function storedData(data: JsonObject): JsonObject | undefined {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === '') put(out, key, '');
    else if (typeof value !== 'string') return undefined;
    else {
      const bytes = decodeBase64(value);
      if (bytes === undefined) return undefined;
      put(out, key, encodeBase64(bytes));
    }
  }
  return out;
}

function normalizeRole(object: KubernetesObject, options: NormalizeKindOptions): JsonObject {
  const rules = object['rules'];
  const aggregated = options.ignoreAggregatedRoles === true && isObject(object['aggregationRule']);
  const empty = rules === null || (Array.isArray(rules) && rules.length === 0);
  if (!Object.hasOwn(object, 'rules') || !(aggregated || empty)) return object;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) if (key !== 'rules') put(out, key, value);
  return out;
}

function normalizeEndpoints(object: KubernetesObject): JsonObject {
  const subsets = object['subsets'];
  if (!Array.isArray(subsets)) return object;
  const normalized = subsets.map((subset: unknown) => (isObject(subset) ? normalizeSubset(subset) : subset));
  const keyed = normalized.map((subset) => ({ subset, key: canonicalJson(subset) }));
  keyed.sort((a, b) => compareText(a.key, b.key));
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    put(out, key, key === 'subsets' ? keyed.map((k) => k.subset) : value);
  }
  return out;
}

function normalizeSubset(subset: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(subset)) {
    if (!Array.isArray(value)) put(out, key, value);
    else if (key === 'addresses' || key === 'notReadyAddresses')
      put(out, key, sortedBy(value, compareAddresses));
    else if (key === 'ports') put(out, key, sortedBy(value.map(defaultProtocol), comparePorts));
    else put(out, key, value);
  }
  return out;
}

function defaultProtocol(port: unknown): unknown {
  if (!isObject(port)) return port;
  const protocol = port['protocol'];
  if (protocol !== undefined && protocol !== null && protocol !== '') return port;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(port)) put(out, key, value);
  put(out, 'protocol', 'TCP');
  return out;
}

/** Addresses by IP, then target UID (none first), as Kubernetes' `SortSubsets`; then by content. */
function compareAddresses(a: JsonObject, b: JsonObject): number {
  const uid = (x: JsonObject): string | undefined => {
    const ref = x['targetRef'];
    return isObject(ref) ? textOf(ref['uid']) : undefined;
  };
  const ua = uid(a);
  const ub = uid(b);
  return (
    compareText(textOf(a['ip']), textOf(b['ip'])) ||
    (ua === ub ? 0 : ua === undefined ? -1 : ub === undefined ? 1 : compareText(ua, ub))
  );
}

/** Ports by name, number, protocol (Kubernetes orders them by a hash: any fixed order will do). */
function comparePorts(a: JsonObject, b: JsonObject): number {
  return (
    compareText(textOf(a['name']), textOf(b['name'])) ||
    Number(a['port'] ?? 0) - Number(b['port'] ?? 0) ||
    compareText(textOf(a['protocol']), textOf(b['protocol']))
  );
}

/** Objects by `compare`, then by their canonical JSON; anything else after them, by JSON. */
function sortedBy(items: readonly unknown[], compare: (a: JsonObject, b: JsonObject) => number): unknown[] {
  const keyed = items.map((item) => ({ item, key: canonicalJson(item) }));
  keyed.sort((a, b) => {
    if (isObject(a.item) && isObject(b.item)) return compare(a.item, b.item) || compareText(a.key, b.key);
    if (isObject(a.item) !== isObject(b.item)) return isObject(a.item) ? -1 : 1;
    return compareText(a.key, b.key);
  });
  return keyed.map((k) => k.item);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort(compareText);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A field as text for ordering: strings as they are, anything else as JSON. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : canonicalJson(value ?? '');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function kindOf(object: KubernetesObject): { group: string; kind: unknown } {
  const apiVersion = object['apiVersion'];
  return {
    group: typeof apiVersion === 'string' ? splitApiVersion(apiVersion).group : '',
    kind: object['kind'],
  };
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** UTF-8 bytes of a string; a lone surrogate becomes U+FFFD, as Go's JSON decoder makes it. */
function encodeUtf8(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0) ?? 0xfffd;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else {
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 63),
        0x80 | ((code >> 6) & 63),
        0x80 | (code & 63),
      );
    }
  }
  return bytes;
}

/** Standard base64 with padding (Go `base64.StdEncoding`). */
function encodeBase64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = [18, 12, 6, 0].map((shift) => ALPHABET[(n >> shift) & 63]);
    const kept = Math.min(4, bytes.length - i + 1);
    out += chars.slice(0, kept).join('') + '='.repeat(4 - kept);
  }
  return out;
}

/** Go `base64.StdEncoding` decoding: line breaks ignored, padding required, loose last bits. */
function decodeBase64(text: string): number[] | undefined {
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) {
    return undefined;
  }
  const bytes: number[] = [];
  for (let i = 0; i < clean.length; i += 4) {
    const quad = clean.slice(i, i + 4).replace(/=+$/, '');
    let n = 0;
    for (let j = 0; j < 4; j++) n = (n << 6) | (j < quad.length ? ALPHABET.indexOf(quad[j] ?? 'A') : 0);
    bytes.push((n >> 16) & 255, (n >> 8) & 255, n & 255);
    bytes.length -= 4 - quad.length;
  }
  return bytes;
}
