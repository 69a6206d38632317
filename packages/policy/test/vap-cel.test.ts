import { describe, expect, it } from 'vitest';
import { CostMeter } from '../src/vap/cel-cost.js';
import { compileExpression, createVapEnvironment } from '../src/vap/cel-environment.js';
import { errorSummary, toCelValue } from '../src/vap/cel-values.js';
import { parseQuantity } from '../src/vap/lib-quantity.js';
import { type Obj, runExpression, runVap, simplePolicy, summarize } from './vap-fixtures.js';

const meter = new CostMeter();
const env = createVapEnvironment(meter);

function evaluate(expression: string, object: unknown = {}): unknown {
  const compiled = compileExpression(env, expression, 'any', '1.35');
  if (!compiled.ok) throw new Error(`does not compile: ${compiled.message}`);
  meter.reset();
  return runExpression(compiled.compiled, object);
}

// Each expression must give true.
const TRUE_CASES: Readonly<Record<string, readonly string[]>> = {
  quantity: [
    "quantity('1Gi').isGreaterThan(quantity('1000Mi'))",
    "quantity('500m').isLessThan(quantity('1'))",
    "quantity('1') == quantity('1000m')",
    "quantity('1k') == quantity('1e3')",
    "quantity('1.5Gi').compareTo(quantity('1536Mi')) == 0",
    "quantity('2Ki').asInteger() == 2048",
    "quantity('1.5').asApproximateFloat() == 1.5",
    "quantity('-3').sign() == -1 && quantity('0').sign() == 0",
    "quantity('1').isInteger() && !quantity('1.5').isInteger()",
    "quantity('1').add(quantity('500m')) == quantity('1.5')",
    "quantity('1').add(2) == quantity('3') && quantity('1').sub(quantity('250m')) == quantity('750m')",
    "isQuantity('100Mi') && !isQuantity('100MB') && !isQuantity('')",
  ],
  lists: [
    '[1, 2, 2, 3].isSorted() && !["b", "a"].isSorted()',
    '[1, 2, 3].sum() == 6 && [0.5, 0.25].sum() == 0.75 && [].sum() == 0',
    '[3, 1, 2].min() == 1 && ["b", "c", "a"].max() == "c"',
    '[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(5) == -1',
    'object.ports.indexOf(443) == 1',
    'sets.contains([1, 2, 3], [3, 1]) && sets.equivalent([1, 2], [2, 1, 1]) && !sets.intersects([1], [2])',
  ],
  regex: [
    "'abc123def'.find('[0-9]+') == '123' && 'abc'.find('[0-9]') == ''",
    "'a1b22c333'.findAll('[0-9]+') == ['1', '22', '333']",
    "'a1b22c333'.findAll('[0-9]+', 2) == ['1', '22']",
    "'Hello'.matches('(?i)^hello$')",
    "matches('registry.example.com/app:1.0', '^registry\\\\.example\\\\.com/')",
    "(object.image).matches(':[0-9.]+$')",
  ],
  strings: [
    "'hello'.charAt(1) == 'e' && 'hello'.charAt(5) == ''",
    "'a-b-c'.replace('-', '_') == 'a_b_c' && 'a-b-c'.replace('-', '_', 1) == 'a_b-c'",
    "'Hello'.lowerAscii() == 'hello' && ' x '.trim() == 'x' && 'a,b'.split(',') == ['a', 'b']",
    "['a', 'b'].join('-') == 'a-b' && 'hello'.substring(1, 3) == 'el' && 'hello'.indexOf('l') == 2",
  ],
  url: [
    "url('https://example.com:8443/a/b?x=1&x=2&y=z').getScheme() == 'https'",
    "url('https://example.com:8443/a/b').getHost() == 'example.com:8443'",
    "url('https://example.com:8443/a/b').getHostname() == 'example.com'",
    "url('https://example.com:8443/a/b').getPort() == '8443'",
    "url('https://example.com/a%20b').getEscapedPath() == '/a%20b'",
    "url('https://example.com/?x=1&x=2&y=z').getQuery() == {'x': ['1', '2'], 'y': ['z']}",
    "url('https://example.com/a') == url('https://example.com/a') && url('https://a/b') != url('https://a/c')",
    "url('https://[::1]:80/').getHostname() == '::1'",
    "isURL('/absolute/path') && !isURL('relative/path') && !isURL('https://exa mple.com')",
  ],
  ip: [
    "ip('10.0.0.1').family() == 4 && ip('::1').family() == 6",
    "ip('127.0.0.1').isLoopback() && ip('::1').isLoopback()",
    "ip('0.0.0.0').isUnspecified() && ip('169.254.1.1').isLinkLocalUnicast()",
    "ip('10.1.2.3').isGlobalUnicast() && !ip('224.0.0.1').isGlobalUnicast()",
    "string(ip('2001:0db8:0:0:0:0:0:1')) == '2001:db8::1'",
    "isIP('192.168.0.1') && !isIP('192.168.0.01') && !isIP('::ffff:1.2.3.4')",
    "cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))",
    "cidr('2001:db8::/32').containsCIDR('2001:db8:1::/48') && !cidr('10.0.0.0/16').containsCIDR('10.0.0.0/8')",
    "string(cidr('10.1.2.3/8').masked()) == '10.0.0.0/8' && cidr('10.0.0.0/8').prefixLength() == 8",
    "string(cidr('10.0.0.0/8').ip()) == '10.0.0.0' && isCIDR('::/0') && !isCIDR('10.0.0.0/33')",
    "ip('10.0.0.1') == ip('10.0.0.1') && ip('10.0.0.1') != ip('10.0.0.2') && ip('::1') == ip('0:0::1')",
    "cidr('10.0.0.0/8') == cidr('10.0.0.0/8') && cidr('10.0.0.0/8') != cidr('10.0.0.0/16')",
    "ip.isCanonical('10.0.0.1') && ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1')",
  ],
  semver: [
    "semver('1.2.3-rc.1').isLessThan(semver('1.2.3'))",
    "semver('1.10.0').isGreaterThan(semver('1.9.9'))",
    "semver('1.2.3+build') == semver('1.2.3') && semver('1.0.0-alpha').compareTo(semver('1.0.0-alpha.1')) == -1",
    "semver('v1.2', true).minor() == 2 && semver('1.2.3').major() == 1 && semver('1.2.3').patch() == 3",
    "isSemver('1.2.3') && !isSemver('1.2') && isSemver('v1.2', true)",
  ],
  authorizer: [
    "!authorizer.group('').resource('pods').subresource('exec').namespace('x').name('y').check('create').allowed()",
    "!authorizer.path('/healthz').check('get').allowed() && !authorizer.serviceAccount('ns', 'sa').path('/x').check('get').errored()",
    "authorizer.requestResource.check('update').reason().contains('offline')",
  ],
  'optional types': [
    "object.?missing.orValue('default') == 'default'",
    'object.?image.hasValue() && !object.?missing.hasValue()',
    'object.ports[?5].orValue(0) == 0',
    'optional.of(1).value() == 1 && !optional.none().hasValue()',
  ],
};

