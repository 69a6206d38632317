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

describe('vap: validations and their outcome', () => {
  it('maps validationActions to severities: Deny error, Warn warning, Audit info', () => {
    const rule = { expression: 'object.spec.replicas <= 3' };
    const severities = (actions: string[]) =>
      runVap([
        deployment('web', 'x', 5),
        ...simplePolicy('limit', rule, {}, { validationActions: actions }),
      ]).map((d) => d.severity);
    expect(severities(['Deny'])).toEqual(['error']);
    expect(severities(['Warn'])).toEqual(['warning']);
    expect(severities(['Audit'])).toEqual(['info']);
    expect(severities(['Warn', 'Audit'])).toEqual(['warning']);
    expect(severities(['Deny', 'Audit'])).toEqual(['error']);
  });

  it('reads v1beta1 policies and bindings', () => {
    const beta = 'admissionregistration.k8s.io/v1beta1';
    const diagnostics = runVap([
      deployment('web', 'x', 5),
      policy(
        'limit',
        { matchConstraints: DEPLOYMENT_RULES, validations: [{ expression: 'object.spec.replicas <= 3' }] },
        beta,
      ),
      binding('limit', {}, beta),
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/limit web /spec/replicas error']);
    expect(diagnostics[0]?.message).toBe('failed expression: object.spec.replicas <= 3');
  });

  it('builds the message from messageExpression, falling back to message, then to the expression', () => {
    const messages = (validation: Obj) =>
      runVap([deployment('web', 'x', 5), ...simplePolicy('limit', validation)]).map((d) => d.message);
    const expression = 'object.spec.replicas <= 3';
    expect(
      messages({ expression, messageExpression: "'replicas: ' + string(object.spec.replicas)" }),
    ).toEqual(['replicas: 5']);
    expect(messages({ expression, message: 'too many', messageExpression: 'object.spec.nope' })).toEqual([
      'too many',
    ]);
    expect(messages({ expression, message: 'too many', messageExpression: "'  '" })).toEqual(['too many']);
    expect(messages({ expression, messageExpression: "'two\\nlines'" })).toEqual([
      `failed expression: ${expression}`,
    ]);
  });

  it('evaluates variables lazily and in order', () => {
    const diagnostics = runVap([
      deployment('web', 'x', 5),
      deployment('small', 'x', 1),
      ...simplePolicy(
        'limit',
        { expression: '!variables.tooMany', messageExpression: "'replicas ' + string(variables.replicas)" },
        {
          variables: [
            { name: 'replicas', expression: 'object.spec.replicas' },
            { name: 'tooMany', expression: 'variables.replicas > 3' },
            { name: 'broken', expression: 'object.spec.nope.deeper' },
          ],
        },
      ),
    ]);
    // `broken` would fail, but no expression reads it.
    expect(summarize(diagnostics)).toEqual(['vap/limit web (root) error']);
    expect(diagnostics[0]?.message).toBe('replicas 5');
  });

  it('types integral numbers as int, so arithmetic with int literals works', () => {
    const diagnostics = runVap([
      deployment('web', 'x', 3),
      ...simplePolicy('limit', {
        expression:
          'object.spec.replicas + 1 <= 3 && object.spec.template.spec.containers[0].resources.limits.cpu < 1',
      }),
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/limit web /spec error']);
  });

  it('supports optional types', () => {
    const rule = {
      expression:
        'object.metadata.?labels.orValue({}).size() > 0 && object.metadata.?labels.?team.hasValue()',
      message: 'a team label is required',
    };
    const diagnostics = runVap([
      deployment('none', 'x', 1),
      deployment('other', 'x', 1, { labels: { app: 'x' } }),
      deployment('ok', 'x', 1, { labels: { team: 'a' } }),
      ...simplePolicy('team-label', rule),
    ]);
    expect(summarize(diagnostics)).toEqual([
      'vap/team-label none /metadata/labels/team error',
      'vap/team-label other /metadata/labels/team error',
    ]);
  });

  it('compares quantities', () => {
    const rule = {
      expression:
        "object.spec.template.spec.containers.all(c, quantity(c.resources.limits.memory).isLessThan(quantity('1Gi')) && quantity(c.resources.limits.memory).compareTo(quantity('1000000000m')) >= 0)",
      message: 'memory limits stay between 1M and 1Gi',
    };
    const diagnostics = runVap([
      deployment('big', 'x', 1, { memory: '2Gi' }),
      deployment('exact', 'x', 1, { memory: '1024Mi' }),
      deployment('fine', 'x', 1, { memory: '512Mi' }),
      deployment('tiny', 'x', 1, { memory: '100k' }),
      ...simplePolicy('memory', rule),
    ]);
    expect(summarize(diagnostics)).toEqual([
      'vap/memory big /spec/template/spec/containers error',
      'vap/memory exact /spec/template/spec/containers error',
      'vap/memory tiny /spec/template/spec/containers error',
    ]);
  });

  it('gives request, namespaceObject, params and authorizer as the API server would for a CREATE', () => {
    const rule = {
      expression: [
        "request.operation == 'CREATE'",
        "request.kind == {'group': 'apps', 'version': 'v1', 'kind': 'Deployment'}",
        "request.resource.resource == 'deployments'",
        "request.namespace == 'shop' && request.name == 'web'",
        "request.userInfo.username == ''",
        "namespaceObject.metadata.name == 'shop'",
        "namespaceObject.metadata.labels['kubernetes.io/metadata.name'] == 'shop'",
        // `params` is declared only for a policy with a paramKind (see vap-type-check.test.ts).
        'oldObject == null',
        "!authorizer.group('apps').resource('deployments').namespace('shop').check('create').allowed()",
        "!authorizer.requestResource.check('delete').allowed()",
      ].join(' && '),
    };
    expect(runVap([deployment('web', 'shop', 1), ...simplePolicy('context', rule)])).toEqual([]);
  });

  it('stops a runaway expression with a diagnostic', () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ name: `item-${i}` }));
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'x' },
      spec: { items },
    };
    const rules = {
      resourceRules: [
        { apiGroups: ['example.com'], apiVersions: ['*'], operations: ['*'], resources: ['widgets'] },
      ],
    };
    const literal = `[${Array.from({ length: 200 }, (_, i) => i).join(', ')}]`;
    const diagnostics = runVap([
      widget,
      policy('quadratic', {
        matchConstraints: rules,
        validations: [
          { expression: 'object.spec.items.all(a, object.spec.items.exists(b, a.name == b.name))' },
          { expression: 'true' },
        ],
      }),
      binding('quadratic', {}),
      policy('cubic', {
        matchConstraints: rules,
        validations: [
          { expression: `${literal}.all(a, ${literal}.all(b, ${literal}.all(c, a + b + c >= 0)))` },
        ],
      }),
      binding('cubic', {}),
    ]);
    expect(summarize(diagnostics)).toEqual(['vap/cubic w (root) error', 'vap/quadratic w (root) error']);
    for (const d of diagnostics) {
      expect(d.message).toMatch(
        /^validations\[0\] could not be evaluated: the evaluation exceeded its cost budget/,
      );
      expect(d.data).toMatchObject({ costLimit: true });
    }
  });

  it('lets the budget be set', () => {
    const rule = { expression: 'object.spec.template.spec.containers.all(c, c.image != "")' };
    const objects = [deployment('web', 'x', 1), ...simplePolicy('images', rule)];
    expect(runVap(objects, { costBudget: 1 })[0]?.data).toMatchObject({ costLimit: true });
    expect(runVap(objects, { costBudget: 10 })).toEqual([]);
  });
});

