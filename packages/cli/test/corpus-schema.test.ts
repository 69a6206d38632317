// Every resource of the shared corpus is validated against Kubernetes 1.33 (with the corpus's own
// CRDs for its custom resources); each schema diagnostic is listed with the reason it is right and
// checked against an independent reading of the data. 1.29 and 1.35 validate the corpus too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Diagnostic, type Resource, valueAtPointer } from '@shipshape/core';
import { load } from 'js-yaml';
import { check } from 'shipshape';
import { describe, expect, it } from 'vitest';
import { CORPUS, CORPUS_REPOS, listByCode, SHARED } from './corpus-listing.js';

const shared = SHARED;
const corpus = CORPUS;
const repos = CORPUS_REPOS;
const isSchemaCode = (code: string) => code.startsWith('schema/') || code.startsWith('api/');

const REASONS: Record<string, string> = {
  'schema/no-schema':
    'a custom resource whose CRD is not in that repository (test data of health checks, kustomize examples with made-up kinds); confirmed: no CRD in the repository serves its group/version/kind',
  'api/removed':
    'the apiVersion/kind was removed at or before 1.33 (old examples: extensions/v1beta1, apps/v1beta1, policy/v1beta1, …); confirmed against the deprecation table',
  'schema/unknown-kind':
    'a built-in group but a kind the group does not have (kustomize test inputs such as MyKind in v1, kubeconfig-like files); confirmed: the 1.33 OpenAPI documents have no such group/version/kind',
  'schema/missing-field':
    'a required field is absent (kustomize patches and test fragments without containers, selectors or names); confirmed: the parent exists and lacks the field',
  'schema/unknown-field':
    'a field the schema does not have (typos and fields of other versions in examples); confirmed: the field is present in the data',
  'schema/type':
    'a value of the wrong type (numbers where strings are required in examples, unrendered templates); confirmed: the value exists and its type differs from the expected one',
  'schema/format':
    'a value that breaks its format (quantities such as "1 Gi", ports over int32); confirmed: the value is present',
  'schema/enum': 'a value outside the allowed set; confirmed: the value is present',
  'schema/invalid':
    'a value out of range or not matching a pattern or a oneOf; confirmed: the value is present',
  'schema/cel-not-evaluated':
    'the CRD has x-kubernetes-validations rules, which are not evaluated yet; confirmed: the rules are in the CRD',
  'api/deprecated':
    'the apiVersion/kind is deprecated at 1.33 but still served; confirmed against the deprecation table',
  'schema/invalid-name':
    "a name or namespace the API server rejects (camel-case names such as myService and myNs in kustomize test inputs, a template left in a name); confirmed: the value holds a character other than lower-case letters, digits, `-` and `.`, or breaks its kind's stricter rule",
  'schema/invalid-crd':
    "a CustomResourceDefinition the apiextensions server refuses on create: argo-cd's health-check test data holds v1 CRDs dumped from a cluster where they were migrated from v1beta1, without a schema in their versions (v1 requires one) and with `spec.preserveUnknownFields: true` (v1 refuses it on create; only an update of a CRD that already had it keeps it), and kustomize's fn-framework example CRD sets `additionalProperties: false` beside `properties` (at the root, too) and `uniqueItems: true`; confirmed: the schema is missing, or the keyword is present as reported",
  'schema/invalid-metadata':
    "a label key or value the API server rejects (a `/` and `!` in argo-cd's deliberately failing test data); confirmed: the key or value holds a character outside letters, digits, `-`, `_` and `.`, or is longer than 63",
};

/** An independent reading of apimachinery's rules, for confirming what the check reports. */
function breaksNameRule(value: unknown, kind: string, isNamespace: boolean): boolean {
  if (typeof value !== 'string') return false;
  if (/[^a-z0-9.-]/.test(value) || /^[^a-z0-9]|[^a-z0-9]$/.test(value)) return true;
  const label = isNamespace || kind === 'Namespace' || kind === 'Service';
  return label && (value.includes('.') || value.length > 63 || (kind === 'Service' && /^[0-9]/.test(value)));
}

