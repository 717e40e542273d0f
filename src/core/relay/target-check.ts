import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';
import { UsageError } from '../errors.js';
import { didYouMean } from '../suggest.js';

const LOOKUP_MS = 2000;
const CONNECT_MS = 1000;

/**
 * What listen can know about its targets before it says Ready: a name that
 * does not resolve is a usage error (with a did-you-mean), and a target
 * where nothing answers yet is a warning (deliveries get 502 until it does).
 * Returns the warnings.
 */
export async function checkTargets(targets: readonly URL[]): Promise<string[]> {
  const seen = new Map<string, URL>();
  for (const t of targets) seen.set(`${t.hostname}:${port(t)}`, t);
  const warnings = await Promise.all([...seen.values()].map(checkOne));
  return warnings.filter((w): w is string => w !== null);
}

async function checkOne(target: URL): Promise<string | null> {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  let address: string;
  try {
    address = (await withTimeout(lookup(host), LOOKUP_MS)).address;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND') {
      throw new UsageError(`the target ${target.href} names a host that does not resolve: ${host}${didYouMean(host, ['localhost'])}`, 'check the spelling of --forward / --route, or use 127.0.0.1', 'unresolvable_target');
    }
    return `cannot resolve ${host} now (${code ?? (err as Error).message}): deliveries to ${target.href} fail until it does`;
  }
  const answers = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: address, port: port(target), timeout: CONNECT_MS });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
  return answers ? null : `nothing answers on ${target.host} yet: deliveries get 502 until it does`;
}

function port(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error(`no answer in ${ms} ms`), { code: 'ETIMEOUT' })), ms)))]).finally(() => clearTimeout(timer));
}
