// Every YAML and JSON file of the shared corpus of real manifest repositories is read; each
// diagnostic is confirmed by an independent reading of the file (plain js-yaml / JSON.parse),
// and printed with the reason it is right.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Diagnostic, valueAtPointer } from '@shipshape/core';
import { diffHints, loadKubernetesSchemas } from '@shipshape/schema';
import { loadAll } from 'js-yaml';
import { check } from 'shipshape';
import { describe, expect, it } from 'vitest';
import { CORPUS, CORPUS_REPOS, listByCode, SHARED } from './corpus-listing.js';

const shared = SHARED;
const corpus = CORPUS;
const invalid = path.join(shared, 'corpus-invalid');
const repos = CORPUS_REPOS;

const REASONS: Record<string, string> = {
  'manifest/missing-name':
    'the document (or List item) has no string metadata.name and no generateName: test data and kustomize inputs, not appliable objects',
  'manifest/missing-api-version':
    'the document has no string apiVersion (kustomize test inputs and tool configs)',
  'manifest/missing-kind': 'the document has no string kind (kustomize test inputs and tool configs)',
  'manifest/component-config':
    "a component's configuration file, not an API object (kube-prometheus's kind cluster config, kind.x-k8s.io Cluster), without metadata",
  'manifest/not-an-object': 'the document is a scalar or a list, not an object',
  'manifest/duplicate-resource':
    'the same group/kind/namespace/name is defined again in the same folder or a folder below it (test fixtures that repeat objects)',
  'yaml/syntax': 'plain js-yaml cannot parse the file either',
  'yaml/duplicate-key': 'plain js-yaml rejects the file with "duplicated mapping key"',
  'json/syntax': 'JSON.parse rejects the file',
  'file/encoding': 'the bytes are not UTF-8',
  'vap/invalid-policy':
    'a ValidatingAdmissionPolicy in the test data lacks matchConstraints.resourceRules and validations (the API server rejects it)',
  'vap/invalid-binding':
    'a ValidatingAdmissionPolicyBinding in the test data lacks policyName or validationActions, or the paramRef its policy needs',
  'manifest/namespace-ignored':
    'a cluster-scoped kind (per the Kubernetes 1.35 OpenAPI) is written with metadata.namespace, which the API server drops (a ClusterRole and a ClusterRoleBinding written with the namespace of the app they serve)',
  'vap/sample-policy':
    "kustomize's test data holds ValidatingAdmissionPolicy sample-policy (params: Deployment) bound without the paramRef it needs; with failurePolicy Fail the API server rejects every Deployment it matches, across the whole repository",
};

// The scope of a kind, from the bundled OpenAPI: a source independent of the table check uses.
const bundle = await loadKubernetesSchemas('1.35');
const clusterScoped = (apiVersion: unknown, kind: unknown) =>
  typeof apiVersion === 'string' &&
  typeof kind === 'string' &&
  diffHints(bundle, `${apiVersion}/${kind}`).namespaced === false;

const memo = new Map<string, unknown>();
function once<T>(key: string, compute: () => T): T {
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}

function documentsOf(file: string): unknown[] | Error {
  return once(`docs:${file}`, () => {
    try {
      return file.endsWith('.json')
        ? [JSON.parse(fs.readFileSync(file, 'utf8')) as unknown]
        : loadAll(fs.readFileSync(file, 'utf8'), { json: true });
    } catch (error) {
      return error as Error;
    }
  });
}