describe('vap: problems in policies and bindings are diagnostics on them', () => {
  it('reports CEL syntax and type errors at the expression, and judges resources without that validation', () => {
    const diagnostics = runVap([
      deployment('web', 'x', 5),
      policy('broken', {
        matchConstraints: DEPLOYMENT_RULES,
        validations: [
          { expression: 'object.spec.replicas <=' },
          { expression: "size(object.metadata.name) > 'three'" },
          { expression: "'not a bool'" },
          { expression: 'object.spec.replicas <= 3', messageExpression: '42' },
          { expression: 'object.metadata.name.matches("(unclosed")' },
          { expression: 'unknownVariable == 1' },
        ],
      }),
      binding('broken', {}),
    ]);
    expect(summarize(diagnostics)).toEqual([
      'vap/invalid-policy broken /spec/validations/0/expression error',
      'vap/invalid-policy broken /spec/validations/1/expression error',
      'vap/invalid-policy broken /spec/validations/2/expression error',
      'vap/invalid-policy broken /spec/validations/3/messageExpression error',
      'vap/invalid-policy broken /spec/validations/4/expression error',
      'vap/invalid-policy broken /spec/validations/5/expression error',
      'vap/broken web /spec/replicas error',
    ]);
    expect(diagnostics[1]?.message).toMatch(/no such overload: int > string/);
    expect(diagnostics[2]?.message).toMatch(/must evaluate to bool/);
    expect(diagnostics[4]?.message).toMatch(/invalid regular expression/);
    expect(diagnostics[6]?.message).toBe('failed expression: object.spec.replicas <= 3');
  });

  it('reports variables read before they are defined, and matchConditions that read variables', () => {
    const diagnostics = runVap(
      simplePolicy(
        'order',
        { expression: 'variables.b' },
        {
          variables: [
            { name: 'a', expression: 'variables.b' },
            { name: 'b', expression: 'true' },
          ],
          matchConditions: [{ name: 'uses-vars', expression: 'variables.b' }],
        },
      ),
    );
    expect(summarize(diagnostics)).toEqual([
      'vap/invalid-policy order /spec/matchConditions/0/expression error',
      'vap/invalid-policy order /spec/variables/0/expression error',
    ]);
  });

  it('reports missing and invalid fields', () => {
    const diagnostics = runVap([
      policy('empty', { failurePolicy: 'Sometimes' }),
      binding('orphan', { policyName: 'no-such-policy' }),
      binding('empty', { validationActions: [] }),
      binding('both', {
        policyName: 'empty',
        validationActions: ['Deny', 'Warn'],
        paramRef: { name: 'a', selector: {} },
      }),
      binding('twice', {
        policyName: 'empty',
        validationActions: ['Deny', 'Deny'],
        paramRef: { name: 'a', parameterNotFoundAction: 'Allow' },
      }),
    ]);
    expect(summarize(diagnostics)).toEqual([
      'vap/invalid-policy empty /spec error',
      'vap/invalid-policy empty /spec error',
      'vap/invalid-policy empty /spec/failurePolicy error',
      'vap/unknown-policy orphan /spec/policyName warning',
      'vap/invalid-binding empty /spec error',
      'vap/invalid-binding both /spec/paramRef error',
      'vap/invalid-binding both /spec/paramRef error',
      'vap/invalid-binding both /spec/validationActions error',
      'vap/invalid-binding twice /spec/validationActions error',
    ]);
    expect(diagnostics.map((d) => d.message).filter((m) => /parameterNotFoundAction|twice/.test(m))).toEqual([
      'paramRef needs parameterNotFoundAction (Allow or Deny): the API server refuses the binding without it',
      'Deny listed twice; the API server refuses the binding, so it is not applied',
    ]);
  });

  it('replaces text literally: $ in the replacement is no pattern', () => {
    const messages = runVap([
      deployment('web', 'x', 5),
      ...simplePolicy('cost', {
        expression: 'false',
        messageExpression: "'cost: $5'.replace('$5', '$$5 per $&') + '/' + 'a-b'.replace('-', '$1', 1)",
      }),
    ]).map((d) => d.message);
    expect(messages).toEqual(['cost: $$5 per $&/a$1b']);
  });

  it('reports a binding without paramRef for a policy with paramKind, and duplicates', () => {
    const withParams = policy('p', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: DEPLOYMENT_RULES,
      validations: [{ expression: 'params != null' }],
    });
    const diagnostics = runVap([
      deployment('web', 'x', 1),
      withParams,
      withParams,
      binding('p', {}),
      binding('p', {}),
    ]);
    // The first of each pair is replaced (one file: manifest/duplicate-resource reports the pair).
    expect(summarize(diagnostics)).toEqual([
      'vap/duplicate p /metadata/name info',
      'vap/duplicate p /metadata/name info',
      'vap/invalid-binding p /spec error',
      'vap/p web (root) error',
    ]);
    expect(diagnostics.map((d) => d.resource && d.message.slice(0, 8))).toContain('not eval');
    expect(diagnostics[3]?.message).toMatch(/has no paramRef/);
  });

  it('refuses libraries the target version lacks', () => {
    const objects = simplePolicy('q', {
      expression: "quantity('1') == quantity('1000m') && object.?spec.hasValue()",
    });
    expect(summarize(runVap(objects, { kubernetesVersion: '1.28' }))).toEqual([
      'vap/invalid-policy q /spec/validations/0/expression error',
    ]);
    expect(runVap(objects, { kubernetesVersion: '1.30' })).toEqual([]);
  });
});