function breaksLabelRule(pointer: string, value: unknown): boolean {
  const key = (pointer.split('/').at(-1) ?? '').replaceAll('~1', '/').replaceAll('~0', '~');
  const part = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
  const name = key.slice(key.lastIndexOf('/') + 1);
  const prefix = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : undefined;
  const badKey = !part.test(name) || (prefix !== undefined && !/^[a-z0-9.-]+$/.test(prefix));
  const badValue = typeof value === 'string' && value !== '' && !part.test(value);
  return badKey || badValue;
}

/** An independent reading of the apiextensions rules the corpus breaks, for confirming. */
function breaksCrdRule(pointer: string, value: unknown, crd: Record<string, unknown>): boolean {
  const key = pointer.split('/').at(-1) ?? '';
  const parent = valueAtPointer(crd, pointer.slice(0, pointer.lastIndexOf('/'))) as
    | Record<string, unknown>
    | undefined;
  if (/^\/spec\/versions\/\d+$/.test(pointer)) {
    return (value as { schema?: { openAPIV3Schema?: unknown } }).schema?.openAPIV3Schema === undefined;
  }
  if (key === 'uniqueItems') return value === true;
  if (pointer === '/spec/preserveUnknownFields') return value === true;
  if (key === 'additionalProperties') {
    const atRoot = pointer.endsWith('/openAPIV3Schema/additionalProperties');
    return value !== undefined && (atRoot || (parent?.['properties'] !== undefined && value !== true));
  }
  return false;
}

const openapiKinds = (() => {
  const kinds = new Set<string>();
  const dir = path.join(shared, 'kubernetes-openapi/1.33/v3');
  for (const file of fs.readdirSync(dir)) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
      components?: { schemas?: Record<string, Record<string, unknown>> };
    };
    for (const schema of Object.values(doc.components?.schemas ?? {})) {
      for (const g of (schema['x-kubernetes-group-version-kind'] as
        | Array<{ group: string; version: string; kind: string }>
        | undefined) ?? []) {
        kinds.add(`${g.group === '' ? g.version : `${g.group}/${g.version}`}/${g.kind}`);
      }
    }
  }
  return kinds;
})();

const removed = (() => {
  const table = load(fs.readFileSync(path.join(shared, 'deprecations/pluto-versions.yaml'), 'utf8')) as {
    'deprecated-versions': Array<Record<string, string>>;
  };
  const minor = (v: string) => Number(v.replace(/^v/, '').split('.')[1] ?? 99);
  return new Set(
    table['deprecated-versions']
      .filter((d) => d['component'] === 'k8s' && d['removed-in'] && minor(d['removed-in']) <= 33)
      .map((d) => `${d['version']}/${d['kind']}`),
  );
})();

function servedByCrd(resources: readonly Resource[], apiVersion: string, kind: string): boolean {
  return resources.some((r) => {
    if (r.id.kind !== 'CustomResourceDefinition') return false;
    const spec = r.object['spec'] as
      | { group?: string; names?: { kind?: string }; versions?: Array<{ name?: string; served?: boolean }> }
      | undefined;
    return (
      spec?.names?.kind === kind &&
      (spec.versions ?? []).some((v) => `${spec.group}/${v.name}` === apiVersion && v.served !== false)
    );
  });
}