describe('vap: CEL library layer', () => {
  for (const [library, cases] of Object.entries(TRUE_CASES)) {
    it(library, () => {
      const failed = cases.filter(
        (expression) => evaluate(expression, { image: 'app:1.0', ports: [80, 443] }) !== true,
      );
      expect(failed).toEqual([]);
    });
  }

  it('raises errors where Kubernetes does', () => {
    for (const expression of [
      "quantity('12 apples')",
      "quantity('1.5').asInteger()",
      '[].min()',
      "url('not a url')",
      "ip('999.0.0.1')",
      "cidr('10.0.0.0')",
      "semver('1.2')",
      "'abc'.charAt(4)",
      "'abc'.find('(')",
    ]) {
      expect(() => evaluate(expression), expression).toThrow();
    }
  });

  it('parses quantities exactly', () => {
    expect(parseQuantity('1.5Gi')?.toString()).toBe(String(1.5 * 2 ** 30));
    expect(parseQuantity('100m')?.toString()).toBe('1/10');
    expect(parseQuantity('-1e-3')?.toString()).toBe('-1/1000');
    expect(parseQuantity('.5')?.toString()).toBe('1/2');
    for (const bad of ['', '1.2.3', 'Gi', '1 Gi', '1e1000', '1ki'])
      expect(parseQuantity(bad), bad).toBeUndefined();
  });

  it('turns integral JSON numbers into ints and leaves other numbers as doubles', () => {
    expect(toCelValue({ a: 1, b: [2.5, 3], c: 'x', d: null })).toEqual({
      a: 1n,
      b: [2.5, 3n],
      c: 'x',
      d: null,
    });
    expect(
      evaluate('object.replicas + 1 == 4 && object.ratio * 2.0 == 1.0', { replicas: 3, ratio: 0.5 }),
    ).toBe(true);
  });

  it('charges iteration to the meter, also through cel.bind', () => {
    const items = Array.from({ length: 2000 }, (_, i) => i);
    expect(() => evaluate('cel.bind(l, object.items, l.all(a, l.all(b, true)))', { items })).toThrow(
      /cost budget/,
    );
    expect(evaluate('object.items.all(a, a >= 0)', { items })).toBe(true);
  });
});