describe('vap: inputs that broke evaluation', () => {
  it('reads a map that has a key named constructor, as the API server does', () => {
    const labelled = configMap('web', 'x', {}, { constructor: 'acme' });
    const rules = {
      resourceRules: [
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
      ],
    };
    const diagnostics = runVap([
      labelled,
      policy('team', {
        matchConstraints: rules,
        validations: [
          { expression: "'team' in object.metadata.labels", message: 'needs a team label' },
          { expression: "object.metadata.labels.constructor == 'acme' && size(object.metadata.labels) == 1" },
        ],
      }),
      binding('team', {}),
    ]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['vap/team', 'needs a team label']]);
  });

  it('reads variables named constructor and __proto__, lazily still', () => {
    const diagnostics = runVap([
      deployment('web', 'x', 5),
      ...simplePolicy(
        'named',
        {
          expression:
            "variables.constructor <= 3 && size(variables) == 3 && 'constructor' in variables && variables.__proto__ == 'x'",
          messageExpression: "'replicas ' + string(variables.constructor)",
        },
        {
          variables: [
            { name: 'constructor', expression: 'object.spec.replicas' },
            { name: '__proto__', expression: "'x'" },
            // Not read: it would fail.
            { name: 'broken', expression: 'object.spec.nope.deeper' },
          ],
        },
      ),
    ]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['vap/named', 'replicas 5']]);
  });

  it('refuses an expression too deep to compile, and still runs the other policies', () => {
    const deep = Array.from({ length: 2_000 }, () => 'true').join(' && ');
    const diagnostics = runVap([
      deployment('web', 'x', 5),
      ...simplePolicy('deep', { expression: deep }),
      ...simplePolicy('limit', { expression: 'object.spec.replicas <= 3' }),
    ]);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['vap/invalid-policy', 'vap/limit']);
    expect(diagnostics.find((d) => d.code === 'vap/invalid-policy')?.message).toMatch(
      /too deeply nested to compile .*split it into variables/,
    );
  });

  it('never shows the values of a Secret given as params, in errors or messages', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'limits', namespace: 'x' },
      data: { password: 'U3VwZXJTZWNyZXQxMjM=' },
    };
    const paramKind = { apiVersion: 'v1', kind: 'Secret' };
    const run = (validation: Obj) =>
      runVap([
        deployment('web', 'x', 5),
        secret,
        ...simplePolicy(
          'leak',
          validation,
          { paramKind },
          { paramRef: { name: 'limits', namespace: 'x', parameterNotFoundAction: 'Deny' } },
        ),
      ]).map((d) => d.message);
    const messages = [
      ...run({ expression: 'params.data.password' }),
      ...run({ expression: "quantity(params.data.password) == quantity('1')" }),
      ...run({ expression: 'false', messageExpression: "'value ' + params.data.password" }),
      ...run({
        expression: 'false',
        messageExpression: 'params.data.password.substring(0, 14).upperAscii()',
      }),
    ];
    expect(messages.length).toBe(4);
    for (const m of messages) expect(m.toLowerCase()).not.toContain('u3vwzxjtzwnyzxqxmjm');
    // On a Secret, messageExpression is not used and errors are not quoted.
    expect(messages).toEqual([
      expect.stringMatching(/its error is not shown, as it may quote the values of a Secret$/),
      expect.stringMatching(/its error is not shown, as it may quote the values of a Secret$/),
      'failed expression: false',
      'failed expression: false',
    ]);
  });
});

