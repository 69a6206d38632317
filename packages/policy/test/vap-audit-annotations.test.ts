import { describe, expect, it } from 'vitest';
import {
  binding,
  configMap,
  DEPLOYMENT_RULES,
  deployment,
  type Obj,
  policy,
  runVap,
  summarize,
} from './vap-fixtures.js';

/** A policy on Deployments with only these auditAnnotations (and `spec`), and its binding. */
function annotating(name: string, auditAnnotations: readonly Obj[], spec: Obj = {}, bindingSpec: Obj = {}) {
  return [
    policy(name, { matchConstraints: DEPLOYMENT_RULES, auditAnnotations, ...spec }),
    binding(name, bindingSpec),
  ];
}

const run = (...objects: Obj[]) => runVap([deployment('web', 'x', 5), ...objects]);

describe('vap: auditAnnotations are read as the API server checks them', () => {
  it('takes a policy with only auditAnnotations, and reports nothing for a published string', () => {
    const diagnostics = run(
      ...annotating('replicas', [
        { key: 'replicas', valueExpression: "'replicas: ' + string(object.spec.replicas)" },
        { key: 'name', valueExpression: 'object.metadata.name' },
      ]),
      // Beside it, one that is evaluated too and gives an int: only that one is reported.
      ...annotating('count', [{ key: 'count', valueExpression: 'object.spec.replicas' }]),
    );
    expect(summarize(diagnostics)).toEqual(['vap/count web (root) error']);
  });

  it('reports a valueExpression that does not compile, and judges resources without it', () => {
    const diagnostics = run(
      ...annotating('broken', [
        { key: 'syntax', valueExpression: "'replicas: ' +" },
        { key: 'an-int', valueExpression: '42' },
        { key: 'a-bool', valueExpression: 'object.spec.replicas > 3' },
        { key: 'unknown', valueExpression: 'variables.nope' },
        { key: 'fails', valueExpression: 'object.spec.nope' },
      ]),
    );
    expect(summarize(diagnostics)).toEqual([
      'vap/invalid-policy broken /spec/auditAnnotations/0/valueExpression error',
      'vap/invalid-policy broken /spec/auditAnnotations/1/valueExpression error',
      'vap/invalid-policy broken /spec/auditAnnotations/2/valueExpression error',
      'vap/invalid-policy broken /spec/auditAnnotations/3/valueExpression error',
      'vap/broken web (root) error',
    ]);
    expect(diagnostics[1]?.message).toMatch(/must evaluate to string or null, but it gives int/);
    expect(diagnostics[2]?.message).toMatch(/must evaluate to string or null, but it gives bool/);
    expect(diagnostics[4]?.message).toMatch(/^auditAnnotations\[fails\] could not be evaluated/);
  });

  it('reports missing, repeated and invalid keys, and missing or oversized valueExpressions', () => {
    const value = "'x'";
    const diagnostics = run(
      ...annotating('keys', [
        { valueExpression: value },
        { key: 'same', valueExpression: value },
        { key: 'same', valueExpression: value },
        { key: 'with/slash', valueExpression: value },
        { key: '-dash', valueExpression: value },
        { key: 'k'.repeat(64), valueExpression: value },
        { key: 'k'.repeat(63), valueExpression: value },
        { key: 'no-value' },
        { key: 'blank', valueExpression: '   ' },
        { key: 'huge', valueExpression: `'${'x'.repeat(5 * 1024)}'` },
      ]),
    );
    expect(summarize(diagnostics)).toEqual([
      'vap/invalid-policy keys /spec/auditAnnotations/0 error',
      'vap/invalid-policy keys /spec/auditAnnotations/2/key error',
      'vap/invalid-policy keys /spec/auditAnnotations/3/key error',
      'vap/invalid-policy keys /spec/auditAnnotations/4/key error',
      'vap/invalid-policy keys /spec/auditAnnotations/5/key error',
      'vap/invalid-policy keys /spec/auditAnnotations/7 error',
      'vap/invalid-policy keys /spec/auditAnnotations/8 error',
      'vap/invalid-policy keys /spec/auditAnnotations/9/valueExpression error',
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'auditAnnotations[0] needs a key',
      'auditAnnotations has two keys "same"',
      expect.stringMatching(/^the key "with\/slash" must be letters, digits/),
      expect.stringMatching(/^the key "-dash" must be letters, digits/),
      expect.stringMatching(/is longer than 63 characters$/),
      'auditAnnotations[7] needs a valueExpression',
      'auditAnnotations[8] needs a valueExpression',
      expect.stringMatching(/^valueExpression must not exceed 5120 bytes/),
    ]);
  });

  it('checks the key together with the policy name, which prefixes it', () => {
    const diagnostics = run(...annotating('Not_A_Subdomain', [{ key: 'ok', valueExpression: "'x'" }]));
    expect(summarize(diagnostics)).toEqual([
      'vap/invalid-policy Not_A_Subdomain /spec/auditAnnotations/0/key error',
    ]);
  });

  it('allows at most 20 auditAnnotations', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ key: `k${i}`, valueExpression: "'x'" }));
    expect(summarize(run(...annotating('many', many(21))))).toEqual([
      'vap/invalid-policy many /spec/auditAnnotations error',
    ]);
    expect(run(...annotating('many', many(20)))).toEqual([]);
  });
});

