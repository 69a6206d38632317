// What the apiextensions API server checks in an `apiextensions.k8s.io/v1`
// CustomResourceDefinition beyond its OpenAPI schema (apiextensions/validation/validation.go):
// the name, the names, the versions, and each version's schema (structural-schema.ts). The CRD's
// OpenAPI says only "string" and "array" for these, so a CRD the server refuses passed before.

import { defaultProblems } from './crd-defaults.js';
import { asSchema as asObject, type CrdProblem, problem, type Schema } from './crd-problem.js';
import { isDnsLabel, isLower, isSubdomain } from './object-meta.js';
import { structuralSchemaProblems } from './structural-schema.js';

const DNS1035 =
  'a DNS-1035 label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit';

function isDns1035(text: string): boolean {
  return isDnsLabel(text, 0, text.length) && isLower(text.charCodeAt(0));
}

/**
 * Why the API server would refuse `crd`, an `apiextensions.k8s.io/v1` CustomResourceDefinition
 * object, in document order. Values of the wrong type are left to the schema check.
 */
export function crdProblems(crd: Schema): CrdProblem[] {
  const spec = asObject(crd['spec']);
  if (!spec) return [];
  const out: CrdProblem[] = [];
  const group = spec['group'];
  const names = asObject(spec['names']);
  const plural = names?.['plural'];
  const name = asObject(crd['metadata'])?.['name'];
  if (typeof name === 'string' && typeof plural === 'string' && typeof group === 'string') {
    if (name !== `${plural}.${group}`) {
      problem(
        out,
        ['metadata', 'name'],
        `a CustomResourceDefinition must be named \`<spec.names.plural>.<spec.group>\`, here \`${plural}.${group}\`, not \`${name}\``,
      );
    }
  }
  if (typeof group === 'string' && group !== '') {
    if (!isSubdomain(group)) {
      problem(out, ['spec', 'group'], 'spec.group must be a DNS subdomain, such as `example.com`');
    } else if (!group.includes('.')) {
      problem(
        out,
        ['spec', 'group'],
        'spec.group must be a domain with at least one dot, such as `example.com`',
      );
    }
  }
  if (names) namesProblems(names, out);
  if (spec['preserveUnknownFields'] === true) {
    problem(
      out,
      ['spec', 'preserveUnknownFields'],
      'spec.preserveUnknownFields must not be true in apiextensions.k8s.io/v1; set x-kubernetes-preserve-unknown-fields: true in the version schemas instead',
    );
  }
  versionsProblems(spec['versions'], out);
  return out;
}

function namesProblems(names: Schema, out: CrdProblem[]): void {
  for (const key of ['plural', 'singular']) {
    const value = names[key];
    if (typeof value === 'string' && value !== '' && !isDns1035(value)) {
      problem(out, ['spec', 'names', key], `names.${key} must be ${DNS1035}`);
    }
  }
  // Kinds may mix case, but are otherwise held to the same rule.
  for (const key of ['kind', 'listKind']) {
    const value = names[key];
    if (typeof value === 'string' && value !== '' && !isDns1035(value.toLowerCase())) {
      problem(out, ['spec', 'names', key], `names.${key} may mix case, but must otherwise be ${DNS1035}`);
    }
  }
  if (typeof names['kind'] === 'string' && names['kind'] !== '' && names['kind'] === names['listKind']) {
    problem(out, ['spec', 'names', 'listKind'], 'names.kind and names.listKind must differ');
  }
  for (const key of ['shortNames', 'categories']) {
    const list = names[key];
    if (!Array.isArray(list)) continue;
    list.forEach((value: unknown, i) => {
      if (typeof value === 'string' && !isDns1035(value)) {
        problem(out, ['spec', 'names', key, i], `each of names.${key} must be ${DNS1035}`);
      }
    });
  }
}

function versionsProblems(versions: unknown, out: CrdProblem[]): void {
  if (!Array.isArray(versions)) return;
  if (versions.length === 0) {
    problem(
      out,
      ['spec', 'versions'],
      'spec.versions must list at least one version, one of them with `storage: true`',
    );
    return;
  }
  const seen = new Set<string>();
  const storage: Array<[index: number, name: string]> = [];
  versions.forEach((entry: unknown, i) => {
    const version = asObject(entry);
    if (!version) return;
    const name = version['name'];
    if (typeof name === 'string') {
      if (!isDns1035(name))
        problem(out, ['spec', 'versions', i, 'name'], `a version name must be ${DNS1035}`);
      else if (seen.has(name))
        problem(out, ['spec', 'versions', i, 'name'], `version \`${name}\` is listed twice`);
      seen.add(name);
    }
    if (version['storage'] === true) storage.push([i, typeof name === 'string' ? name : String(i)]);
    const schema = asObject(asObject(version['schema'])?.['openAPIV3Schema']);
    if (schema) {
      const at = ['spec', 'versions', i, 'schema', 'openAPIV3Schema'];
      out.push(...structuralSchemaProblems(schema, at), ...defaultProblems(schema, at));
    } else {
      // A CRD migrated from v1beta1 may lack it on a live cluster; creating one without it fails.
      const at = asObject(version['schema']) ? ['spec', 'versions', i, 'schema'] : ['spec', 'versions', i];
      problem(out, at, 'every version needs schema.openAPIV3Schema in apiextensions.k8s.io/v1');
    }
  });
  if (storage.length === 0) {
    problem(out, ['spec', 'versions'], 'exactly one version must have `storage: true`; none has');
  }
  const first = storage[0]?.[1];
  for (const [i] of storage.slice(1)) {
    problem(
      out,
      ['spec', 'versions', i, 'storage'],
      `exactly one version must have \`storage: true\`; \`${first}\` already has`,
    );
  }
}
