// A CustomResourceDefinition the apiextensions API server refuses: its name, names, versions and
// structural schema (apiextensions/validation/validation.go, apiserver/schema/validation.go).
import { parseManifests } from '@shipshape/manifests';
import { loadKubernetesSchemas, SCHEMA_CODES, type SchemaBundle, validateResources } from '@shipshape/schema';
import { beforeAll, describe, expect, it } from 'vitest';

let bundle: SchemaBundle;
beforeAll(async () => {
  bundle = await loadKubernetesSchemas('1.33');
});

function run(text: string) {
  const set = parseManifests([{ path: 'crd.yaml', content: text }]);
  expect(set.diagnostics).toEqual([]);
  return validateResources(set.resources, { bundle, locator: set.locator });
}

interface Parts {
  name?: string;
  group?: string;
  names?: object;
  versions?: object[];
  schema?: object;
}

const validSchema = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } },
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer' },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        limit: {
          'x-kubernetes-int-or-string': true,
          allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, { pattern: '^[0-9]+' }],
        },
        extra: { 'x-kubernetes-preserve-unknown-fields': true },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        mode: { type: 'string', anyOf: [{ enum: ['a'] }, { pattern: '^b' }] },
        hosts: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name', 'protocol'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, protocol: { type: 'string', default: 'TCP' } },
          },
        },
        selectors: {
          type: 'array',
          'x-kubernetes-list-type': 'set',
          items: {
            type: 'object',
            'x-kubernetes-map-type': 'atomic',
            additionalProperties: { type: 'string' },
          },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      },
    },
  },
};

// JSON is YAML, so parts are written as JSON flow collections.
function crd(parts: Parts = {}): string {
  const names = parts.names ?? { kind: 'Widget', plural: 'widgets' };
  const versions = parts.versions ?? [
    { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: parts.schema ?? validSchema } },
  ];
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${parts.name ?? 'widgets.example.com'}}
spec:
  group: ${parts.group ?? 'example.com'}
  names: ${JSON.stringify(names)}
  scope: Namespaced
  versions: ${JSON.stringify(versions)}
