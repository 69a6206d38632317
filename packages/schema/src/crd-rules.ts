// What the apiextensions API server checks in an `apiextensions.k8s.io/v1`
// CustomResourceDefinition beyond its OpenAPI schema (apiextensions/validation/validation.go):
// the name, the names, the versions with their subresources, printer columns and selectable
// fields, the conversion, and each version's schema (structural-schema.ts, crd-defaults.ts,
// crd-validation-rules.ts). The CRD's OpenAPI says only "string" and "array" for these, so a CRD
// the server refuses passed before.

import { type DefaultRules, defaultProblems } from './crd-defaults.js';
import { asSchema as asObject, type CrdProblem, type Path, problem, type Schema } from './crd-problem.js';
import { type CelCompiler, validationRuleProblems } from './crd-validation-rules.js';
import { isDnsLabel, isLower, isSubdomain } from './object-meta.js';
import { structuralSchemaProblems } from './structural-schema.js';

const DNS1035 =
  'a DNS-1035 label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit';

function isDns1035(text: string): boolean {
  return isDnsLabel(text, 0, text.length) && isLower(text.charCodeAt(0));
}

/** The CEL a CRD check can use: a compiler for its rules, evaluators for its defaults. */
export interface CrdCel extends DefaultRules {
  readonly compile?: CelCompiler;
}

/**
 * Why the API server would refuse `crd`, an `apiextensions.k8s.io/v1` CustomResourceDefinition
 * object, in document order. Values of the wrong type are left to the schema check. With
 * `cel.compile`, the CEL validation rules and message expressions are compiled too, and with its
 * evaluators defaults must pass the rules.
 */
export function crdProblems(crd: Schema, cel: CrdCel = {}): CrdProblem[] {
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
  versionsProblems(spec['versions'], out, cel);
  conversionProblems(asObject(spec['conversion']), out);
  return out;
}

/**
 * Why the API server would refuse `crd` as an update of `old`, the definition the cluster has: an
 * established definition keeps its `spec.scope` and `spec.names.kind`, by which its objects are
 * stored (`spec.group` and `spec.names.plural` make its name, so a change there is another
 * definition). A definition in the cluster is taken to be established.
 */
