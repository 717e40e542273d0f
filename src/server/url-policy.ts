import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { buildConnector } from 'undici';

/** Loopback, private (RFC 1918), link-local, CGNAT, unspecified, multicast and reserved IPv4 ranges. */
const PRIVATE_V4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE_V4.addSubnet(net, prefix, 'ipv4');
}

/** IPv6 ranges that are never public: loopback and unspecified, unique-local, link-local, site-local, multicast. */
const PRIVATE_V6 = new BlockList();
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE_V6.addSubnet(net, prefix, 'ipv6');
}

/**
 * True for any address a public webhook platform must not deliver to. An
 * IPv6 address that carries an IPv4 one (IPv4-compatible, mapped,
 * translated, NAT64, 6to4, Teredo) is refused when the IPv4 one is.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE_V4.check(address, 'ipv4');
  if (family !== 6) return false;
  if (PRIVATE_V6.check(address, 'ipv6')) return true;
  return embeddedIPv4(address).some((v4) => PRIVATE_V4.check(v4, 'ipv4'));
}

/** The IPv4 addresses an IPv6 address carries, by the transition mechanism its prefix names. */
export function embeddedIPv4(address: string): string[] {
  const g = ipv6Groups(address);
  if (!g) return [];
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // ::a.b.c.d (IPv4-compatible), ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated)
  if (zero(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return [v4(g[6]!, g[7]!)];
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return [v4(g[6]!, g[7]!)];
  // 64:ff9b::/96 (NAT64, RFC 6052) and 64:ff9b:1::/48 (local-use NAT64, RFC 8215)
  if (g[0] === 0x64 && g[1] === 0xff9b && (zero(2, 6) || g[2] === 1)) return [v4(g[6]!, g[7]!)];
  // 2002:AABB:CCDD::/48 (6to4, RFC 3056)
  if (g[0] === 0x2002) return [v4(g[1]!, g[2]!)];
  // 2001:0:SERVER:…:~CLIENT (Teredo, RFC 4380): the client address is stored inverted
  if (g[0] === 0x2001 && g[1] === 0) return [v4(g[2]!, g[3]!), v4(~g[6]! & 0xffff, ~g[7]! & 0xffff)];
  return [];
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted quad), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff) ? groups : null;
}

/** `localhost`, any name under it (RFC 6761), with or without the root's trailing dot. */
export function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

export class UrlRefused extends Error {}

export interface UrlCheck {
  url: URL;
  /** Set in development mode for what strict mode would refuse. */
  warnings: string[];
}

/**
 * Seed 001's policy. Strict: https only, no localhost, no private or
 * loopback address literals in any spelling (the WHATWG parser turns
 * `2130706433`, `0x7f.1` and `017700000001` into `127.0.0.1` first, and
 * IPv6 forms that embed them are read back to IPv4). Names are checked
 * again after resolution, and addresses again when connecting, by
 * `guardedConnector`. Development mode allows these and says so.
 */
export function checkUrl(raw: string, strict: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlRefused(`"${raw}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UrlRefused(`only http and https URLs can receive webhooks, not ${url.protocol}`);
  if (url.username || url.password) throw new UrlRefused('URLs with credentials are refused: put the secret in the signing secret, not in the URL');
  const problems: string[] = [];
  if (url.protocol === 'http:') problems.push('http URLs are not encrypted');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isLocalName(host)) problems.push(`${host} is this machine`);
  else if (isPrivateAddress(host)) problems.push(`${host} is a loopback, private or link-local address`);
  if (strict && problems.length > 0) {
    throw new UrlRefused(`${problems.join('; ')}: refused (--strict-urls, as the platform does). Use a public https URL, e.g. the tunnel of 'hooks listen'`);
  }
  return { url, warnings: problems.map((p) => `${p}: allowed in development mode only (hooks server --strict-urls refuses it)`) };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

function refusedError(message: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(message);
  error.code = 'EADDRREFUSED';
  return error;
}

/**
 * A `lookup` for the connector that refuses private addresses after
 * resolution, so a public name that resolves (or rebinds) to 127.0.0.1 or
 * 10.x is never connected to.
 */
export function guardedLookup(resolve: LookupFunction = dnsLookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const list = Array.isArray(address) ? address : [{ address, family: family ?? isIP(address) }];
      const refused = list.find((a) => isPrivateAddress(a.address));
      if (refused) return callback(refusedError(`${hostname} resolves to ${refused.address}, a private or loopback address: refused (--strict-urls)`), address, family);
      callback(null, address, family);
    });
  };
}

/**
 * undici's connector behind both checks at connect time: names through
 * `guardedLookup`, and address literals (which skip any lookup) and local
 * names against the same rule, whatever was stored before strict mode.
 */
export function guardedConnector(resolve?: LookupFunction): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(resolve) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    if (isLocalName(host) || isPrivateAddress(host)) {
      callback(refusedError(`${host} is a loopback, private or local address: refused (--strict-urls)`), null);
      return;
    }
    connect(opts, callback);
  };
}