`;
}

const S = '/spec/versions/0/schema/openAPIV3Schema';
const withSpec = (spec: object) => ({ type: 'object', properties: { spec } });
const version = (name: string, storage: boolean, extra: object = {}) => ({
  name,
  served: true,
  storage,
  schema: { openAPIV3Schema: { type: 'object' } },
  ...extra,
});

// Subresources, printer columns and selectable fields of a version.
const typed = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        mode: { type: 'string' },
        list: { type: 'array', items: { type: 'string' } },
      },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
  },
};
const withExtras = (extra: object) => ({
  versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: typed }, ...extra }],
});
const V = '/spec/versions/0';

describe('CustomResourceDefinitions the API server accepts', () => {
  const valid: Array<[string, Parts]> = [
    ['a structural schema using int-or-string, preserved and embedded fields, map and set lists', {}],
    // The server lower-cases kinds before checking them: a lower-case kind is accepted.
    [
      'a lower-case kind and a listKind, singular, short names and categories',
      {
        names: {
          kind: 'widget',
          listKind: 'WidgetList',
          plural: 'widgets',
          singular: 'widget',
          shortNames: ['wd'],
          categories: ['all'],
        },
      },
    ],
    ['several versions, one stored', { versions: [version('v1', true), version('v1beta1', false)] }],
    [
      'defaults that pass their rules, and one under a rule not evaluated here',
      {
        schema: withSpec({
          type: 'object',
          properties: {
            a: { type: 'integer', default: 1, 'x-kubernetes-validations': [{ rule: 'self > 0' }] },
            b: {
              type: 'string',
              default: '1Gi',
              'x-kubernetes-validations': [{ rule: "quantity(self).isLessThan(quantity('2Gi'))" }],
            },
            c: { type: 'integer', default: 1, 'x-kubernetes-validations': [{ rule: 'self >= oldSelf' }] },
          },
        }),
      },
    ],
    [
      'root junctors naming only declared fields, and a nested junctor the server does not check',
      {
        schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: { a: { type: 'string' }, b: { type: 'string' } },
              // Completeness is checked from the root's junctors only (ValidateStructural).
              anyOf: [{ properties: { c: { minLength: 1 } } }],
            },
          },
          oneOf: [
            { properties: { spec: { required: ['a'], properties: { a: { minLength: 1 } } } } },
            { properties: { spec: { required: ['b'] } } },
          ],
        },
      },
    ],
    [
      'a scale subresource, printer columns and selectable fields',
      withExtras({
        subresources: {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
        additionalPrinterColumns: [
          { name: 'Replicas', type: 'integer', format: 'int32', jsonPath: '.spec.replicas' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        selectableFields: [{ jsonPath: '.spec.mode' }, { jsonPath: '.status.replicas' }],
      }),
    ],
    [
      'validation rules with messages, reasons, field paths into properties and map keys, oldSelf in a map list',
      {
        schema: withSpec({
          type: 'object',
          properties: {
            a: { type: 'object', properties: { b: { type: 'string' } } },
            m: {
              type: 'object',
              additionalProperties: { type: 'object', properties: { c: { type: 'integer' } } },
            },
            items: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['a'],
              items: {
                type: 'object',
                required: ['a'],
                properties: { a: { type: 'string' } },
                'x-kubernetes-validations': [{ rule: 'self.a == oldSelf.a', optionalOldSelf: true }],
              },
            },
          },
          'x-kubernetes-validations': [
            { rule: "self.a.b != ''", message: 'b is set', reason: 'FieldValueRequired', fieldPath: '.a.b' },
            { rule: 'true &&\ntrue', message: 'two lines need a message', fieldPath: ".m['x'].c" },
            { rule: 'true', messageExpression: "'x'", fieldPath: ".a['b']" },
          ],
        }),
      },
    ],
    [
      'additionalProperties: true beside properties',
      {
        schema: withSpec({
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: true,
        }),
      },
    ],
    [
      '$schema and other JSON Schema keywords the server takes',
      {
        schema: {
          ...withSpec({ type: 'string', minLength: 1, format: 'date-time', example: 'x' }),
          $schema: 'http://json-schema.org/draft-04/schema#',
        },
      },
    ],
    [
      'RE2 patterns JavaScript does not read: flags, \\A and \\z, \\pL, POSIX classes, \\Q…\\E, escaped punctuation, octal',
      {
        schema: withSpec({
          type: 'object',
          properties: {
            a: { type: 'string', pattern: '(?i)^[a-z]+$' },
            b: { type: 'string', pattern: '\\A\\pL+(?P<n>\\d{1,1000})\\z' },
            c: { type: 'string', pattern: '^[[:alpha:]][[:^space:]]*$' },
            d: { type: 'string', pattern: '^\\Q(a+\\E\\-\\#\\012(?s:.)(?<m>x)$' },
            e: { type: 'string', pattern: '[]a]{2,}' },
          },
        }),
      },
    ],
    [
      'defaults that validate: a scalar in its enum, an int-or-string, an object with its required field, an embedded resource',
      {
        schema: withSpec({
          type: 'object',
          default: { mode: 'a', size: 3 },
          required: ['mode'],
          properties: {
            mode: { type: 'string', enum: ['a', 'b'], default: 'b', pattern: '^[ab]$' },
            size: { type: 'integer', minimum: 1, default: 1, format: 'int32' },
            port: { 'x-kubernetes-int-or-string': true, default: 'http' },
            when: { type: 'string', format: 'date-time', default: '2024-01-01T00:00:00Z' },
            nothing: { type: 'string', nullable: true, default: null },
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, default: { x: 1 } },
            labels: { type: 'object', additionalProperties: { type: 'string' }, default: { a: 'b' } },
            template: {
              type: 'object',
              'x-kubernetes-embedded-resource': true,
              properties: { metadata: { type: 'object', default: { name: 'x' } } },
            },
          },
        }),
      },
    ],
  ];
  it.each(valid)('%s', (_name, parts) => {
    expect(run(crd(parts))).toEqual([]);
  });
});

const withField = (field: object) => withSpec({ type: 'object', properties: { f: field } });
const F = `${S}/properties/spec/properties/f`;

// [name, parts, [pointer, message]] — each case breaks one rule, once.
const invalid: Array<[string, Parts, [pointer: string, message: string]]> = [
  [
    'a name other than <plural>.<group>',
    { name: 'widget.example.com' },
    [
      '/metadata/name',
      'a CustomResourceDefinition must be named `<spec.names.plural>.<spec.group>`, here `widgets.example.com`, not `widget.example.com`',
    ],
  ],
  [
    'a group without a dot',
    { name: 'widgets.example', group: 'example' },
    ['/spec/group', 'spec.group must be a domain with at least one dot, such as `example.com`'],
  ],
  [
    'a plural starting with a digit',
    { name: '1widgets.example.com', names: { kind: 'Widget', plural: '1widgets' } },
    [
      '/spec/names/plural',
      'names.plural must be a DNS-1035 label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit',
    ],
  ],
  [
    'a singular with an underscore',
    { names: { kind: 'Widget', plural: 'widgets', singular: 'my_widget' } },
    [
      '/spec/names/singular',
      'names.singular must be a DNS-1035 label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit',
    ],
  ],
  [
    'a kind starting with a digit',
    { names: { kind: '3Widget', plural: 'widgets' } },
    [
      '/spec/names/kind',
      'names.kind may mix case, but must otherwise be a DNS-1035 label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit',
    ],
  ],
  [
    'a listKind equal to the kind',
    { names: { kind: 'Widget', listKind: 'Widget', plural: 'widgets' } },
    ['/spec/names/listKind', 'names.kind and names.listKind must differ'],
  ],
  [
    'a short name with a dot',
    { names: { kind: 'Widget', plural: 'widgets', shortNames: ['w.d'] } },
    [
      '/spec/names/shortNames/0',
      'each of names.shortNames must be a DNS-1035 label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit',
    ],
  ],
  [
    'no versions',
    { versions: [] },
    ['/spec/versions', 'spec.versions must list at least one version, one of them with `storage: true`'],
  ],
  [
    'a version listed twice',
    { versions: [version('v1', true), version('v1', false)] },
    ['/spec/versions/1/name', 'version `v1` is listed twice'],
  ],
  [
    'no stored version',
    { versions: [version('v1', false)] },
    ['/spec/versions', 'exactly one version must have `storage: true`; none has'],
  ],
  [
    'two stored versions',
    { versions: [version('v1', true), version('v2', true)] },
    ['/spec/versions/1/storage', 'exactly one version must have `storage: true`; `v1` already has'],
  ],
  [
    'an upper-case version name',
    { versions: [version('V1', true)] },
    [
      '/spec/versions/0/name',
      'a version name must be a DNS-1035 label: at most 63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit',
    ],
  ],
  [
    'a version without a schema',
    { versions: [{ name: 'v1', served: true, storage: true }] },
    ['/spec/versions/0', 'every version needs schema.openAPIV3Schema in apiextensions.k8s.io/v1'],
  ],
  [
    'a field without a type',
    { schema: withSpec({ type: 'object', properties: { size: { minimum: 1 } } }) },
    [
      `${S}/properties/spec/properties/size`,
      '`type` must not be empty for object fields (only x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields allow it): the API server requires a structural schema',
    ],
  ],
  [
    'array items without a type',
    { schema: withSpec({ type: 'array', items: { description: 'x' } }) },
    [
      `${S}/properties/spec/items`,
      '`type` must not be empty for array items (only x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields allow it): the API server requires a structural schema',
    ],
  ],
  [
    'a root that is not an object',
    { schema: { type: 'string' } },
    [`${S}/type`, '`type` must be object at the root, not `string`'],
  ],
  [
    '$ref',
    { schema: withSpec({ type: 'object', $ref: '#/definitions/x' }) },
    [`${S}/properties/spec/$ref`, '`$ref` is not supported in a CRD schema'],
  ],
  [
    'definitions',
    { schema: { type: 'object', definitions: { x: { type: 'string' } } } },
    [`${S}/definitions`, '`definitions` is not supported in a CRD schema'],
  ],
  [
    'patternProperties',
    { schema: withSpec({ type: 'object', patternProperties: { '^a': { type: 'string' } } }) },
    [`${S}/properties/spec/patternProperties`, '`patternProperties` is not supported in a CRD schema'],
  ],
  [
    'uniqueItems: true',
    { schema: withSpec({ type: 'array', uniqueItems: true, items: { type: 'string' } }) },
    [
      `${S}/properties/spec/uniqueItems`,
      '`uniqueItems: true` is not supported (its cost is quadratic); use `x-kubernetes-list-type: set`',
    ],
  ],
  [
    'type: null',
    { schema: withSpec({ type: 'null' }) },
    [`${S}/properties/spec/type`, '`type: null` is not supported; use `nullable: true`'],
  ],
  [
    'an array without items',
    { schema: withSpec({ type: 'array' }) },
    [`${S}/properties/spec`, '`items` must be set when `type` is array'],
  ],
  [
    'properties beside additionalProperties: false',
    {
      schema: withSpec({
        type: 'object',
        properties: { a: { type: 'string' } },
        additionalProperties: false,
      }),
    },
    [
      `${S}/properties/spec/additionalProperties`,
      '`properties` and `additionalProperties` must not both be set: properties are for structs, additionalProperties for maps',
    ],
  ],
  [
    'additionalProperties at the root',
    { schema: { type: 'object', additionalProperties: { type: 'string' } } },
    [`${S}/additionalProperties`, '`additionalProperties` must not be used at the root'],
  ],
  [
    'metadata restricting labels',
    {
      schema: {
        type: 'object',
        properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
      },
    },
    [
      `${S}/properties/metadata/properties/labels`,
      'the schema of metadata may only restrict name and generateName, not `labels`: the API server owns the rest',
    ],
  ],
  [
    'a type inside anyOf',
    { schema: withSpec({ type: 'object', anyOf: [{ type: 'object', required: ['a'] }] }) },
    [
      `${S}/properties/spec/anyOf/0/type`,
      '`type` must not be set inside allOf, anyOf, oneOf or not: the API server requires a structural schema, which declares it outside them',
    ],
  ],
  [
    'x-kubernetes-preserve-unknown-fields: false',
    { schema: withSpec({ type: 'object', 'x-kubernetes-preserve-unknown-fields': false }) },
    [`${S}/properties/spec/x-kubernetes-preserve-unknown-fields`, 'must be true or left out'],
  ],
  [
    'a map list without keys',
    {
      schema: withSpec({
        type: 'array',
        'x-kubernetes-list-type': 'map',
        items: { type: 'object', properties: { a: { type: 'string' } } },
      }),
    },
    [
      `${S}/properties/spec`,
      'x-kubernetes-list-map-keys must name the keys when x-kubernetes-list-type is map',
    ],
  ],
  [
    'a map key neither required nor defaulted',
    {
      schema: withSpec({
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' } } },
      }),
    },
    [
      `${S}/properties/spec/items/properties/name`,
      'map key `name` must be required in the items or have a default',
    ],
  ],
  [
    'a map key that is not a property',
    {
      schema: withSpec({
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['id'],
        items: { type: 'object', properties: { name: { type: 'string' } } },
      }),
    },
    [`${S}/properties/spec/x-kubernetes-list-map-keys/0`, 'map key `id` must be a property of the items'],
  ],
  [
    'map list items that are not objects',
    {
      schema: withSpec({
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'string' },
      }),
    },
    [
      `${S}/properties/spec/items/type`,
      'the items of a list with x-kubernetes-list-type map must be of type object',
    ],
  ],
  [
    'set items that are granular objects',
    {
      schema: withSpec({
        type: 'array',
        'x-kubernetes-list-type': 'set',
        items: { type: 'object', additionalProperties: { type: 'string' } },
      }),
    },
    [
      `${S}/properties/spec/items`,
      'object items of a list with x-kubernetes-list-type set must be x-kubernetes-map-type atomic',
    ],
  ],
  [
    'x-kubernetes-list-type on an object',
    { schema: withSpec({ type: 'object', 'x-kubernetes-list-type': 'atomic' }) },
    [`${S}/properties/spec/type`, '`type` must be array when x-kubernetes-list-type is set'],
  ],
  [
    'x-kubernetes-list-map-keys without list type map',
    {
      schema: withSpec({
        type: 'array',
        'x-kubernetes-list-map-keys': ['a'],
        items: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
      }),
    },
    [
      `${S}/properties/spec/x-kubernetes-list-map-keys`,
      'x-kubernetes-list-type must be map when x-kubernetes-list-map-keys is set',
    ],
  ],
  [
    'a pattern that does not compile',
    { schema: withField({ type: 'string', pattern: '+' }) },
    [
      `${F}/pattern`,
      "`pattern` must be a valid RE2 regular expression (Go's regexp): error parsing regexp: missing argument to repetition operator: `+`",
    ],
  ],
  [
    'a lookahead in a pattern inside allOf',
    { schema: withSpec({ type: 'object', allOf: [{ pattern: '^(?!x)' }] }) },
    [
      `${S}/properties/spec/allOf/0/pattern`,
      "`pattern` must be a valid RE2 regular expression (Go's regexp): error parsing regexp: invalid or unsupported Perl syntax: `(?!`",
    ],
  ],
  [
    'a backreference in a pattern',
    { schema: withField({ type: 'string', pattern: '(a)\\1' }) },
    [
      `${F}/pattern`,
      "`pattern` must be a valid RE2 regular expression (Go's regexp): error parsing regexp: invalid escape sequence: `\\1`",
    ],
  ],
  [
    'an escape RE2 does not know in a pattern',
    { schema: withField({ type: 'string', pattern: '^\\u00e9$' }) },
    [
      `${F}/pattern`,
      "`pattern` must be a valid RE2 regular expression (Go's regexp): error parsing regexp: invalid escape sequence: `\\u`",
    ],
  ],
  [
    'a default in top-level metadata, even on name',
    {
      schema: {
        type: 'object',
        properties: {
          metadata: { type: 'object', properties: { name: { type: 'string', default: 'x' } } },
        },
      },
    },
    [`${S}/properties/metadata/properties/name/default`, '`default` must not be set in top-level metadata'],
  ],
  [
    'a default on top-level metadata itself',
    { schema: { type: 'object', properties: { metadata: { type: 'object', default: {} } } } },
    [`${S}/properties/metadata/default`, '`default` must not be set in top-level metadata'],
  ],
  [
    'a default on top-level apiVersion',
    { schema: { type: 'object', properties: { apiVersion: { type: 'string', default: 'v1' } } } },
    [`${S}/properties/apiVersion/default`, '`default` must not be set in top-level apiVersion'],
  ],
  [
    'a default in the labels of an embedded resource',
    {
      schema: withField({
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        properties: {
          metadata: {
            type: 'object',
            properties: {
              labels: { type: 'object', additionalProperties: { type: 'string', default: 'x' } },
            },
          },
        },
      }),
    },
    [
      `${F}/properties/metadata/properties/labels/additionalProperties/default`,
      '`default` must not be set inside additionalProperties applying to object metadata',
    ],
  ],
  [
    'a default of the wrong type',
    { schema: withField({ type: 'integer', default: 'three' }) },
    [`${F}/default`, '`default` must validate against its own schema: must be integer'],
  ],
  [
    'a default outside its enum',
    { schema: withField({ type: 'string', enum: ['a', 'b'], default: 'c' }) },
    [
      `${F}/default`,
      '`default` must validate against its own schema: must be equal to one of the allowed values',
    ],
  ],
  [
    'a default that breaks its pattern',
    { schema: withField({ type: 'string', pattern: '^[a-z]+$', default: 'A' }) },
    [`${F}/default`, '`default` must validate against its own schema: must match pattern "^[a-z]+$"'],
  ],
  [
    'a default that breaks its format',
    { schema: withField({ type: 'string', format: 'duration', default: '5 minutes' }) },
    [`${F}/default`, '`default` must validate against its own schema: must match format "duration"'],
  ],
  [
    'a default below its minimum',
    { schema: withField({ type: 'integer', minimum: 1, default: 0 }) },
    [`${F}/default`, '`default` must validate against its own schema: must be >= 1'],
  ],
  [
    'an object default without a required field',
    {
      schema: withField({
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, size: { type: 'integer' } },
        default: { size: 1 },
      }),
    },
    [`${F}/default`, "`default` must validate against its own schema: must have required property 'name'"],
  ],
  [
    'an object default whose field breaks the field schema',
    {
      schema: withField({
        type: 'object',
        properties: { size: { type: 'integer', maximum: 10 } },
        default: { size: 11 },
      }),
    },
    [`${F}/default`, '`default` must validate against its own schema at `/size`: must be <= 10'],
  ],
  [
    'an object default with a field pruning drops',
    {
      schema: withField({ type: 'object', properties: { size: { type: 'integer' } }, default: { sise: 1 } }),
    },
    [`${F}/default`, '`default` must not have unknown fields: `sise` would be pruned'],
  ],
];

const ruled = (rule: object, field: object = { type: 'object', properties: { a: { type: 'string' } } }) =>
  withField({ ...field, 'x-kubernetes-validations': [rule] });
const R = `${F}/x-kubernetes-validations/0`;
const listOf = (type: string) =>
  withSpec({
    type: 'object',
    properties: {
      items: {
        type: 'array',
        'x-kubernetes-list-type': type,
        ...(type === 'map' ? { 'x-kubernetes-list-map-keys': ['a'] } : {}),
        items: {
          type: 'object',
          required: ['a'],
          properties: { a: { type: 'string' } },
          'x-kubernetes-validations': [{ rule: 'self.a == oldSelf.a' }],
        },
      },
    },
  });

// Completeness of the root's junctors (apiserver/schema/complete.go).
invalid.push(
  [
    'a property only inside the root anyOf',
    {
      schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
        anyOf: [{ properties: { spec: { properties: { b: { minLength: 1 } } } } }],
      },
    },
    [
      `${S}/anyOf/0/properties/spec/properties/b`,
      "property `b` inside allOf, anyOf, oneOf or not must also be declared in the structural schema's properties (outside them), at the same place",
    ],
  ],
  [
    'items only inside the root not',
    {
      schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: { list: { type: 'object' } } } },
        not: { properties: { spec: { properties: { list: { items: { minLength: 1 } } } } } },
      },
    },
    [
      `${S}/not/properties/spec/properties/list/items`,
      '`items` inside allOf, anyOf, oneOf or not must also be declared in the structural schema (outside them), at the same place',
    ],
  ],
);

// Defaults must pass the CEL rules of their node too (defaulting/validation.go validates them with CEL).
invalid.push([
  'a default its own rule refuses',
  {
    schema: withField({
      type: 'integer',
      default: 0,
      'x-kubernetes-validations': [{ rule: 'self > 0', message: 'must be positive' }],
    }),
  },
  [`${F}/default`, '`default` must validate against its own schema: must be positive'],
]);

// The x-kubernetes-validations entries (validation.go, ValidateCustomResourceDefinitionOpenAPISchema).
invalid.push(
  ['an empty rule', { schema: ruled({ rule: '  ' }) }, [`${R}/rule`, '`rule` is not specified: it is empty']],
  [
    'a blank message',
    { schema: ruled({ rule: 'true', message: ' ' }) },
    [`${R}/message`, '`message` must be non-empty if specified'],
  ],
  [
    'a message over 2048 characters',
    { schema: ruled({ rule: 'true', message: 'x'.repeat(2049) }) },
    [`${R}/message`, '`message` must have a maximum length of 2048 characters'],
  ],
  [
    'a message of two lines',
    { schema: ruled({ rule: 'true', message: 'one\ntwo' }) },
    [`${R}/message`, '`message` must not contain line breaks'],
  ],
  [
    'a rule of two lines without a message',
    { schema: ruled({ rule: 'true &&\ntrue' }) },
    [R, '`message` must be specified if the rule contains line breaks'],
  ],
  [
    'a blank messageExpression',
    { schema: ruled({ rule: 'true', messageExpression: ' ' }) },
    [`${R}/messageExpression`, '`messageExpression` must be non-empty if specified'],
  ],
  [
    'an unknown reason',
    { schema: ruled({ rule: 'true', reason: 'FieldValueWrong' }) },
    [
      `${R}/reason`,
      'unsupported reason `FieldValueWrong`: use one of FieldValueDuplicate, FieldValueForbidden, FieldValueInvalid, FieldValueRequired',
    ],
  ],
  [
    'a fieldPath naming no field',
    { schema: ruled({ rule: 'true', fieldPath: '.b' }) },
    [`${R}/fieldPath`, '`fieldPath` must be a valid path: `b` does not refer to a valid field'],
  ],
  [
    'a fieldPath with a list index',
    { schema: ruled({ rule: 'true', fieldPath: '.a[0]' }) },
    [`${R}/fieldPath`, '`fieldPath` must be a valid path: expected a single-quoted string in [ ] at `[0]`'],
  ],
  [
    'a blank fieldPath',
    { schema: ruled({ rule: 'true', fieldPath: ' ' }) },
    [`${R}/fieldPath`, '`fieldPath` must be non-empty if specified'],
  ],
  [
    'optionalOldSelf on a rule without oldSelf',
    { schema: ruled({ rule: 'true', optionalOldSelf: true }) },
    [`${R}/optionalOldSelf`, '`optionalOldSelf` may not be set if the rule does not use oldSelf'],
  ],
  [
    'oldSelf in the items of an atomic list',
    { schema: listOf('atomic') },
    [
      `${S}/properties/spec/properties/items/items/x-kubernetes-validations/0/rule`,
      `oldSelf cannot be used on the uncorrelatable portion of the schema within ${S}/properties/spec/properties/items/items (items of a list that is not x-kubernetes-list-type: map have no old value)`,
    ],
  ],
);

invalid.push(
  [
    'a scale subresource with an empty statusReplicasPath',
    withExtras({ subresources: { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '' } } }),
    [`${V}/subresources/scale/statusReplicasPath`, '`statusReplicasPath` must not be empty'],
  ],
  [
    'a scale path outside .spec',
    withExtras({
      subresources: {
        scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' },
      },
    }),
    [`${V}/subresources/scale/specReplicasPath`, '`specReplicasPath` must be a JSON path under .spec.'],
  ],
  [
    'a scale path without the leading dot',
    withExtras({
      subresources: { scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: 'status.replicas' } },
    }),
    [
      `${V}/subresources/scale/statusReplicasPath`,
      '`statusReplicasPath` must be a simple JSON path starting with `.`, such as `.spec.replicas`',
    ],
  ],
  [
    'a printer column of an unknown type',
    withExtras({ additionalPrinterColumns: [{ name: 'Mode', type: 'text', jsonPath: '.spec.mode' }] }),
    [
      `${V}/additionalPrinterColumns/0/type`,
      "a printer column's type must be one of boolean, date, integer, number, string",
    ],
  ],
  [
    'a printer column of an unknown format',
    withExtras({
      additionalPrinterColumns: [{ name: 'N', type: 'integer', format: 'int16', jsonPath: '.spec.replicas' }],
    }),
    [
      `${V}/additionalPrinterColumns/0/format`,
      "a printer column's format must be one of byte, date, date-time, double, float, int32, int64, password",
    ],
  ],
  [
    'a printer column path without the leading dot',
    withExtras({ additionalPrinterColumns: [{ name: 'Mode', type: 'string', jsonPath: 'spec.mode' }] }),
    [
      `${V}/additionalPrinterColumns/0/jsonPath`,
      '`jsonPath` must be a simple JSON path starting with `.`, such as `.spec.replicas`',
    ],
  ],
  [
    'a selectable field that is not in the schema',
    withExtras({ selectableFields: [{ jsonPath: '.spec.colour' }] }),
    [`${V}/selectableFields/0/jsonPath`, "`.spec.colour` does not refer to a field of the version's schema"],
  ],
  [
    'a selectable list field',
    withExtras({ selectableFields: [{ jsonPath: '.spec.list' }] }),
    [
      `${V}/selectableFields/0/jsonPath`,
      '`.spec.list` must point to a field of type string, integer or boolean',
    ],
  ],
  [
    'a field selectable twice',
    withExtras({ selectableFields: [{ jsonPath: '.spec.mode' }, { jsonPath: '.spec.mode' }] }),
    [`${V}/selectableFields/1/jsonPath`, '`.spec.mode` is selectable twice'],
  ],
  [
    'nine selectable fields',
    {
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: withSpec({
              type: 'object',
              properties: Object.fromEntries(
                Array.from({ length: 9 }, (_, i) => [`f${i}`, { type: 'string' }]),
              ),
            }),
          },
          selectableFields: Array.from({ length: 9 }, (_, i) => ({ jsonPath: `.spec.f${i}` })),
        },
      ],
    },
    [`${V}/selectableFields`, 'at most 8 selectable fields are allowed, not 9'],
  ],
);

describe('CustomResourceDefinitions the API server refuses give schema/invalid-crd at the field', () => {
  it.each(invalid)('%s', (_name, parts, [pointer, message]) => {
    const text = crd(parts);
    const got = run(text);
    expect(got.map((d) => [d.code, d.severity, d.path, d.message])).toEqual([
      ['schema/invalid-crd', 'error', pointer, message],
    ]);
    // Placed in the source: on the CRD's own document.
    expect(got[0]?.span?.start.line).toBeGreaterThan(0);
  });

  it('refuses spec.preserveUnknownFields: true, and takes false', () => {
    const text = (value: boolean) =>
      crd().replace('  scope: Namespaced', `  preserveUnknownFields: ${value}\n  scope: Namespaced`);
    expect(run(text(true)).map((d) => [d.code, d.path, d.message, d.span?.start.line])).toEqual([
      [
        'schema/invalid-crd',
        '/spec/preserveUnknownFields',
        'spec.preserveUnknownFields must not be true in apiextensions.k8s.io/v1; set x-kubernetes-preserve-unknown-fields: true in the version schemas instead',
        7,
      ],
    ]);
    expect(run(text(false))).toEqual([]);
  });

  it('checks spec.conversion: a webhook exactly when the strategy is Webhook, with a sound client config', () => {
    const withConversion = (conversion: object) =>
      crd().replace(
        '  scope: Namespaced',
        `  conversion: ${JSON.stringify(conversion)}\n  scope: Namespaced`,
      );
    const webhook = (clientConfig: object, conversionReviewVersions = ['v1']) => ({
      strategy: 'Webhook',
      webhook: { clientConfig, conversionReviewVersions },
    });
    const service = { name: 'conv', namespace: 'system', path: '/convert', port: 443 };
    const cases: Array<[object, string[][]]> = [
      [{ strategy: 'None' }, []],
      [webhook({ service }), []],
      [webhook({ url: 'https://conv.example.com/convert' }, ['v1beta1', 'v1']), []],
      [
        { strategy: 'None', webhook: { clientConfig: { service }, conversionReviewVersions: ['v1'] } },
        [['/spec/conversion/webhook', '`webhook` must not be set unless the strategy is `Webhook`']],
      ],
      [
        { strategy: 'Webhook' },
        [
          [
            '/spec/conversion',
            'a `Webhook` conversion needs `webhook` (its clientConfig and conversionReviewVersions)',
          ],
        ],
      ],
      [
        webhook({ service, url: 'https://conv.example.com' }),
        [['/spec/conversion/webhook/clientConfig', 'exactly one of `url` or `service` is required']],
      ],
      [
        webhook({ url: 'http://conv.example.com/convert' }),
        [['/spec/conversion/webhook/clientConfig/url', 'the webhook URL must use https, not `http`']],
      ],
      [
        webhook({ url: 'https://conv.example.com/convert?x=1' }),
        [['/spec/conversion/webhook/clientConfig/url', 'the webhook URL must not have a query']],
      ],
      [
        webhook({ service: { ...service, path: 'convert', port: 70000 } }),
        [
          ['/spec/conversion/webhook/clientConfig/service/path', 'the service path must start with `/`'],
          [
            '/spec/conversion/webhook/clientConfig/service/port',
            'the service port must be between 1 and 65535',
          ],
        ],
      ],
      [
        webhook({ service }, ['v2', 'v2']),
        [
          ['/spec/conversion/webhook/conversionReviewVersions/1', '`v2` is listed twice'],
          [
            '/spec/conversion/webhook/conversionReviewVersions',
            'conversionReviewVersions must include one the API server speaks: v1 or v1beta1',
          ],
        ],
      ],
    ];
    for (const [conversion, expected] of cases) {
      const got = run(withConversion(conversion)).map((d) => [d.path ?? '', d.message]);
      expect({ conversion, got }).toEqual({ conversion, got: expected });
    }
  });

  it('places a finding on the line of the offending field', () => {
    const got = run(crd({ name: 'widget.example.com' }));
    expect(got.map((d) => [d.span?.start.line, d.span?.start.column])).toEqual([[3, 18]]);
  });

  it('reports every problem of one CRD, in document order', () => {
    const got = run(crd({ name: 'x.example.com', versions: [version('v1', false), version('v1', false)] }));
    expect(got.map((d) => d.path)).toEqual(['/metadata/name', '/spec/versions/1/name', '/spec/versions']);
  });

  it('still validates the custom resources of a CRD it reports', () => {
    const text = `${crd({ name: 'widget.example.com', schema: withSpec({ type: 'object', properties: { size: { type: 'integer' } } }) })}---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: big}
