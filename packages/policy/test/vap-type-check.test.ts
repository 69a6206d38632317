import { describe, expect, it } from 'vitest';
import { celGoWording } from '../src/vap/cel-environment.js';
import { fieldProblem, type KindSchemas } from '../src/vap/type-check.js';
import { binding, deployment, policy, runVap, summarize } from './vap-fixtures.js';

// A small schema in the shape of the bundled OpenAPI definitions: refs through allOf, a map of
// labels, a list of containers, an int-or-string and a field kept unknown.
const SCHEMAS: KindSchemas = {
  kinds: { 'apps/v1/Deployment': 'apps.v1.Deployment' },
  definitions: {
    'apps.v1.Deployment': {
      type: 'object',
      properties: {
        metadata: { allOf: [{ $ref: '#/definitions/meta.v1.ObjectMeta' }] },
        spec: { allOf: [{ $ref: '#/definitions/apps.v1.DeploymentSpec' }] },
      },
    },
    'meta.v1.ObjectMeta': {
      type: 'object',
      properties: {
        name: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    'core.v1.Container': {
      type: 'object',
      properties: {
        name: { type: 'string' },
        ports: {
          type: 'array',
          items: { type: 'object', properties: { containerPort: { type: 'integer' } } },
        },
      },
    },
    'apps.v1.DeploymentSpec': {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        maxSurge: { 'x-kubernetes-int-or-string': true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        raw: { type: 'object' },
        containers: { type: 'array', items: { allOf: [{ $ref: '#/definitions/core.v1.Container' }] } },
      },
    },
  },
};

/** A namespaced CustomResourceDefinition of `kind` in `group`, with `versions` (and `extra` in its spec). */
function customResourceDefinition(
  group: string,
  kind: string,
  plural: string,
  versions: unknown[],
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: { group, scope: 'Namespaced', names: { kind, plural }, versions, ...extra },
  };
}

describe('type-checking the fields an expression selects', () => {
  it('follows refs, maps and kept-unknown fields, and names what a kind lacks', () => {
    const problem = (...path: string[]) => fieldProblem(SCHEMAS, 'apps/v1/Deployment', path);
    expect(problem('spec', 'replicas')).toBeUndefined();
    expect(problem('metadata', 'labels', 'app')).toBeUndefined();
    expect(problem('spec', 'extra', 'anything', 'below')).toBeUndefined();
    // An object whose schema lists no properties (a RawExtension) is not judged.
    expect(problem('spec', 'raw', 'anything')).toBeUndefined();
    expect(problem('spec', 'replicass')).toBe("object.spec has no field 'replicass'");
    expect(problem('metadata', 'name', 'first')).toBe(
      "object.metadata.name is a string, which has no field 'first'",
    );
    expect(problem('metadata', 'labels', 'app', 'x')).toBe(
      "object.metadata.labels.app is a string, which has no field 'x'",
    );
    expect(problem('spec', 'containers', 'name')).toBe(
      "object.spec.containers is a list, which has no field 'name' (its items may)",
    );
    expect(problem('spec', 'maxSurge', 'value')).toBe(
      "object.spec.maxSurge is an int or a string, which has no field 'value'",
    );
    // Items of a list (by index, or through a macro's variable), and a map's keys and values.
    expect(problem('spec', 'containers', '0', 'name')).toBeUndefined();
    expect(problem('spec', 'containers', '*', 'ports', '**', 'containerPort')).toBeUndefined();
    expect(problem('spec', 'containers', '*', 'imagee')).toBe(
      "object.spec.containers[*] has no field 'imagee'",
    );
    expect(problem('spec', 'containers', '0', 'ports', '*', 'port')).toBe(
      "object.spec.containers[0].ports[*] has no field 'port'",
    );
    expect(problem('metadata', 'labels', '*', 'length')).toBeUndefined();
    expect(problem('metadata', 'labels', '**', 'x')).toBe(
      "object.metadata.labels[*] is a string, which has no field 'x'",
    );
    // A kind the schemas do not know is not judged, nor is a field named like Object's members.
    expect(fieldProblem(SCHEMAS, 'acme.io/v1/Widget', ['spec', 'x'])).toBeUndefined();
    expect(problem('constructor')).toBe("object has no field 'constructor'");
  });

  it("warns on the policy, once per expression and kind, where the API server's type check would", () => {
    const rules = [
      { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
    ];
    const found = runVap(
      [
        policy('typo', {
          matchConstraints: { resourceRules: rules },
          // A variable defined as a field path is typed by it where it is used.
          variables: [{ name: 'containers', expression: 'object.spec.containers' }],
          validations: [
            { expression: '!has(object.spec.replicass) || object.spec.replicass <= 5' },
            // Through macro variables, shadowing included; a variable bound to no field is not judged.
            {
              expression:
                "object.spec.containers.all(c, c.name != '' && c.ports.all(c, c.containerPortt > 0)) && object.spec.containers.map(c, c.name).all(n, n.x) || true",
            },
            { expression: "variables.containers.all(c, c.nam != '') || true" },
            { expression: 'oldObject == null || oldObject.spec.replicass == object.spec.replicas' },
            {
              expression: "object.metadata.labels.app != ''",
              messageExpression: "'no ' + object.metadata.name.x",
            },
          ],
        }),
        binding('typo', {}),
        deployment('web', 'shop', 1, { labels: { app: 'web' } }),
        deployment('api', 'shop', 1, { labels: { app: 'api' } }),
      ],
      { schemas: SCHEMAS },
    );
    expect(summarize(found)).toEqual([
      'vap/type-warning typo /spec/validations/0/expression warning',
      'vap/type-warning typo /spec/validations/1/expression warning',
      'vap/type-warning typo /spec/validations/2/expression warning',
      'vap/type-warning typo /spec/validations/3/expression warning',
      'vap/type-warning typo /spec/validations/4/messageExpression warning',
    ]);
    expect(found[0]?.message).toBe(
      "object.spec has no field 'replicass' in the schema of apps/v1 Deployment: the API server's type check warns about this expression in the policy's status",
    );
    // Without schemas, or for rules with wildcards (which the API server does not check), nothing.
    expect(
      runVap([
        policy('typo', {
          matchConstraints: { resourceRules: rules },
          validations: [{ expression: 'object.spec.replicass > 1 || true' }],
        }),
        binding('typo', {}),
        deployment('web', 'shop', 1),
      ]).map((d) => d.code),
    ).toEqual([]);
    const wild = [
      { apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE'], resources: ['deployments'] },
    ];
    expect(
      runVap(
        [
          policy('typo', {
            matchConstraints: { resourceRules: wild },
            validations: [{ expression: 'has(object.spec.replicass) || true' }],
          }),
          binding('typo', {}),
          deployment('web', 'shop', 1),
        ],
        { schemas: SCHEMAS },
      ).map((d) => d.code),
    ).toEqual([]);
  });
});

describe('the kinds a policy is type-checked against', () => {
  const deployments = {
    apiGroups: ['apps'],
    apiVersions: ['v1'],
    operations: ['CREATE'],
    resources: ['deployments'],
  };
  const typos = (rules: readonly unknown[], extra: readonly Record<string, unknown>[] = []) =>
    runVap(
      [
        policy('typo', {
          matchConstraints: { resourceRules: rules },
          validations: [{ expression: 'object.spec.replicass > 1 || true' }],
        }),
        ...extra,
      ],
      { schemas: SCHEMAS },
    )
      .filter((d) => d.code === 'vap/type-warning')
      .map((d) => String(d.data?.['kind']));

  it('are those its rules name, with or without objects, a binding, or the other rules', () => {
    // A repository of policies only: no Deployment, no binding.
    expect(typos([deployments])).toEqual(['apps/v1/Deployment']);
    // A rule with a wildcard is skipped, not the policy; so is a subresource.
    expect(
      typos([
        { ...deployments, apiGroups: ['*'] },
        { ...deployments, resources: ['deployments/scale', 'deployments'] },
      ]),
    ).toEqual(['apps/v1/Deployment']);
    // A version or resource the schemas do not know types nothing.
    expect(typos([{ ...deployments, apiVersions: ['v1beta9'] }])).toEqual([]);
    expect(typos([{ ...deployments, resources: ['deploymentz'] }])).toEqual([]);
  });

  it('are at most ten, as the API server checks', () => {
    const kinds = [
      'ConfigMap',
      'Endpoints',
      'Event',
      'LimitRange',
      'Namespace',
      'Node',
      'Pod',
      'PodTemplate',
      'ResourceQuota',
      'Secret',
      'Service',
      'ServiceAccount',
    ];
    const core: KindSchemas = {
      kinds: Object.fromEntries(kinds.map((k) => [`v1/${k}`, k])),
      definitions: Object.fromEntries(
        kinds.map((k) => [
          k,
          { type: 'object', properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } } },
        ]),
      ),
    };
    const resources = [
      'configmaps',
      'endpoints',
      'events',
      'limitranges',
      'namespaces',
      'nodes',
      'pods',
      'podtemplates',
      'resourcequotas',
      'secrets',
      'services',
      'serviceaccounts',
    ];
    const found = runVap(
      [
        policy('typo', {
          matchConstraints: {
            resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources }],
          },
          validations: [{ expression: 'object.spec.y > 1 || true' }],
        }),
      ],
      { schemas: core },
    ).filter((d) => d.code === 'vap/type-warning');
    // The first ten resources in sorted order: `serviceaccounts` and `services` are left out.
    expect(found.map((d) => d.data?.['kind'])).toEqual(
      [...resources]
        .sort()
        .slice(0, 10)
        .map((r) => `v1/${kinds[resources.indexOf(r)]}`),
    );
  });

  it('include the kinds of CustomResourceDefinitions of the repository, served in the version', () => {
    const crd = customResourceDefinition('example.com', 'Widget', 'widgets', [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
          },
        },
      },
    ]);
    const widgets = {
      apiGroups: ['example.com'],
      apiVersions: ['v1', 'v2'],
      operations: ['CREATE'],
      resources: ['widgets'],
    };
    expect(typos([widgets], [crd])).toEqual(['example.com/v1/Widget']);
  });
});

