import { describe, expect, it } from 'vitest';
import { celEvaluator, deployment, runVap, simplePolicy } from './vap-fixtures.js';

const run = celEvaluator();
const evaluate = (expression: string, object: unknown = {}, version = '1.35') =>
  run(expression, { object, version });

function expectAll(cases: Readonly<Record<string, unknown>>, object: unknown = {}): void {
  const got = Object.fromEntries(Object.keys(cases).map((e) => [e, evaluate(e, object)]));
  expect(got).toEqual(cases);
}

describe('string.format, as the API server formats (strings extension version 2)', () => {
  it("gives cel-go's documented results", () => {
    expectAll({
      '"this is a string: %s\\nand an integer: %d".format(["str", 42])':
        'this is a string: str\nand an integer: 42',
      '"a double substituted with %%s: %s".format([64.2])': 'a double substituted with %s: 64.2',
      // cel-go's comment says type(string) prints "string"; type(string) is the type `type`, and
      // the conformance suite prints type("test string"):
      '"string type: %s".format([type("test string")])': 'string type: string',
      '"timestamp: %s".format([timestamp("2023-02-03T23:31:20+00:00")])': 'timestamp: 2023-02-03T23:31:20Z',
      '"duration: %s".format([duration("1h45m47s")])': 'duration: 6347s',
      '"%f".format([3.14])': '3.140000',
      '"scientific notation: %e".format([2.71828])': 'scientific notation: 2.718280\u202f×\u202f10⁰⁰',
      '"5 in binary: %b".format([5])': '5 in binary: 101',
      '"26 in hex: %x".format([26])': '26 in hex: 1a',
      '"26 in hex (uppercase): %X".format([26])': '26 in hex (uppercase): 1A',
      '"30 in octal: %o".format([30])': '30 in octal: 36',
      '"a map inside a list: %s".format([[1, 2, 3, {"a": "x", "b": "y", "c": "z"}]])':
        'a map inside a list: [1, 2, 3, {"a":"x", "b":"y", "c":"z"}]',
      '"true bool: %s - false bool: %s\\nbinary bool: %b".format([true, false, true])':
        'true bool: true - false bool: false\nbinary bool: 1',
    });
  });

  it('substitutes, escapes and prints every type the conformance suite covers', () => {
    expectAll({
      '"no substitution".format([])': 'no substitution',
      '"%%%s%%".format(["text"])': '%text%',
      '"%d %d %d, %s %s %s".format([1, 2, 3, "A", "B", "C"])': '1 2 3, A B C',
      '"%.3f".format([1.2345])': '1.234',
      '"unsigned 64 in binary: %b".format([uint(64)])': 'unsigned 64 in binary: 1000000',
      '"%o".format([uint(65535)])': '177777',
      '"%X".format([uint(6000)])': '1770',
      '"%x".format(["Hello world!"])': '48656c6c6f20776f726c6421',
      '"%X".format([b"byte string"])': '6279746520737472696E67',
      '"%d".format([uint(64)])': '64',
      '"%s".format([null])': 'null',
      '"%s".format([999999999999])': '999999999999',
      '"%s".format([b"xyz"])': 'xyz',
      '"%b %x %o".format([-5, -26, -8])': '-101 -1a -10',
    });
  });

  it('prints doubles through the English printer of its first formatter', () => {
    expectAll({
      // %f groups thousands and rounds half to even on the exact value.
      '"%f".format([1234.5])': '1,234.500000',
      '"%.2f".format([-1234567.891])': '-1,234,567.89',
      '"%.0f %.0f %.1f".format([2.5, 3.5, 0.25])': '2 4 0.2',
      '"%f %f %f".format([double("NaN"), double("Infinity"), double("-Infinity")])': 'NaN ∞ -∞',
      '"%f".format(["Infinity"])': '∞',
      // %e: six decimals, a superscript exponent; the precision is taken for a width.
      '"%e".format([1052.032911275])': '1.052033\u202f×\u202f10⁰³',
      '"%e".format([0.000123])': '1.230000\u202f×\u202f10⁻⁰⁴',
      '"%.20e".format([1.0])': '     1.000000\u202f×\u202f10⁰⁰',
      // %s prints string(double); inside a list, six decimals and quoted non-finite values.
      '"%s".format([1e21])': '1e+21',
      '"%s".format([[1.5, double("NaN"), double("-Infinity")]])': '[1.500000, "NaN", "-Inf"]',
    });
  });

  it('prints lists and maps as CEL literals, entries sorted', () => {
    expectAll({
      '"%s".format([["a\\"b", b"c", duration("90s"), timestamp("2023-02-03T23:31:20Z"), null, true]])':
        '["a\\"b", b"c", duration("90s"), timestamp("2023-02-03T23:31:20Z"), null, true]',
      '"%s".format([{"b": [1], "a": {"z": 2}}])': '{"a":{"z":2}, "b":[1]}',
    });
    expect(evaluate('"%s".format([object.labels])', { labels: { tier: 'front', app: 'web' } })).toBe(
      '{"app":"web", "tier":"front"}',
    );
  });

  it('fails at run time as cel-go does when a value does not suit its clause', () => {
    expectAll(
      {
        '"%d".format([object.name])': {
          error: 'error during formatting: decimal clause can only be used on integers, was given string',
        },
        '"%f".format([object.replicas])': {
          error: 'error during formatting: fixed-point clause can only be used on doubles, was given int',
        },
        '"%d".format([double("NaN")])': {
          error: 'error during formatting: decimal clause can only be used on integers, was given double',
        },
        '"%s".format([optional.of(1)])': {
          error: expect.stringMatching(/string clause can only be used on .*, was given optional_type/),
        },
        '"%s %s".format(object.names)': { error: 'index 1 out of range' },
      },
      { name: 'web', replicas: 3, names: ['a'] },
    );
  });

  it('refuses a literal call cel-go refuses when the policy is written', () => {
    const refused = (expression: string) => (evaluate(expression) as { refused?: string }).refused;
    expect(refused('"%d".format(["a"])')).toBe(
      'error during formatting: decimal clause can only be used on integers, was given string',
    );
    expect(refused('"%s %s".format(["a"])')).toBe('index 1 out of range');
    expect(refused('"%s".format(["a", "b"])')).toBe(
      'too many arguments supplied to string.format (expected 1, got 2)',
    );
    expect(refused('"%z".format([1])')).toBe(
      'could not parse formatting clause: unrecognized formatting clause "z"',
    );
    expect(refused('"%.3".format([1.0])')).toBe(
      'could not parse formatting clause: error while parsing precision: could not find end of precision specifier',
    );
    expect(refused('"50%".format([1])')).toBe('unexpected end of string');
    // Arguments that are not literals are only known when the expression runs.
    expect(refused('"%d".format([object.name])')).toBeUndefined();
  });

  it('runs in a policy message', () => {
    const found = runVap([
      ...simplePolicy('replicas', {
        expression: 'object.spec.replicas <= 3',
        messageExpression:
          "'%s wants %d replicas, at most %d are allowed'.format([object.metadata.name, object.spec.replicas, 3])",
      }),
      deployment('web', 'shop', 2),
      deployment('api', 'shop', 5),
    ]);
    expect(found.map((d) => [d.code, d.resource?.name, d.message])).toEqual([
      ['vap/replicas', 'api', 'api wants 5 replicas, at most 3 are allowed'],
    ]);
  });
});

