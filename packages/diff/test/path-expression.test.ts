import { valueAtPointer } from '@shipshape/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluatePathExpression,
  matchPaths,
  type PathExpression,
  type PathExpressionErrorCode,
  parsePathExpression,
} from '../src/path-expression.js';
import { compileRegex } from '../src/safe-regex.js';
import { jsonFrom } from './arbitrary-json.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    labels: { app: 'web', tier: 'front' },
    annotations: { 'argocd.argoproj.io/sync-wave': '1', 'a~b/c': 'x' },
  },
  spec: {
    replicas: 3,
    template: {
      spec: {
        initContainers: [
          { name: 'injected-init-container', image: 'init:1' },
          { name: 'setup', image: 'setup:1' },
        ],
        containers: [
          { name: 'app', image: 'app:1', ports: [{ containerPort: 8080 }], stdin: true },
          { name: 'sidecar', image: 'sidecar:1', ports: [{ containerPort: 9090, name: 'metrics' }] },
          { name: 'Istio-proxy', image: 'istio:1' },
        ],
      },
    },
  },
};

const webhookConfiguration = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'MutatingWebhookConfiguration',
  webhooks: [
    { name: 'a.example.com', clientConfig: { caBundle: 'Q0E=', service: { name: 'a' } } },
    { name: 'b.example.com', clientConfig: { url: 'https://b' } },
    { name: 'c.example.com', clientConfig: { caBundle: 'Q0I=' } },
  ],
};

const ingress = { spec: { rules: [{ host: 'a', http: { paths: [] } }, { host: 'b' }] } };
const items = { items: Array.from({ length: 12 }, (_, i) => ({ i })) };
const protoLabels: unknown = JSON.parse('{"metadata":{"labels":{"__proto__":"x","app":"y"}}}');

function parse(text: string): PathExpression {
  const parsed = parsePathExpression(text);
  if ('error' in parsed) throw new Error(`${text}: ${parsed.error.message} at ${parsed.error.column}`);
  return parsed.expression;
}

const containers = '/spec/template/spec/containers';

