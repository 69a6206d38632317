import { describe, expect, it } from 'vitest';
import { celEvaluator } from './vap-fixtures.js';

const evaluate = celEvaluator();

// The examples of kubernetes.io's "Common Expression Language in Kubernetes" page, with what
// the API server's Go libraries give for them.
describe("the Kubernetes documentation's CEL examples", () => {
  it('url: hosts, and paths escaped as Go escapes them', () => {
    expect(evaluate("url('https://example.com:80/').getHost()")).toBe('example.com:80');
    expect(evaluate("url('https://example.com/path with spaces/').getEscapedPath()")).toBe(
      '/path%20with%20spaces/',
    );
    // Written escapes are kept; a path that needs escaping is decoded and escaped again.
    expect(evaluate("url('https://example.com/a%20b/c*d').getEscapedPath()")).toBe('/a%20b/c*d');
    expect(evaluate("url('/a%2Fb c').getEscapedPath()")).toBe('/a/b%20c');
  });

  it("url: checked by ParseRequestURI, then read by url.Parse, as Kubernetes' url() does", () => {
    // Parse sets the fragment apart (ParseRequestURI alone would keep it in the path).
    expect(evaluate("url('https://x/a#b').getEscapedPath()")).toBe('/a');
    expect(evaluate("url('https://x/a?q=1#b').getQuery()")).toEqual({ q: ['1'] });
    // Without a scheme, Parse still reads a host after //.
    expect(evaluate("url('//example.com/a').getHost()")).toBe('example.com');
    expect(evaluate("isURL('/a b#c') && !isURL('relative')")).toBe(true);
    // Query pairs as Go's Query(): split at &, those with ; or a bad escape left out, + a space.
    expect(evaluate("url('https://x/?a=1;b=2&c=%zz&d=x+y&e=%C3%A9&d=2').getQuery()")).toEqual({
      d: ['x y', '2'],
      e: ['é'],
    });
    expect(evaluate("url('relative')")).toEqual({
      error: expect.stringContaining(
        'URL parse error during conversion from string: parse "relative": invalid URI for request',
      ),
    });
  });

  it('regex: find and findAll as Go finds, empty matches included', () => {
    // `[0-9]*` matches the empty string before "abc": Go's FindString gives ''.
    expect(evaluate(`"abc 123".find('[0-9]*')`)).toBe('');
    // An empty match right after a match is skipped, as Go's FindAllString does.
    expect(evaluate(`"1, 2, 3, 4".findAll('[0-9]*')`)).toEqual(['1', '', '2', '', '3', '', '4']);
    // So the page's sum example fails on int(''), on the API server as here.
    expect(evaluate(`"1, 2, 3, 4".findAll('[0-9]*').map(x, int(x)).sum() < 100`)).toEqual({
      error: expect.stringMatching(/int/),
    });
    expect(evaluate(`"1, 2, 3, 4".findAll('[0-9]+').map(x, int(x)).sum() < 100`)).toBe(true);
    expect(evaluate("'😀a😀'.findAll('a*')")).toEqual(['', 'a', '']);
    expect(evaluate("'x'.findAll('')")).toEqual(['', '']);
    // After "1", the empty match at "b" abuts it and is skipped; the limit counts what is kept.
    expect(evaluate("'a1b22c333'.findAll('[0-9]*', 3)")).toEqual(['', '1', '22']);
  });

  it('quantity and lists', () => {
    const cases: Record<string, unknown> = {
      'quantity("500000G").isInteger()': true,
      'quantity("50k").asInteger() == 50000': true,
      'quantity("9999999999999999999999999999999999999G").asApproximateFloat() > 1e45': true,
      'quantity("50k").add(20).sub(quantity("100k")).sub(-50000) == quantity("20")': true,
      'quantity("200M").compareTo(quantity("0.2G")) == 0': true,
      'quantity("150Mi").isGreaterThan(quantity("100Mi"))': true,
      'quantity("50M").isLessThan(quantity("100M"))': true,
      "['a', 'b'].isSorted()": true,
      '[{"weight": 0.5}, {"weight": 0.5}].map(x, x.weight).sum() == 1.0': true,
      "['x', 'should-be-first'].indexOf('should-be-first') == 1": true,
    };
    expect(Object.fromEntries(Object.keys(cases).map((e) => [e, evaluate(e)]))).toEqual(cases);
  });

  it("quantity: the Kubernetes library's own test cases and error texts", () => {
    const cases: Record<string, unknown> = {
      'quantity("200M") == quantity("0.2G") && quantity("0.2G") == quantity("200M")': true,
      'quantity("50M").isLessThan(quantity("50Mi"))': true,
      'quantity("50Mi").compareTo(quantity("50M"))': 1n,
      'quantity("50k").add(quantity("20")) == quantity("50.02k")': true,
      'quantity("50k").add(20).isLessThan(quantity("50020"))': false,
      'quantity("50k").sub(quantity("20")) == quantity("49.98k")': true,
      'quantity("50k").add(20).sub(quantity("100k")).asInteger()': -49980n,
      'quantity("9999999999999999999999999999999999999G").isInteger()': false,
      'quantity("50.703k").asApproximateFloat()': 50703,
      'isQuantity("10Mm") || isQuantity("20Mo")': false,
      // sign is declared as a function; the documentation calls it as a method: both are taken.
      'sign(quantity("-3")) == -1 && quantity("0").sign() == 0': true,
      'quantity("10Mo")': {
        error: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      },
      'quantity("10Mm")': { error: "unable to parse quantity's suffix" },
      'quantity("9999999999999999999999999999999999999G").asInteger()': {
        error: 'cannot convert value to integer',
      },
    };
    expect(Object.fromEntries(Object.keys(cases).map((e) => [e, evaluate(e)]))).toEqual(cases);
  });

  it("ip and cidr: the library's answers, and Go's netip reasons when a string is no address", () => {
    const cases: Record<string, unknown> = {
      'ip("224.0.1.1").isLinkLocalMulticast() || ip("fd00::1").isLinkLocalMulticast()': false,
      'ip("169.254.169.254").isLinkLocalUnicast() && ip("192.168.0.1").isGlobalUnicast()': true,
      'ip("fd80::1").isLinkLocalUnicast() || ip("ff00::1").isGlobalUnicast()': false,
      'ip.isCanonical("2001:db8::68") && !ip.isCanonical("2001:DB8::68")': true,
      // The two error texts the Kubernetes library's tests expect.
      'ip("192.168.0.1.0")': {
        error:
          'IP Address "192.168.0.1.0" parse error during conversion from string: ParseAddr("192.168.0.1.0"): IPv4 address too long',
      },
      'ip.isCanonical("2001:db8:::68")': {
        error:
          'IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68")',
      },
      'ip("01.2.3.4")': { error: expect.stringMatching(/IPv4 field has octet with leading zero$/) },
      'ip("1::2::3")': { error: expect.stringMatching(/multiple :: in address \(at ":3"\)$/) },
      'ip("fe80::1%eth0")': { error: expect.stringMatching(/with zone value is not allowed/) },
      'ip("::ffff:1.2.3.4")': { error: expect.stringMatching(/IPv4-mapped IPv6 address .* is not allowed/) },
      'cidr("10.0.0.0/33")': { error: expect.stringMatching(/prefix length out of range$/) },
      // The text the Kubernetes library's test expects, its wrapping twice included.
      'cidr("192.168.0.0/")': {
        error:
          'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: ""',
      },
      'cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/23")) || cidr("2001:db8::/32").containsIP("2001:dc8::1")': false,
      'cidr("2001:db8:1::/32").masked() == cidr("2001:db8::/32") && string(cidr("192.168.0.0/24")) == "192.168.0.0/24"': true,
      'cidr("10.0.0.0")': { error: expect.stringMatching(/no '\/'$/) },
    };
    expect(Object.fromEntries(Object.keys(cases).map((e) => [e, evaluate(e)]))).toEqual(cases);
  });

  it("semver: the Kubernetes library's own test cases, and blang/semver's error texts", () => {
    const cases: Record<string, unknown> = {
      'isSemver("1.2.3-beta.1+build.1")': true,
      'isSemver("") || isSemver(" 1.0.0") || isSemver("1. 0.0") || isSemver("1.0.0 ")': false,
      'isSemver("v1.0.0") || isSemver("01.01.01") || isSemver("1") || isSemver("1.1")': false,
      'isSemver("", true) || isSemver(" 1.0.0", true) || isSemver("1.0.0 ", true)': false,
      'isSemver("v1.0.0", true) && isSemver("01.01.01", true) && isSemver("1", true) && isSemver("1.1", true)': true,
      'semver("v01.01", true) == semver("1.1.0")': true,
      'semver("1.0.0").isLessThan(semver("1.0.0")) || semver("1.0.0").isGreaterThan(semver("1.0.0"))': false,
      'semver("1.0.0").compareTo(semver("1.2.3"))': -1n,
      'semver("1.2.3").patch()': 3n,
      'semver("v1.0")': { error: 'No Major.Minor.Patch elements found' },
      'semver("01.2.3")': { error: 'Major number must not contain leading zeroes "01"' },
      'semver("1.2.3-01")': { error: 'Numeric PreRelease version must not contain leading zeroes "01"' },
      'semver("1.2.3+a_b")': { error: 'Invalid character(s) found in build meta data "a_b"' },
    };
    expect(Object.fromEntries(Object.keys(cases).map((e) => [e, evaluate(e)]))).toEqual(cases);
  });

  it('lists: sum over every summable type, min and max over every comparable one', () => {
    const cases: Record<string, unknown> = {
      '[uint(2), uint(1)].sum() == uint(3)': true,
      "[duration('1s'), duration('2.5s')].sum() == duration('3.5s')": true,
      "[duration('2s'), duration('1s')].min() == duration('1s')": true,
      "[timestamp('2023-01-01T00:00:00Z'), timestamp('2022-01-01T00:00:00Z')].max() == timestamp('2023-01-01T00:00:00Z')": true,
      "[b'b', b'a'].isSorted() || [true, false].isSorted()": false,
      '[].sum() == 0': true,
      // The overflow and empty-list errors are cel-go's.
      '[9223372036854775807, 1].sum()': { error: expect.stringMatching(/integer overflow/) },
      '[].min()': { error: expect.stringMatching(/min called on empty list/) },
      '[].max()': { error: expect.stringMatching(/max called on empty list/) },
    };
    expect(Object.fromEntries(Object.keys(cases).map((e) => [e, evaluate(e)]))).toEqual(cases);
  });

  it('authorizer checks compile, and allow nothing offline', () => {
    for (const expression of [
      "authorizer.group('').resource('pods').namespace('default').check('create').allowed()",
      "authorizer.path('/healthz').check('get').allowed()",
      "authorizer.serviceAccount('default', 'sa').group('apps').resource('deployments').check('delete').allowed()",
      "authorizer.group('').resource('pods').fieldSelector('spec.nodeName=n1').labelSelector('app=web').check('list').allowed()",
    ]) {
      expect(evaluate(expression), expression).toBe(false);
    }
    // The page's service-account example skips group(): the library has no Authorizer.resource,
    // so the API server refuses that expression, and so does shipshape.
    expect(
      evaluate(
        "authorizer.serviceAccount('default', 'myserviceaccount').resource('deployments').check('delete').allowed()",
      ),
    ).toEqual({ refused: expect.stringMatching(/Authorizer\.resource/) });
    // The selectors came with 1.32.
    const compiled = evaluate(
      "authorizer.group('').resource('pods').fieldSelector('spec.nodeName=n1').check('list').allowed()",
      { version: '1.31' },
    );
    expect(compiled).toEqual({ refused: 'fieldSelector() needs Kubernetes 1.32 or later (target 1.31)' });
  });
});
