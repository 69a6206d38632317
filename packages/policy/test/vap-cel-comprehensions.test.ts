import { describe, expect, it } from 'vitest';
import { celEvaluator, deployment, runVap, simplePolicy } from './vap-fixtures.js';

const OBJECT = { labels: { app: 'web', tier: 'front' }, items: ['p', 'q', 'r'] };
const run = celEvaluator(10_000);
const evaluate = (expression: string, version = '1.35') => run(expression, { object: OBJECT, version });

describe('two-variable comprehensions', () => {
  it('iterate a list by index and element, and a map by key and value', () => {
    const cases: Record<string, unknown> = {
      '[1, 2, 3].all(i, v, v > i)': true,
      '[1, 2, 3].all(i, v, v > 1)': false,
      "{'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2)": true,
      "object.labels.all(k, v, k.size() > 2 && v != '')": true,
      "object.items.existsOne(i, v, v == 'q')": true,
      "['q', 'q'].existsOne(i, v, v == 'q')": false,
      // cel-go's own examples; exists_one is another name for existsOne.
      '[1, 2, 1, 3, 1, 4].existsOne(i, v, i == 1 || v == 1)': false,
      '[1, 1, 2, 2, 3, 3].exists_one(i, v, i == 2 && v == 2)': true,
      "{'i': 0, 'j': 1, 'k': 2}.existsOne(i, v, i == 'l' || v == 1)": true,
      "{'h': ['hello', 'hi'], 'j': ['joke', 'jog']}.all(k, vals, vals.all(v, v.startsWith(k)))": true,
      '[1, 2, 3].transformMap(i, v, i % 2 == 0, (i * v) + v) == {0: 1, 2: 9}': true,
      'object.items.transformList(i, v, string(i) + v)': ['0p', '1q', '2r'],
      'object.items.transformList(i, v, i > 0, v)': ['q', 'r'],
      "object.labels.transformMap(k, v, v + '!') == {'app': 'web!', 'tier': 'front!'}": true,
      "object.labels.transformMap(k, v, k == 'app', v).size() == 1": true,
      "object.items.transformMap(i, v, v + v)[2] == 'rr'": true,
      "object.labels.transformMapEntry(k, v, {v: k}) == {'web': 'app', 'front': 'tier'}": true,
      "object.labels.transformMapEntry(k, v, k != 'app', {v: k}) == {'front': 'tier'}": true,
      // Nested, and beside the one-variable forms.
      '[[1, 2], [3]].all(i, row, row.all(j, x, x > i))': true,
      "object.items.map(x, x + '!').transformList(i, v, v) == ['p!', 'q!', 'r!']": true,
    };
    const got = Object.fromEntries(Object.keys(cases).map((e) => [e, evaluate(e)]));
    expect(got).toEqual(cases);
  });

  it('lets the decisive entry win over an error, as the one-variable forms do', () => {
    expect(evaluate('[0, 1].exists(i, v, 10 / v == 10)')).toBe(true);
    expect(evaluate('[1, 0].all(i, v, 10 / v == 5)')).toBe(false);
    expect(evaluate('[0, 1].all(i, v, 10 / v == 10)')).toEqual({
      error: expect.stringMatching(/division by zero/),
    });
    expect(evaluate('[1, 0].existsOne(i, v, 10 / v == 10)')).toEqual({
      error: expect.stringMatching(/division by zero/),
    });
    expect(evaluate("object.labels.transformMapEntry(k, v, {'same': k})")).toEqual({
      error: expect.stringMatching(/insert failed: key same already exists/),
    });
  });

  it('refuses what cel-go refuses when the policy is written', () => {
    const refused = (expression: string, version = '1.35') =>
      (evaluate(expression, version) as { refused?: string }).refused;
    expect(refused('[1].all(i, i, true)')).toMatch(/two different variable names/);
    expect(refused('[1].all(i, v, v)')).toMatch(/predicate must be a bool/);
    expect(refused('[1].transformList(i, v, v, v)')).toMatch(/filter must be a bool/);
    expect(refused('[1].transformMapEntry(i, v, v)')).toMatch(/must give a map/);
    expect(refused("'abc'.all(i, v, true)")).toMatch(/cannot iterate over/);
    // Introduced in 1.32, so a new expression may use them from 1.33.
    expect(refused('[1].all(i, v, true)', '1.32')).toBe(
      'all() with two variables needs Kubernetes 1.33 or later (target 1.32)',
    );
    expect(refused('[1].transformList(i, v, v > 0, v)', '1.32')).toBe(
      'transformList() with two variables needs Kubernetes 1.33 or later (target 1.32)',
    );
    expect(refused('[1].all(v, v > 0)', '1.32')).toBeUndefined();
  });

  it('is charged to the cost budget like the one-variable forms', () => {
    // 200 × 200 visits on a budget of 10,000.
    const list = `[${Array.from({ length: 200 }, (_, i) => i).join(', ')}]`;
    expect(evaluate(`${list}.all(i, a, ${list}.all(j, b, a + b >= 0))`)).toEqual({
      error: expect.stringMatching(/cost budget/),
    });
    expect(evaluate(`${list}.transformList(i, a, a).size() == 200`)).toBe(true);
  });

  it('run inside a policy', () => {
    const found = runVap([
      ...simplePolicy('label-values', {
        expression: "object.metadata.labels.all(k, v, v != '')",
        messageExpression:
          "'empty labels: ' + object.metadata.labels.transformList(k, v, v == '', k).join(', ')",
      }),
      deployment('web', 'shop', 1, { labels: { app: 'web' } }),
      deployment('api', 'shop', 1, { labels: { app: 'api', owner: '', team: '' } }),
    ]);
    expect(found.map((d) => [d.code, d.resource?.name, d.message])).toEqual([
      ['vap/label-values', 'api', 'empty labels: owner, team'],
    ]);
  });
});
