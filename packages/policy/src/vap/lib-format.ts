import { type Environment, Optional } from '@marcbachmann/cel-js';
import type { CostMeter } from './cel-cost.js';
import { registerNamespace } from './cel-values.js';
import { requestUriProblem } from './lib-url.js';

/**
 * A named format of Kubernetes' format library: `format.dns1123Label()`, `format.named('uuid')`.
 * `validate` gives the API server's messages for a string that does not conform, or none.
 */
export class CelFormat {
  constructor(
    readonly name: string,
    readonly problems: (text: string) => readonly string[],
  ) {}
}

// The patterns and messages of k8s.io/apimachinery's validation functions, which the library calls.
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;
const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';
const KEY_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${KEY_NAME})?`;

const LABEL_RE = new RegExp(`^${LABEL}$`);
const SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN}$`);
const DNS1035_RE = new RegExp(`^${DNS1035}$`);
const KEY_NAME_RE = new RegExp(`^${KEY_NAME}$`);
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE}$`);

const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const KEY_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** apimachinery's `RegexError`: the message, its examples and the pattern. */
function regexError(message: string, pattern: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${pattern}')`;
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${pattern}')`;
}

// Lengths are counted in bytes, as Go's len() counts them.
const encoder = new TextEncoder();
function byteLength(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return encoder.encode(text).length;
  return text.length;
}

// The older validation functions (names) say "characters"; the label-key ones say "bytes".
const maxLength = (n: number) => `must be no more than ${n} characters`;
const maxBytes = (n: number) => `must be no more than ${n} bytes`;

function dns1123Label(text: string): string[] {
  const out: string[] = [];
  if (byteLength(text) > 63) out.push(maxLength(63));
  if (!LABEL_RE.test(text)) {
    // A valid subdomain that is no label has dots (the length was checked above).
    out.push(
      SUBDOMAIN_RE.test(text)
        ? 'must not contain dots'
        : regexError(LABEL_MESSAGE, LABEL, 'my-name', '123-abc'),
    );
  }
  return out;
}

function dns1123Subdomain(text: string, bytes = false): string[] {
  const out: string[] = [];
  if (byteLength(text) > 253) out.push(bytes ? maxBytes(253) : maxLength(253));
  if (!SUBDOMAIN_RE.test(text)) out.push(regexError(SUBDOMAIN_MESSAGE, SUBDOMAIN, 'example.com'));
  return out;
}

function dns1035Label(text: string): string[] {
  const out: string[] = [];
  if (byteLength(text) > 63) out.push(maxLength(63));
  if (!DNS1035_RE.test(text)) out.push(regexError(DNS1035_MESSAGE, DNS1035, 'my-name', 'abc-123'));
  return out;
}