describe('vap: the object as the API server decodes it', () => {
  it('has the defaults the server fills in before admission: replicas, pull policy, the namespace label', () => {
    const limit = (expression: string, extra: Obj[] = []) =>
      runVap([
        deployment('web', 'x', undefined as unknown as number),
        ...extra,
        ...simplePolicy('limit', { expression, message: 'denied' }),
      ]).map((d) => [d.code, d.message]);
    // The Kubernetes documentation's own example: a Deployment without replicas runs one.
    expect(limit('object.spec.replicas <= 3')).toEqual([]);
    expect(limit('object.spec.replicas == 1')).toEqual([]);
    expect(
      limit("object.spec.strategy.type == 'RollingUpdate' && object.spec.revisionHistoryLimit == 10"),
    ).toEqual([]);
    expect(
      limit(
        "object.spec.template.spec.containers.all(c, c.imagePullPolicy in ['Always', 'IfNotPresent'] && c.terminationMessagePolicy == 'File')",
      ),
    ).toEqual([]);
    expect(limit("object.spec.template.spec.restartPolicy == 'Always'")).toEqual([]);
    // A field written is kept as written.
    expect(limit('object.spec.replicas > 1')).toEqual([['vap/limit', 'denied']]);
  });

  it('gives a Namespace its kubernetes.io/metadata.name label, and a Service its type', () => {
    const rules = (resources: string) => ({
      resourceRules: [
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: [resources] },
      ],
    });
    const run = (object: Obj, resources: string, expression: string) =>
      runVap([
        object,
        policy('p', { matchConstraints: rules(resources), validations: [{ expression }] }),
        binding('p', {}),
      ]).map((d) => d.code);
    expect(
      run(namespace('shop'), 'namespaces', "object.metadata.labels['kubernetes.io/metadata.name'] == 'shop'"),
    ).toEqual([]);
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'x' },
      spec: { ports: [{ port: 80 }] },
    };
    expect(
      run(
        svc,
        'services',
        "object.spec.type == 'ClusterIP' && object.spec.ports.all(p, p.protocol == 'TCP' && p.targetPort == 80)",
      ),
    ).toEqual([]);
  });
});

