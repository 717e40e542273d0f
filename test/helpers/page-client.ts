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

/** A session as the browser holds it after opening the printed URL: the cookie, and this origin on every request. */
export async function openSession(entryUrl: string): Promise<{ origin: string; get(path: string): Promise<PageAnswer>; post(path: string, body: unknown): Promise<PageAnswer> }> {
  const exchange = await pageRequest(entryUrl);
  if (exchange.status !== 303) throw new Error(`the token exchange answered ${exchange.status}: ${exchange.text}`);
  const cookie = String(exchange.headers['set-cookie']).split(';')[0]!;
  const origin = new URL(entryUrl).origin;
  return {
    origin,
    get: (path) => pageRequest(`${origin}${path}`, { headers: { cookie } }),
    post: (path, body) => pageRequest(`${origin}${path}`, { method: 'POST', headers: { cookie, origin }, body }),
  };
}