export function crdUpdateProblems(crd: Schema, old: Schema): CrdProblem[] {
  const out: CrdProblem[] = [];
  const spec = asObject(crd['spec']);
  const oldSpec = asObject(old['spec']);
  if (!spec || !oldSpec) return out;
  const immutable = (path: readonly string[], now: unknown, before: unknown, what: string) => {
    if (typeof now !== 'string' || typeof before !== 'string' || now === before) return;
    problem(
      out,
      ['spec', ...path],
      `${what} is immutable once the CustomResourceDefinition is established: it is \`${before}\` in the cluster, so \`${now}\` is refused (its objects are stored by it; to change it, create the definition anew)`,
    );
  };
  immutable(['scope'], spec['scope'], oldSpec['scope'], 'spec.scope');
  immutable(
    ['names', 'kind'],
    asObject(spec['names'])?.['kind'],
    asObject(oldSpec['names'])?.['kind'],
    'spec.names.kind',
  );
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

function versionsProblems(versions: unknown, out: CrdProblem[], cel: CrdCel): void {
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
    subresourceProblems(asObject(version['subresources']), ['spec', 'versions', i, 'subresources'], out);
    printerColumnProblems(version['additionalPrinterColumns'], ['spec', 'versions', i], out);
    selectableFieldProblems(version['selectableFields'], schema, ['spec', 'versions', i], out);
    if (schema) {
      const at = ['spec', 'versions', i, 'schema', 'openAPIV3Schema'];
      out.push(
        ...structuralSchemaProblems(schema, at),
        ...defaultProblems(schema, at, cel),
        ...validationRuleProblems(schema, at, cel.compile),
      );
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

/**
 * `.a.b` paths of printer columns and the scale subresource (validateSimpleJSONPath): not empty,
 * starting with a dot.
 */
function simplePathProblem(path: string): string | undefined {
  if (path === '') return 'must not be empty';
  if (!path.startsWith('.')) return 'must be a simple JSON path starting with `.`, such as `.spec.replicas`';
  return undefined;
}

function subresourceProblems(subresources: Schema | undefined, at: Path, out: CrdProblem[]): void {
  const scale = asObject(subresources?.['scale']);
  if (!scale) return;
  const paths: Array<[key: string, under: readonly string[], required: boolean]> = [
    ['specReplicasPath', ['.spec.'], true],
    ['statusReplicasPath', ['.status.'], true],
    ['labelSelectorPath', ['.spec.', '.status.'], false],
  ];
  for (const [key, under, required] of paths) {
    const value = scale[key];
    // An absent required path is the CRD schema's own `schema/missing-field`.
    if (value === '' && required) problem(out, [...at, 'scale', key], `\`${key}\` must not be empty`);
    if (typeof value !== 'string' || value === '') continue;
    const why = simplePathProblem(value);
    if (why !== undefined) problem(out, [...at, 'scale', key], `\`${key}\` ${why}`);
    else if (!under.some((prefix) => value.startsWith(prefix)))
      problem(out, [...at, 'scale', key], `\`${key}\` must be a JSON path under ${under.join(' or ')}`);
  }
}

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function printerColumnProblems(columns: unknown, at: Path, out: CrdProblem[]): void {
  if (!Array.isArray(columns)) return;
  columns.forEach((entry: unknown, i) => {
    const column = asObject(entry);
    if (!column) return;
    const here = [...at, 'additionalPrinterColumns', i];
    const { type, format, jsonPath } = column;
    if (typeof type === 'string' && !COLUMN_TYPES.includes(type))
      problem(out, [...here, 'type'], `a printer column's type must be one of ${COLUMN_TYPES.join(', ')}`);
    if (typeof format === 'string' && format !== '' && !COLUMN_FORMATS.includes(format))
      problem(
        out,
        [...here, 'format'],
        `a printer column's format must be one of ${COLUMN_FORMATS.join(', ')}`,
      );
    if (typeof jsonPath === 'string') {
      const why = simplePathProblem(jsonPath);
      if (why !== undefined) problem(out, [...here, 'jsonPath'], `\`jsonPath\` ${why}`);
    }
  });
}

const MAX_SELECTABLE_FIELDS = 8;

/**
 * `selectableFields`: at most eight, each a path (no list index) to a string, integer or boolean
 * field of the version's schema, none twice.
 */
function selectableFieldProblems(
  fields: unknown,
  schema: Schema | undefined,
  at: Path,
  out: CrdProblem[],
): void {
  if (!Array.isArray(fields)) return;
  if (fields.length > MAX_SELECTABLE_FIELDS) {
    problem(
      out,
      [...at, 'selectableFields'],
      `at most ${MAX_SELECTABLE_FIELDS} selectable fields are allowed, not ${fields.length}`,
    );
  }
  const seen = new Set<string>();
  fields.forEach((entry: unknown, i) => {
    const jsonPath = asObject(entry)?.['jsonPath'];
    if (typeof jsonPath !== 'string') return;
    const here = [...at, 'selectableFields', i, 'jsonPath'];
    const why = simplePathProblem(jsonPath);
    if (why !== undefined) {
      problem(out, here, `\`jsonPath\` ${why}`);
      return;
    }
    if (seen.has(jsonPath)) problem(out, here, `\`${jsonPath}\` is selectable twice`);
    seen.add(jsonPath);
    if (!schema) return;
    let node: Schema | undefined = schema;
    for (const name of jsonPath.slice(1).split('.')) {
      node = asObject(asObject(node?.['properties'])?.[name]);
      if (!node) {
        problem(out, here, `\`${jsonPath}\` does not refer to a field of the version's schema`);
        return;
      }
    }
    const type = node['type'];
    if (type !== 'string' && type !== 'integer' && type !== 'boolean')
      problem(out, here, `\`${jsonPath}\` must point to a field of type string, integer or boolean`);
  });
}

const REVIEW_VERSIONS = ['v1', 'v1beta1'];

/**
 * `spec.conversion`: a webhook (with a client config naming exactly one of a URL or a service,
 * and review versions the server speaks) when the strategy is `Webhook`, and none otherwise.
 */
function conversionProblems(conversion: Schema | undefined, out: CrdProblem[]): void {
  if (!conversion) return;
  const at = ['spec', 'conversion'];
  const webhook = asObject(conversion['webhook']);
  if (conversion['strategy'] !== 'Webhook') {
    if (webhook)
      problem(out, [...at, 'webhook'], '`webhook` must not be set unless the strategy is `Webhook`', true);
    return;
  }
  if (!webhook) {
    problem(
      out,
      at,
      'a `Webhook` conversion needs `webhook` (its clientConfig and conversionReviewVersions)',
      true,
    );
    return;
  }
  const client = asObject(webhook['clientConfig']);
  if (!client) {
    problem(out, [...at, 'webhook'], 'a conversion webhook needs `clientConfig`', true);
  } else {
    const url = client['url'];
    const service = asObject(client['service']);
    if ((url === undefined) === (service === undefined)) {
      problem(out, [...at, 'webhook', 'clientConfig'], 'exactly one of `url` or `service` is required', true);
    } else if (typeof url === 'string') {
      const why = webhookUrlProblem(url);
      if (why) problem(out, [...at, 'webhook', 'clientConfig', 'url'], `the webhook URL ${why}`);
    } else if (service) {
      servicePathProblems(service, [...at, 'webhook', 'clientConfig', 'service'], out);
    }
  }
  const versions = webhook['conversionReviewVersions'];
  if (Array.isArray(versions)) {
    const seen = new Set<unknown>();
    versions.forEach((v, i) => {
      if (seen.has(v))
        problem(out, [...at, 'webhook', 'conversionReviewVersions', i], `\`${String(v)}\` is listed twice`);
      seen.add(v);
    });
    if (!versions.some((v) => REVIEW_VERSIONS.includes(String(v)))) {
      problem(
        out,
        [...at, 'webhook', 'conversionReviewVersions'],
        `conversionReviewVersions must include one the API server speaks: ${REVIEW_VERSIONS.join(' or ')}`,
      );
    }
  }
}

/** Why the API server refuses a webhook URL: not https, with user info, a query or a fragment. */
function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL, such as `https://converter.example.com/convert`';
  }
  if (parsed.protocol !== 'https:') return `must use https, not \`${parsed.protocol.replace(/:$/, '')}\``;
  if (parsed.username !== '' || parsed.password !== '') return 'must not hold a user or password';
  if (parsed.search !== '' || url.includes('?')) return 'must not have a query';
  if (parsed.hash !== '' || url.includes('#')) return 'must not have a fragment';
  return undefined;
}

function servicePathProblems(service: Schema, at: Path, out: CrdProblem[]): void {
  const path = service['path'];
  if (typeof path === 'string' && path !== '' && !path.startsWith('/'))
    problem(out, [...at, 'path'], 'the service path must start with `/`');
  const port = service['port'];
  if (typeof port === 'number' && (!Number.isInteger(port) || port < 1 || port > 65535))
    problem(out, [...at, 'port'], 'the service port must be between 1 and 65535');
}
