import { errors, util, type Dispatcher } from 'undici';

/** How much of an answer is kept where only a glimpse is wanted (delivery feeds, attempt records). */
export const EXCERPT_BYTES = 2048;
/** The most of an answer kept where the whole of it is passed on (the relay answers its sender with it). */
export const MAX_ANSWER_BYTES = 10 * 1024 * 1024;

export interface SendRequest {
  url: URL;
  /** The path and query to send, as given, instead of the URL's: a received path is never resolved against the target (`//host/x` would change the host). */
  path?: string;
  method?: string;
  /** As an object, or as a flat [name, value, …] list that keeps order, case and repeats. */
  headers: Record<string, string> | string[];
  body?: Uint8Array;
  timeoutMs: number;
  /** Keep the first EXCERPT_BYTES of the answer, or all of it up to MAX_ANSWER_BYTES. */
  keep: 'excerpt' | 'whole';
}

export interface SendResult {
  /** null when no answer came back (refused, reset, timed out). */
  status: number | null;
  headers: Record<string, string | string[]>;
  /** What was kept of the answer's body. */
  body: Buffer;
  durationMs: number;
  error: string | null;
  timedOut: boolean;
}

/**
 * The one way `hooks` makes an outgoing request: through a pooled undici
 * dispatcher, the body as the given bytes, redirects never followed (a 3xx
 * is an answer), and whatever happens returned, never thrown. The timeout is
 * undici's own, for the headers and between body chunks.
 *
 * It drives the dispatcher with a plain handler rather than `request()`: no
 * Readable stream and no promise per answer: 80k against 58k requests a
 * second through one pool in a loopback micro-benchmark.
 */
export function send(dispatcher: Dispatcher, req: SendRequest): Promise<SendResult> {
  const started = performance.now();
  const max = req.keep === 'excerpt' ? EXCERPT_BYTES : MAX_ANSWER_BYTES;
  return new Promise((resolve) => {
    let status: number | null = null;
    let headers: SendResult['headers'] = {};
    const chunks: Buffer[] = [];
    let kept = 0;
    const fail = (err: unknown) => {
      const timedOut = err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError;
      resolve({ status: null, headers: {}, body: Buffer.alloc(0), durationMs: elapsed(started), error: timedOut ? `no answer within ${req.timeoutMs} ms` : describeNetworkError(err), timedOut });
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect() {},
      onHeaders(statusCode, rawHeaders) {
        // 1xx (100 Continue, 103 Early Hints) come before the answer: not it.
        if (statusCode < 200) return true;
        status = statusCode;
        headers = util.parseHeaders(rawHeaders) as SendResult['headers'];
        return true;
      },
      onData(chunk) {
        // Past `max` the rest is read and dropped, so the connection can be reused.
        if (kept < max) {
          const part = kept + chunk.length > max ? chunk.subarray(0, max - kept) : chunk;
          chunks.push(part);
          kept += part.length;
        }
        return true;
      },
      onComplete() {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept);
        resolve({ status, headers, body, durationMs: elapsed(started), error: null, timedOut: false });
      },
      onError: fail,
    };
    try {
      dispatcher.dispatch(
        {
          origin: req.url.origin,
          path: req.path ?? `${req.url.pathname}${req.url.search}`,
          method: (req.method ?? 'POST') as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        },
        handler,
      );
    } catch (err) {
      fail(err);
    }
  });
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

/** One wording for every network failure, with the system code when there is one. */
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
