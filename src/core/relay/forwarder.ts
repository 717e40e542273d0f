import { Agent } from 'undici';
import { EXCERPT_BYTES, send, type SendResult } from '../http/send.js';
import type { ProviderProfile } from '../providers/profile.js';
import { PROVIDERS } from '../providers/registry.js';
import type { RelayAttempt } from '../store/event-store.js';

export interface IncomingDelivery {
  method: string;
  /** Path and query as received. */
  url: string;
  /** Raw header pairs as received (case, order and repeats kept). */
  headers: Array<[string, string]>;
  body: Buffer;
  remoteAddress: string | undefined;
  /** The URL the sender used, as listen knows it (its public URL): X-Forwarded-Host and -Proto come from it, never from the sender. */
  publicUrl?: string;
}

export interface ForwardResult extends SendResult {
  target: string;
}

/**
 * Connection-scoped headers (RFC 9110 §7.6.1) that a proxy must not pass on;
 * `expect` too: `100-continue` was answered on the sender's connection (and
 * undici refuses to send it).
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);

/** Requests in flight at once, per Forwarder (a relay's, an inbox's replays), unless a test asks for fewer; the rest wait their turn. */
const MAX_IN_FLIGHT = 256;

/**
 * Sends a received delivery on to a local target: the body as the same
 * bytes, every end-to-end header kept, `Host` set to the target and
 * `X-Forwarded-*` added. Redirects are not followed. Keep-alive pool,
 * bounded concurrency, and a timeout.
 */
export class Forwarder {
  private readonly agent: Agent;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly opts: { timeoutMs: number; insecure: boolean; signed?: ReadonlySet<string>; maxConcurrency?: number }) {
    this.agent = new Agent({
      connections: 128,
      keepAliveTimeout: 10_000,
      ...(opts.insecure ? { connect: { rejectUnauthorized: false } } : {}),
    });
  }

  /** `stop` cuts the forward off (a session that stops): the result says `interrupted`. */
  async forward(target: URL, incoming: IncomingDelivery, stop?: AbortSignal): Promise<ForwardResult> {
    await this.slot();
    try {
      const path = pathFor(target, incoming.url);
      const result = await send(this.agent, { url: target, path, method: incoming.method, headers: forwardHeaders(incoming, target, this.opts.signed ?? BUILT_IN_SIGNED), body: incoming.body, timeoutMs: this.opts.timeoutMs, keep: 'whole', signal: stop });
      // Where it really went: a bare host:port target gets the sender's path.
      return { ...result, target: `${target.origin}${path}` };
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private slot(): Promise<void> {
    if (this.inFlight < (this.opts.maxConcurrency ?? MAX_IN_FLIGHT)) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => resolve()));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

/**
 * What a forward or a replay leaves in the store: the status (what the sender
 * got when none came back: 502, 504, or 503 for one a stop cut off) and a
 * 2 KB excerpt, with the answer's real size when only its first 10 MB were
 * passed on.
 */
export function attemptRecord(deliveryId: string, kind: RelayAttempt['kind'], r: ForwardResult, startedAt: number, resigned = false): RelayAttempt {
  return {
    delivery_id: deliveryId,
    kind,
    target: r.target,
    started_at: startedAt,
    status: r.status ?? (r.interrupted ? 503 : r.timedOut ? 504 : 502),
    duration_ms: r.durationMs,
    error: r.error,
    response_excerpt: r.body.length > 0 ? r.body.subarray(0, EXCERPT_BYTES) : null,
    response_bytes: r.answerBytes !== undefined && r.answerBytes > r.body.length ? r.answerBytes : null,
    response_headers: r.status === null ? null : r.headers,
    resigned,
  };
}

/** A target with a path keeps it; a bare host:port gets the path the sender used. */
function pathFor(target: URL, incoming: string): string {
  if (target.pathname !== '/' || target.search) return `${target.pathname}${target.search}`;
  return incoming.startsWith('/') ? incoming : `/${incoming}`;
}

/** Header names (lower case) a delivery's own Connection header lists. */
export function connectionNamed(headers: Array<[string, string]>): Set<string> {
  return new Set(
    headers
      .filter(([k]) => k.toLowerCase() === 'connection')
      .flatMap(([, v]) => v.split(',').map((s) => s.trim().toLowerCase()))
      .filter(Boolean),
  );
}

/** Every header a profile signs or reads: never dropped, even when the sender's Connection header names it. */
export function signedHeaders(profiles: readonly ProviderProfile[]): Set<string> {
  return new Set(profiles.flatMap((p) => p.scheme.headers.map((h) => h.toLowerCase())));
}

const BUILT_IN_SIGNED = signedHeaders(PROVIDERS);
const SENDER_SET = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']);

function forwardHeaders(incoming: IncomingDelivery, target: URL, signed: ReadonlySet<string>): string[] {
  const named = connectionNamed(incoming.headers);
  const out: string[] = [];
  let forwardedFor: string | undefined;
  let host: string | undefined;
  for (const [name, value] of incoming.headers) {
    const lower = name.toLowerCase();
    if (lower === 'host') host = value;
    if (lower === 'x-forwarded-for') forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value;
    if (HOP_BY_HOP.has(lower) || SENDER_SET.has(lower) || (named.has(lower) && !signed.has(lower))) continue;
    out.push(name, value);
  }
  out.push('host', target.host);
  const client = incoming.remoteAddress?.replace(/^::ffff:/, '');
  // A replay has no sender: no empty X-Forwarded-For then.
  const chain = [forwardedFor, client].filter(Boolean).join(', ');
  if (chain) out.push('x-forwarded-for', chain);
  // What the sender claims about the URL it used is not passed on: listen knows it.
  const used = incoming.publicUrl ? new URL(incoming.publicUrl) : null;
  out.push('x-forwarded-proto', used ? used.protocol.slice(0, -1) : 'http');
  out.push('x-forwarded-host', used?.host ?? host ?? target.host);
  return out;
}
