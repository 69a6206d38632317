/**
 * The OpenAPI schemas of the built-in kinds, as `@shipshape/schema`'s `loadKubernetesSchemas`
 * gives them: definitions by name, and each `group/version/Kind` (`v1/Pod` for the core group)
 * to its definition.
 */
export interface KindSchemas {
  readonly definitions: Readonly<Record<string, unknown>>;
  readonly kinds: Readonly<Record<string, string>>;
}

type Node = Readonly<Record<string, unknown>>;

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A schema node with its `$ref` (directly or as the one member of `allOf`) followed. */
function resolve(schemas: KindSchemas, node: unknown, depth = 0): Node | undefined {
  if (!isNode(node) || depth > 8) return undefined;
  const ref =
    node['$ref'] ??
    (Array.isArray(node['allOf']) && isNode(node['allOf'][0]) ? node['allOf'][0]['$ref'] : undefined);
  if (typeof ref !== 'string') return node;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  return Object.hasOwn(schemas.definitions, name)
    ? resolve(schemas, schemas.definitions[name], depth + 1)
    : undefined;
}

/**
 * Why the fields `path` selects from `object` (`['spec', 'replicass']`) cannot be selected on an
 * object of `kind` (`apps/v1/Deployment`), as the API server's type check of a policy finds it;
 * `undefined` when they can, or when the schema does not say (an unknown kind, a map, fields kept
 * unknown, an object without listed properties). Field names may be escaped as Kubernetes escapes
 * them for CEL (`x__dash__prop`); messages show the path from `root`.
 */
export function fieldProblem(
  schemas: KindSchemas,
  kind: string,
  path: readonly string[],
  root = 'object',
): string | undefined {
  const definition = Object.hasOwn(schemas.kinds, kind) ? schemas.kinds[kind] : undefined;
  if (definition === undefined || !Object.hasOwn(schemas.definitions, definition)) return undefined;
  let node = resolve(schemas, schemas.definitions[definition]);
  for (let i = 0; i < path.length; i++) {
    if (node === undefined || node['x-kubernetes-preserve-unknown-fields'] === true) return undefined;
    const field = path[i] ?? '';
    const item = field === ITEM || field === ITEM_OR_VALUE;
    if (node['type'] === 'array' && (item || /^[0-9]+$/.test(field))) {
      node = resolve(schemas, node['items']);
      continue;
    }
    const properties = isNode(node['properties']) ? node['properties'] : undefined;
    const name = properties === undefined || item ? field : propertyName(properties, field);
    if (!item && properties !== undefined && name !== undefined) {
      node = resolve(schemas, properties[name]);
      continue;
    }
    // An embedded resource has its type's fields whatever its schema lists.
    if (node['x-kubernetes-embedded-resource'] === true && EMBEDDED_FIELDS.has(field)) {
      node = field === 'metadata' ? EMBEDDED_METADATA : undefined;
      continue;
    }
    const additional = node['additionalProperties'];
    if (additional === true || isNode(additional)) {
      // A one-variable macro over a map binds its keys: strings, with no fields to check.
      if (field === ITEM) return undefined;
      node = additional === true ? undefined : resolve(schemas, additional);
      continue;
    }
    // Iterating what is neither a list nor a map is the type check's own error, not a field's.
    if (item) return undefined;
    const where = shown(root, path.slice(0, i));
    if (node['x-kubernetes-int-or-string'] === true)
      return `${where} is an int or a string, which has no field '${field}'`;
    const type = node['type'];
    if (properties !== undefined) return `${where} has no field '${field}'`;
    if (type === 'array') return `${where} is a list, which has no field '${field}' (its items may)`;
    // An object whose schema lists no properties (a RawExtension) is not judged.
    if (type === 'object') return undefined;
    if (typeof type === 'string')
      return `${where} is a${/^[aeiou]/.test(type) ? 'n' : ''} ${type}, which has no field '${field}'`;
    return undefined;
  }
  return undefined;
}

/** The segment of a macro variable bound to a list's items (or a map's keys); see `typedPaths`. */
const ITEM = '*';
/** The segment of a two-variable macro's value variable: a list's item or a map's value. */
const ITEM_OR_VALUE = '**';

/** A path as an expression reads it: `object.spec.containers[*].image`. */
function shown(root: string, path: readonly string[]): string {
  let out = root;
  for (const field of path)
    out +=
      field === ITEM || field === ITEM_OR_VALUE ? '[*]' : /^[0-9]+$/.test(field) ? `[${field}]` : `.${field}`;
  return out;
}

const EMBEDDED_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);
const EMBEDDED_METADATA: Node = {
  type: 'object',
  properties: { name: { type: 'string' }, generateName: { type: 'string' } },
};

/** The words CEL reserves: a property named so is read as `__<word>__`. */
export const CEL_RESERVED: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * The property a CEL field name reads, undoing Kubernetes' escaping of property names
 * (`x__dash__prop` is `x-prop`, `__namespace__` is `namespace`); `undefined` when there is none.
 */
function propertyName(properties: Node, field: string): string | undefined {
  if (Object.hasOwn(properties, field)) return field;
  const keyword = /^__([a-z]+)__$/.exec(field)?.[1];
  if (keyword !== undefined && CEL_RESERVED.has(keyword) && Object.hasOwn(properties, keyword))
    return keyword;
  const unescaped = field
    .replaceAll('__underscores__', '\u0000')
    .replaceAll('__dot__', '.')
    .replaceAll('__dash__', '-')
    .replaceAll('__slash__', '/')
    .replaceAll('\u0000', '__');
  return Object.hasOwn(properties, unescaped) ? unescaped : undefined;
}

