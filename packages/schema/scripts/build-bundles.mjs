#!/usr/bin/env node
// Build time: turn the official Kubernetes OpenAPI v3 documents in ../shared/kubernetes-openapi/<version>/v3/
// into one compact module per version (descriptions dropped, $refs kept shared), plus the deprecated-API
// table from ../shared/deprecations/. Output goes to packages/schema/generated/ (ignored by Git, shipped in
// the package). Run time reads nothing outside the package and needs no network.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

const here = dirname(fileURLToPath(import.meta.url));
const shared = join(here, '../../../../shared');
const out = join(here, '../generated');
const DROP = new Set(['description', 'example', 'externalDocs']);
// Kinds every group version carries that are not manifests.
const NOT_MANIFESTS = new Set([
  'DeleteOptions',
  'WatchEvent',
  'Status',
  'APIResourceList',
  'APIGroup',
  'APIGroupList',
  'APIVersions',
]);

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const outNode = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k)) continue;
    if (k === '$ref' && typeof v === 'string')
      outNode[k] = v.replace('#/components/schemas/', '#/definitions/');
    else if (k === 'properties' || k === 'patternProperties') {
      // property names are data here, never keywords: keep "description" fields of CRD-like objects
      outNode[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, strip(s)]));
    } else outNode[k] = strip(v);
  }
  return outNode;
}

function buildVersion(version) {
  const dir = join(shared, 'kubernetes-openapi', version, 'v3');
  const definitions = {};
  const kinds = {};
  const namespaced = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      definitions[name] = strip(schema);
      const gvks = schema['x-kubernetes-group-version-kind'] ?? [];
      if (gvks.length !== 1) continue;
      const { group, version: v, kind } = gvks[0];
      if (NOT_MANIFESTS.has(kind)) continue;
      kinds[`${group === '' ? v : `${group}/${v}`}/${kind}`] = name;
    }
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const op of Object.values(item)) {
        const gvk = op?.['x-kubernetes-group-version-kind'];
        if (
          !gvk ||
          (op['x-kubernetes-action'] !== 'list' &&
            op['x-kubernetes-action'] !== 'get' &&
            op['x-kubernetes-action'] !== 'post')
        )
          continue;
        const key = `${gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`}/${gvk.kind}`;
        const isNamespaced = path.includes('/namespaces/{namespace}/');
        if (path.includes('/watch/')) continue;
        namespaced[key] = (namespaced[key] ?? false) || isNamespaced;
      }
    }
  }
  return { version, definitions, kinds, namespaced };
}

const TYPES = {
  BundleData:
    '{ version: string; definitions: Record<string, Record<string, unknown>>; kinds: Record<string, string>; namespaced: Record<string, boolean> }',
  DeprecationData:
    '{ apiVersion: string; kind: string; deprecatedIn?: string; removedIn?: string; replacement?: string; replacementAvailableIn?: string; component: string }[]',
};

function writeModule(name, data, typeName) {
  const json = JSON.stringify(data);
  // JSON.parse of a string literal is the fastest way for an engine to load a large object literal.
  writeFileSync(join(out, `${name}.js`), `export default JSON.parse(${JSON.stringify(json)});\n`);
  writeFileSync(join(out, `${name}.d.ts`), `declare const data: ${TYPES[typeName]};\nexport default data;\n`);
  return json.length;
}

mkdirSync(out, { recursive: true });
const versions = readdirSync(join(shared, 'kubernetes-openapi'))
  .filter((v) => /^\d+\.\d+$/.test(v))
  .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
for (const version of versions) {
  const bundle = buildVersion(version);
  const size = writeModule(`kubernetes-${version}`, bundle, 'BundleData');
  console.log(
    `kubernetes ${version}: ${Object.keys(bundle.kinds).length} kinds, ${Object.keys(bundle.definitions).length} definitions, ${(size / 1024).toFixed(0)} KiB`,
  );
}
const pluto = load(readFileSync(join(shared, 'deprecations', 'pluto-versions.yaml'), 'utf8'));
const deprecations = pluto['deprecated-versions'].map((d) => ({
  apiVersion: d.version,
  kind: d.kind,
  deprecatedIn: d['deprecated-in'] || undefined,
  removedIn: d['removed-in'] || undefined,
  replacement: d['replacement-api'] || undefined,
  replacementAvailableIn: d['replacement-available-in'] || undefined,
  component: d.component,
}));
writeModule('deprecations', deprecations, 'DeprecationData');
writeFileSync(join(out, 'versions.js'), `export default ${JSON.stringify(versions)};\n`);
writeFileSync(join(out, 'versions.d.ts'), 'declare const versions: string[];\nexport default versions;\n');
console.log(`deprecations: ${deprecations.length} entries; versions: ${versions.join(', ')}`);
if (!existsSync(join(out, 'deprecations.js'))) process.exit(1);