describe("cel-go's optional types beyond cel-js's", () => {
  it('ofNonZeroValue, optMap and optFlatMap', () => {
    expectAll(
      {
        "optional.ofNonZeroValue(0).hasValue() || optional.ofNonZeroValue('').hasValue() || optional.ofNonZeroValue([]).hasValue()": false,
        'optional.ofNonZeroValue({}).hasValue() || optional.ofNonZeroValue(duration("0s")).hasValue()': false,
        "optional.ofNonZeroValue('x').value()": 'x',
        'object.?spec.?replicas.optMap(r, r * 2).orValue(0)': 6n,
        'object.?spec.?paused.optMap(p, !p).orValue(true)': true,
        'object.?spec.?replicas.optFlatMap(r, r > 1 ? optional.of(r) : optional.none()).hasValue()': true,
      },
      { spec: { replicas: 3 } },
    );
    const refused = (expression: string, version = '1.35') =>
      (evaluate(expression, {}, version) as { refused?: string }).refused;
    expect(refused('optional.of(1).optFlatMap(x, x)')).toMatch(/must give an optional/);
    expect(refused('[1].optMap(x, x)')).toMatch(/receiver must be optional/);
    expect(refused('optional.of(1).optMap(x, x).hasValue()', '1.28')).toMatch(/needs Kubernetes 1\.29/);
  });

  it('compares optionals with == and !=, as cel-go does', () => {
    expectAll(
      {
        "object.metadata.labels[?'tier'] == optional.of('gold')": true,
        "object.metadata.labels[?'tier'] != optional.of('gold')": false,
        "object.metadata.labels[?'team'] == optional.of('gold')": false,
        "object.metadata.labels[?'team'] == optional.none()": true,
        'optional.none() == optional.none()': true,
        'optional.of(dyn(1)) == optional.of(1.0)': true,
        'optional.of(2) != optional.of(1)': true,
        "optional.of(b'ab') == optional.of(b'ab')": true,
        "optional.of(duration('60s')) == optional.of(duration('1m'))": true,
        'optional.of([1, {"a": 2}]) == optional.of([1, {"a": 2}])': true,
        'optional.of(optional.none()) == optional.of(optional.none())': true,
        'optional.of(optional.none()) == optional.none()': false,
        "[optional.of('x')].exists(o, o == optional.of('x'))": true,
      },
      { metadata: { labels: { tier: 'gold' } } },
    );
    expect((evaluate("optional.of(1) == optional.of('x')") as { refused?: string }).refused).toMatch(
      /no such overload/,
    );
  });

  it('evaluates optional entries of literals (see vap-cel-optional-entries)', () => {
    expect(evaluate('[?optional.of(1), 2] == [1, 2]')).toBe(true);
  });
});