const valid: { expression: string; object: unknown; want: string[] }[] = [
  // The examples the brief and Argo CD's docs use.
  {
    expression: '.spec.template.spec.containers[] | select(.name == "app") | .image',
    object: deployment,
    want: [`${containers}/0/image`],
  },
  {
    expression: '.webhooks[]?.clientConfig.caBundle',
    object: webhookConfiguration,
    want: ['/webhooks/0/clientConfig/caBundle', '/webhooks/2/clientConfig/caBundle'],
  },
  { expression: '.webhooks[]?.clientConfig.caBundle', object: deployment, want: [] },
  {
    expression: '.spec.template.spec.initContainers[] | select(.name == "injected-init-container")',
    object: deployment,
    want: ['/spec/template/spec/initContainers/0'],
  },
  {
    expression: '.metadata.annotations["argocd.argoproj.io/sync-wave"]',
    object: deployment,
    want: ['/metadata/annotations/argocd.argoproj.io~1sync-wave'],
  },
  { expression: '.spec.rules[0].http', object: ingress, want: ['/spec/rules/0/http'] },
  // Field and index forms.
  { expression: '.', object: deployment, want: [''] },
  { expression: '.metadata."labels".app', object: deployment, want: ['/metadata/labels/app'] },
  { expression: '.metadata.["labels"]', object: deployment, want: ['/metadata/labels'] },
  { expression: '.["metadata"]["name"]', object: deployment, want: ['/metadata/name'] },
  {
    expression: '.metadata.annotations["a~b/c"]',
    object: deployment,
    want: ['/metadata/annotations/a~0b~1c'],
  },
  {
    expression: `.spec.template.spec.containers[-1].name`,
    object: deployment,
    want: [`${containers}/2/name`],
  },
  { expression: '.spec.template.spec.containers[5]', object: deployment, want: [] },
  { expression: '.spec.template.spec.containers[-4]', object: deployment, want: [] },
  { expression: '.spec.rules[1].http', object: ingress, want: [] },
  { expression: '.metadata.missing.deeper', object: deployment, want: [] },
  {
    expression: '.spec.template.spec.containers[].image',
    object: deployment,
    want: [`${containers}/0/image`, `${containers}/1/image`, `${containers}/2/image`],
  },
  {
    expression: '.metadata.labels[]',
    object: deployment,
    want: ['/metadata/labels/app', '/metadata/labels/tier'],
  },
  { expression: '.items[] | .i', object: items, want: items.items.map((_, i) => `/items/${i}/i`) },
  // Optional terms.
  { expression: '.metadata.name.first?', object: deployment, want: [] },
  { expression: '.metadata.name[]?', object: deployment, want: [] },
  { expression: '.spec.replicas?', object: deployment, want: ['/spec/replicas'] },
  { expression: '.webhooks[]?.clientConfig', object: 'not an object', want: [] },
  { expression: '.spec.template.spec.initContainers[]? | .name', object: { spec: {} }, want: [] },
  { expression: '.spec.template.spec.volumes[]? | select(.name == "x")', object: deployment, want: [] },
  { expression: '.metadata | select(.missing | has("a"))', object: deployment, want: [] },
  // Pipes, commas, grouping.
  {
    expression: '.metadata.labels, .spec.replicas',
    object: deployment,
    want: ['/metadata/labels', '/spec/replicas'],
  },
  { expression: '.spec.replicas, .spec.replicas', object: deployment, want: ['/spec/replicas'] },
  { expression: '(.spec | .replicas)', object: deployment, want: ['/spec/replicas'] },
  { expression: '.spec\n  | .replicas', object: deployment, want: ['/spec/replicas'] },
  {
    expression: '.metadata | (.name, .labels.app)',
    object: deployment,
    want: ['/metadata/labels/app', '/metadata/name'],
  },
  // Conditions.
  {
    expression: '.spec.template.spec.containers[] | select(.name == "app" or .name == "sidecar") | .name',
    object: deployment,
    want: [`${containers}/0/name`, `${containers}/1/name`],
  },
  {
    expression: '.spec.template.spec.containers[] | select(.name == "app" | not)',
    object: deployment,
    want: [`${containers}/1`, `${containers}/2`],
  },
  {
    expression: '.spec.template.spec.containers[] | select(.name != "app" and has("ports"))',
    object: deployment,
    want: [`${containers}/1`],
  },
  {
    expression: '.spec.template.spec.containers[] | select(.ports == null)',
    object: deployment,
    want: [`${containers}/2`],
  },
  {
    expression: '.spec.template.spec.containers[] | select(.stdin == true)',
    object: deployment,
    want: [`${containers}/0`],
  },
  {
    expression: '.spec.template.spec.containers[].ports[]? | select(.containerPort == 9090.0) | .name',
    object: deployment,
    want: [`${containers}/1/ports/0/name`],
  },
  {
    expression: '.spec.template.spec.containers[] | select(has("ports") and (.ports | has(0))) | .ports[0]',
    object: deployment,
    want: [`${containers}/0/ports/0`, `${containers}/1/ports/0`],
  },
  {
    expression: '.spec.template.spec.initContainers[] | select(.image | startswith("init")) | .image',
    object: deployment,
    want: ['/spec/template/spec/initContainers/0/image'],
  },
  {
    expression: '.spec.template.spec.containers[] | select(.image | endswith(":1") and startswith("s"))',
    object: deployment,
    want: [`${containers}/1`],
  },
  {
    expression: '.spec.template.spec.containers[] | select(.name | test("^istio"; "i"))',
    object: deployment,
    want: [`${containers}/2`],
  },
  {
    expression: '.spec.template.spec.containers[] | select(.name | test("^(app|side[a-z]+)$"))',
    object: deployment,
    want: [`${containers}/0`, `${containers}/1`],
  },
  { expression: 'select(.spec.replicas == 3) | .spec', object: deployment, want: ['/spec'] },
  { expression: 'select(.spec.replicas == -3) | .spec', object: deployment, want: [] },
  { expression: 'select(false, null)', object: deployment, want: [] },
  // Own properties only.
  { expression: '.metadata.labels["__proto__"]', object: protoLabels, want: ['/metadata/labels/__proto__'] },
  {
    expression: '.metadata.labels[]',
    object: protoLabels,
    want: ['/metadata/labels/__proto__', '/metadata/labels/app'],
  },
  { expression: '.metadata.labels.constructor', object: deployment, want: [] },
  { expression: '.metadata.labels | select(has("toString"))', object: deployment, want: [] },
  // `?` stops its term at the first error, as jq does: the item after the string is not reached.
  { expression: '(.items[] | .a)?', object: { items: [{ a: 1 }, 's', { a: 2 }] }, want: ['/items/0/a'] },
  // A linear-time regex: this pattern backtracks exponentially in JavaScript.
  {
    expression: '.items[] | select(test("^(a+)+$"))',
    object: { items: [`${'a'.repeat(3000)}!`, 'aaa'] },
    want: ['/items/1'],
  },
];

describe('matchPaths', () => {
  it.each(valid)('$expression', ({ expression, object, want }) => {
    const before = structuredClone(object);
    expect(matchPaths(parse(expression), object)).toEqual(want);
    expect(object).toEqual(before);
  });

  it('selects nothing in an absent object, and the root of a null one', () => {
    expect(matchPaths(parse('.'), undefined)).toEqual([]);
    expect(matchPaths(parse('.'), null)).toEqual(['']);
    expect(matchPaths(parse('.a'), null)).toEqual([]);
  });
});