/** A label key: an optional DNS subdomain and `/`, then a name (apimachinery's `IsLabelKey`). */
function qualifiedName(text: string): string[] {
  const out: string[] = [];
  const parts = text.split('/');
  const keyExamples = ['MyName', 'my.name', '123-abc'];
  if (parts.length > 2) {
    return [
      `a valid label key ${regexError(KEY_NAME_MESSAGE, KEY_NAME, ...keyExamples)} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.length === 2 ? (parts[1] ?? '') : text;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') out.push('prefix part must be non-empty');
    else for (const problem of dns1123Subdomain(prefix, true)) out.push(`prefix part ${problem}`);
  }
  if (name === '') out.push('name part must be non-empty');
  else if (byteLength(name) > 63) out.push(`name part ${maxBytes(63)}`);
  if (!KEY_NAME_RE.test(name))
    out.push(`name part ${regexError(KEY_NAME_MESSAGE, KEY_NAME, ...keyExamples)}`);
  return out;
}

function labelValue(text: string): string[] {
  const out: string[] = [];
  if (byteLength(text) > 63) out.push(maxBytes(63));
  if (!LABEL_VALUE_RE.test(text))
    out.push(regexError(LABEL_VALUE_MESSAGE, LABEL_VALUE, 'MyValue', 'my_value', '12345'));
  return out;
}

/**
 * The `…Prefix` formats check a name that will have characters appended (`generateName`): a
 * trailing `-` is allowed. apimachinery replaces the last two characters with `a` (its
 * `maskTrailingDash`); with one character there are not two to replace and the API server fails.
 */
function prefixed(check: (text: string) => string[]): (text: string) => string[] {
  return (text) => {
    if (!text.endsWith('-')) return check(text);
    if (text.length < 2) throw new Error('slice bounds out of range: the prefix format cannot check "-"');
    return check(`${text.slice(0, -2)}a`);
  };
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;

/** Go's `time.Parse("2006-01-02", text)` succeeds: a real day of a real month. */
function isFullDate(text: string): boolean {
  const match = FULL_DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/**
 * kube-openapi's `IsDateTime`: the text, lower-cased and split at each `t`, has a full date before
 * the first and a time of day (hours to 23, minutes and seconds to 59, a zone) after it.
 */
function isDateTime(text: string): boolean {
  if (text.length < 4) return false;
  const parts = text.toLowerCase().split('t');
  if (parts.length < 2 || !isFullDate(parts[0] ?? '')) return false;
  const match = TIME_OF_DAY.exec(parts[1] ?? '');
  if (!match) return false;
  return (match[1] ?? '') <= '23' && (match[2] ?? '') <= '59' && (match[3] ?? '') <= '59';
}

const valid = (ok: boolean, message: string): string[] => (ok ? [] : [message]);

/** The library's formats by the name `format.named()` takes; each is also `format.<name>()`. */
export const NAMED_FORMATS: ReadonlyMap<string, CelFormat> = new Map(
  (
    [
      ['dns1123Label', 'DNS1123Label', dns1123Label],
      ['dns1123Subdomain', 'DNS1123Subdomain', (t: string) => dns1123Subdomain(t)],
      ['dns1035Label', 'DNS1035Label', dns1035Label],
      ['qualifiedName', 'QualifiedName', qualifiedName],
      ['dns1123LabelPrefix', 'DNS1123LabelPrefix', prefixed(dns1123Label)],
      ['dns1123SubdomainPrefix', 'DNS1123SubdomainPrefix', prefixed((t) => dns1123Subdomain(t))],
      ['dns1035LabelPrefix', 'DNS1035LabelPrefix', prefixed(dns1035Label)],
      ['labelValue', 'LabelValue', labelValue],
      [
        'uri',
        'URI',
        (t: string) => {
          const problem = requestUriProblem(t);
          return problem === undefined ? [] : [problem];
        },
      ],
      ['uuid', 'uuid', (t: string) => valid(UUID.test(t), 'does not match the UUID format')],
      ['byte', 'byte', (t: string) => valid(BASE64.test(t), 'invalid base64')],
      ['date', 'date', (t: string) => valid(isFullDate(t), 'invalid date')],
      ['datetime', 'datetime', (t: string) => valid(isDateTime(t), 'invalid datetime')],
    ] as const
  ).map(([name, label, check]) => [name, new CelFormat(label, check)]),
);

/**
 * Kubernetes' format library (`k8s.io/apiserver/pkg/cel/library/format.go`): `format.named(name)`
 * gives an optional `Format`, `format.dns1123Label()` and the other named formats give one, and
 * `<Format>.validate(string)` gives `optional.none()` for a string that conforms, else the list of
 * the API server's messages. Each validation is charged the size of its string to `meter`.
 */
export function registerFormatLibrary(env: Environment, meter: CostMeter): void {
  registerNamespace(env, 'FormatNamespace', 'format');
  env.registerType('Format', CelFormat);
  // Each named format is one value: two are equal when they are the same format.
  env.registerOperator('Format == Format', (a: CelFormat, b: CelFormat) => a === b);
  for (const [name, format] of NAMED_FORMATS) {
    env.registerFunction(`FormatNamespace.${name}(): Format`, () => format);
  }
  env.registerFunction('FormatNamespace.named(string): optional<Format>', (_: unknown, name: string) => {
    const format = NAMED_FORMATS.get(name);
    return format === undefined ? Optional.none() : Optional.of(format);
  });
  env.registerFunction(
    'Format.validate(string): optional<list<string>>',
    (format: CelFormat, text: string) => {
      meter.chargeSize(text);
      const problems = format.problems(text);
      return problems.length === 0 ? Optional.none() : Optional.of([...problems]);
    },
  );
}