describe('request, typed as the API server types it', () => {
  const rules = [
    { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
  ];
  const codes = (expression: string) =>
    runVap([
      policy('p', { matchConstraints: { resourceRules: rules }, validations: [{ expression }] }),
      binding('p', {}),
      deployment('web', 'shop', 1),
    ]).map((d) => [d.code, d.message]);

  it("refuses params in a policy without a paramKind, and namespaceObject's missing fields", () => {
    expect(codes('params == null')).toEqual([
      ['vap/invalid-policy', "CEL: undeclared reference to 'params': the policy has no paramKind"],
    ]);
    // A macro variable of that name is no reference to params.
    expect(codes('[1].all(params, params > 0)')).toEqual([]);
    expect(codes("namespaceObject.metadata.uid != ''")).toEqual([
      [
        'vap/invalid-policy',
        "CEL: namespaceObject.metadata has no field 'uid' (namespaceObject is a kubernetes.Namespace)",
      ],
    ]);
    expect(
      codes(
        "namespaceObject.metadata.UID == '' || namespaceObject.metadata.labels.all(k, k != '') || namespaceObject.status.conditions.all(c, c.reason != '')",
      ),
    ).toEqual([]);
  });

  it('refuses a field kubernetes.AdmissionRequest lacks, schemas or not', () => {
    expect(codes("request.namex == 'web'")).toEqual([
      ['vap/invalid-policy', "CEL: request has no field 'namex' (request is a kubernetes.AdmissionRequest)"],
    ]);
    // The request's uid is not part of the type the expressions see.
    expect(codes("has(request.uid) || request.name != ''")).toEqual([
      ['vap/invalid-policy', "CEL: request has no field 'uid' (request is a kubernetes.AdmissionRequest)"],
    ]);
    expect(
      codes(
        "request.userInfo.username == '' && request.userInfo.extra.all(k, k != '') && request.kind.kind == 'Deployment' && (request.dryRun || true) && (has(request.options.fieldManager) || true)",
      ),
    ).toEqual([]);
  });
});

describe('custom resources and params, typed by their schemas', () => {
  const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
  // The built-in kinds a run knows: a ConfigMap (a map of strings as data) and ObjectMeta.
  const BUILT_IN: KindSchemas = {
    kinds: { 'v1/ConfigMap': 'io.k8s.api.core.v1.ConfigMap' },
    definitions: {
      'io.k8s.api.core.v1.ConfigMap': {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { allOf: [{ $ref: `#/definitions/${OBJECT_META}` }] },
          data: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      [OBJECT_META]: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  };
  const crontabSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          cronSpec: { type: 'string' },
          'max-runs': { type: 'integer' },
          template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: {} },
        },
      },
    },
  };
  const definition = (versions: unknown[], extra: Record<string, unknown> = {}) =>
    customResourceDefinition('stable.example.com', 'CronTab', 'crontabs', versions, extra);
  const crontabs = definition([
    { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: crontabSchema } },
    // A version without a schema types nothing.
    { name: 'v2', served: true, storage: false },
  ]);
  const crontab = (version = 'v1') => ({
    apiVersion: `stable.example.com/${version}`,
    kind: 'CronTab',
    metadata: { name: 'nightly', namespace: 'shop' },
    spec: { cronSpec: '0 0 * * *' },
  });
  const rules = (version = 'v1') => [
    {
      apiGroups: ['stable.example.com'],
      apiVersions: [version],
      operations: ['CREATE'],
      resources: ['crontabs'],
    },
  ];
  const messages = (found: readonly { code: string; message: string; path?: string }[]) =>
    found.map((d) => `${d.code} ${d.path} ${d.message}`);

  it("checks the fields of a kind the repository's CustomResourceDefinition defines", () => {
    const validations = [
      // Escaped names, the root's apiVersion, kind and metadata, an embedded resource's metadata.
      {
        expression:
          "object.spec.max__dash__runs > 0 && object.kind == 'CronTab' && object.metadata.name != '' && object.spec.template.metadata.name != ''",
      },
      { expression: "object.spec.cronSpecc != ''" },
      { expression: "object.metadata.labelz.app != ''" },
    ];
    const run = (schemas?: KindSchemas) =>
      runVap(
        [
          crontabs,
          policy('cron', { matchConstraints: { resourceRules: rules() }, validations }),
          binding('cron', {}),
          crontab(),
          crontab(),
        ],
        schemas === undefined ? {} : { schemas },
      ).filter((d) => d.code === 'vap/type-warning');
    expect(messages(run(BUILT_IN))).toEqual([
      "vap/type-warning /spec/validations/1/expression object.spec has no field 'cronSpecc' in the schema of stable.example.com/v1 CronTab: the API server's type check warns about this expression in the policy's status",
      "vap/type-warning /spec/validations/2/expression object.metadata has no field 'labelz' in the schema of stable.example.com/v1 CronTab: the API server's type check warns about this expression in the policy's status",
    ]);
    // The definition is in the repository, so its fields are checked without the built-in
    // schemas; metadata, which they describe, is then not judged.
    expect(messages(run()).map((m) => m.split(' ')[1])).toEqual(['/spec/validations/1/expression']);
  });

  it("types values by the definition's schema", () => {
    const found = runVap([
      crontabs,
      policy('cron', {
        matchConstraints: { resourceRules: rules() },
        validations: [
          { expression: "object.spec.max__dash__runs > '3'" },
          { expression: "object.spec.cronSpec.startsWith('0') && object.spec.max__dash__runs < 2.5" },
        ],
      }),
      binding('cron', {}),
      crontab(),
    ]).filter((d) => d.code === 'vap/type-warning');
    expect(found.map((d) => `${d.path} ${d.message.split(": the API server's")[0]}`)).toEqual([
      "/spec/validations/0/expression found no matching overload for '_>_' applied to '(int, string)' (at character 1), with object typed as stable.example.com/v1 CronTab",
    ]);
  });

  it('types nothing for a version without a schema; a v1beta1 definition has one for all versions', () => {
    const validations = [{ expression: "object.spec.cronSpecc != ''" }];
    const codes = (crd: unknown, version: string) =>
      runVap([
        crd as Record<string, unknown>,
        policy('cron', { matchConstraints: { resourceRules: rules(version) }, validations }),
        binding('cron', {}),
        crontab(version),
      ]).map((d) => d.code);
    expect(codes(crontabs, 'v2')).not.toContain('vap/type-warning');
    const beta = {
      ...definition([{ name: 'v1', served: true, storage: true }], {
        validation: { openAPIV3Schema: crontabSchema },
      }),
      apiVersion: 'apiextensions.k8s.io/v1beta1',
    };
    expect(codes(beta, 'v1')).toContain('vap/type-warning');
  });

  it("checks params against the paramKind's schema, once per policy", () => {
    const deploymentRules = [
      { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
    ];
    const limits = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'limits', namespace: 'shop' },
      data: { maxReplicas: '3' },
    };
    const found = runVap(
      [
        policy('limit', {
          paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
          matchConstraints: { resourceRules: [...deploymentRules, ...rules()] },
          variables: [{ name: 'data', expression: 'params.data' }],
          validations: [
            // A ConfigMap's data is a map: any key; through a variable too.
            { expression: "int(params.data.maxReplicas) >= 0 && variables.data.all(k, k != '')" },
            // The mistake of writing params as if they were a custom resource.
            { expression: 'params.spec.maxReplicas >= 0' },
          ],
        }),
        binding('limit', { paramRef: { name: 'limits', namespace: 'shop' } }),
        limits,
        crontabs,
        deployment('web', 'shop', 1),
        crontab(),
      ],
      { schemas: BUILT_IN },
    ).filter((d) => d.code === 'vap/type-warning');
    expect(messages(found)).toEqual([
      "vap/type-warning /spec/validations/1/expression params has no field 'spec' in the schema of v1 ConfigMap, the policy's paramKind: the API server's type check warns about this expression in the policy's status",
    ]);
  });

  it("checks params of a kind the repository's CustomResourceDefinition defines", () => {
    const found = runVap([
      crontabs,
      policy('cron-params', {
        paramKind: { apiVersion: 'stable.example.com/v1', kind: 'CronTab' },
        matchConstraints: { resourceRules: rules() },
        validations: [{ expression: 'object.spec.cronSpec == params.spec.cronSpecs' }],
      }),
      binding('cron-params', { paramRef: { name: 'nightly', namespace: 'shop' } }),
      crontab(),
    ]).filter((d) => d.code === 'vap/type-warning');
    expect(found.map((d) => d.message.split(':')[0])).toEqual([
      "params.spec has no field 'cronSpecs' in the schema of stable.example.com/v1 CronTab, the policy's paramKind",
    ]);
  });
});

