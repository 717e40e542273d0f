import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Loopback, private (RFC 1918), link-local, CGNAT, unspecified, multicast and reserved ranges. */
const PRIVATE = new BlockList();
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
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** True for any address a public webhook platform must not deliver to. IPv4-mapped IPv6 is checked as IPv4. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
 * `2130706433`, `0x7f.1` and `017700000001` into `127.0.0.1` first).
 * Names are checked again after resolution, at connect time, by
 * `guardedLookup`. Development mode allows these and says so.
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
  if (host === 'localhost' || host.endsWith('.localhost')) problems.push(`${host} is this machine`);
  else if (isPrivateAddress(host)) problems.push(`${host} is a loopback, private or link-local address`);
  if (strict && problems.length > 0) {
    throw new UrlRefused(`${problems.join('; ')}: refused (--strict-urls, as the platform does). Use a public https URL, e.g. the tunnel of 'hooks listen'`);
  }
  return { url, warnings: problems.map((p) => `${p}: allowed in development mode only (hooks server --strict-urls refuses it)`) };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

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
      if (refused) {
        const error: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${refused.address}, a private or loopback address: refused (--strict-urls)`);
        error.code = 'EADDRREFUSED';
        return callback(error, address, family);
      }
      callback(null, address, family);
    });
  };
}
