import { describe, expect, it } from 'vitest';
import { crdRuleEvaluators } from '../src/index.js';

// Evaluating the x-kubernetes-validations rules of CRDs as the apiextensions server does: the
// Kubernetes CEL libraries, `self` typed by the schema the rule is declared in (the "Type checking"
// table of the Kubernetes CRD docs), a cost limit per rule.
const { rules, messages, compile } = crdRuleEvaluators({ kubernetesVersion: '1.33' });

const spec = {
  type: 'object',
  properties: {
    size: { type: 'integer' },
    ratio: { type: 'number' },
    memory: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    timeout: { type: 'string', format: 'duration' },
    until: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    url: { type: 'string' },
    items: { type: 'array', items: { type: 'object', properties: { weight: { type: 'number' } } } },
    byName: { type: 'object', additionalProperties: { type: 'number' } },
    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

describe('crdRuleEvaluators', () => {
  it('has the Kubernetes libraries the standard CEL lacks', () => {
    const value = { memory: '512Mi', url: 'https://example.com/x', size: 3 };
    expect(rules("quantity(self.memory).isLessThan(quantity('1Gi'))", value, spec)).toBe(true);
    expect(rules("quantity(self.memory).isGreaterThan(quantity('1Gi'))", value, spec)).toBe(false);
    expect(rules("isURL(self.url) && url(self.url).getHost() == 'example.com'", value, spec)).toBe(true);
    expect(rules("self.url.matches('^https://')", value, spec)).toBe(true);
    expect(rules('[3, 1, 2].isSorted()', value, spec)).toBe(false);
  });

  it('types numbers by the schema: integer fields are int, number fields double', () => {
    // Integral JSON numbers under `type: number` stay doubles: `* 1.5` and `== 3.0` need one.
    const value = { size: 3, ratio: 2, items: [{ weight: 1 }], byName: { a: 4 } };
    expect(rules('self.size + 1 == 4', value, spec)).toBe(true);
    expect(rules('self.ratio * 1.5 == 3.0', value, spec)).toBe(true);
    expect(rules('self.items[0].weight + 0.5 == 1.5', value, spec)).toBe(true);
    expect(rules("self.byName['a'] / 8.0 == 0.5", value, spec)).toBe(true);
    // `self.ratio + 1` adds an int to a double: no overload, as on the API server.
    expect(rules('self.ratio + 1 > 0', value, spec)).toEqual({
      notEvaluated: expect.stringMatching(/^CEL: .*overload/),
    });
    // Without a schema below (preserve-unknown-fields), integral numbers are ints.
    expect(rules('self.free.n + 1 == 3', { free: { n: 2 } }, spec)).toBe(true);
  });

  it('reads date, date-time and duration strings as timestamps and durations', () => {
    const value = { timeout: '1m30s', until: '2030-01-01T00:00:00Z', day: '2024-02-29' };
    expect(rules("self.timeout > duration('1m') && self.timeout < duration('2m')", value, spec)).toBe(true);
    expect(rules("self.until > timestamp('2029-12-31T23:59:59Z')", value, spec)).toBe(true);
    expect(rules('self.day.getDayOfMonth() == 28', value, spec)).toBe(true);
    expect(rules("self.timeout.endsWith('s')", value, spec)).toEqual({
      notEvaluated: expect.stringMatching(/^CEL: /),
    });
  });

  it('rejects the object on the errors the API server rejects it with', () => {
    expect(rules('self.size > 0', {}, spec)).toEqual({ error: 'no such key: size' });
    expect(rules('self.items[3].weight > 0.0', { items: [] }, spec)).toEqual({
      error: expect.stringMatching(/index out of bounds/),
    });
    expect(rules('has(self.items.weight)', { items: [{ weight: 1 }] }, spec)).toEqual({
      error: expect.stringMatching(/unsupported index type 'string' in list/),
    });
  });

  it('bounds a runaway rule by the per-call cost limit', () => {
    const items = Array.from({ length: 200 }, () => ({ weight: 1 }));
    const runaway = 'self.items.all(a, self.items.all(b, self.items.all(c, a.weight == c.weight)))';
    expect(rules(runaway, { items }, spec)).toEqual({
      error: 'the evaluation exceeded its cost budget of 1000000 (iterations over lists and maps)',
    });
    // Each rule starts with the whole budget again.
    expect(rules('self.items.all(a, a.weight == 1.0)', { items }, spec)).toBe(true);
  });

  it('leaves transition rules, rules that do not compile and unknown libraries unevaluated, with why', () => {
    expect(rules('self.size >= oldSelf.size', { size: 1 }, spec)).toEqual({
      notEvaluated: 'it is a transition rule (oldSelf): it needs the object stored in the cluster',
    });
    expect(rules('self.size >', { size: 1 }, spec)).toEqual({
      notEvaluated: expect.stringMatching(
        /^it does not compile \(.*\): the API server refuses the CustomResourceDefinition$/,
      ),
    });
    expect(rules('self.size', { size: 1 }, spec)).toEqual({
      notEvaluated: 'it gives 1, not a boolean: the API server refuses the CustomResourceDefinition',
    });
    // The optional entries of literals run (cel-js cannot parse them: they are rewritten).
    expect(rules("[?optional.of(self.url)] == ['x']", { url: 'x' }, spec)).toBe(true);
    // The format library runs: `x.y` is no DNS label.
    expect(rules('!format.dns1123Label().validate(self.url).hasValue()', { url: 'x.y' }, spec)).toBe(false);
  });

  it('runs transition rules on an update, with oldSelf typed by the schema as self is', () => {
    const old = (value: unknown) => ({ old: { value }, optionalOldSelf: false });
    expect(rules('self.size >= oldSelf.size', { size: 1 }, spec, old({ size: 2 }))).toBe(false);
    expect(rules('self.size >= oldSelf.size', { size: 2 }, spec, old({ size: 2 }))).toBe(true);
    // Durations compare as durations (as strings, '2m' < '90s').
    expect(rules('self.timeout >= oldSelf.timeout', { timeout: '2m' }, spec, old({ timeout: '90s' }))).toBe(
      true,
    );
    // Where the update adds the value the API server does not run the rule.
    expect(rules('self.size >= oldSelf.size', { size: 1 }, spec, { optionalOldSelf: false })).toBe(true);
    // With optionalOldSelf it runs, with oldSelf an optional: none on a create.
    const guarded = '!oldSelf.hasValue() || self.size >= oldSelf.value().size';
    expect(rules(guarded, { size: 1 }, spec, { optionalOldSelf: true })).toBe(true);
    expect(rules(guarded, { size: 1 }, spec, { old: { value: { size: 5 } }, optionalOldSelf: true })).toBe(
      false,
    );
    expect(
      messages(
        "'from ' + string(oldSelf.size) + ' to ' + string(self.size)",
        { size: 1 },
        spec,
        old({ size: 5 }),
      ),
    ).toBe('from 5 to 1');
    // A message reading oldSelf where there is none is not evaluated (the rule's message is shown).
    expect(messages("'from ' + string(oldSelf.size)", { size: 1 }, spec, { optionalOldSelf: false })).toBe(
      undefined,
    );
  });

  it('types oldSelf as an optional where the rule says optionalOldSelf', () => {
    const guarded = '!oldSelf.hasValue() || self.size >= oldSelf.value().size';
    expect(compile(guarded, 'bool', spec, { optionalOldSelf: true })).toBeUndefined();
    // Without it, oldSelf is the object itself, which has no hasValue() or value().
    expect(compile(guarded, 'bool', spec)).toEqual(expect.any(String));
    expect(compile('self.size >= oldSelf.size', 'bool', spec)).toBeUndefined();
  });

  it('evaluates messageExpression to its text', () => {
    expect(messages("'size ' + string(self.size) + ' is too big'", { size: 500 }, spec)).toBe(
      'size 500 is too big',
    );
    expect(messages('self.size', { size: 500 }, spec)).toBeUndefined();
    expect(messages('self.missing', { size: 500 }, spec)).toBeUndefined();
  });

  it('says why a rule or message expression does not compile, for the CRD itself', () => {
    expect(compile('self.size >', 'bool')).toMatch(/\(at character \d+\)$/);
    expect(compile('1 + 1', 'bool')).toBe('the expression must evaluate to bool, but it gives int');
    expect(compile("'a' + 1 == 'a1'", 'bool')).toMatch(/overload/);
    expect(compile('self.nosuchFunction()', 'bool')).toMatch(/nosuchFunction/);
    expect(compile('1', 'string')).toBe('the expression must evaluate to string, but it gives int');
    // `self` is dyn here: what the schema's types would refuse compiles.
    expect(compile('self.size', 'bool')).toBeUndefined();
    expect(compile("'size ' + string(self.size)", 'string')).toBeUndefined();
    // A library the target version lacks does not compile there; one shipshape lacks is not judged.
    expect(
      crdRuleEvaluators({ kubernetesVersion: '1.28' }).compile("quantity('1') == quantity('1')", 'bool'),
    ).toBe('quantity() needs Kubernetes 1.29 or later (target 1.28)');
    expect(compile("[?optional.of('x')] == ['x']", 'bool')).toBeUndefined();
    expect(
      crdRuleEvaluators({ kubernetesVersion: '1.31' }).compile(
        '!format.uuid().validate(self).hasValue()',
        'bool',
      ),
    ).toBe('format.uuid() needs Kubernetes 1.32 or later (target 1.31)');
  });

  it("shares one runtime budget among an object's rules once objects are started", () => {
    // A per-rule limit of 1,000 makes the object's budget 10,000; each rule spends about 930.
    const small = crdRuleEvaluators({ kubernetesVersion: '1.33', costBudget: 1000 });
    const items = Array.from({ length: 30 }, () => ({ weight: 1 }));
    const rule = 'self.items.all(a, self.items.all(b, a.weight == b.weight))';
    const outcomes = () => Array.from({ length: 12 }, () => small.rules(rule, { items }, spec));
    // Without beginObject, every rule has its own limit only, even after one spent more than an
    // object's whole budget at once.
    const many = Array.from({ length: 20_000 }, () => ({ weight: 1 }));
    expect(small.rules('self.items.all(a, true)', { items: many }, spec)).toEqual({
      error: 'the evaluation exceeded its cost budget of 10000 (iterations over lists and maps)',
    });
    expect(outcomes().every((o) => o === true)).toBe(true);
    small.beginObject();
    const shared = outcomes();
    expect(shared.slice(0, 10).every((o) => o === true)).toBe(true);
    expect(shared[10]).toEqual({
      error: 'the evaluation exceeded its cost budget of 10000 (iterations over lists and maps)',
    });
    expect(shared[11]).toEqual({
      notEvaluated:
        "the object's rules ran out of their runtime cost budget of 10000: no further rules are run",
    });
    // The next object starts with the whole budget.
    small.beginObject();
    expect(small.rules(rule, { items }, spec)).toBe(true);
  });
});

describe('CRD rules typed by the schema they are on', () => {
  const node = {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      'x-prop': { type: 'string' },
      namespace: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      port: { 'x-kubernetes-int-or-string': true },
    },
  };

  it('refuses a field self does not have, as the API server refuses the CustomResourceDefinition', () => {
    expect(compile('self.replicas >= 0', 'bool', node)).toBeUndefined();
    expect(compile('self.replicass >= 0', 'bool', node)).toBe(
      "self has no field 'replicass' in the schema the rule is on",
    );
    expect(compile("self.items.all(i, i.nam != '')", 'bool', node)).toBe(
      "self.items[*] has no field 'nam' in the schema the rule is on",
    );
    expect(compile("'bad ' + self.port.value", 'string', node)).toBe(
      "self.port is an int or a string, which has no field 'value' in the schema the rule is on",
    );
    // Escaped names, reserved words, maps, kept-unknown fields and list items by index are read.
    for (const rule of [
      "self.x__dash__prop != ''",
      "self.__namespace__ != ''",
      "self.labels.app != '' && self.labels.all(k, k != '')",
      'self.free.anything.below == 1',
      "self.items[0].name != ''",
    ]) {
      expect(compile(rule, 'bool', node), rule).toBeUndefined();
    }
    // oldSelf, in a transition rule, is typed by the same node.
    expect(compile('self.replicas >= oldSelf.replicass', 'bool', node)).toBe(
      "oldSelf has no field 'replicass' in the schema the rule is on",
    );
    // Without the schema, fields are not judged.
    expect(compile('self.replicass >= 0', 'bool')).toBeUndefined();
    // At a resource's root, apiVersion, kind and metadata are there whatever the schema lists.
    const root = { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: node } };
    expect(
      compile("self.metadata.name != '' && self.kind != '' && self.spec.replicas > 0", 'bool', root),
    ).toBeUndefined();
    expect(compile('self.metadata.labels.size() > 0', 'bool', root)).toBe(
      "self.metadata has no field 'labels' in the schema the rule is on",
    );
  });

  it('refuses a value of a type nothing accepts, as the API server does', () => {
    const timed = {
      type: 'object',
      properties: {
        ...node.properties,
        started: { type: 'string', format: 'date-time' },
        every: { type: 'string', format: 'duration' },
        data: { type: 'string', format: 'byte' },
        ratio: { type: 'number' },
      },
    };
    expect(compile("self.replicas > '3'", 'bool', timed)).toBe(
      "found no matching overload for '_>_' applied to '(int, string)' (at character 1), with self typed by the schema the rule is on",
    );
    expect(compile('self.items.exists(i, i.name == 1)', 'bool', timed)).toBe(
      "found no matching overload for '_==_' applied to '(string, int)' (at character 22), with self typed by the schema the rule is on",
    );
    // At the root, the resource's metadata name is a string.
    const root = { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: timed } };
    expect(compile('self.metadata.name > 1', 'bool', root)).toBe(
      "found no matching overload for '_>_' applied to '(string, int)' (at character 1), with self typed by the schema the rule is on",
    );
    // Formatted strings are what the rule is given: timestamps and durations (bytes are not judged).
    expect(compile("self.started < timestamp('2030-01-01T00:00:00Z')", 'bool', timed)).toBeUndefined();
    expect(compile("self.started < '2030'", 'bool', timed)).toBe(
      "found no matching overload for '_<_' applied to '(google.protobuf.Timestamp, string)' (at character 1), with self typed by the schema the rule is on",
    );
    expect(compile("self.every > duration('1s') && self.data != ''", 'bool', timed)).toBeUndefined();
    // A field missing in a list the rule computes, which the field check cannot follow.
    expect(compile("self.items.map(i, i).all(i, i.nam != '')", 'bool', timed)).toBe(
      "undefined field 'nam' (at character 31), with self typed by the schema the rule is on",
    );
    // What a rule gives is typed too: an int is no bool, a timestamp no message.
    expect(compile('self.replicas', 'bool', timed)).toBe(
      'the expression must evaluate to bool, but it gives int with self typed by the schema the rule is on',
    );
    expect(compile('self.started', 'string', timed)).toBe(
      'the expression must evaluate to string, but it gives google.protobuf.Timestamp with self typed by the schema the rule is on',
    );
    expect(compile("self.labels['a']", 'string', timed)).toBeUndefined();
    expect(compile('self.free.flag', 'bool', timed)).toBeUndefined();
    for (const rule of [
      // Numbers compared across types, int-or-string and kept-unknown fields, null, transition rules.
      'self.ratio > 1 && self.replicas < 2.5',
      "self.port == 'http' || self.port == 80",
      "self.free.x == 'a' && self.free.y > 1",
      'oldSelf == null || self.replicas >= oldSelf.replicas',
      "self.labels.all(k, self.labels[k].startsWith('a'))",
    ]) {
      expect(compile(rule, 'bool', timed), rule).toBeUndefined();
    }
  });
});