describe("cel-js's messages in cel-go's words", () => {
  it('names operators and functions as cel-go does, and lists and maps with parentheses', () => {
    expect(celGoWording('no such overload: int > string')).toBe(
      "found no matching overload for '_>_' applied to '(int, string)'",
    );
    expect(celGoWording('no such overload: list<string> + map<string, int>')).toBe(
      "found no matching overload for '_+_' applied to '(list(string), map(string, int))'",
    );
    expect(celGoWording('no such overload: int in string')).toBe(
      "found no matching overload for '@in' applied to '(int, string)'",
    );
    expect(celGoWording('no such overload: -string')).toBe(
      "found no matching overload for '-_' applied to '(string)'",
    );
    expect(celGoWording("found no matching overload for 'size(io.k8s.api.core.v1.Volume)'")).toBe(
      "found no matching overload for 'size' applied to '(io.k8s.api.core.v1.Volume)'",
    );
    // A method's receiver cannot be told from a namespace: cel-js's words stay.
    expect(celGoWording("found no matching overload for 'int.startsWith(string)'")).toBe(
      "found no matching overload for 'int.startsWith(string)'",
    );
  });
});

describe("values typed by the kinds' schemas", () => {
  const rules = [
    { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
  ];
  const warnings = (expressions: readonly string[], schemas: KindSchemas | null = SCHEMAS) =>
    runVap(
      [
        policy('typed', {
          matchConstraints: { resourceRules: rules },
          validations: expressions.map((expression) => ({ expression })),
        }),
        binding('typed', {}),
        deployment('web', 'shop', 1),
        deployment('api', 'shop', 1),
      ],
      schemas === null ? {} : { schemas },
    )
      .filter((d) => d.code === 'vap/type-warning')
      .map((d) => `${d.path} ${d.message.split(": the API server's")[0]}`);

  it('warns where an operator or function gets a type it has no overload for', () => {
    expect(
      warnings([
        "object.spec.replicas > '3'",
        'object.spec.containers.all(c, c.name > 1 || c.ports.all(p, p.containerPort > 0))',
        'object.spec.replicas * 2.0 > 1.0',
        'object.spec.replicas.startsWith("1")',
      ]),
    ).toEqual([
      "/spec/validations/0/expression found no matching overload for '_>_' applied to '(int, string)' (at character 1), with object typed as apps/v1 Deployment",
      "/spec/validations/1/expression found no matching overload for '_>_' applied to '(string, int)' (at character 31), with object typed as apps/v1 Deployment",
      "/spec/validations/2/expression found no matching overload for '_*_' applied to '(int, double)' (at character 1), with object typed as apps/v1 Deployment",
      "/spec/validations/3/expression found no matching overload for 'int.startsWith(string)' (at character 1), with object typed as apps/v1 Deployment",
    ]);
  });

  it('accepts what the API server accepts: null for objects, numbers compared across types, dyn fields', () => {
    expect(
      warnings([
        'oldObject == null || oldObject.spec.replicas == object.spec.replicas',
        'object.spec.replicas < 2.5 && object.spec.replicas >= 0',
        // An int-or-string, fields kept unknown, an object that lists no properties: dyn.
        "object.spec.maxSurge == '25%' || object.spec.maxSurge == 1",
        "object.spec.extra.anything > 1 || object.spec.raw.x == 'y'",
        "object.metadata.labels.all(k, object.metadata.labels[k] != '') && object.metadata.?labels.?app.orValue('') == ''",
        "object.spec.containers.map(c, c.name).exists(n, n.startsWith('a')) || size(object.spec.containers) > 1",
        "string(object.spec.replicas) == '1' && int(object.spec.replicas) == 1",
        // Lists of two object types joined: whether the API server allows it is not certain.
        'size(object.spec.containers + object.spec.containers[0].ports) > 0',
      ]),
    ).toEqual([]);
    expect(warnings(['size(object.spec.containers.map(c, c.name) + [1]) > 0'])).toEqual([
      "/spec/validations/0/expression found no matching overload for '_+_' applied to '(list(string), list(int))' (at character 6), with object typed as apps/v1 Deployment",
    ]);
    // Without the kind's schema nothing is typed: the API server has it, shipshape does not.
    expect(warnings(["object.spec.replicas > '3'"], null)).toEqual([]);
  });

  it('types each variable by its expression, for the expressions after it', () => {
    const found = runVap(
      [
        policy('typed', {
          matchConstraints: { resourceRules: rules },
          variables: [
            { name: 'replicas', expression: 'object.spec.replicas' },
            { name: 'names', expression: 'object.spec.containers.map(c, c.name)' },
            // A variable read by a later one: its type carries over.
            { name: 'first', expression: "variables.names.size() > 0 ? variables.names[0] : ''" },
            { name: 'mixed', expression: "[1, 'a']" },
          ],
          validations: [
            { expression: 'variables.replicas < 5 && variables.first.startsWith("a")' },
            { expression: "variables.replicas > '3'" },
            { expression: 'variables.names.exists(n, n == 1)' },
            { expression: 'variables.first > 1' },
            // A list of mixed values is a list of dyn.
            { expression: "variables.mixed.exists(m, m == 'a') && variables.mixed[0] > 1" },
          ],
        }),
        binding('typed', {}),
        deployment('web', 'shop', 1),
      ],
      { schemas: SCHEMAS },
    ).filter((d) => d.code === 'vap/type-warning');
    expect(found.map((d) => `${d.path} ${d.message.split(', with object')[0]}`)).toEqual([
      "/spec/validations/1/expression found no matching overload for '_>_' applied to '(int, string)' (at character 1)",
      "/spec/validations/2/expression found no matching overload for '_==_' applied to '(string, int)' (at character 27)",
      "/spec/validations/3/expression found no matching overload for '_>_' applied to '(string, int)' (at character 1)",
    ]);
  });

  it('finds a missing field the field check cannot follow: in a list a variable computes', () => {
    const found = runVap(
      [
        policy('typed', {
          matchConstraints: { resourceRules: rules },
          variables: [{ name: 'all', expression: 'object.spec.containers + object.spec.containers' }],
          validations: [
            { expression: "variables.all.all(c, c.imagee != '')" },
            { expression: "variables.all.all(c, c.name != '')" },
          ],
        }),
        binding('typed', {}),
      ],
      { schemas: SCHEMAS },
    ).filter((d) => d.code === 'vap/type-warning');
    expect(found.map((d) => `${d.path} ${d.message.split(": the API server's")[0]}`)).toEqual([
      "/spec/validations/0/expression undefined field 'imagee' (at character 24), with object typed as apps/v1 Deployment",
    ]);
  });

  it('leaves variables untyped when one is named __proto__, which cel-js cannot declare', () => {
    const found = runVap(
      [
        policy('typed', {
          matchConstraints: { resourceRules: rules },
          variables: JSON.parse(
            '[{"name": "__proto__", "expression": "object.spec.replicas"}, {"name": "constructor", "expression": "object.spec.replicas"}]',
          ),
          validations: [{ expression: 'variables.__proto__ == variables.constructor' }],
        }),
        binding('typed', {}),
        deployment('web', 'shop', 1),
      ],
      { schemas: SCHEMAS },
    );
    expect(found).toEqual([]);
  });

  it('leaves an expression with a missing field to the field check, and says a mistake once', () => {
    expect(warnings(["object.spec.replicass > '3'"])).toEqual([
      "/spec/validations/0/expression object.spec has no field 'replicass' in the schema of apps/v1 Deployment",
    ]);
  });
});