describe('cel-go extensions', () => {
  it('has strings.quote of the strings extension the API server enables', () => {
    expect(evaluate('strings.quote(\'a"b\\n\') == \'"a\\\\"b\\\\n"\'')).toBe(true);
  });

  it('refuses base64 and math, which the API server does not enable', () => {
    for (const expression of ["base64.decode('aGk=') == b'hi'", 'math.greatest(1, 2) == 2']) {
      const compiled = compileExpression(env, expression, 'any', '1.35');
      expect(compiled.ok).toBe(false);
    }
  });

  it('compiles the optional entries of literals, and keeps a syntax error one', () => {
    const compiled = compileExpression(
      env,
      "{?'replicas': object.?spec.?replicas}.size() > 0",
      'any',
      '1.35',
    );
    expect(compiled.ok).toBe(true);
    expect(compileExpression(env, 'object.spec ? 1', 'any', '1.35')).toMatchObject({ ok: false });
    expect(compileExpression(env, 'object.spec ? 1', 'any', '1.35')).not.toHaveProperty('unsupported');
  });
});

/** What an expression gives: its value, or the error it raises as a diagnostic tells it. */
function outcome(expression: string, object: unknown = {}): unknown {
  try {
    return evaluate(expression, object);
  } catch (error) {
    return { error: errorSummary(error) };
  }
}

/** Each expression fails with an error matching its pattern (all compared at once, to show every miss). */
function expectErrors(cases: Readonly<Record<string, RegExp>>, object: unknown = {}): void {
  const got = Object.fromEntries(
    Object.keys(cases).map((expression) => [expression, outcome(expression, object)]),
  );
  expect(got).toEqual(
    Object.fromEntries(
      Object.entries(cases).map(([expression, error]) => [
        expression,
        { error: expect.stringMatching(error) },
      ]),
    ),
  );
}

describe('cel-go semantics where cel-js differs', () => {
  // cel-go checks every int64 operation (common/types/overflow.go): negating the smallest int and
  // dividing it by -1 overflow, and so does its remainder by -1.
  it('reports int overflow of negation, division and remainder', () => {
    for (const expression of [
      '-(-9223372036854775807 - 1)',
      '(-9223372036854775807 - 1) / -1',
      '(-9223372036854775807 - 1) % -1',
      '-int(object.min)',
      '-dyn(int(object.min))',
      'dyn(int(object.min)) / dyn(-1)',
      '[int(object.min)].map(x, -x)',
      '[int(object.min)].all(x, x % -1 == 0)',
    ]) {
      expect(outcome(expression, { min: '-9223372036854775808' }), expression).toEqual({
        error: expect.stringMatching(/overflow/),
      });
    }
    expect(outcome('-9223372036854775808 == -9223372036854775807 - 1')).toBe(true);
    expect(outcome('-(-9223372036854775807) == 9223372036854775807 && -(1.5) == -1.5')).toBe(true);
    expect(outcome('(-9223372036854775807 - 1) / 1 == -9223372036854775807 - 1 && 7 % -3 == 1')).toBe(true);
    expect(outcome('true || -(-9223372036854775807 - 1) > 0')).toBe(true);
  });

  it('refuses int literals outside the int64 range, as the cel-go parser does', () => {
    for (const expression of [
      '9223372036854775808 > 0',
      '-9223372036854775809 < 0',
      '0x8000000000000000 > 0',
    ]) {
      const compiled = compileExpression(env, expression, 'any', '1.35');
      expect(compiled.ok, expression).toBe(false);
      expect(compiled.ok ? '' : compiled.message, expression).toMatch(/int literal/);
    }
    expect(outcome('9223372036854775807 > 0 && 18446744073709551615u > 0u')).toBe(true);
  });
});

