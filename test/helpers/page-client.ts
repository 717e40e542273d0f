import { request } from 'node:http';

export interface PageAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json: any;
}

/** One request with exactly these headers (Host and Origin included), as a hostile page or a browser would send it. */
export function pageRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<PageAnswer> {
  const u = new URL(url);
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? 'GET', headers: { host: u.host, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode!, headers: res.headers, body, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A session as a tab holds it after opening a printed link: the session from the page, sent in its header with this origin. */
export async function openSession(entryUrl: string): Promise<{ origin: string; session: string; get(path: string): Promise<PageAnswer>; post(path: string, body: unknown): Promise<PageAnswer> }> {
  const exchange = await pageRequest(entryUrl);
  const session = /<meta name="hooks-session" content="([\w-]+)">/.exec(exchange.text)?.[1];
  if (exchange.status !== 200 || !session) throw new Error(`the link answered ${exchange.status} without a session: ${exchange.text.slice(0, 200)}`);
  const origin = new URL(entryUrl).origin;
  const headers = { 'x-hooks-session': session };
  return {
    origin,
    session,
    get: (path) => pageRequest(`${origin}${path}`, { headers }),
    post: (path, body) => pageRequest(`${origin}${path}`, { method: 'POST', headers: { ...headers, origin }, body }),
  };
}