const failing: { expression: string; object: unknown; code: 'runtime' | 'limit'; options?: object }[] = [
  { expression: '.spec.replicas[]', object: deployment, code: 'runtime' },
  { expression: '.spec.template.spec.volumes[] | select(.name == "x")', object: deployment, code: 'runtime' },
  { expression: '.spec.template.spec.containers.name', object: deployment, code: 'runtime' },
  { expression: '.metadata.name[0]', object: deployment, code: 'runtime' },
  { expression: '.metadata.labels[0]', object: deployment, code: 'runtime' },
  {
    expression: '.spec.template.spec.containers[] | select(.ports[0].containerPort | startswith("8"))',
    object: deployment,
    code: 'runtime',
  },
  {
    expression: '.spec.template.spec.containers[] | select(.ports | test("x"))',
    object: deployment,
    code: 'runtime',
  },
  { expression: '.spec | select(has(0))', object: deployment, code: 'runtime' },
  // An error after a location was found still fails the whole expression (Argo CD skips the rule).
  { expression: '.spec.replicas, .spec.missing[]', object: deployment, code: 'runtime' },
  // A `?` after a step covers that step only: not the steps before it, nor those after it.
  { expression: '.spec.replicas.a.b?', object: deployment, code: 'runtime' },
  { expression: '.metadata.name.first[0]?', object: deployment, code: 'runtime' },
  { expression: '.spec.template.spec.containers[]? | .name[0]', object: deployment, code: 'runtime' },
  { expression: '.items[]', object: items, code: 'limit', options: { maxResults: 10 } },
  { expression: '.items[] | .i', object: items, code: 'limit', options: { maxSteps: 20 } },
  {
    expression: '.items[] | select(test("a*a*a*a*b"))',
    object: { items: ['a'.repeat(5000)] },
    code: 'limit',
    options: { maxSteps: 10_000 },
  },
];

describe('evaluatePathExpression', () => {
  it.each(failing)('$expression fails with $code', ({ expression, object, code, options }) => {
    const result = evaluatePathExpression(parse(expression), object, options);
    expect(result.pointers).toEqual([]);
    expect(result.error?.code).toBe(code);
    expect(matchPaths(parse(expression), object, options)).toEqual([]);
  });

  it('has no error when the expression succeeds', () => {
    expect(evaluatePathExpression(parse('.spec.replicas'), deployment)).toEqual({
      pointers: ['/spec/replicas'],
    });
  });
});

const invalid: { expression: string; code: PathExpressionErrorCode; column: number }[] = [
  { expression: '', code: 'syntax', column: 1 },
  { expression: '.a[', code: 'syntax', column: 4 },
  { expression: '.a |', code: 'syntax', column: 5 },
  { expression: '.a.', code: 'syntax', column: 4 },
  { expression: '. a', code: 'syntax', column: 3 },
  { expression: '.a)', code: 'syntax', column: 3 },
  { expression: 'select(.a', code: 'syntax', column: 10 },
  { expression: '.["a"', code: 'syntax', column: 6 },
  { expression: '.a[1.5]', code: 'syntax', column: 4 },
  { expression: '.a | select(.b ==)', code: 'syntax', column: 18 },
  { expression: '.a == 1 == 2', code: 'syntax', column: 9 },
  { expression: '.a | select(and .b)', code: 'syntax', column: 13 },
  { expression: '"abc', code: 'syntax', column: 1 },
  { expression: '.["a\\q"]', code: 'syntax', column: 5 },
  { expression: '.a ~ .b', code: 'syntax', column: 4 },
  { expression: '..', code: 'unsupported', column: 1 },
  { expression: '.a[1:2]', code: 'unsupported', column: 5 },
  { expression: '.a[.b]', code: 'unsupported', column: 4 },
  { expression: '$x', code: 'unsupported', column: 1 },
  { expression: '{a: .b}', code: 'unsupported', column: 1 },
  { expression: '.a = 1', code: 'unsupported', column: 4 },
  { expression: '.a | select(.b < 1)', code: 'unsupported', column: 16 },
  { expression: '.a // .b', code: 'unsupported', column: 4 },
  { expression: '.["\\(.x)"]', code: 'unsupported', column: 4 },
  { expression: 'map(.a)', code: 'unsupported', column: 1 },
  { expression: '.a | select(.b | startswith(.c))', code: 'unsupported', column: 29 },
  { expression: '.a | select(.b | test("x"; "s"))', code: 'unsupported', column: 28 },
  { expression: '.a | select(has(.c))', code: 'unsupported', column: 17 },
  { expression: '.a == 1', code: 'not-a-path', column: 4 },
  { expression: '.a and .b', code: 'not-a-path', column: 4 },
  { expression: 'not', code: 'not-a-path', column: 1 },
  { expression: 'select(.a) | "x"', code: 'not-a-path', column: 14 },
  { expression: '.a, 1', code: 'not-a-path', column: 5 },
  { expression: '.a | has("b")', code: 'not-a-path', column: 6 },
  { expression: '.a | select(.b | test("(a"))', code: 'invalid-regex', column: 23 },
  { expression: '.a | select(.b | test("a**"))', code: 'invalid-regex', column: 23 },
  { expression: '.a | select(.b | test("\\\\1"))', code: 'invalid-regex', column: 23 },
  { expression: '.a | select(.b | test("a{1000}"))', code: 'invalid-regex', column: 23 },
  { expression: `${'('.repeat(40)}.${')'.repeat(40)}`, code: 'too-complex', column: 33 },
  { expression: Array.from({ length: 600 }, () => '.a').join(' | '), code: 'too-complex', column: 1251 },
];

