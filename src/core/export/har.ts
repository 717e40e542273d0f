import type { ReceivedDelivery, RelayAttempt } from '../store/event-store.js';
import { utf8OrNull } from '../utf8.js';

/** HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): one entry per delivery, its last forward or replay as the response. */
export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
  };
}

interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: [];
    headers: Array<{ name: string; value: string }>;
    queryString: Array<{ name: string; value: string }>;
    postData?: { mimeType: string; text: string; encoding?: 'base64' };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: [];
    headers: Array<{ name: string; value: string }>;
    content: { size: number; mimeType: string; text?: string; encoding?: 'base64' };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
}

/** Text when the bytes are UTF-8, else base64 (HAR's `encoding`): never a lossy decode. */
function content(bytes: Buffer): { text: string; encoding?: 'base64' } {
  const text = utf8OrNull(bytes);
  return text !== null ? { text } : { text: bytes.toString('base64'), encoding: 'base64' };
}

function header(headers: Array<[string, string]>, name: string): string | undefined {
  return headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

/** The deliveries as received (the request) and what the app answered (the last attempt), for any HAR viewer. */
export function toHar(items: Array<{ delivery: ReceivedDelivery; attempts: RelayAttempt[] }>, version: string): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: 'hooks', version },
      entries: items.map(({ delivery: d, attempts }) => {
        const last = attempts.at(-1);
        const url = new URL(d.path, `http://${header(d.headers, 'host') ?? 'hooks-listen.invalid'}`);
        const responseHeaders = Object.entries(last?.response_headers ?? {}).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })));
        const excerpt = last?.response_excerpt ?? Buffer.alloc(0);
        return {
          startedDateTime: new Date(d.received_at).toISOString(),
          time: last?.duration_ms ?? 0,
          request: {
            method: d.method,
            url: url.href,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: d.headers.map(([name, value]) => ({ name, value })),
            queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
            ...(d.body.length > 0 ? { postData: { mimeType: header(d.headers, 'content-type') ?? 'application/octet-stream', ...content(d.body) } } : {}),
            headersSize: -1,
            bodySize: d.body_size,
          },
          response: {
            status: last?.status ?? 0,
            statusText: last?.error ?? '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: responseHeaders,
            content: { size: excerpt.length, mimeType: String(last?.response_headers?.['content-type'] ?? 'application/octet-stream'), ...content(excerpt) },
            redirectURL: '',
            headersSize: -1,
            bodySize: excerpt.length,
          },
          cache: {},
          timings: { send: 0, wait: last?.duration_ms ?? 0, receive: 0 },
          comment: `${d.id}: ${d.provider ?? 'unknown provider'} ${d.event_type ?? ''}, signature ${d.verdict}${d.body_truncated ? `; only the first ${d.body.length} of ${d.body_size} bytes were kept` : ''}${last ? `; response from ${last.target} (first ${excerpt.length} bytes)` : '; never forwarded'}`,
        };
      }),
    },
  };
}
