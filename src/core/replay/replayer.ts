import { OperationError } from '../errors.js';
import { appAnswerHint, type AppAnswerHint } from '../relay/app-answer-hint.js';
import { attemptRecord, type Forwarder } from '../relay/forwarder.js';
import { getProvider } from '../providers/registry.js';
import { withoutSecretHeaders } from '../providers/secret-headers.js';
import { assertUsableSecret } from '../providers/secret-rule.js';
import { HeaderBag } from '../signing/headers.js';
import type { EventStore, ReceivedDelivery } from '../store/event-store.js';

export interface ReplayResult {
  id: string;
  target: string;
  status: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
  resigned: boolean;
  /** Set when a timestamped signature is older than its scheme's tolerance and was not re-signed. */
  stale: string | null;
  /** Headers holding a secret that were not sent (the target is not where the delivery was forwarded). */
  withheld: string[];
  /** What the app's answer likely means (a 401 to a delivery whose signature holds, a 404); null when nothing is known to say. */
  hint: AppAnswerHint | null;
}

/**
 * The stored headers, re-signed with a fresh timestamp when asked: the
 * signature headers of the delivery's provider are replaced, everything
 * else stays as received. `body` is what will be sent and signed (the
 * stored bytes unless edited).
 */
export function replayHeaders(d: ReceivedDelivery, resignWith: string | undefined, now: number, body: Buffer = d.body): Array<[string, string]> {
  if (!resignWith) return d.headers;
  if (!d.provider) throw new OperationError(`${d.id} has no known provider, so it cannot be re-signed`, 'replay it without --resign');
  const profile = getProvider(d.provider);
  assertUsableSecret(profile, resignWith);
  const original = HeaderBag.from(d.headers);
  const signed = profile.scheme.sign(body, resignWith, { id: original.get('webhook-id') ?? d.event_id ?? d.id, timestamp: Math.floor(now / 1000) });
  const replaced = new Set(Object.keys(signed).map((k) => k.toLowerCase()));
  return [...d.headers.filter(([name]) => !replaced.has(name.toLowerCase())), ...Object.entries(signed)];
}

/** How stale a timestamped signature is, in words; null when it is fine or the scheme signs no time. */
export function staleness(d: ReceivedDelivery, now: number): string | null {
  if (!d.provider) return null;
  const tolerance = getProvider(d.provider).scheme.tolerance;
  if (tolerance === undefined) return null;
  const age = Math.round((now - d.received_at) / 1000);
  if (age <= tolerance) return null;
  return `its ${d.provider} signature is ${age} s old and receivers refuse it after ${tolerance} s: add --resign --secret S for a fresh timestamp`;
}

/**
 * Re-sends a stored delivery to each target and records every attempt as a
 * replay. `body`: these bytes instead of the stored ones (an edited replay,
 * signed again); `withholdFrom`: targets that get no header holding a secret.
 */
export async function replay(
  store: EventStore,
  forwarder: Forwarder,
  d: ReceivedDelivery,
  opts: { targets: URL[]; resignWith?: string; body?: Buffer; withholdFrom?: (target: URL) => boolean; /** How the face sets a target, for the hints (`--to`). */ targetFlag?: string | null },
): Promise<ReplayResult[]> {
  const edited = opts.body !== undefined && !opts.body.equals(d.body);
  if (d.body_truncated && !edited) {
    const error = `only the first ${d.body.length} of its ${d.body_size} bytes were kept (it was rejected as invalid): it cannot be replayed`;
    return opts.targets.map((t) => ({ id: d.id, target: t.href, status: null, ok: false, latencyMs: 0, error, resigned: false, stale: null, withheld: [], hint: null }));
  }
  const now = Date.now();
  const body = edited ? opts.body! : d.body;
  const headers = replayHeaders(d, opts.resignWith, now, body);
  const stale = opts.resignWith ? null : staleness(d, now);
  // Its signature holds at the app's door when hooks signed it now, or sends it as listen verified it (and in time).
  const signed = opts.resignWith ? 'resigned' : d.verdict === 'verified' && !edited && stale === null ? 'verified' : null;
  const results: ReplayResult[] = [];
  for (const target of opts.targets) {
    const started = Date.now();
    const sent = opts.withholdFrom?.(target) ? withoutSecretHeaders(headers) : { headers, withheld: [] };
    const r = await forwarder.forward(target, { method: d.method, url: d.path, headers: sent.headers, body, remoteAddress: undefined });
    await store.saveAttempt({ ...attemptRecord(d.id, 'replay', r, started, Boolean(opts.resignWith)), sent_body: edited ? body : null });
    results.push({
      id: d.id,
      target: r.target,
      status: r.status,
      ok: r.status !== null && r.status >= 200 && r.status < 300,
      latencyMs: r.durationMs,
      error: r.error ?? (r.status !== null && (r.status < 200 || r.status >= 300) ? `answered ${r.status}` : null),
      resigned: Boolean(opts.resignWith),
      stale,
      withheld: sent.withheld,
      hint: r.status === null ? null : appAnswerHint({ status: r.status, target: r.target, provider: d.provider, signed: sent.withheld.length ? null : signed }, opts.targetFlag ?? null),
    });
  }
  return results;
}
