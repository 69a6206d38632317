// The quantity grammar of k8s.io/apimachinery: a signed decimal, then a binary (Ki…Ei) or decimal
// (n, u, m, k, M…E) suffix, or an exponent.
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
// RFC 3339 date-time, as Kubernetes' metav1.Time parses it.
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
// Go's time.ParseDuration: one or more number+unit pairs, optionally signed; "0" alone.
const DURATION = /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A format check of the schema walker. */
export interface FormatCheck {
  readonly type: 'string' | 'number';
  readonly validate: (value: never) => boolean;
}

/** The formats the API server checks (and the ones CRDs commonly use), by name. */
export const KUBERNETES_FORMATS: Readonly<Record<string, FormatCheck>> = {
  int32: {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647,
  },
  // The largest int64, 9223372036854775807, reads as the double 2^63: that one passes, larger fail.
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 63) && n <= 2 ** 63 },
  double: { type: 'number', validate: () => true },
  float: { type: 'number', validate: () => true },
  quantity: { type: 'string', validate: (s: string) => QUANTITY.test(s) },
  'date-time': { type: 'string', validate: (s: string) => DATE_TIME.test(s) },
  duration: { type: 'string', validate: (s: string) => DURATION.test(s) },
  byte: { type: 'string', validate: (s: string) => BASE64.test(s.replace(/\s/g, '')) },
};
