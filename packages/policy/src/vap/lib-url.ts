import type { Environment } from '@marcbachmann/cel-js';
import type { CostMeter } from './cel-cost.js';
import { goQuote } from './cel-values.js';

/** A URL parsed as Go's `url.ParseRequestURI` does: an absolute URI, or an absolute path. */
export class CelUrl {
  constructor(
    readonly scheme: string,
    /** `host[:port]`, IPv6 hosts in brackets. */
    readonly host: string,
    readonly path: string,
    readonly query: string,
  ) {}
}

/**
 * A URL as Kubernetes' `url()` reads it, or `undefined` when `url()` fails: checked by Go's
 * `url.ParseRequestURI`, then read by `url.Parse` (which sets a `#fragment` apart, and finds a host
 * after `//` without a scheme too).
 */
export function parseUrl(text: string): CelUrl | undefined {
  if (typeof goParse(text, true) === 'string') return undefined;
  const hash = text.indexOf('#');
  const parsed = goParse(hash >= 0 ? text.slice(0, hash) : text, false);
  return typeof parsed === 'string' ? undefined : parsed;
}

/**
 * Why Go's `url.ParseRequestURI` refuses `text`, in its words (`parse "x": invalid URI for
 * request`), or `undefined` when it accepts it. `isURL()` and the format library's `uri` use it.
 */
export function requestUriProblem(text: string): string | undefined {
  const parsed = goParse(text, true);
  return typeof parsed === 'string' ? `parse ${goQuote(text)}: ${parsed}` : undefined;
}

/**
 * Go's `url.parse`, in its order of checks: the URL, or Go's error text. `viaRequest` is
 * `ParseRequestURI` (an absolute URI or an absolute path, a `#` kept in the path); otherwise it is
 * `url.Parse` on text whose fragment is already cut off.
 */
function goParse(text: string, viaRequest: boolean): CelUrl | string {
  if (hasControlCharacter(text)) return 'net/url: invalid control character in URL';
  if (text === '' && viaRequest) return 'empty url';
  if (text === '*') return new CelUrl('', '', '*', '');
  const scheme = schemeOf(text);
  if (scheme === undefined) return 'missing protocol scheme';
  let rest = scheme === '' ? text : text.slice(scheme.length + 1);
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    // An opaque URL such as `mailto:someone@example.com`: no host, and the rest is not checked.
    if (scheme !== '') return new CelUrl(scheme.toLowerCase(), '', '', query);
    if (viaRequest) return 'invalid URI for request';
    if (rest.split('/', 1)[0]?.includes(':')) return 'first path segment in URL cannot contain colon';
  }
  let host = '';
  if ((scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    rest = slash >= 0 ? rest.slice(slash) : '';
    const at = authority.lastIndexOf('@');
    host = authority.slice(at + 1);
    const problem = hostProblem(host) ?? (at >= 0 ? userinfoProblem(authority.slice(0, at)) : undefined);
    if (problem !== undefined) return problem;
  }
  const badEscape = escapeProblem(rest, false);
  if (badEscape !== undefined) return badEscape;
  return new CelUrl(scheme.toLowerCase(), host, rest, query);
}

/** The scheme before the first `:` (`''` when there is none), or `undefined` for a leading `:`. */
function schemeOf(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return '';
      continue;
    }
    if (c === 0x3a) return i === 0 ? undefined : text.slice(0, i);
    return '';
  }
  return '';
}

function hostProblem(host: string): string | undefined {
  let colonPort: string | undefined;
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return "missing ']' in host";
    colonPort = host.slice(close + 1);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0) colonPort = host.slice(colon);
  }
  if (colonPort !== undefined && colonPort !== '' && !/^:\d*$/.test(colonPort))
    return `invalid port ${goQuote(colonPort)} after host`;
  return escapeProblem(host, true);
}

function userinfoProblem(userinfo: string): string | undefined {
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) return 'net/url: invalid userinfo';
  return escapeProblem(userinfo, false);
}

// What a host may hold unescaped besides letters and digits (Go's `shouldEscape` for hosts).
const HOST_CHARACTERS = new Set('!$&\'()*+,;=:[]<>"-_.~');

/** Go's `unescape`: a `%` not followed by two hex digits, or (in a host) a character it refuses. */
function escapeProblem(text: string, inHost: boolean): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      if (!isHex(text.charCodeAt(i + 1)) || !isHex(text.charCodeAt(i + 2)))
        return `invalid URL escape ${goQuote(text.slice(i, i + 3))}`;
      // A host may escape only bytes from 0x80 up, and `%25` (the zone separator).
      if (inHost && Number.parseInt(text.charAt(i + 1), 16) < 8 && text.slice(i, i + 3) !== '%25')
        return `invalid URL escape ${goQuote(text.slice(i, i + 3))}`;
      i += 2;
      continue;
    }
    if (inHost && c < 0x80 && !isAlnumCode(c) && !HOST_CHARACTERS.has(text.charAt(i)))
      return `invalid character ${goQuote(text.charAt(i))} in host name`;
  }
  return undefined;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isAlnumCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