/** '' when the data confirms the diagnostic, else why not. */
function confirm(d: Diagnostic, byFile: Map<string, Resource[]>, all: readonly Resource[]): string {
  const resource = (byFile.get(d.span?.path ?? '') ?? []).find(
    (r) =>
      r.id.kind === d.resource?.kind &&
      r.id.name === d.resource?.name &&
      r.id.apiVersion === d.resource?.apiVersion,
  );
  if (!resource || !d.resource) return 'no resource';
  const gvk = `${d.resource.apiVersion}/${d.resource.kind}`;
  const at = valueAtPointer(resource.object, d.path ?? '');
  switch (d.code) {
    case 'schema/no-schema':
      return servedByCrd(all, d.resource.apiVersion, d.resource.kind) || openapiKinds.has(gvk)
        ? 'a schema exists'
        : '';
    case 'api/removed':
      return removed.has(gvk) ? '' : 'not removed';
    case 'schema/unknown-kind':
      return openapiKinds.has(gvk) ? 'kind exists' : '';
    case 'schema/missing-field': {
      const field = /`([^`]+)`/.exec(d.message)?.[1] ?? '';
      // The API server treats a null field as unset, so `field: null` (or a key with only comments) is missing.
      const value = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[field] : 'n/a';
      return value === undefined || value === null ? '' : 'field present';
    }
    case 'schema/cel-not-evaluated':
      return JSON.stringify(at).includes('x-kubernetes-validations') ? '' : 'no rules';
    case 'schema/invalid-name':
      return breaksNameRule(at, d.resource.kind, d.path === '/metadata/namespace')
        ? ''
        : 'the name looks valid';
    case 'schema/invalid-metadata':
      return breaksLabelRule(d.path ?? '', at) ? '' : 'the key and value look valid';
    case 'schema/invalid-crd':
      return breaksCrdRule(d.path ?? '', at, resource.object) ? '' : 'the CRD looks valid there';
    default:
      return at === undefined ? 'no value at the pointer' : '';
  }
}

describe('the corpus validates against Kubernetes 1.33', () => {
  it.each(repos)('%s: every schema diagnostic is listed with a confirmed reason', async (repo) => {
    const root = path.join(corpus, repo);
    const result = await check({ paths: ['.'], cwd: root, config: false, kubernetesVersion: '1.33' });
    const schema = result.diagnostics.filter((d) => isSchemaCode(d.code));
    const byFile = new Map<string, Resource[]>();
    for (const r of result.resources) byFile.set(r.source.path, [...(byFile.get(r.source.path) ?? []), r]);
    const flagged = new Set(schema.map((d) => `${d.span?.path}#${d.resource?.kind}/${d.resource?.name}`));
    const listing = listByCode(
      `${repo} @1.33: ${result.summary.resources} resources, ${result.summary.resources - flagged.size} without schema findings, ${schema.length} schema diagnostics`,
      schema,
      REASONS,
    );
    console.log(listing.text);
    expect(listing.unexplained, 'codes without a reason').toEqual([]);
    const unconfirmed = schema
      .map((d) => [d.span?.path, d.code, d.message, confirm(d, byFile, result.resources)])
      .filter((x) => x[3] !== '');
    expect(unconfirmed).toEqual([]);
    for (const d of schema) expect(d.span?.start.line, `${d.code} has a position`).toBeGreaterThan(0);
  });
});

describe('every bundled version validates the corpus', () => {
  it.each(['1.29', '1.33', '1.35'])('Kubernetes %s', async (version) => {
    const counts: Record<string, number> = {};
    let resources = 0;
    for (const repo of repos) {
      const result = await check({
        paths: ['.'],
        cwd: path.join(corpus, repo),
        config: false,
        kubernetesVersion: version,
      });
      resources += result.summary.resources;
      for (const d of result.diagnostics.filter((x) => isSchemaCode(x.code)))
        counts[d.code] = (counts[d.code] ?? 0) + 1;
    }
    console.log(`corpus @${version}: ${resources} resources; schema diagnostics ${JSON.stringify(counts)}`);
    // argo-cd's examples/plugins/helm/plugin.yaml is a configMapGenerator file of its
    // kustomization (ConfigMap data, not an object kustomize emits), so it is not counted.
    expect(resources).toBe(9504);
    for (const code of Object.keys(counts)) expect(REASONS[code], `a reason for ${code}`).toBeDefined();
  });
});