`;
    expect(run(text).map((d) => [d.code, d.path])).toEqual([
      ['schema/invalid-crd', '/metadata/name'],
      ['schema/type', '/spec/size'],
    ]);
  });

  it('leaves v1beta1 CRDs to api/removed', () => {
    const text = crd({ name: 'wrong.example.com' }).replace(
      'apiextensions.k8s.io/v1',
      'apiextensions.k8s.io/v1beta1',
    );
    expect(run(text).map((d) => d.code)).toEqual(['api/removed']);
  });

  it('has a documented code', () => {
    expect(SCHEMA_CODES.find((c) => c.code === 'schema/invalid-crd')?.defaultSeverity).toBe('error');
  });
});

describe('compiling the CEL of a CustomResourceDefinition, with the compiler given', () => {
  // A stand-in compiler: the real one (the Kubernetes CEL environment) is @shipshape/policy's.
  const compile = (source: string, expected: 'bool' | 'string') =>
    source.includes('!!') ? `syntax error in ${expected} expression` : undefined;
  const cel = {
    rules: () => true,
    messages: () => undefined,
    compile,
  };
  const runWith = (text: string) => {
    const set = parseManifests([{ path: 'crd.yaml', content: text }]);
    return validateResources(set.resources, { bundle, locator: set.locator, cel });
  };

  it('refuses a rule or message expression that does not compile, at the field', () => {
    const text = crd({ schema: ruled({ rule: 'self.a !! 1', messageExpression: "'a' !! 'b'" }) });
    expect(runWith(text).map((d) => [d.code, d.path, d.message])).toEqual([
      ['schema/invalid-crd', `${R}/rule`, 'the rule does not compile: syntax error in bool expression'],
      [
        'schema/invalid-crd',
        `${R}/messageExpression`,
        'the messageExpression does not compile: syntax error in string expression',
      ],
    ]);
    // Without a compiler, the rules are not compiled.
    expect(run(text)).toEqual([]);
  });

  it('does not compile rules whose entries are refused already, as the server does', () => {
    const text = crd({ schema: ruled({ rule: 'self.a !! 1', reason: 'Nope' }) });
    expect(runWith(text).map((d) => d.path)).toEqual([`${R}/reason`]);
  });

  it('starts the rules of each custom resource, so that they share its cost budget', () => {
    const started: string[] = [];
    let object = '';
    const counting = {
      rules: (_rule: string, self: unknown) => {
        if (object === '') object = JSON.stringify(self);
        return true;
      },
      messages: () => undefined,
      beginObject: () => {
        started.push(object);
        object = '';
      },
    };
    const text = `${crd({ schema: ruled({ rule: 'true' }) })}---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w1}
spec: {f: {a: x}}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w2}
spec: {f: {a: z}}
`;
    const set = parseManifests([{ path: 'crd.yaml', content: text }]);
    expect(validateResources(set.resources, { bundle, locator: set.locator, cel: counting })).toEqual([]);
    // Once before each custom resource (none for the CRD, a built-in kind): the rule of w1 ran
    // between the first and the second call.
    expect(started).toEqual(['', '{"a":"x"}']);
  });
});