describe('stand-ins for cel-js built-ins', () => {
  it('names the function the policy wrote in runtime errors, not the stand-in', () => {
    expect(outcome("dyn(1).matches('a')")).toEqual({
      error: "found no matching overload for 'int.matches(string)'",
    });
  });
});

describe('cel-go conversions', () => {
  // cel-spec tests/simple/testdata/conversions.textproto and cel-go common/types (double.go,
  // string.go, overflow.go): int() and uint() refuse what does not fit, strings are parsed as
  // strconv.ParseInt / ParseUint do, string(double) is Go's %g.
  it('converts as cel-go does', () => {
    const failed = [
      'int(1.9) == 1 && int(-7.9) == -7 && int(-3.5) == -3',
      'int(42u) == 42 && int(9223372036854775807u) == 9223372036854775807',
      "int(timestamp('2004-09-16T23:59:59Z')) == 1095379199",
      "int(timestamp('1969-12-31T23:59:59.5Z')) == -1",
      'int(double(36028797018963969)) == 36028797018963968',
      "int('-5') == -5 && int('+5') == 5 && int('007') == 7 && int('-9223372036854775808') < 0",
      "uint(1e19) == 10000000000000000000u && uint(25.5) == 25u && uint('300') == 300u && uint(7) == 7u",
      "string(123.456) == '123.456' && string(-4.5e-3) == '-0.0045' && string(1.0) == '1'",
      "string(1e6) == '1e+06' && string(123456.0) == '123456' && string(1234567.0) == '1.234567e+06'",
      "string(1e-5) == '1e-05' && string(0.0001) == '0.0001' && string(1e100) == '1e+100'",
      "string(-0.0) == '-0' && string(0.1 + 0.2) == '0.30000000000000004' && string(2.5e-300) == '2.5e-300'",
      "string(1.0 / 0.0) == '+Inf' && string(-1.0 / 0.0) == '-Inf' && string(0.0 / 0.0) == 'NaN'",
      "string(b'abc') == 'abc' && string(true) == 'true' && string(5u) == '5' && string(-7) == '-7'",
      "string('x') == 'x' && string(ip('::1')) == '::1' && string(dyn(2.5)) == '2.5'",
      // double(string) is strconv.ParseFloat: underscores between digits, hex floats, Inf and NaN.
      "double('1_000.5') == 1000.5 && double('.5') == 0.5 && double('5.') == 5.0 && double('-2.5e-3') == -0.0025",
      "double('0x1p-2') == 0.25 && double('0x1.8p1') == 3.0 && double('-0X_AP0') == -10.0 && double('0x.8p1') == 1.0",
      "double('inf') == 1.0 / 0.0 && double('-Infinity') == -1.0 / 0.0 && double('+INF') > 1e308",
      "double('NaN') != double('nan') && string(double('1e-400')) == '0' && double('007') == 7.0",
      "double('0x1p-1074') == 5e-324 && double('0x1p-1075') == 0.0 && double('0x3p-1076') == 5e-324",
      "double('0x1.fffffffffffff8p0') == 2.0 && double('0x1.fffffffffffff7p0') < 2.0",
      'double(7) == 7.0 && double(7u) == 7.0 && double(2.5) == 2.5 && double(9007199254740993) == 9007199254740992.0',
    ].filter((expression) => outcome(expression) !== true);
    expect(failed).toEqual([]);
  });

  it('raises the errors cel-go raises', () => {
    const cases: Readonly<Record<string, RegExp>> = {
      'int(1e99)': /overflow/,
      'int(9223372036854775807.0)': /overflow/,
      'int(-9223372036854775808.0)': /overflow/,
      'int(1.0 / 0.0)': /overflow/,
      'int(0.0 / 0.0)': /overflow/,
      'int(18446744073709551615u)': /overflow/,
      'uint(-0.5)': /overflow/,
      'uint(6.022e23)': /overflow/,
      'uint(-1)': /overflow/,
      "int('')": /conversion/,
      "int('0b1')": /conversion/,
      "int(' 1')": /conversion/,
      "int('1_000')": /conversion/,
      "int('9223372036854775808')": /conversion/,
      "uint('+1')": /conversion/,
      "uint('-0')": /conversion/,
      "uint('')": /conversion/,
      "double('')": /conversion/,
      "double(' 1')": /conversion/,
      "double('0x10')": /conversion/,
      "double('0b1')": /conversion/,
      "double('1__0')": /conversion/,
      "double('1_')": /conversion/,
      "double('1_.5')": /conversion/,
      "double('1e')": /conversion/,
      "double('1e400')": /conversion/,
      "double('0x1p1024')": /conversion/,
      "double('+nan')": /conversion/,
      "double('infin')": /conversion/,
      "double('.')": /conversion/,
      "string(b'\\000\\xff')": /UTF-8/,
    };
    expectErrors(cases);
  });
});

