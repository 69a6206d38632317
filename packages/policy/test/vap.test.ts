import { admissionPolicyRule, createPolicyEngine } from '@shipshape/policy';
import { asResource } from '@shipshape/policy/testing';
import { describe, expect, it } from 'vitest';
import {
  binding,
  configMap,
  DEPLOYMENT_RULES,
  deployment,
  namespace,
  type Obj,
  policy,
  runVap,
  simplePolicy,
  summarize,
} from './vap-fixtures.js';

const replicaLimit = (bindingSpec: Obj = {}): Obj[] => [
  policy('replica-limit', {
    paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
    matchConstraints: DEPLOYMENT_RULES,
    validations: [
      {
        expression: 'object.spec.replicas <= int(params.data.maxReplicas)',
        messageExpression: "'at most ' + params.data.maxReplicas + ' replicas in ' + request.namespace",
        reason: 'Invalid',
      },
    ],
  }),
  binding('replica-limit', {
    paramRef: { name: 'replica-limit', parameterNotFoundAction: 'Deny' },
    ...bindingSpec,
  }),
  configMap('replica-limit', 'small', { maxReplicas: '2' }),
  configMap('replica-limit', 'large', { maxReplicas: '10' }),
];

describe('vap: params', () => {
  it('evaluates each resource against the param of its own namespace', () => {
    const diagnostics = runVap([
      deployment('a', 'small', 3),
      deployment('b', 'large', 3),
      deployment('c', 'small', 2),
      ...replicaLimit(),
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/replica-limit a /spec/replicas error']);
    expect(diagnostics[0]?.message).toBe('at most 2 replicas in small');
    expect(diagnostics[0]?.data).toMatchObject({
      policy: 'replica-limit',
      binding: 'replica-limit',
      validation: 0,
      actions: ['Deny'],
      reason: 'Invalid',
      param: 'small/replica-limit',
    });
  });

  it('follows parameterNotFoundAction: Deny fails the request, Allow lets it through', () => {
    const deny = runVap([deployment('lost', 'elsewhere', 1), ...replicaLimit()]);
    expect(summarize(deny)).toEqual(['vap/replica-limit lost (root) error']);
    expect(deny[0]?.message).toMatch(/no ConfigMap named replica-limit in namespace elsewhere/);
    const allow = runVap([
      deployment('lost', 'elsewhere', 1),
      ...replicaLimit({ paramRef: { name: 'replica-limit', parameterNotFoundAction: 'Allow' } }),
    ]);
    expect(allow).toEqual([]);
  });

  it('honours failurePolicy Ignore for a missing param', () => {
    const objects = replicaLimit();
    const ignoring = {
      ...(objects[0] as Obj),
      spec: { ...((objects[0] as Obj)['spec'] as Obj), failurePolicy: 'Ignore' },
    };
    expect(runVap([deployment('lost', 'elsewhere', 1), ignoring, ...objects.slice(1)])).toEqual([]);
  });

  it('evaluates once per param a selector picks, and names the param', () => {
    const diagnostics = runVap([
      deployment('a', 'shop', 4),
      ...replicaLimit({
        paramRef: { selector: { matchLabels: { tier: 'limits' } }, parameterNotFoundAction: 'Deny' },
      }),
      configMap('strict', 'shop', { maxReplicas: '3' }, { tier: 'limits' }),
      configMap('loose', 'shop', { maxReplicas: '8' }, { tier: 'limits' }),
      configMap('unrelated', 'shop', { maxReplicas: '1' }),
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/replica-limit a /spec/replicas error']);
    expect(diagnostics[0]?.data).toMatchObject({ param: 'shop/strict' });
  });

  it('uses paramRef.namespace when set', () => {
    const diagnostics = runVap([
      deployment('a', 'anywhere', 3),
      ...replicaLimit({
        paramRef: { name: 'replica-limit', namespace: 'small', parameterNotFoundAction: 'Deny' },
      }),
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/replica-limit a /spec/replicas error']);
  });

  it('reports a paramRef that selects nothing in the repository on the binding', () => {
    const diagnostics = runVap([
      ...replicaLimit({ paramRef: { name: 'no-such-map', parameterNotFoundAction: 'Allow' } }),
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/param-not-found replica-limit /spec/paramRef warning']);
    expect(diagnostics[0]?.resource?.kind).toBe('ValidatingAdmissionPolicyBinding');
  });
});

describe('vap: matching', () => {
  const limit = simplePolicy('limit', { expression: 'object.spec.replicas <= 3' });

  it('applies namespaceSelector to the labels of the namespace, with the implicit name label', () => {
    const byLabel = simplePolicy(
      'limit',
      { expression: 'object.spec.replicas <= 3' },
      { matchConstraints: { ...DEPLOYMENT_RULES, namespaceSelector: { matchLabels: { env: 'prod' } } } },
    );
    expect(
      summarize(
        runVap([
          deployment('p', 'prod', 5),
          deployment('d', 'dev', 5),
          namespace('prod', { env: 'prod' }),
          ...byLabel,
        ]),
      ),
    ).toEqual(['vap/limit p /spec/replicas error']);
    const byName = simplePolicy(
      'limit',
      { expression: 'object.spec.replicas <= 3' },
      {},
      {
        matchResources: {
          namespaceSelector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a'] }],
          },
        },
      },
    );
    expect(
      summarize(runVap([deployment('a', 'team-a', 5), deployment('b', 'team-b', 5), ...byName])),
    ).toEqual(['vap/limit a /spec/replicas error']);
  });

  it('applies objectSelector to the labels of the object', () => {
    const exempting = simplePolicy(
      'limit',
      { expression: 'object.spec.replicas <= 3' },
      {},
      {
        matchResources: {
          objectSelector: { matchExpressions: [{ key: 'exempt', operator: 'DoesNotExist' }] },
        },
      },
    );
    const diagnostics = runVap([
      deployment('plain', 'x', 5),
      deployment('exempt', 'x', 5, { labels: { exempt: 'yes' } }),
      ...exempting,
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/limit plain /spec/replicas error']);
  });

  it('matches only the resources of the rules, minus excludeResourceRules', () => {
    const excluding = simplePolicy(
      'limit',
      { expression: 'object.spec.replicas <= 3' },
      {
        matchConstraints: {
          ...DEPLOYMENT_RULES,
          excludeResourceRules: [
            {
              apiGroups: ['apps'],
              apiVersions: ['v1'],
              operations: ['*'],
              resources: ['deployments'],
              resourceNames: ['legacy'],
            },
          ],
        },
      },
    );
    const statefulSet = { ...deployment('db', 'x', 5), kind: 'StatefulSet' };
    expect(
      summarize(runVap([deployment('legacy', 'x', 5), deployment('web', 'x', 5), statefulSet, ...excluding])),
    ).toEqual(['vap/limit web /spec/replicas error']);
  });

  // Kubernetes 1.15 still served extensions/v1beta1 Deployments (see vap-match-policy.test.ts).
  it('matches other groups and versions of a resource under Equivalent, not under Exact', () => {
    const old = { ...deployment('old', 'x', 5), apiVersion: 'extensions/v1beta1' };
    const at115 = { kubernetesVersion: '1.15' };
    expect(summarize(runVap([old, ...limit], at115))).toEqual(['vap/limit old /spec/replicas error']);
    const exact = simplePolicy(
      'limit',
      { expression: 'object.spec.replicas <= 3' },
      { matchConstraints: { ...DEPLOYMENT_RULES, matchPolicy: 'Exact' } },
    );
    expect(runVap([old, ...exact], at115)).toEqual([]);
  });

  it('skips the resource when a matchCondition is false', () => {
    const conditional = simplePolicy(
      'limit',
      { expression: 'object.spec.replicas <= 3' },
      {
        matchConditions: [
          { name: 'not-batch', expression: "object.metadata.?labels.?tier.orValue('') != 'batch'" },
        ],
      },
    );
    const diagnostics = runVap([
      deployment('web', 'x', 5),
      deployment('job', 'x', 5, { labels: { tier: 'batch' } }),
      ...conditional,
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/limit web /spec/replicas error']);
  });

  it('treats a matchCondition error by failurePolicy', () => {
    const erring = (failurePolicy: string) =>
      simplePolicy(
        'limit',
        { expression: 'object.spec.replicas <= 3' },
        {
          failurePolicy,
          matchConditions: [{ name: 'needs-owner', expression: "object.metadata.labels.owner != ''" }],
        },
      );
    const failing = runVap([deployment('web', 'x', 1), ...erring('Fail')]);
    expect(summarize(failing)).toEqual(['vap/limit web (root) error']);
    expect(failing[0]?.message).toMatch(
      /^matchConditions\[needs-owner\] could not be evaluated: No such key/,
    );
    expect(runVap([deployment('web', 'x', 1), ...erring('Ignore')])).toEqual([]);
  });

  it('judges cluster-scoped resources and Namespaces, never the policies themselves', () => {
    const nsPolicy = [
      policy('ns-owner', {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['namespaces'] },
          ],
        },
        validations: [
          {
            expression: "'owner' in object.metadata.?labels.orValue({})",
            message: 'namespaces need an owner label',
          },
        ],
      }),
      binding('ns-owner', {}),
    ];
    const diagnostics = runVap([namespace('bare'), namespace('owned', { owner: 'team-a' }), ...nsPolicy]);
    expect(summarize(diagnostics)).toEqual(['vap/ns-owner bare /metadata/labels error']);
    expect(diagnostics[0]?.message).toBe('namespaces need an owner label');
  });

  it('does not depend on file order: resources before or after their policy', () => {
    const resources = [deployment('a', 'small', 3), deployment('b', 'large', 30)];
    const before = summarize(runVap([...resources, ...replicaLimit()]));
    const after = summarize(runVap([...replicaLimit(), ...resources]));
    const mixed = summarize(
      runVap([
        replicaLimit()[2] as Obj,
        resources[0] as Obj,
        ...replicaLimit().slice(0, 2),
        resources[1] as Obj,
        replicaLimit()[3] as Obj,
      ]),
    );
    expect(before).toEqual([
      'vap/replica-limit a /spec/replicas error',
      'vap/replica-limit b /spec/replicas error',
    ]);
    expect(after).toEqual(before);
    expect(mixed).toEqual(before);
  });

  it('reads again only the objects of resources some binding matches', () => {
    // Resources as check() gives them: after its file, an object is read from the file again
    // when asked. Counted here: what no binding matches must not be read in finish.
    const engine = createPolicyEngine({ rules: [admissionPolicyRule()], kubernetesVersion: '1.35' });
    const reads = new Map<string, number>();
    const objects = [
      ...simplePolicy('replicas', { expression: 'object.spec.replicas <= 5' }),
      deployment('big', 'apps', 9),
      configMap('settings', 'apps', { mode: 'fast' }),
      namespace('apps'),
    ];
    const resources = objects.map((object, i) => {
      const plain = asResource(object, i);
      let released = false;
      const resource = {
        id: plain.id,
        source: plain.source,
        get object() {
          if (released) reads.set(plain.id.kind, (reads.get(plain.id.kind) ?? 0) + 1);
          return plain.object;
        },
      };
      return { resource, release: () => (released = true) };
    });
    for (const { resource, release } of resources) {
      engine.check(resource);
      release();
    }
    expect(summarize(engine.finish())).toEqual(['vap/replicas big /spec/replicas error']);
    expect(reads.get('ConfigMap')).toBeUndefined();
    expect(reads.get('Deployment')).toBeGreaterThan(0);
  });

  it('takes policies, bindings and params from extraResources without judging them', () => {
    const extraResources = replicaLimit().map((object, i) => asResource(object, 100 + i));
    const diagnostics = runVap([deployment('a', 'small', 3), deployment('b', 'small', 1)], {
      extraResources,
    });
    expect(summarize(diagnostics)).toEqual(['vap/replica-limit a /spec/replicas error']);
    // The ConfigMaps of the policy file are params, not resources of the repository.
    const strict = simplePolicy(
      'no-configmaps',
      { expression: 'false' },
      {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
          ],
        },
      },
    );
    const extra = [...replicaLimit(), ...strict].map((object, i) => asResource(object, 100 + i));
    expect(runVap([deployment('b', 'small', 1)], { extraResources: extra })).toEqual([]);
  });

  it('with repositoryPolicies false runs only the extra policies, and admits the repository’s like any resource', () => {
    const inRepo = simplePolicy(
      'no-deployments',
      { expression: 'false', message: 'no' },
      { matchConstraints: DEPLOYMENT_RULES },
    );
    const extraResources = replicaLimit().map((object, i) => asResource(object, 100 + i));
    const objects = [deployment('a', 'small', 3), ...inRepo];
    expect(summarize(runVap(objects, { extraResources }))).toEqual([
      'vap/no-deployments a (root) error',
      'vap/replica-limit a /spec/replicas error',
    ]);
    expect(summarize(runVap(objects, { extraResources, repositoryPolicies: false }))).toEqual([
      'vap/replica-limit a /spec/replicas error',
    ]);
    expect(runVap(objects, { repositoryPolicies: false })).toEqual([]);
  });

  it('takes a document that is both in the repository and among extraResources once', () => {
    const objects = [deployment('a', 'small', 3), ...replicaLimit()];
    const resources = objects.map((object, i) => asResource(object, i));
    // The policy file is inside the checked tree and named with --policy too: the same documents.
    const extraResources = resources.slice(1).map((r) => asResource(r.object, r.source.document));
    const engine = createPolicyEngine({
      rules: [admissionPolicyRule({ extraResources })],
      kubernetesVersion: '1.35',
    });
    const diagnostics = [...resources.flatMap((r) => engine.check(r)), ...engine.finish()];
    expect(summarize(diagnostics)).toEqual(['vap/replica-limit a /spec/replicas error']);
  });
});

describe('vap: kinds defined by CustomResourceDefinitions in the repository', () => {
  const crd = (scope: 'Namespaced' | 'Cluster'): Obj => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'octopodes.sea.example.com' },
    spec: {
      group: 'sea.example.com',
      scope,
      // An irregular plural: without the definition the resource name would be guessed as `octopuses`.
      names: { kind: 'Octopus', plural: 'octopodes', singular: 'octopus' },
      versions: [
        { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  });
  const octopus = (name: string, arms: number): Obj => ({
    apiVersion: 'sea.example.com/v1',
    kind: 'Octopus',
    metadata: { name, namespace: 'reef' },
    spec: { arms },
  });
  const armsPolicy = (): Obj[] => [
    policy('eight-arms', {
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['sea.example.com'],
            apiVersions: ['*'],
            operations: ['CREATE'],
            resources: ['octopodes'],
          },
        ],
      },
      validations: [{ expression: 'object.spec.arms == 8', message: 'an octopus has eight arms' }],
    }),
    binding('eight-arms', {}),
  ];

  it('match the resource name the definition gives, whether it comes before or after the resources', () => {
    for (const objects of [
      [crd('Namespaced'), octopus('ok', 8), octopus('odd', 7), ...armsPolicy()],
      [octopus('ok', 8), octopus('odd', 7), ...armsPolicy(), crd('Namespaced')],
    ]) {
      expect(summarize(runVap(objects))).toEqual(['vap/eight-arms odd /spec/arms error']);
    }
    // Without the definition the kind's resource is guessed (`octopuses`): the policy does not match.
    expect(runVap([octopus('odd', 7), ...armsPolicy()])).toEqual([]);
  });
});
