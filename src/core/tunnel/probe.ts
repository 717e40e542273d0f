import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { send } from '../http/send.js';

/** Where a probe goes: the relay answers this path with the nonce, and stores and forwards nothing. */
export const PROBE_PATH = '/.well-known/hooks-probe/';

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  error: string | null;
}

export const newNonce = (): string => randomBytes(12).toString('hex');

/** The nonce a request path carries, if it is a probe; behind a --public-url with a path prefix too. */
export function probeNonce(pathname: string): string | null {
  return /\/\.well-known\/hooks-probe\/([0-9a-f]{24})$/.exec(pathname)?.[1] ?? null;
}

/**
 * A GET through the public URL that must come back with the nonce: proof
 * that the tunnel carries traffic all the way to this relay (and not to
 * another, or to a page saying the tunnel is gone).
 */
export async function sendProbe(http: Dispatcher, publicUrl: string, nonce: string, timeoutMs: number): Promise<ProbeResult> {
  const r = await send(http, { url: new URL(`${publicUrl}${PROBE_PATH}${nonce}`), method: 'GET', headers: { 'user-agent': 'hooks-listen-probe' }, timeoutMs, keep: 'excerpt' });
  if (r.error) return { ok: false, latencyMs: r.durationMs, error: r.error };
  if (r.status !== 200 || r.body.toString('utf8') !== nonce) return { ok: false, latencyMs: r.durationMs, error: `answered ${r.status} without the nonce: the URL no longer reaches this session` };
  return { ok: true, latencyMs: r.durationMs, error: null };
}