describe('cel-go strings', () => {
  // cel-go ext/strings.go (the version Kubernetes 1.34 and 1.35 vendor, v0.26) and cel-spec
  // string_ext.textproto: indices and lengths count code points, an emoji is one character.
  it('counts code points and treats the edges as cel-go does', () => {
    const failed = [
      "'😀a'.size() == 2 && size('a😀b') == 3",
      "'©αT'.charAt(1) == 'α' && 'a😀b'.charAt(1) == '😀' && 'a😀b'.charAt(3) == ''",
      "'a😀b'.indexOf('b') == 2 && 'ta©o©αT'.indexOf('©', 3) == 4 && '😀😀x'.indexOf('x', 1) == 2",
      "'a😀b😀'.indexOf('😀', 2) == 3 && 'hello wello'.indexOf('ello', 6) == 7",
      "'tacocat'.indexOf('') == 0 && 'tacocat'.indexOf('', 3) == 3 && 'tacocat'.indexOf('a', 30) == -1",
      "''.indexOf('a') == -1 && 'ab'.indexOf('abc') == -1",
      "'a😀b😀'.lastIndexOf('😀') == 3 && 'ta©o©αT'.lastIndexOf('©', 3) == 2 && 'ta©o©αT'.lastIndexOf('©α', 4) == 4",
      "'bananananana'.lastIndexOf('nana', 7) == 6 && 'a😀b😀'.lastIndexOf('😀', 2) == 1",
      "'tacocat'.lastIndexOf('') == 7 && 'a😀'.lastIndexOf('') == 2 && 'tacocat'.lastIndexOf('', 3) == 3",
      "''.lastIndexOf('@@') == -1 && 'tacocat'.lastIndexOf('a', 30) == -1 && 'ab'.lastIndexOf('abc') == -1",
      "'a😀b'.substring(1) == '😀b' && 'a😀b'.substring(1, 2) == '😀' && 'a😀b'.substring(3) == ''",
      "'ta©o©αT'.substring(2, 6) == '©o©α' && 'tacocat'.substring(7) == '' && 'tacocat'.substring(4, 4) == ''",
      "'x😀y'.split('') == ['x', '😀', 'y'] && 'x😀y'.split('', 2) == ['x', '😀y'] && 'x😀y'.split('', -1) == ['x', '😀', 'y']",
      "'a,b,c'.split(',', 2) == ['a', 'b,c'] && 'abc'.split('', 0) == [] && 'o©o©o'.split('©') == ['o', 'o', 'o']",
      "'a😀b'.replace('', '-') == '-a-😀-b-' && 'a😀b'.replace('', '-', 2) == '-a-😀b' && 'a😀b'.replace('', '-', 0) == 'a😀b'",
      "'aaa'.replace('a', 'b', 2) == 'bba' && 'aaa'.replace('a', 'b', -1) == 'bbb' && '1 ©αT'.replace('αT', 'o©α') == '1 ©o©α'",
      "'TacoCÆt Xii'.lowerAscii() == 'tacocÆt xii' && 'tacoCαt'.upperAscii() == 'TACOCαT' && 'ß'.upperAscii() == 'ß'",
      "'\\u0085\\u00a0\\u1680text\\u2028\\u3000'.trim() == 'text' && '\\ufefftext\\u200b'.trim() == '\\ufefftext\\u200b'",
      "' \\f\\n\\r\\t\\vtext  '.trim() == 'text'",
    ].filter((expression) => outcome(expression) !== true);
    expect(failed).toEqual([]);
  });

  it('raises the errors cel-go raises for indices out of range', () => {
    const cases: Readonly<Record<string, RegExp>> = {
      "'tacocat'.charAt(30)": /index out of range: 30/,
      "'tacocat'.charAt(-1)": /index out of range: -1/,
      "'a😀'.charAt(3)": /index out of range: 3/,
      "'tacocat'.indexOf('a', -1)": /index out of range: -1/,
      "'tacocat'.lastIndexOf('a', -1)": /index out of range: -1/,
      "'tacocat'.substring(40)": /index out of range: 40/,
      "'tacocat'.substring(-1)": /index out of range: -1/,
      "'a😀'.substring(3)": /index out of range: 3/,
      "'tacocat'.substring(1, 50)": /index out of range: 50/,
      "'tacocat'.substring(49, 50)": /index out of range: 49/,
      "'tacocat'.substring(4, 3)": /invalid substring range. start: 4, end: 3/,
    };
    expectErrors(cases);
  });
});

