import type { Environment } from '@marcbachmann/cel-js';
import type { CostMeter } from './cel-cost.js';

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

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Parse a URL, or return `undefined` when Kubernetes' `url()` would fail. */
export function parseUrl(text: string): CelUrl | undefined {
  if (text === '' || /\s/.test(text) || hasControlCharacter(text)) return undefined;
  const scheme = SCHEME.exec(text);
  let rest = scheme ? text.slice(scheme[0].length) : text;
  if (!scheme && !rest.startsWith('/')) return undefined;
  const q = rest.indexOf('?');
  const query = q >= 0 ? rest.slice(q + 1) : '';
  if (q >= 0) rest = rest.slice(0, q);
  let host = '';
  if (scheme && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    rest = slash >= 0 ? rest.slice(slash) : '';
    host = authority.slice(authority.lastIndexOf('@') + 1);
    if (!validHost(host)) return undefined;
  } else if (scheme && !rest.startsWith('/')) {
    // An opaque URL such as `mailto:someone@example.com`: no host, the rest is kept as the path.
    return new CelUrl(scheme[1]?.toLowerCase() ?? '', '', '', query);
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(rest)) return undefined;
  return new CelUrl(scheme?.[1]?.toLowerCase() ?? '', host, rest, query);
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function validHost(host: string): boolean {
  if (host.startsWith('[')) return /^\[[0-9A-Fa-f:.]+(%[^\]]*)?\](:\d*)?$/.test(host);
  return /^[^\s/?#[\]@]*$/.test(host) && (host.match(/:/g)?.length ?? 0) <= 1 && /^[^:]*(:\d*)?$/.test(host);
}

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

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

function queryOf(url: CelUrl): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of url.query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq >= 0 ? part.slice(0, eq) : part);
    const value = decode(eq >= 0 ? part.slice(eq + 1) : '');
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
    if (!url) throw new Error(`URL parse error during conversion from string: ${JSON.stringify(text)}`);
    return url;
  });
  env.registerFunction('isURL(string): bool', (text: string) => {
    meter.chargeSize(text);
    return parseUrl(text) !== undefined;
  });
  env.registerFunction('URL.getScheme(): string', (url: CelUrl) => url.scheme);
  env.registerFunction('URL.getHost(): string', (url: CelUrl) => url.host);
  env.registerFunction('URL.getHostname(): string', hostname);
  env.registerFunction('URL.getPort(): string', port);
  env.registerFunction('URL.getEscapedPath(): string', (url: CelUrl) => url.path);
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
