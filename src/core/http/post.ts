import { errors, type Dispatcher } from 'undici';

export const EXCERPT_BYTES = 2048;

export interface PostResult {
  /** null when no response came back (refused, reset, timed out). */
  status: number | null;
  headers: Record<string, string | string[] | undefined>;
  /** The first 2 KB of the response body. */
  excerpt: Buffer;
  durationMs: number;
  error: string | null;
  timedOut: boolean;
}

export interface PostRequest {
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array;
  timeoutMs: number;
  method?: 'POST' | 'GET';
}

/**
 * One request through a pooled undici dispatcher. Redirects are never
 * followed (a 3xx is an answer), the body is sent as the given bytes, and
 * whatever happens is returned, never thrown.
 */
export async function post(dispatcher: Dispatcher, req: PostRequest): Promise<PostResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await dispatcher.request({
      origin: req.url.origin,
      path: `${req.url.pathname}${req.url.search}`,
      method: req.method ?? 'POST',
      headers: req.headers,
      body: req.method === 'GET' ? undefined : req.body,
      signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (kept < EXCERPT_BYTES) {
        const part = chunk.subarray(0, EXCERPT_BYTES - kept);
        chunks.push(part);
        kept += part.length;
      }
    }
    return { status: res.statusCode, headers: res.headers, excerpt: Buffer.concat(chunks), durationMs: elapsed(started), error: null, timedOut: false };
  } catch (err) {
    const timedOut = signal.aborted || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError;
    return {
      status: null,
      headers: {},
      excerpt: Buffer.alloc(0),
      durationMs: elapsed(started),
      error: timedOut ? `timed out after ${req.timeoutMs} ms` : describeNetworkError(err),
      timedOut,
    };
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

export function describeNetworkError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused: nothing listens there',
    ECONNRESET: 'connection reset by the receiver',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be resolved (DNS unavailable)',
    EHOSTUNREACH: 'host unreachable',
    UND_ERR_SOCKET: 'the receiver closed the connection',
    EADDRREFUSED: e.message,
  };
  const text = code && known[code] ? known[code] : (e.cause?.message ?? e.message ?? String(err));
  return code ? `${text} (${code})` : text;
}

/** `Retry-After` in ms, from seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