describe('vap: auditAnnotations are evaluated on every admitted request', () => {
  const intValue = [{ key: 'replicas', valueExpression: 'object.spec.replicas' }];
  const missing = [{ key: 'owner', valueExpression: 'object.metadata.labels.owner' }];

  it('denies a value that is neither a string nor null, under Fail and under Ignore', () => {
    for (const failurePolicy of ['Fail', 'Ignore']) {
      const diagnostics = run(...annotating('kind', intValue, { failurePolicy }));
      expect(summarize(diagnostics)).toEqual(['vap/kind web (root) error']);
      expect(diagnostics[0]?.message).toBe(
        'auditAnnotations[replicas] could not be evaluated: gave 5, not a string or null',
      );
      expect(diagnostics[0]?.data).toMatchObject({
        error: 'auditAnnotations[replicas]',
        auditAnnotation: 'replicas',
      });
    }
  });

  it('treats an evaluation error by failurePolicy', () => {
    const failing = run(...annotating('owner', missing, { failurePolicy: 'Fail' }));
    expect(summarize(failing)).toEqual(['vap/owner web (root) error']);
    expect(failing[0]?.message).toMatch(/^auditAnnotations\[owner\] could not be evaluated: No such key/);
    expect(run(...annotating('owner', missing, { failurePolicy: 'Ignore' }))).toEqual([]);
  });

  it('denies for an auditAnnotation whatever the binding validationActions', () => {
    for (const validationActions of [['Warn'], ['Audit']]) {
      const diagnostics = run(
        ...annotating('owner', missing, {}, { validationActions }),
        ...annotating('kind', intValue, {}, { validationActions }),
      );
      expect(summarize(diagnostics)).toEqual(['vap/kind web (root) error', 'vap/owner web (root) error']);
    }
  });

  it('reports nothing for null, an empty or blank string, or a value over 10 KiB (the server cuts it)', () => {
    const hundreds = `[${Array.from({ length: 110 }, (_, i) => i).join(',')}]`;
    const diagnostics = run(
      ...annotating('quiet', [
        { key: 'null', valueExpression: 'null' },
        { key: 'optional', valueExpression: 'object.metadata.?labels.?owner.orValue(null)' },
        { key: 'empty', valueExpression: "''" },
        { key: 'blank', valueExpression: "'   '" },
        // 110 × 100 characters, 11,000 in all.
        { key: 'long', valueExpression: `${hundreds}.map(i, '${'x'.repeat(100)}').join('')` },
      ]),
    );
    expect(diagnostics).toEqual([]);
    // That value is evaluated, and is that long.
    const measured = run(
      ...annotating('measured', [
        { key: 'size', valueExpression: `dyn(size(${hundreds}.map(i, '${'x'.repeat(100)}').join('')))` },
      ]),
    );
    expect(measured.map((d) => d.message)).toEqual([
      'auditAnnotations[size] could not be evaluated: gave 11000, not a string or null',
    ]);
  });

  it('reports a value error beside the validations, after them', () => {
    const diagnostics = run(
      ...annotating('both', intValue, { validations: [{ expression: 'object.spec.replicas <= 3' }] }),
    );
    expect(diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['/spec/replicas', 'failed expression: object.spec.replicas <= 3'],
      ['', 'auditAnnotations[replicas] could not be evaluated: gave 5, not a string or null'],
    ]);
  });

  it('evaluates nothing when a matchCondition is false', () => {
    const conditional = (expression: string) =>
      run(...annotating('kind', intValue, { matchConditions: [{ name: 'gate', expression }] }));
    expect(conditional('false')).toEqual([]);
    expect(summarize(conditional('true'))).toEqual(['vap/kind web (root) error']);
  });

  it('sees variables and params', () => {
    const params = { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } };
    const paramRef = { paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } };
    const annotations = [
      { key: 'tier', valueExpression: 'variables.tier' },
      { key: 'limit', valueExpression: "params.data.max + '/' + variables.replicas" },
    ];
    const spec = {
      ...params,
      variables: [
        { name: 'replicas', expression: 'string(object.spec.replicas)' },
        { name: 'tier', expression: 'params.data.tier' },
      ],
    };
    const strings = configMap('limits', 'x', { max: '3', tier: 'gold' });
    expect(run(strings, ...annotating('vars', annotations, spec, paramRef))).toEqual([]);
    // The same expressions, given an int through params and a variable, are denied.
    const ints = configMap('limits', 'x', { max: '3', tier: 7 });
    const diagnostics = run(ints, ...annotating('vars', annotations, spec, paramRef));
    expect(diagnostics.map((d) => d.message)).toEqual([
      'auditAnnotations[tier] could not be evaluated: gave 7, not a string or null',
    ]);
  });

  it('has no authorizer, which the API server binds only for validations', () => {
    const check = "authorizer.group('').resource('pods').check('create').allowed() ? 'yes' : 'no'";
    const diagnostics = run(...annotating('authz', [{ key: 'allowed', valueExpression: check }]));
    expect(summarize(diagnostics)).toEqual(['vap/authz web (root) error']);
    expect(diagnostics[0]?.message).toMatch(
      /^auditAnnotations\[allowed\] could not be evaluated: .*authorizer/,
    );
    const validated = run(
      ...annotating('authz', [], { validations: [{ expression: `(${check}) == 'no'` }] }),
    );
    expect(validated).toEqual([]);
  });

  it('gives the auditAnnotations a cost budget of their own', () => {
    // With a budget of 1,000 an evaluation may spend 10,000: the validations spend about 6,300
    // (seven walks over 900 items), the auditAnnotations as much again, and neither runs out.
    const big = `[${Array.from({ length: 900 }, (_, i) => i).join(',')}]`;
    const walk = 'variables.big.all(x, x >= 0)';
    const spec = {
      variables: [{ name: 'big', expression: big }],
      validations: Array.from({ length: 7 }, () => ({ expression: walk })),
    };
    const annotations = Array.from({ length: 7 }, (_, i) => ({
      key: `k${i}`,
      valueExpression: `${walk} ? 'ok' : 'no'`,
    }));
    const objects = [deployment('web', 'x', 5), ...annotating('cost', annotations, spec)];
    expect(runVap(objects, { costBudget: 1_000 })).toEqual([]);
    // Twice as many annotations spend their own budget: that error is then the only outcome.
    const more = Array.from({ length: 14 }, (_, i) => ({
      key: `k${i}`,
      valueExpression: `${walk} ? 'ok' : 'no'`,
    }));
    const spent = runVap([deployment('web', 'x', 5), ...annotating('cost', more, spec)], {
      costBudget: 1_000,
    });
    expect(summarize(spent)).toEqual(['vap/cost web (root) error']);
    expect(spent[0]?.message).toMatch(/^auditAnnotations could not be evaluated: the evaluation exceeded/);
    expect(spent[0]?.data).toMatchObject({ costLimit: true });
  });
});
