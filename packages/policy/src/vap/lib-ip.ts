import type { Environment } from '@marcbachmann/cel-js';
import { type CostMeter, charged } from './cel-cost.js';
import { registerOverload } from './cel-replacements.js';
import { goQuote, registerNamespace } from './cel-values.js';

/** An IPv4 or IPv6 address as a number. */
export class IpAddress {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}

  get bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  toString(): string {
    return this.family === 4 ? formatV4(this.value) : formatV6(this.value);
  }
}

/** An address with a prefix length (host bits may be set, as in Go's `netip.ParsePrefix`). */
export class Cidr {
  constructor(
    readonly ip: IpAddress,
    readonly prefix: number,
  ) {}

  masked(): Cidr {
    return new Cidr(
      new IpAddress(this.ip.family, maskOf(this.ip.value, this.ip.bits, this.prefix)),
      this.prefix,
    );
  }

  containsIp(ip: IpAddress): boolean {
    return (
      ip.family === this.ip.family &&
      maskOf(ip.value, ip.bits, this.prefix) === maskOf(this.ip.value, this.ip.bits, this.prefix)
    );
  }

  containsCidr(other: Cidr): boolean {
    return other.prefix >= this.prefix && this.containsIp(other.ip);
  }

  toString(): string {
    return `${this.ip.toString()}/${this.prefix}`;
  }
}

function maskOf(value: bigint, bits: number, prefix: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  if (text.includes('%')) return undefined; // zones are refused, as in Kubernetes
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseV4(part);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) out.push(Number.parseInt(part, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let value = 0n;
  for (const group of [...head, ...Array<number>(missing).fill(0), ...tail])
    value = (value << 16n) | BigInt(group);
  return value;
}

/** Parse an address; IPv4-mapped IPv6 addresses and zones are refused, as Kubernetes does. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return new IpAddress(4, v4);
  const v6 = parseV6(text);
  if (v6 === undefined || v6 >> 32n === 0xffffn) return undefined;
  return new IpAddress(6, v6);
}

/** Parse `address/prefix`. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > ip.bits) return undefined;
  return new Cidr(ip, Number(prefixText));
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/** RFC 5952: lower-case, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatV6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function inRange(ip: IpAddress, cidr: string): boolean {
  return parseCidr(cidr)?.containsIp(ip) ?? false;
}

function required<T>(value: T | undefined, what: string, text: string): T {
  if (value !== undefined) return value;
  const quoted = goQuote(text);
  if (what === 'IP Address') throw new Error(ipProblem(text));
  // Go's netip.ParsePrefix: the slash, the address, then the prefix length.
  const slash = text.lastIndexOf('/');
  const bits = text.slice(slash + 1);
  const addr = slash < 0 ? undefined : addrProblem(text.slice(0, slash));
  if (slash >= 0 && addr === undefined && parseIp(text.slice(0, slash)) === undefined)
    throw new Error(ipProblem(text.slice(0, slash)));
  const why =
    slash < 0
      ? "no '/'"
      : addr !== undefined
        ? addr
        : /^(0|[1-9][0-9]*)$/.test(bits)
          ? 'prefix length out of range'
          : `bad bits after slash: ${goQuote(bits)}`;
  // The library wraps its parser's error in the same words twice (its own test expects that).
  const wrapped = 'network address parse error during conversion from string';
  throw new Error(`${wrapped}: ${wrapped}: netip.ParsePrefix(${quoted}): ${why}`);
}

/** Why Kubernetes' `ip()` refuses `text`, in its words and Go's `netip.ParseAddr`'s. */
function ipProblem(text: string): string {
  const quoted = goQuote(text);
  const problem = addrProblem(text);
  if (problem !== undefined)
    return `IP Address ${quoted} parse error during conversion from string: ${problem}`;
  return text.includes('%')
    ? `IP address ${quoted} with zone value is not allowed`
    : `IPv4-mapped IPv6 address ${quoted} is not allowed`;
}

/** Go's `netip.ParseAddr` error for `text` (`ParseAddr("x"): unable to parse IP`), if it fails. */
function addrProblem(text: string): string | undefined {
  const fail = (msg: string, at?: string) =>
    `ParseAddr(${goQuote(text)}): ${msg}${at === undefined || at === '' ? '' : ` (at ${goQuote(at)})`}`;
  for (const c of text) {
    if (c === '.') return v4Problem(text, text, fail);
    if (c === ':') return v6Problem(text, fail);
    if (c === '%') return fail('missing IPv6 address');
  }
  return fail('unable to parse IP');
}

type Fail = (msg: string, at?: string) => string;

/** Go's `parseIPv4Fields` over `s` (a part of the address, or all of it). */
function v4Problem(s: string, _in: string, fail: Fail): string | undefined {
  let value = 0;
  let digits = 0;
  let fields = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && value === 0) return fail('IPv4 field has octet with leading zero');
      value = value * 10 + (c - 0x30);
      digits++;
      if (value > 255) return fail('IPv4 field has value >255');
    } else if (c === 0x2e) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.')
        return fail('IPv4 field must have at least one digit', s.slice(i));
      if (fields === 3) return fail('IPv4 address too long');
      fields++;
      value = 0;
      digits = 0;
    } else {
      return fail('unexpected character', s.slice(i));
    }
  }
  return fields < 3 ? fail('IPv4 address too short') : undefined;
}