describe('cel-go durations and timestamps', () => {
  // cel-go common/types (duration.go, timestamp.go, string.go, overflow.go) and common/stdlib:
  // a duration is int64 nanoseconds (time.ParseDuration), a timestamp RFC 3339 in the years 1 to
  // 9999, and arithmetic leaving those ranges is an error.
  it('parses, converts and computes as cel-go does', () => {
    const failed = [
      "duration('1h30m') == duration('5400s') && duration('-1.5s') == -duration('1.5s')",
      "duration('0') == duration('0s') && duration('+2m') == duration('120s') && duration('1.5ns') == duration('1ns')",
      "duration('1.5s') - duration('2s') == duration('-0.5s') && (duration('1.5s') - duration('2s')).getSeconds() == 0",
      "duration('2562047h47m16.854775807s') > duration('0s') && duration('1µs') == duration('1000ns')",
      "int(duration('1s')) == 1000000000 && duration(5) == duration('5ns') && duration(duration('1m')) == duration('60s')",
      "string(duration('1h30m')) == '5400s' && string(duration('1ns')) == '0.000000001s' && string(duration('-1.5s')) == '-1.5s'",
      "string(duration('0s')) == '0s' && string(timestamp('1970-01-01T00:00:00Z')) == '1970-01-01T00:00:00Z'",
      "string(timestamp('2024-01-02T03:04:05.120Z')) == '2024-01-02T03:04:05.12Z'",
      "timestamp('2024-01-01T01:00:00+01:00') == timestamp('2024-01-01T00:00:00Z') && timestamp(timestamp(0)) == timestamp(0)",
      "timestamp('9999-12-31T23:59:59Z') - duration('1s') < timestamp('9999-12-31T23:59:59Z')",
      "timestamp('0001-01-01T00:00:00Z') == timestamp(-62135596800) && timestamp('2024-02-29T00:00:00Z').getDate() == 29",
    ].filter((expression) => outcome(expression) !== true);
    expect(failed).toEqual([]);
  });

  it('raises the errors cel-go raises', () => {
    const cases: Readonly<Record<string, RegExp>> = {
      "duration('2562048h')": /duration overflow/,
      "duration('s')": /invalid duration/,
      "duration('1')": /invalid duration/,
      "duration('1d')": /invalid duration/,
      "duration('')": /invalid duration/,
      "duration('1h 30m')": /invalid duration/,
      "duration('2562047h') + duration('2562047h')": /duration overflow/,
      "duration('-2562047h') - duration('2562047h')": /duration overflow/,
      "-(duration('-2562047h47m16.854775807s') - duration('1ns'))": /duration overflow/,
      "timestamp('2024-01-01T00:00:00Z') - timestamp('1700-01-01T00:00:00Z')": /duration overflow/,
      "timestamp('9999-12-31T23:59:59Z') + duration('1s')": /timestamp overflow/,
      "timestamp('0001-01-01T00:00:00Z') - duration('1s')": /timestamp overflow/,
      "timestamp('0001-01-01T00:00:00+01:00')": /timestamp overflow/,
      "timestamp('Mon, 01 Jan 2024 00:00:00 GMT')": /invalid timestamp/,
      "timestamp('2024-02-30T00:00:00Z')": /invalid timestamp/,
      "timestamp('2024-01-01 00:00:00Z')": /invalid timestamp/,
      "timestamp('2024-01-01T00:00:00z')": /invalid timestamp/,
      'timestamp(253402300800)': /timestamp overflow/,
    };
    expectErrors(cases);
  });
});

