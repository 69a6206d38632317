import { describe, expect, it } from 'vitest';
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