/** Go's `parseIPv6`, for its error. */
function v6Problem(input: string, fail: Fail): string | undefined {
  let s = input;
  const percent = s.indexOf('%');
  if (percent >= 0) {
    if (percent === s.length - 1) return fail('zone must be a non-empty string');
    s = s.slice(0, percent);
  }
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return undefined;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const c = s[off] ?? '';
      if (!/[0-9A-Fa-f]/.test(c)) break;
      acc = acc * 16 + Number.parseInt(c, 16);
      if (off > 3) return fail('each group must have 4 or less digits', s);
      if (acc > 0xffff) return fail('IPv6 field has value >=2^16', s);
    }
    if (off === 0) return fail('each colon-separated field must have at least one digit', s);
    if (s[off] === '.') {
      if (ellipsis < 0 && i !== 12)
        return fail('embedded IPv4 address must replace the final 2 fields of the address', s);
      if (i + 4 > 16) return fail('too many hex fields to fit an embedded IPv4 at the end of the address', s);
      const problem = v4Problem(s, input, fail);
      if (problem !== undefined) return problem;
      s = '';
      i += 4;
      break;
    }
    i += 2;
    s = s.slice(off);
    if (s === '') break;
    if (s[0] !== ':') return fail('unexpected character, want colon', s);
    if (s.length === 1) return fail('colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return fail('multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return fail('trailing garbage after address', s);
  if (i < 16 && ellipsis < 0) return fail('address string too short');
  if (i >= 16 && ellipsis >= 0) return fail('the :: must expand to at least one field of zeros');
  return undefined;
}

/**
 * The Kubernetes IP and CIDR libraries: `ip()`, `isIP()`, `ip.isCanonical()`, `family()`,
 * `isUnspecified()`, `isLoopback()`, `isLinkLocalMulticast()`, `isLinkLocalUnicast()`,
 * `isGlobalUnicast()`, `cidr()`, `isCIDR()`, `containsIP()`, `containsCIDR()`, `ip()` of a CIDR,
 * `masked()`, `prefixLength()`, and `string()` of both.
 */
export function registerIpLibrary(env: Environment, meter: CostMeter): void {
  env.registerType('IP', IpAddress);
  env.registerType('CIDR', Cidr);
  env.registerFunction(
    'ip(string): IP',
    charged(meter, (t: string) => required(parseIp(t), 'IP Address', t)),
  );
  env.registerFunction(
    'isIP(string): bool',
    charged(meter, (t: string) => parseIp(t) !== undefined),
  );
  registerOverload(env, 'string(IP): string', (ip: IpAddress) => ip.toString());
  env.registerFunction('IP.family(): int', (ip: IpAddress) => BigInt(ip.family));
  env.registerFunction('IP.isUnspecified(): bool', (ip: IpAddress) => ip.value === 0n);
  env.registerFunction('IP.isLoopback(): bool', (ip: IpAddress) =>
    ip.family === 4 ? inRange(ip, '127.0.0.0/8') : ip.value === 1n,
  );
  env.registerFunction('IP.isLinkLocalMulticast(): bool', (ip: IpAddress) =>
    ip.family === 4 ? inRange(ip, '224.0.0.0/24') : ((ip.value >> 112n) & 0xff0fn) === 0xff02n,
  );
  env.registerFunction('IP.isLinkLocalUnicast(): bool', (ip: IpAddress) =>
    inRange(ip, ip.family === 4 ? '169.254.0.0/16' : 'fe80::/10'),
  );
  env.registerFunction('IP.isGlobalUnicast(): bool', (ip: IpAddress) => {
    if (ip.value === 0n) return false;
    if (ip.family === 4) {
      return !['127.0.0.0/8', '224.0.0.0/4', '169.254.0.0/16', '255.255.255.255/32'].some((c) =>
        inRange(ip, c),
      );
    }
    return !(ip.value === 1n || inRange(ip, 'ff00::/8') || inRange(ip, 'fe80::/10'));
  });
  env.registerFunction(
    'cidr(string): CIDR',
    charged(meter, (t: string) => required(parseCidr(t), 'network address', t)),
  );
  env.registerFunction(
    'isCIDR(string): bool',
    charged(meter, (t: string) => parseCidr(t) !== undefined),
  );
  registerOverload(env, 'string(CIDR): string', (c: Cidr) => c.toString());
  env.registerFunction('CIDR.containsIP(IP): bool', (c: Cidr, ip: IpAddress) => c.containsIp(ip));
  env.registerFunction('CIDR.containsIP(string): bool', (c: Cidr, t: string) =>
    c.containsIp(required(parseIp(t), 'IP Address', t)),
  );
  env.registerFunction('CIDR.containsCIDR(CIDR): bool', (c: Cidr, o: Cidr) => c.containsCidr(o));
  env.registerFunction('CIDR.containsCIDR(string): bool', (c: Cidr, t: string) =>
    c.containsCidr(required(parseCidr(t), 'network address', t)),
  );
  env.registerFunction('CIDR.ip(): IP', (c: Cidr) => c.ip);
  env.registerFunction('CIDR.masked(): CIDR', (c: Cidr) => c.masked());
  env.registerFunction('CIDR.prefixLength(): int', (c: Cidr) => BigInt(c.prefix));
  env.registerOperator(
    'IP == IP',
    (a: IpAddress, b: IpAddress) => a.family === b.family && a.value === b.value,
  );
  env.registerOperator(
    'CIDR == CIDR',
    (a: Cidr, b: Cidr) => a.prefix === b.prefix && a.ip.family === b.ip.family && a.ip.value === b.ip.value,
  );
  // `ip.isCanonical(text)`: whether the text is the address as Kubernetes writes it (`::1`, not
  // `0:0::1`). `ip` is a namespace here, as `sets` is.
  registerNamespace(env, 'IpNamespace', 'ip');
  env.registerFunction(
    'IpNamespace.isCanonical(string): bool',
    charged(meter, (_: unknown, t: string) => required(parseIp(t), 'IP Address', t).toString() === t),
  );
}