describe('cel-go has() on any operand', () => {
  // cel-go parser/macro.go (MakeHas): has(e.f) is a presence test of f on the value of e, whatever
  // e is; interpreter/attributes.go (refQualify, EnableErrorOnBadPresenceTest off as in
  // Kubernetes): a map tests its key, a list is an error, any other value gives false.
  const object = {
    spec: {
      containers: [
        { name: 'app', securityContext: { runAsNonRoot: true }, ports: [{ name: 'http' }], probe: null },
        { name: 'sidecar', ports: [{ containerPort: 9090 }] },
      ],
      byName: { app: { image: 'nginx' } },
      groups: [{ items: [{ name: 'a' }, { id: 2 }] }],
      matrix: [[1, 2], ['x']],
    },
  };
  const outcomes = (cases: Readonly<Record<string, unknown>>, input: unknown = object) =>
    Object.fromEntries(Object.keys(cases).map((expression) => [expression, outcome(expression, input)]));

  it('tests presence on indexed, nested and computed operands', () => {
    const cases: Readonly<Record<string, unknown>> = {
      'has(object.spec.containers[0].securityContext)': true,
      'has(object.spec.containers[1].securityContext)': false,
      'has(object.spec.containers[0].securityContext.runAsNonRoot)': true,
      'has(object.spec.containers[0].securityContext.runAsUser)': false,
      'has(object.spec.containers[0].probe)': true,
      "has(object.spec.byName['app'].image)": true,
      "has(object.spec.byName['app'].tag)": false,
      'has(object.spec.groups[0].items[1].id)': true,
      'has(object.spec.groups[0].items[0].id)': false,
      'has(object.spec.containers[0].ports[0].name)': true,
      "has({'a': 1}.a) && !has({'a': 1}.b)": true,
      'has(dyn(object.spec).containers)': true,
      "has(object.spec.containers.filter(c, c.name == 'sidecar')[0].securityContext)": false,
      'has((size(object.spec.containers) > 1 ? object.spec.containers[1] : object.spec).ports)': true,
      'has(cel.bind(c, object.spec.containers[0], c).securityContext)': true,
    };
    expect(outcomes(cases)).toEqual(cases);
  });

  it('works inside all() and exists(), and with optional selection', () => {
    const cases: Readonly<Record<string, unknown>> = {
      'object.spec.containers.exists(c, has(c.ports[0].containerPort))': true,
      'object.spec.containers.all(c, has(c.ports[0].name))': false,
      // An error of the operand is absorbed as any error is: `||` and exists() with a true term.
      'object.spec.containers.all(c, has(c.env[0].name) || true)': true,
      'object.spec.containers.exists(c, has(c.env[0].name) || c.name == "app")': true,
      'object.spec.groups.all(g, g.items.exists(i, has(g.items[0].name)))': true,
      'has(object.?spec.containers[0].securityContext)': true,
      'has(object.?status.conditions[0].type)': false,
      'has(object.spec.containers[?0].securityContext)': true,
      'has(object.spec.containers[?5].securityContext)': false,
      'has(object.spec.?containers[1].securityContext)': false,
    };
    expect(outcomes(cases)).toEqual(cases);
  });

  it('gives false on a value that is not a map, as cel-go does (and cel-js for a chain)', () => {
    const cases: Readonly<Record<string, unknown>> = {
      'has(object.spec.containers[0].name.x)': false,
      'has(object.spec.containers[0].probe.x)': false,
      'has(object.spec.containers[1].ports[0].containerPort.x)': false,
      'has(object.spec.byName.app.image.x)': false,
    };
    expect(outcomes(cases)).toEqual(cases);
  });

  it('raises the errors of the operand, and on a list', () => {
    expectErrors(
      {
        'has(object.spec.containers[5].securityContext)': /index out of bounds/,
        'has(object.spec.missing[0].x)': /No such key: missing/,
        'has(object.spec.missing.x)': /No such key: missing/,
        "has(object.spec.byName['nobody'].image)": /No such key: nobody/,
        'has(object.spec.matrix[0].x)': /unsupported index type 'string' in list/,
        // A chain of selections from a variable, which cel-js's own has() answers with false.
        'has(object.spec.containers.securityContext)': /unsupported index type 'string' in list/,
        'object.spec.groups.all(g, has(g.items.name))': /unsupported index type 'string' in list/,
        'object.spec.groups.all(g, has(g.items[2].name))': /index out of bounds/,
        'object.spec.containers.exists(c, has(c.probe.x[0].y))': /No such key: x/,
      },
      object,
    );
  });

  it('keeps compile errors, at the position the policy wrote them', () => {
    const message = (expression: string) => {
      const compiled = compileExpression(env, expression, 'bool', '1.35');
      return compiled.ok ? 'compiles' : compiled.message;
    };
    expect(message("has('abc'.x)")).toMatch(/^Cannot index type 'string'/);
    expect(message('has([1][0].x)')).toMatch(/^Cannot index type 'int'/);
    expect(message('has(object.spec.containers[0])')).toMatch(/^has\(\) invalid argument/);
    expect(message('true && has(object.a[0].b) && has(nope[0].c)')).toBe(
      'Unknown variable: nope (at character 35)',
    );
    // The call `'x'.matches(1)` starts at its receiver, the 45th character.
    expect(message("has(object.a[0].b) && has(object.c[0].d) && 'x'.matches(1)")).toBe(
      "found no matching overload for 'string.matches(int)' (at character 45)",
    );
    expect(message("'x'.matches(1)")).toBe(
      "found no matching overload for 'string.matches(int)' (at character 1)",
    );
    // The stand-in checks as bool through cel-js 8's checker.getType('bool'), an internal its own
    // has() uses: this fails if that changes.
    expect(message('!has(object.spec.containers[0].securityContext)')).toBe('compiles');
  });

  it('charges iteration inside the operand to the meter', () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ i }));
    expect(outcome('has(object.items.map(a, object.items.map(b, b))[0][0].i)', { items })).toEqual({
      error: expect.stringMatching(/cost budget/),
    });
    expect(outcome('has(object.items.map(a, a)[1999].i)', { items })).toBe(true);
  });

  it('evaluates policies that test an indexed element', () => {
    const withContext = (name: string, securityContext: Obj | undefined): Obj => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'x' },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', image: 'nginx', ...(securityContext ? { securityContext } : {}) }],
          },
        },
      },
    });
    const diagnostics = runVap([
      withContext('hardened', { runAsNonRoot: true }),
      withContext('bare', undefined),
      ...simplePolicy('security-context', {
        expression: 'has(object.spec.template.spec.containers[0].securityContext)',
        message: 'the first container needs a securityContext',
      }),
    ]);
    expect(summarize(diagnostics)).toEqual([
      'vap/security-context bare /spec/template/spec/containers/0/securityContext error',
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual(['the first container needs a securityContext']);
  });
});
