import { Agent, errors } from 'undici';
import { describeNetworkError } from '../http/post.js';

export interface IncomingDelivery {
  method: string;
  /** Path and query as received. */
  url: string;
  /** Raw header pairs as received (case, order and repeats kept). */
  headers: Array<[string, string]>;
  body: Buffer;
  remoteAddress: string | undefined;
}

export interface ForwardResult {
  target: string;
  status: number | null;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  durationMs: number;
  error: string | null;
  timedOut: boolean;
}

/**
 * Connection-scoped headers (RFC 9110 §7.6.1) that a proxy must not pass on;
 * `expect` too: `100-continue` was answered on the sender's connection (and
 * undici refuses to send it).
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect']);
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

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

  constructor(private readonly opts: { timeoutMs: number; insecure: boolean; maxConcurrency: number }) {
    this.agent = new Agent({
      connections: 128,
      keepAliveTimeout: 10_000,
      ...(opts.insecure ? { connect: { rejectUnauthorized: false } } : {}),
    });
  }

  async forward(target: URL, incoming: IncomingDelivery): Promise<ForwardResult> {
    await this.slot();
    const started = performance.now();
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    try {
      const res = await this.agent.request({
        origin: target.origin,
        path: pathFor(target, incoming.url),
        method: incoming.method as 'POST',
        headers: forwardHeaders(incoming, target),
        body: incoming.body,
        signal,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
        size += chunk.length;
      }
      return { target: target.href, status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), durationMs: since(started), error: null, timedOut: false };
    } catch (err) {
      const timedOut = signal.aborted || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError;
      return {
        target: target.href,
        status: null,
        headers: {},
        body: Buffer.alloc(0),
        durationMs: since(started),
        error: timedOut ? `no answer within ${this.opts.timeoutMs} ms` : describeNetworkError(err),
        timedOut,
      };
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private slot(): Promise<void> {
    if (this.inFlight < this.opts.maxConcurrency) {
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

/** A target with a path keeps it; a bare host:port gets the path the sender used. */
function pathFor(target: URL, incoming: string): string {
  if (target.pathname !== '/' || target.search) return `${target.pathname}${target.search}`;
  return incoming.startsWith('/') ? incoming : `/${incoming}`;
}

function forwardHeaders(incoming: IncomingDelivery, target: URL): string[] {
  const named = new Set(
    incoming.headers
      .filter(([k]) => k.toLowerCase() === 'connection')
      .flatMap(([, v]) => v.split(',').map((s) => s.trim().toLowerCase())),
  );
  const out: string[] = [];
  let forwardedFor: string | undefined;
  let proto: string | undefined;
  let host: string | undefined;
  let forwardedHost: string | undefined;
  for (const [name, value] of incoming.headers) {
    const lower = name.toLowerCase();
    if (lower === 'host') host = value;
    if (lower === 'x-forwarded-for') forwardedFor = value;
    if (lower === 'x-forwarded-proto') proto = value;
    if (lower === 'x-forwarded-host') forwardedHost = value;
    if (HOP_BY_HOP.has(lower) || named.has(lower) || lower === 'x-forwarded-for' || lower === 'x-forwarded-proto' || lower === 'x-forwarded-host') continue;
    out.push(name, value);
  }
  out.push('host', target.host);
  const client = incoming.remoteAddress?.replace(/^::ffff:/, '');
  out.push('x-forwarded-for', [forwardedFor, client].filter(Boolean).join(', '));
  out.push('x-forwarded-proto', proto ?? 'http');
  out.push('x-forwarded-host', forwardedHost ?? host ?? target.host);
  return out;
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