// What a path may hold as written (Go's `validEncoded` for paths): letters, digits, `-._~`, the
// sub-delimiters, `:@/[]` and escapes.
const PATH_AS_WRITTEN = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/[\]%]*$/;
// What Go's `escape` leaves alone in a path: letters, digits, `-._~` and `$&+,/:;=@`.
const PATH_UNESCAPED = /[A-Za-z0-9\-._~$&+,/:;=@]/;

/**
 * Go's `URL.EscapedPath`: the path as written when it is validly escaped (`/a%20b`), else the
 * decoded path escaped again (`/path with spaces/` → `/path%20with%20spaces/`).
 */
function escapedPath(written: string): string {
  if (PATH_AS_WRITTEN.test(written) || written === '*') return written;
  // Decode the escapes to bytes, then escape every byte a path may not hold.
  const bytes: number[] = [];
  for (let i = 0; i < written.length; i++) {
    if (written[i] === '%' && isHex(written.charCodeAt(i + 1)) && isHex(written.charCodeAt(i + 2))) {
      bytes.push(Number.parseInt(written.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    const code = written.codePointAt(i) ?? 0;
    if (code > 0xffff) i++;
    for (const b of encoder.encode(String.fromCodePoint(code))) bytes.push(b);
  }
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && PATH_UNESCAPED.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const encoder = new TextEncoder();

function hostname(url: CelUrl): string {
  if (url.host.startsWith('[')) return url.host.slice(1, url.host.indexOf(']'));
  const colon = url.host.indexOf(':');
  return colon >= 0 ? url.host.slice(0, colon) : url.host;
}

function port(url: CelUrl): string {
  const start = url.host.startsWith('[') ? url.host.indexOf(']') + 1 : 0;
  const colon = url.host.indexOf(':', start);
  return colon >= 0 ? url.host.slice(colon + 1) : '';
}

/** Go's `url.QueryUnescape`: `+` is a space and `%XX` a byte; `undefined` for a bad escape. */
function queryUnescape(text: string): string | undefined {
  if (!text.includes('%')) return text.replaceAll('+', ' ');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '%') {
      if (!isHex(text.charCodeAt(i + 1)) || !isHex(text.charCodeAt(i + 2))) return undefined;
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    const code = text.codePointAt(i) ?? 0;
    if (code > 0xffff) i++;
    for (const b of encoder.encode(c === '+' ? ' ' : String.fromCodePoint(code))) bytes.push(b);
  }
  return decoder.decode(new Uint8Array(bytes));
}

const decoder = new TextDecoder();

/**
 * Go's `URL.Query()`: pairs split at `&`; a pair holding `;`, or with a bad escape in its key or
 * value, is left out (Go reports it as an error that `Query()` drops).
 */
function queryOf(url: CelUrl): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of url.query.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const key = queryUnescape(eq >= 0 ? part.slice(0, eq) : part);
    const value = queryUnescape(eq >= 0 ? part.slice(eq + 1) : '');
    if (key === undefined || value === undefined) continue;
    if (Object.hasOwn(out, key)) out[key]?.push(value);
    else
      Object.defineProperty(out, key, {
        value: [value],
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

/**
 * The Kubernetes URL library: `url()`, `isURL()`, `getScheme()`, `getHost()`, `getHostname()`,
 * `getPort()`, `getEscapedPath()` and `getQuery()`.
 */
export function registerUrlLibrary(env: Environment, meter: CostMeter): void {
  env.registerType('URL', CelUrl);
  env.registerFunction('url(string): URL', (text: string) => {
    meter.chargeSize(text);
    const url = parseUrl(text);
    if (!url) {
      const why = requestUriProblem(text) ?? `parse ${goQuote(text)}: the fragment does not parse`;
      throw new Error(`URL parse error during conversion from string: ${why}`);
    }
    return url;
  });
  env.registerFunction('isURL(string): bool', (text: string) => {
    meter.chargeSize(text);
    return requestUriProblem(text) === undefined;
  });
  env.registerFunction('URL.getScheme(): string', (url: CelUrl) => url.scheme);
  env.registerFunction('URL.getHost(): string', (url: CelUrl) => url.host);
  env.registerFunction('URL.getHostname(): string', hostname);
  env.registerFunction('URL.getPort(): string', port);
  env.registerFunction('URL.getEscapedPath(): string', (url: CelUrl) => escapedPath(url.path));
  env.registerOperator(
    'URL == URL',
    (a: CelUrl, b: CelUrl) =>
      a.scheme === b.scheme && a.host === b.host && a.path === b.path && a.query === b.query,
  );
  env.registerFunction('URL.getQuery(): map<string, list<string>>', (url: CelUrl) => {
    meter.chargeSize(url.query);
    return queryOf(url);
  });
}