/** Confirms what a diagnostic claims from an independent reading; returns a mismatch or ''. */
function confirm(root: string, d: Diagnostic): string {
  const file = path.join(root, d.span?.path ?? '');
  const strict = (): string | undefined =>
    once(`strict:${file}`, () => {
      try {
        loadAll(fs.readFileSync(file, 'utf8'));
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    });
  switch (d.code) {
    case 'yaml/syntax':
      return strict() ? '' : 'js-yaml parsed it';
    case 'yaml/duplicate-key':
      return strict()?.includes('duplicated mapping key') ? '' : 'no duplicate key found';
    case 'json/syntax':
      try {
        JSON.parse(fs.readFileSync(file, 'utf8'));
        return 'JSON.parse accepted it';
      } catch {
        return '';
      }
    case 'file/encoding':
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
        return 'valid UTF-8';
      } catch {
        return '';
      }
    case 'vap/invalid-policy':
    case 'vap/invalid-binding': {
      const docs = documentsOf(file);
      const kind =
        docs instanceof Error ? undefined : (docs[d.span?.document ?? -1] as { kind?: unknown } | null)?.kind;
      const want =
        d.code === 'vap/invalid-policy' ? 'ValidatingAdmissionPolicy' : 'ValidatingAdmissionPolicyBinding';
      return kind === want ? '' : `not a ${want}`;
    }
    case 'vap/sample-policy':
      return d.resource?.kind === 'Deployment' && d.data?.['binding'] === 'sample-policy-binding'
        ? ''
        : 'not a Deployment under sample-policy-binding';
    case 'manifest/duplicate-resource': {
      const first = d.data?.['first'] as { path: string } | undefined;
      return first && d.resource ? '' : 'no first location';
    }
    default: {
      const docs = documentsOf(file);
      if (docs instanceof Error) return `unreadable: ${docs.message}`;
      const doc = docs[d.span?.document ?? -1];
      const item = d.path?.startsWith('/items/')
        ? valueAtPointer(doc, d.path.split('/').slice(0, 3).join('/'))
        : undefined;
      const object = (item ?? doc) as Record<string, unknown> | null;
      const metadata = object?.['metadata'] as Record<string, unknown> | undefined;
      const ok: Record<string, boolean> = {
        'manifest/missing-name': typeof metadata?.['name'] !== 'string' || metadata['name'] === '',
        'manifest/missing-api-version':
          typeof object?.['apiVersion'] !== 'string' || object['apiVersion'] === '',
        'manifest/missing-kind': typeof object?.['kind'] !== 'string' || object['kind'] === '',
        'manifest/component-config':
          typeof object?.['apiVersion'] === 'string' &&
          /^(?:[^/]+\.config\.k8s\.io|kubeadm\.k8s\.io|audit\.k8s\.io|kind\.x-k8s\.io)\//.test(
            object['apiVersion'],
          ) &&
          typeof metadata?.['name'] !== 'string',
        'manifest/not-an-object': object === null || typeof object !== 'object' || Array.isArray(object),
        'manifest/namespace-ignored':
          typeof metadata?.['namespace'] === 'string' &&
          metadata['namespace'] !== '' &&
          clusterScoped(object?.['apiVersion'], object?.['kind']),
      };
      return ok[d.code] ? '' : `claim not confirmed for ${d.code}`;
    }
  }
}

describe('corpus of real manifest repositories', () => {
  it.each(repos)('%s: every file is read and every diagnostic is confirmed', async (repo) => {
    const root = path.join(corpus, repo);
    const result = await check({ paths: ['.'], cwd: root, config: false, validate: false });
    const listing = listByCode(
      `${repo}: ${result.summary.files} files, ${result.summary.resources} resources, ${result.diagnostics.length} diagnostics`,
      result.diagnostics,
      REASONS,
    );
    console.log(listing.text);
    expect(listing.unexplained, 'codes without a reason').toEqual([]);
    const unconfirmed = result.diagnostics
      .map((d) => [d.span?.path, d.code, confirm(root, d)])
      .filter(([, , why]) => why !== '');
    expect(unconfirmed).toEqual([]);
    expect(result.summary.files).toBeGreaterThan(0);
    expect(result.summary.resources).toBeGreaterThan(0);
  });
});

describe('corpus of invalid manifests', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'LICENSE' && !e.name.endsWith('.md')) files.push(path.relative(invalid, p));
    }
  };
  walk(invalid);

  it.each(files.sort())('%s yields a diagnostic and no crash', async (file) => {
    const result = await check({ paths: [file], cwd: invalid, config: false, validate: false });
    console.log(
      `${file}: ${result.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}`).join(' | ')}`,
    );
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const d of result.diagnostics) expect(d.span?.path).toBe(file);
  });
});