describe('parsePathExpression', () => {
  it.each(invalid)('$expression: $code at column $column', ({ expression, code, column }) => {
    const parsed = parsePathExpression(expression);
    expect('error' in parsed && { code: parsed.error.code, column: parsed.error.column }).toEqual({
      code,
      column,
    });
    if ('error' in parsed) expect(parsed.error.message).not.toBe('');
  });

  it('keeps the source text', () => {
    expect(parse(' .spec ').source).toBe(' .spec ');
  });
});

// Property tests: random JSON built from a few keys, random expressions built from the grammar.
const keys = ['a', 'b', 'name', '__proto__', 'x.y'] as const;
const json = jsonFrom(keys, [null, true, false, 0, 1, 'a', 'b']);

const suffix = fc.constantFrom(
  '.a',
  '.b',
  '.name',
  '["__proto__"]',
  '["x.y"]',
  '[0]',
  '[1]',
  '[-1]',
  '[]',
  '[]?',
  '?',
);
const path = fc
  .array(suffix, { maxLength: 5 })
  .map((steps) => (steps.length === 0 || !steps[0]!.startsWith('.') ? `.${steps.join('')}` : steps.join('')));
const condition = fc.constantFrom(
  '.name == "a"',
  '. != null',
  'has("a")?',
  '(.name | startswith("a"))?',
  '(test("^a"))?',
  '.a == .b or .b',
  '.a | not',
);
const stage = fc.oneof(
  path,
  condition.map((c) => `select(${c})`),
  fc.tuple(path, path).map(([a, b]) => `(${a}, ${b})`),
);
const expression = fc.array(stage, { minLength: 1, maxLength: 4 }).map((stages) => stages.join(' | '));
const tokenSoup = fc
  .array(
    fc.constantFrom(
      '.',
      'a',
      '[',
      ']',
      '"',
      '|',
      ',',
      '?',
      'select(',
      ')',
      '==',
      '!=',
      ' ',
      '1',
      '-',
      'not',
      'and',
      '\\',
      '(',
      'test("',
    ),
    {
      maxLength: 20,
    },
  )
  .map((parts) => parts.join(''));

describe('properties', () => {
  it('parsePathExpression never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), tokenSoup, expression), (text) => {
        const parsed = parsePathExpression(text);
        expect('expression' in parsed || parsed.error.column >= 1).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('every generated expression parses', () => {
    fc.assert(
      fc.property(expression, (text) => {
        expect(parsePathExpression(text)).toHaveProperty('expression');
      }),
    );
  });

  it('matchPaths returns only existing locations, once each', () => {
    fc.assert(
      fc.property(expression, json, (text, object) => {
        const pointers = matchPaths(parse(text), object);
        expect(new Set(pointers).size).toBe(pointers.length);
        for (const pointer of pointers) expect(valueAtPointer(object, pointer)).not.toBe(undefined);
      }),
      { numRuns: 1000 },
    );
  });

  it('test(...) agrees with JavaScript regular expressions on patterns both accept', () => {
    const pattern = fc
      .array(
        fc.constantFrom('a', 'b', '.', '*', '+', '?', '|', '(', ')', '[ab]', '[^a]', '^', '$', '{2}', '\\d'),
        {
          maxLength: 8,
        },
      )
      .map((parts) => parts.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', '1'), { maxLength: 10 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(pattern, text, (source, input) => {
        const ours = compileRegex(source, { ignoreCase: false });
        let theirs: RegExp;
        try {
          theirs = new RegExp(source);
        } catch {
          return;
        }
        if ('error' in ours) return;
        expect(ours.regex.test(input, () => {})).toBe(theirs.test(input));
      }),
      { numRuns: 3000 },
    );
  });
});