describe('vap: runaway concatenation', () => {
  it('charges each side of + to the budget: doubling a list 26 times stops at the cost limit', () => {
    const variables = [{ name: 'v0', expression: '[1, 2, 3, 4, 5, 6, 7, 8]' }];
    for (let i = 1; i <= 26; i++)
      variables.push({ name: `v${i}`, expression: `variables.v${i - 1} + variables.v${i - 1}` });
    const diagnostics = runVap([
      deployment('web', 'x', 1),
      ...simplePolicy('doubling', { expression: 'size(variables.v26) > 0' }, { variables }),
    ]);
    expect(diagnostics.map((d) => d.code)).toEqual(['vap/doubling']);
    expect(diagnostics[0]?.message).toMatch(/exceeded its cost budget of 1000000/);
    // Without the charge it ran for half a minute and ended the process out of memory.
  });
});

describe('vap: custom kinds without their CRD', () => {
  it('guesses the plural of a kind as CRDs write it: Gateway is gateways', () => {
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'g', namespace: 'x' },
      spec: { gatewayClassName: 'internet' },
    };
    const rules = {
      resourceRules: [
        {
          apiGroups: ['gateway.networking.k8s.io'],
          apiVersions: ['*'],
          operations: ['CREATE'],
          resources: ['gateways'],
        },
      ],
    };
    const diagnostics = runVap([
      gateway,
      policy('internal', {
        matchConstraints: rules,
        validations: [{ expression: "object.spec.gatewayClassName == 'internal'" }],
      }),
      binding('internal', {}),
    ]);
    expect(diagnostics.map((d) => d.code)).toEqual(['vap/internal']);
  });
});

describe('vap: cost limits as the API server has them', () => {
  it('gives each expression a million and the evaluation ten million', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => i);
    const big = { ...deployment('web', 'x', 1), spec: { replicas: 1, items } };
    const validations = Array.from({ length: 9 }, () => ({ expression: 'object.spec.items.all(x, x >= 0)' }));
    // Nine walks of 100,000 items: within both limits (one shared million failed the ninth).
    expect(runVap([big, ...simplePolicy('walks', validations[0]!, { validations })])).toEqual([]);
    // One expression walking 1,200,000 elements passes its own limit and fails alone.
    const heavy = {
      expression:
        'object.spec.items.all(x, x >= 0) && [1,2,3,4,5,6,7,8,9,10,11,12].all(n, object.spec.items.all(x, x >= 0))',
    };
    const diagnostics = runVap([
      big,
      ...simplePolicy('heavy', heavy, {
        validations: [heavy, { expression: 'object.spec.replicas > 1', message: 'one replica' }],
      }),
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/validations\[0\].*exceeded its cost budget of 1000000/),
      'one replica',
    ]);
  });
});

