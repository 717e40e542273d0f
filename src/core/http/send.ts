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
  /** The deadline of the whole request, by the wall clock: waiting for a connection, the headers and the body together. */
  timeoutMs: number;
  /** Keep the first EXCERPT_BYTES of the answer, or all of it up to MAX_ANSWER_BYTES. */
  keep: 'excerpt' | 'whole';
  /** Cuts the request short when it aborts (a process that stops): the result is `interrupted`. */
  signal?: AbortSignal;
}

export interface SendResult {
  /** null when no whole answer came back (refused, reset, cut off by the deadline or a stop). */
  status: number | null;
  headers: Record<string, string | string[]>;
  /** What was kept of the answer's body. */
  body: Buffer;
  /** How many bytes of body the answer had: more than `body` holds when it was cut to what is kept. */
  answerBytes?: number;
  durationMs: number;
  error: string | null;
  timedOut: boolean;
  /** The request was cut short by its signal (a stop), not by the receiver or the deadline. */
  interrupted?: boolean;
}

/**
 * The one way `hooks` makes an outgoing request: through a pooled undici
 * dispatcher, the body as the given bytes, redirects never followed (a 3xx
 * is an answer), and whatever happens returned, never thrown.
 *
 * `timeoutMs` is a deadline by the wall clock for everything: undici's own
 * timeouts run between chunks (and on a timer that fires up to a second
 * late), so a receiver that sends a byte a second would hold a request, and
 * the slot it takes, for ever.
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
    let received = 0;
    let settled = false;
    /** undici's abort of this request, once it has a connection. */
    let abort: ((err: Error) => void) | null = null;
    let cutBy: Error | null = null;

    const settle = (r: Omit<SendResult, 'durationMs'>, durationMs = elapsed(started)) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.signal?.removeEventListener('abort', onStop);
      resolve({ ...r, durationMs });
    };
    const failed = (error: string, timedOut: boolean, interrupted = false, durationMs?: number) =>
      settle({ status: null, headers: {}, body: Buffer.alloc(0), error, timedOut, ...(interrupted ? { interrupted } : {}) }, durationMs);
    /** Ends the request now, whether or not it has a connection yet: the result is settled first, undici's own error after is ignored. */
    const cutOff = (why: Error) => {
      if (settled) return;
      cutBy = why;
      // One measurement for the words and the duration recorded beside them.
      const durationMs = elapsed(started);
      const took = Math.round(durationMs);
      if (why === STOPPED) failed(`interrupted after ${took} ms: the request was stopped`, false, true, durationMs);
      else if (status === null) failed(`no answer within ${req.timeoutMs} ms (cut off after ${took} ms)`, true, false, durationMs);
      else failed(`no answer within ${req.timeoutMs} ms: the ${status} answer was still coming when cut off after ${took} ms (${received} bytes of its body)`, true, false, durationMs);
      abort?.(why);
    };
    const onStop = () => cutOff(STOPPED);
    const deadline = setTimeout(() => cutOff(DEADLINE), req.timeoutMs);
    if (req.signal?.aborted) return onStop();
    req.signal?.addEventListener('abort', onStop, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onConnect(undiciAbort) {
        // Cut off while it waited for a connection: it goes now, unsent.
        if (cutBy) undiciAbort(cutBy);
        else abort = undiciAbort;
      },
      onHeaders(statusCode, rawHeaders) {
        // 1xx (100 Continue, 103 Early Hints) come before the answer: not it.
        if (statusCode < 200) return true;
        status = statusCode;
        headers = util.parseHeaders(rawHeaders) as SendResult['headers'];
        return true;
      },
      onData(chunk) {
        received += chunk.length;
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
        settle({ status, headers, body, answerBytes: received, error: null, timedOut: false });
      },
      onError(err) {
        // undici's own timers (between chunks) are a backstop behind the deadline.
        const timedOut = err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError;
        if (timedOut) cutOff(DEADLINE);
        else failed(describeNetworkError(err), false);
      },
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
      failed(describeNetworkError(err), false);
    }
  });
}

const DEADLINE = new Error('the deadline passed');
const STOPPED = new Error('stopped');

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
