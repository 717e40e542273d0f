import type { Dispatcher } from 'undici';
import { send } from '../http/send.js';
import { deliveryHeaders } from '../providers/outgoing.js';
import type { ProviderProfile } from '../providers/profile.js';

export interface DirectResult {
  eventId: string;
  status: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  excerpt: string;
}

/**
 * Builds the provider's envelope from its fixture, signs it here, and POSTs
 * it straight to a receiver: no API. Success follows the provider's rule.
 */
export async function sendDirect(
  http: Dispatcher,
  profile: ProviderProfile,
  opts: { url: URL; secret: string; type: string; data?: unknown; batch?: number; timeoutMs: number },
): Promise<DirectResult> {
  const event = profile.catalog.build(opts.type, { data: opts.data, batch: opts.batch });
  const headers = deliveryHeaders(profile, event.body, opts.secret, { id: event.id, type: event.type, attempt: 1, timestamp: Math.floor(Date.now() / 1000) });
  const r = await send(http, { url: opts.url, headers, body: event.body, timeoutMs: opts.timeoutMs, keep: 'excerpt' });
  const ok = r.status !== null && profile.delivery.isSuccess(r.status);
  return {
    eventId: event.id,
    status: r.status,
    ok,
    latencyMs: r.durationMs,
    error: r.error ?? (ok ? null : `answered ${r.status}, expected ${profile.delivery.successRule}`),
    excerpt: r.body.toString('utf8'),
  };
}