describe('vap: quantities written as YAML numbers', () => {
  it('are the canonical strings the API server hands to admission', () => {
    const limit = (expression: string) =>
      runVap([deployment('web', 'x', 1), ...simplePolicy('q', { expression, message: 'denied' })]).map(
        (d) => d.message,
      );
    // The fixture's container writes cpu: 0.5 (a number).
    expect(limit("object.spec.template.spec.containers.all(c, c.resources.limits.cpu == '500m')")).toEqual(
      [],
    );
    expect(
      limit(
        "object.spec.template.spec.containers.all(c, quantity(c.resources.limits.cpu).isLessThan(quantity('4')))",
      ),
    ).toEqual([]);
  });

  it('write the largest unit that keeps the number whole', async () => {
    const { canonicalQuantity } = await import('../src/vap/admission-defaults.js');
    expect(
      [2n, 0.5, 1.5, 1000n, 1024n, 1500n, 1_000_000_000n, 0.0001, 1e-10, -0.5].map((v) =>
        canonicalQuantity(v),
      ),
    ).toEqual(['2', '500m', '1500m', '1k', '1024', '1500', '1G', '100u', '1e-9', '-500m']);
    // Strings as the API server writes them back: binary stays binary when whole, e notation stays.
    expect(
      ['1024Mi', '1536Mi', '0.5Gi', '1.5Ki', '1000m', '0.5', '1e3', '1.5e3', 'abc'].map((v) =>
        canonicalQuantity(v),
      ),
    ).toEqual(['1Gi', '1536Mi', '512Mi', '1536', '1', '500m', '1e3', '1500', undefined]);
    // Past exa, e notation (and a YAML number written so) keeps its form.
    expect([canonicalQuantity('1e21'), canonicalQuantity(1e21)]).toEqual(['1e21', '1e21']);
    // Resource lists round up to thousandths first.
    expect([canonicalQuantity('0.0005', true), canonicalQuantity(0.0005)]).toEqual(['1m', '500u']);
  });
});

describe('vap: defaults only where the API server sets them', () => {
  const admitted = (object: Obj, resources: string, expression: string, group = '') =>
    runVap([
      object,
      policy('p', {
        matchConstraints: {
          resourceRules: [
            { apiGroups: [group], apiVersions: ['*'], operations: ['CREATE'], resources: [resources] },
          ],
        },
        validations: [{ expression }],
      }),
      binding('p', {}),
    ]).map((d) => d.message);

  it('defaults a Pod, a Secret and a Service as decoding does', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'x' },
      spec: {
        containers: [
          { name: 'a', image: 'nginx:latest@sha256:0123', resources: { limits: { memory: '1Gi' } } },
          { name: 'b', image: 'nginx@sha256:0123' },
        ],
      },
    };
    expect(
      admitted(
        pod,
        'pods',
        "object.spec.enableServiceLinks && object.spec.containers[0].resources.requests.memory == '1Gi' && object.spec.containers[0].imagePullPolicy == 'Always' && object.spec.containers[1].imagePullPolicy == 'IfNotPresent'",
      ),
    ).toEqual([]);
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'x' },
      stringData: { a: 'hi' },
    };
    expect(
      admitted(
        secret,
        'secrets',
        "object.type == 'Opaque' && object.data.a == 'aGk=' && !has(object.stringData)",
      ),
    ).toEqual([]);
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'x' },
      spec: { ports: [{ port: 80 }] },
    };
    expect(admitted(svc, 'services', "object.spec.internalTrafficPolicy == 'Cluster'")).toEqual([]);
  });

  it('leaves Job fields of a CronJob and service links of a template alone', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'x' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } } } },
      },
    };
    expect(
      admitted(
        cron,
        'cronjobs',
        "!has(object.spec.jobTemplate.spec.backoffLimit) && !has(object.spec.jobTemplate.spec.template.spec.enableServiceLinks) && object.spec.jobTemplate.spec.template.spec.restartPolicy == 'Always'",
        'batch',
      ),
    ).toEqual([]);
  });
});

describe('vap: runtime errors cel-go raises and cel-js did not', () => {
  it('reports int overflow, an index out of range and an overlong duration as diagnostics', () => {
    const objects = [
      deployment('web', 'x', 1, { labels: { min: '-9223372036854775808', name: 'a😀', wait: '3000000h' } }),
      policy('ranges', {
        matchConstraints: DEPLOYMENT_RULES,
        validations: [
          { expression: '-int(object.metadata.labels.min) > 0' },
          { expression: "object.metadata.labels.name.substring(0, 3) != ''" },
          { expression: "duration(object.metadata.labels.wait) > duration('0s')" },
          { expression: "object.metadata.labels.name.indexOf('😀') == 1" },
        ],
      }),
      binding('ranges', {}),
    ];
    const diagnostics = runVap(objects);
    expect(summarize(diagnostics)).toEqual([
      'vap/ranges web (root) error',
      'vap/ranges web (root) error',
      'vap/ranges web (root) error',
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/^validations\[0\] could not be evaluated: integer overflow/),
      expect.stringMatching(/^validations\[1\] could not be evaluated: index out of range: 3/),
      expect.stringMatching(/^validations\[2\] could not be evaluated: duration overflow/),
    ]);
  });
});
