import { describe, expect, it } from 'vitest';
import { rewriteOptionalEntries } from '../src/vap/cel-optional-entries.js';
import { celEvaluator, deployment, runVap, simplePolicy } from './vap-fixtures.js';

const run = celEvaluator();
const evaluate = (expression: string, object: unknown = {}, version = '1.35') =>
  run(expression, { object, version });

describe('optional entries of list and map literals ([?x], {?k: v})', () => {
  it('keeps an entry whose optional has a value, and drops one that has none', () => {
    expect(evaluate('[?optional.of(1), 2] == [1, 2]')).toBe(true);
    expect(evaluate('[?optional.none(), 2] == [2]')).toBe(true);
    expect(evaluate("{?'a': optional.of(1), 'b': 2} == {'a': 1, 'b': 2}")).toBe(true);
    expect(evaluate("{?'a': optional.none(), 'b': 2} == {'b': 2}")).toBe(true);
    // Nested, and beside the optional index and field selection, which cel-js parses itself.
    expect(evaluate('[?optional.of([?optional.none()]), [1, 2][?0].orValue(5)] == [[], 1]')).toBe(true);
    expect(evaluate("{?'n': [?optional.of(1)][?0]} == {'n': 1}")).toBe(true);
  });

  it("reads the object's optional fields, as policies use them", () => {
    const labels = "{?'replicas': object.?spec.?replicas, 'kind': 'x'}";
    expect(evaluate(`${labels}.size()`, { spec: { replicas: 3 } })).toBe(2n);
    expect(evaluate(`${labels}.size()`, { spec: {} })).toBe(1n);
    expect(evaluate(`${labels}.replicas == 3`, { spec: { replicas: 3 } })).toBe(true);
    expect(
      evaluate('[?object.?metadata.?name, ?object.?metadata.?namespace]', { metadata: { name: 'web' } }),
    ).toEqual(['web']);
  });

  it('leaves alone a ? in a string, a conditional, and a conditional key', () => {
    expect(evaluate("['a?', ?optional.of('[?x]')] == ['a?', '[?x]']")).toBe(true);
    expect(evaluate('[true ? 1 : 2, ?optional.of(3)] == [1, 3]')).toBe(true);
    expect(evaluate('1 in [?optional.of(1)] && !(2 in [?optional.none()])')).toBe(true);
    expect(evaluate("{?true ? 'a' : 'b': optional.of(1)} == {'a': 1}")).toBe(true);
    expect(evaluate("{?(false ? 'a' : 'b'): optional.of(1)} == {'b': 1}")).toBe(true);
    // An optional field selection before the entry is no conditional: its `?` waits for no `:`.
    expect(evaluate("{'a': {'b': 1}.?b.orValue(0), ?'k': optional.of(2)} == {'a': 1, 'k': 2}")).toBe(true);
    expect(evaluate("{'a': {'b': 1}.?b.orValue(0), ?'k': optional.none()} == {'a': 1}")).toBe(true);
  });

  it('needs the optional syntax of 1.29, and an optional in the entry', () => {
    expect(evaluate('[?optional.of(1)] == [1]', {}, '1.28')).toEqual({
      refused: 'optional syntax (.? and [?]) needs Kubernetes 1.29 or later (target 1.28)',
    });
    // cel-go refuses this when compiling; here it fails when it runs.
    expect(evaluate('[?1] == [1]')).toEqual({ error: expect.stringMatching(/must be an optional value/) });
  });

  it('places a compile error in the expression as written', () => {
    // Character 19 is where `'a' - 1` starts in the source (the rewritten text is longer).
    expect(evaluate("[?optional.of(1), 'a' - 1]")).toEqual({
      refused: 'no such overload: string - int (at character 19)',
    });
  });

  it('rewrites the source with the offsets of the original', () => {
    const rewritten = rewriteOptionalEntries('[1, ?x]');
    expect(rewritten?.text).toBe('shipshapeOptionalList([1, x], [1])');
    // `x` is at 5 in the source, 26 in the text.
    expect(rewritten?.sourceOffset(26)).toBe(5);
    expect(rewriteOptionalEntries("a[?0] + ['?'] + (b ? c : d)")).toBeUndefined();
  });

  it('runs in a policy instead of being left unevaluated', () => {
    const expression = '[?object.?spec.?paused, ?optional.of(false)].all(p, p)';
    const found = runVap([...simplePolicy('unpaused', { expression }), deployment('web', 'shop', 1)]);
    // The optional.of(false) entry is kept: the validation fails, and is reported as one.
    expect(found.map((d) => d.code)).toEqual(['vap/unpaused']);
  });
});