const STRING: Node = { type: 'string' };

/** The definition name of metadata in the bundled schemas. */
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const UNKNOWN: Node = { 'x-kubernetes-preserve-unknown-fields': true };

/**
 * The schema of `version` of the kind a CustomResourceDefinition object defines, as the API
 * server publishes it for the type check: the version's `openAPIV3Schema` (or a v1beta1
 * definition's `spec.validation`), with `apiVersion`, `kind` and the standard `metadata` (the
 * ObjectMeta of `builtIn`, when given, else not judged) at its root. `undefined` when the
 * definition has no schema for the version. The kind is `kinds[key]`.
 */
export function definedKindSchemas(
  definition: unknown,
  version: string,
  key: string,
  builtIn?: KindSchemas,
): KindSchemas | undefined {
  const spec = isNode(definition) ? definition['spec'] : undefined;
  if (!isNode(spec)) return undefined;
  const versions = Array.isArray(spec['versions']) ? spec['versions'] : [];
  const entry = versions.find((v): v is Node => isNode(v) && v['name'] === version);
  const schemaOf = (holder: unknown) =>
    isNode(holder) && isNode(holder['openAPIV3Schema']) ? holder['openAPIV3Schema'] : undefined;
  const versionSchema = entry === undefined ? undefined : schemaOf(entry['schema']);
  // apiextensions.k8s.io/v1beta1: one schema for every version, when the versions have none.
  const root =
    versionSchema ??
    (entry !== undefined || spec['version'] === version ? schemaOf(spec['validation']) : undefined);
  if (root === undefined) return undefined;
  const meta = builtIn !== undefined && Object.hasOwn(builtIn.definitions, OBJECT_META);
  const properties = isNode(root['properties']) ? root['properties'] : {};
  // Named as the bundle names its definitions: `com.example.stable.v1.CronTab`.
  const group = typeof spec['group'] === 'string' ? spec['group'] : '';
  const kind =
    isNode(spec['names']) && typeof spec['names']['kind'] === 'string' ? spec['names']['kind'] : '';
  const name = [...group.split('.').reverse(), version, kind].filter((s) => s !== '').join('.');
  return {
    kinds: { [key]: name },
    definitions: {
      // ObjectMeta and what it refers to (owner references, managed fields).
      ...(meta ? builtIn.definitions : {}),
      [name]: {
        ...root,
        properties: {
          ...properties,
          apiVersion: STRING,
          kind: STRING,
          metadata: meta ? { $ref: `#/definitions/${OBJECT_META}` } : UNKNOWN,
        },
      },
    },
  };
}
const GROUP_VERSION_KIND: Node = {
  type: 'object',
  properties: { group: STRING, version: STRING, kind: STRING },
};
const GROUP_VERSION_RESOURCE: Node = {
  type: 'object',
  properties: { group: STRING, version: STRING, resource: STRING },
};

const STRING_MAP: Node = { type: 'object', additionalProperties: STRING };
const STRINGS: Node = { type: 'array', items: STRING };

/**
 * The type the API server gives `namespaceObject` (`kubernetes.Namespace`): a part of a
 * Namespace, without `ownerReferences`, `managedFields` or `uid` (its `UID` is capitalised).
 */
export const NAMESPACE_SCHEMAS: KindSchemas = {
  kinds: { namespaceObject: 'kubernetes.Namespace' },
  definitions: {
    'kubernetes.Namespace': {
      type: 'object',
      properties: {
        metadata: {
          type: 'object',
          properties: {
            name: STRING,
            generateName: STRING,
            namespace: STRING,
            labels: STRING_MAP,
            annotations: STRING_MAP,
            UID: STRING,
            creationTimestamp: STRING,
            deletionGracePeriodSeconds: { type: 'integer' },
            deletionTimestamp: STRING,
            generation: { type: 'integer' },
            resourceVersion: STRING,
            finalizers: STRINGS,
          },
        },
        spec: { type: 'object', properties: { finalizers: STRINGS } },
        status: {
          type: 'object',
          properties: {
            phase: STRING,
            conditions: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  status: STRING,
                  type: STRING,
                  lastTransitionTime: STRING,
                  message: STRING,
                  reason: STRING,
                },
              },
            },
          },
        },
      },
    },
  },
};

/**
 * The type the API server gives `request` in admission-policy expressions
 * (`kubernetes.AdmissionRequest`, a part of the admission request: no `uid`, no objects). A
 * field it lacks does not compile.
 */
export const REQUEST_SCHEMAS: KindSchemas = {
  kinds: { request: 'kubernetes.AdmissionRequest' },
  definitions: {
    'kubernetes.AdmissionRequest': {
      type: 'object',
      properties: {
        kind: GROUP_VERSION_KIND,
        resource: GROUP_VERSION_RESOURCE,
        subResource: STRING,
        requestKind: GROUP_VERSION_KIND,
        requestResource: GROUP_VERSION_RESOURCE,
        requestSubResource: STRING,
        name: STRING,
        namespace: STRING,
        operation: STRING,
        userInfo: {
          type: 'object',
          properties: {
            username: STRING,
            uid: STRING,
            groups: STRINGS,
            extra: { type: 'object', additionalProperties: STRINGS },
          },
        },
        dryRun: { type: 'boolean' },
        // `dyn` in the API server's type.
        options: { 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};
