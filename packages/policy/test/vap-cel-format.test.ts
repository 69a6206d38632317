import { describe, expect, it } from 'vitest';
import { NAMED_FORMATS } from '../src/vap/lib-format.js';
import { celEvaluator, deployment, runVap, simplePolicy } from './vap-fixtures.js';

const run = celEvaluator();
const evaluate = (expression: string, version = '1.35') => run(expression, { version });

/** The messages `format.<name>().validate(text)` gives, or `[]` when the text conforms. */
function problems(name: string, text: string): unknown {
  const expression = `format.${name}().validate(${JSON.stringify(text)}).orValue([])`;
  return evaluate(expression);
}

const LABEL_REGEX =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('the format library', () => {
  it('names every format of the API server, and nothing else', () => {
    expect([...NAMED_FORMATS.keys()].sort()).toEqual(
      [
        'byte',
        'date',
        'datetime',
        'dns1035Label',
        'dns1035LabelPrefix',
        'dns1123Label',
        'dns1123LabelPrefix',
        'dns1123Subdomain',
        'dns1123SubdomainPrefix',
        'labelValue',
        'qualifiedName',
        'uri',
        'uuid',
      ].sort(),
    );
    for (const name of NAMED_FORMATS.keys()) {
      expect(evaluate(`format.named('${name}').hasValue()`), name).toBe(true);
      // `format.named(n)` and `format.n()` are the same format.
      expect(
        evaluate(
          `format.named('${name}').value().validate('-x').orValue([]) == format.${name}().validate('-x').orValue([])`,
        ),
      ).toBe(true);
    }
    expect(evaluate("format.named('email').hasValue()")).toBe(false);
    expect(evaluate("format.named('__proto__').hasValue() || format.named('constructor').hasValue()")).toBe(
      false,
    );
    expect(evaluate("format.named('uri').orValue(format.uuid()).validate('/ok').hasValue()")).toBe(false);
  });

  it('gives optional.none() for a conforming string, else the messages of apimachinery', () => {
    expect(evaluate("format.dns1123Label().validate('my-name').hasValue()")).toBe(false);
    expect(problems('dns1123Label', 'My-Name')).toEqual([LABEL_REGEX]);
    // A subdomain that is no label has dots: apimachinery says so instead of quoting its pattern.
    expect(problems('dns1123Label', 'my.name')).toEqual(['must not contain dots']);
    expect(problems('dns1123Label', 'a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(problems('dns1123Label', `${'a'.repeat(63)}.b`)).toEqual([
      'must be no more than 63 characters',
      'must not contain dots',
    ]);
    expect(problems('dns1123Subdomain', 'apiextensions.k8s.io')).toEqual([]);
    expect(problems('dns1123Subdomain', 'Example.com')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(problems('dns1035Label', 'web-1')).toEqual([]);
    expect(problems('dns1035Label', '1-web')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(problems('labelValue', '')).toEqual([]);
    expect(problems('labelValue', 'v1.2_x')).toEqual([]);
    expect(problems('labelValue', '-bad')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    // Lengths are bytes, as Go counts them: 32 two-byte letters are 64 bytes.
    expect(problems('labelValue', 'é'.repeat(32))).toContain('must be no more than 63 bytes');
  });

  it('checks qualified names as label keys: an optional DNS subdomain and /, then a name', () => {
    expect(problems('qualifiedName', 'apiextensions.k8s.io/v1beta1')).toEqual([]);
    expect(problems('qualifiedName', 'MyName')).toEqual([]);
    expect(problems('qualifiedName', '/name')).toEqual(['prefix part must be non-empty']);
    const name =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    // An empty name is reported twice over, as apimachinery does.
    expect(problems('qualifiedName', 'example.com/')).toEqual(['name part must be non-empty', name]);
    expect(problems('qualifiedName', 'Example.com/x')).toEqual([
      expect.stringMatching(/^prefix part a lowercase RFC 1123 subdomain must consist/),
    ]);
    expect(problems('qualifiedName', 'a/b/c')).toEqual([
      expect.stringMatching(
        /^a valid label key must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
      ),
    ]);
  });

  it('lets the prefix formats end with a dash, which generateName completes', () => {
    expect(problems('dns1123LabelPrefix', 'my-prefix-')).toEqual([]);
    expect(problems('dns1123SubdomainPrefix', 'my.sub-')).toEqual([]);
    expect(problems('dns1035LabelPrefix', 'web-')).toEqual([]);
    expect(problems('dns1123Label', 'my-prefix-')).toEqual([LABEL_REGEX]);
    expect(problems('dns1123LabelPrefix', 'Bad-')).toEqual([LABEL_REGEX]);
    // apimachinery replaces the last two characters: one alone makes the API server's call fail.
    expect(problems('dns1123LabelPrefix', '-')).toEqual({ error: expect.stringMatching(/slice bounds/) });
  });

  it('checks uri as url.ParseRequestURI, with Go’s error text', () => {
    expect(problems('uri', 'https://example.com/a?b=c')).toEqual([]);
    expect(problems('uri', '/absolute/path')).toEqual([]);
    expect(problems('uri', 'mailto:someone@example.com')).toEqual([]);
    expect(problems('uri', 'relative/path')).toEqual(['parse "relative/path": invalid URI for request']);
    expect(problems('uri', '')).toEqual(['parse "": empty url']);
    expect(problems('uri', ':no-scheme')).toEqual(['parse ":no-scheme": missing protocol scheme']);
    expect(problems('uri', 'http://host:port/')).toEqual([
      'parse "http://host:port/": invalid port ":port" after host',
    ]);
    expect(problems('uri', '/a%zz')).toEqual(['parse "/a%zz": invalid URL escape "%zz"']);
    expect(problems('uri', 'https://exa mple.com')).toEqual([
      'parse "https://exa mple.com": invalid character " " in host name',
    ]);
    expect(problems('uri', 'http://a\tb')).toEqual([
      'parse "http://a\\tb": net/url: invalid control character in URL',
    ]);
    expect(problems('uri', 'http://[::1/')).toEqual(['parse "http://[::1/": missing \']\' in host']);
    expect(problems('uri', 'http://us er@host/')).toEqual([
      'parse "http://us er@host/": net/url: invalid userinfo',
    ]);
    // The url library's isURL() parses the same way.
    for (const text of [
      'https://example.com/a b',
      'relative',
      '/a%zz',
      'http://h:1/',
      '*',
      'http://exa mple.com',
    ]) {
      const uri = evaluate(`!format.uri().validate(${JSON.stringify(text)}).hasValue()`);
      expect(evaluate(`isURL(${JSON.stringify(text)})`), text).toBe(uri);
    }
  });

  it('checks uuid, byte, date and datetime as kube-openapi does', () => {
    expect(problems('uuid', '123e4567-e89b-12d3-a456-426614174000')).toEqual([]);
    expect(problems('uuid', '123E4567E89B12D3A456426614174000')).toEqual([]);
    expect(problems('uuid', '123e4567-e89b-12d3-a456')).toEqual(['does not match the UUID format']);
    expect(problems('byte', 'aGVsbG8=')).toEqual([]);
    expect(problems('byte', 'aGVsbG8')).toEqual(['invalid base64']);
    expect(problems('byte', '')).toEqual(['invalid base64']);
    expect(problems('date', '2024-02-29')).toEqual([]);
    expect(problems('date', '2023-02-29')).toEqual(['invalid date']);
    expect(problems('date', '2021-1-01')).toEqual(['invalid date']);
    expect(problems('datetime', '2021-01-01T00:00:00Z')).toEqual([]);
    expect(problems('datetime', '2021-01-01t23:59:59.5+02:00')).toEqual([]);
    expect(problems('datetime', '2021-01-01T24:00:00Z')).toEqual(['invalid datetime']);
    expect(problems('datetime', '2021-01-01')).toEqual(['invalid datetime']);
  });

  it('is refused for a cluster that cannot compile it, with the other libraries of later releases', () => {
    const refused = (expression: string, version: string) =>
      (evaluate(expression, version) as { refused?: string }).refused;
    expect(refused("format.uuid().validate('x').hasValue()", '1.31')).toBe(
      'format.uuid() needs Kubernetes 1.32 or later (target 1.31)',
    );
    expect(refused("format.named('uuid').hasValue()", '1.31')).toBe(
      'format.named() needs Kubernetes 1.32 or later (target 1.31)',
    );
    expect(refused("format.uuid().validate('x').hasValue()", '1.32')).toBeUndefined();
    // Introduced in one release, usable in new expressions from the next (the compatibility version).
    expect(refused("isIP('10.0.0.1')", '1.30')).toBe('isIP() needs Kubernetes 1.31 or later (target 1.30)');
    expect(refused("cidr('10.0.0.0/8').containsIP('10.0.0.1')", '1.31')).toBeUndefined();
    expect(refused("isSemver('1.2.3')", '1.33')).toBe(
      'isSemver() needs Kubernetes 1.34 or later (target 1.33)',
    );
    expect(refused('sets.contains([1, 2], [1])', '1.29')).toBe(
      'sets.contains() needs Kubernetes 1.30 or later (target 1.29)',
    );
    expect(refused("strings.quote('a') == '\"a\"'", '1.29')).toBe(
      'strings.quote() needs Kubernetes 1.30 or later (target 1.29)',
    );
    expect(
      refused("authorizer.group('apps').resource('deployments').check('create').allowed()", '1.27'),
    ).toBe('the authorizer library needs Kubernetes 1.28 or later (target 1.27)');
    // The API server enables version 2 of cel-go's strings extension: reverse() came in version 3.
    expect(refused("'abc'.reverse() == 'cba'", '1.35')).toMatch(/reverse/);
    // A method named like a member of Object.prototype is no library, and does not crash the check.
    expect(refused("object.constructor() == 'x'", '1.29')).toMatch(/constructor/);
  });

  it("passes the Kubernetes library's own test cases", () => {
    const none = (expression: string) => expect(evaluate(`${expression}.hasValue()`), expression).toBe(false);
    none('format.dns1123Label().validate("my-label-name")');
    none('format.dns1123Subdomain().validate("apiextensions.k8s.io")');
    none('format.qualifiedName().validate("apiextensions.k8s.io/v1beta1")');
    none('format.dns1123LabelPrefix().validate("my-label-prefix-")');
    none('format.dns1123SubdomainPrefix().validate("mysubdomain.prefix.-")');
    none('format.dns1035LabelPrefix().validate("my-label-prefix-")');
    none('format.uri().validate("http://example.com")');
    none('format.uuid().validate("123e4567-e89b-12d3-a456-426614174000")');
    none('format.date().validate("2021-01-01")');
    none('format.datetime().validate("2021-01-01T00:00:00Z")');
    none('format.labelValue().validate("my-cool-label-Value")');
    expect(problems('dns1123Label', 'contains a space')).toEqual([LABEL_REGEX]);
    expect(problems('dns1123LabelPrefix', 'contains a space-')).toEqual([LABEL_REGEX]);
    expect(problems('qualifiedName', 'contains a space')).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(problems('date', '2020-01-32')).toEqual(['invalid date']);
    expect(problems('datetime', '2020-01-32T00:00:00Z')).toEqual(['invalid datetime']);
    expect(problems('labelValue', 'my-cool-label-Value!!\n\n!!!')).toHaveLength(1);
    // Every format equals its named lookup and no other.
    const names = [...NAMED_FORMATS.keys()];
    for (const a of names) {
      expect(evaluate(`format.named("${a}").value() == format.${a}()`), a).toBe(true);
      for (const b of names)
        if (a !== b) expect(evaluate(`format.${a}() == format.${b}()`), `${a} ${b}`).toBe(false);
    }
  });

  it('gives a policy its messages, and its verdicts', () => {
    const found = runVap([
      ...simplePolicy('names', {
        expression: '!format.dns1035Label().validate(object.metadata.name).hasValue()',
        messageExpression: "format.dns1035Label().validate(object.metadata.name).value().join('; ')",
      }),
      deployment('web', 'shop', 1),
      deployment('1web', 'shop', 1),
    ]);
    expect(found.map((d) => [d.code, d.resource?.name, d.message])).toEqual([
      [
        'vap/names',
        '1web',
        expect.stringContaining('a DNS-1035 label must consist of lower case alphanumeric'),
      ],
    ]);
  });
});
