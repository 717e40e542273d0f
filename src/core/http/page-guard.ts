import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const COOKIE = 'hooks_session';

/** What every page and answer of a local web UI carries: nothing from elsewhere may run, frame or read it. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/**
 * Keeps a local web UI (the inspector, the emulator's console) to the
 * person who started it. A page in their browser can reach 127.0.0.1 by DNS
 * rebinding or CSRF, so: the Host must be the loopback name and port (a
 * rebound name fails), every request needs the session cookie, which only
 * the printed URL's token sets (SameSite=Strict, so no other site's request
 * carries it), every state-changing request must come from this origin, and
 * no CORS header is ever sent.
 */
export class PageGuard {
  readonly token = randomBytes(24).toString('base64url');
  private port = 0;

  /** Called once the server listens: the Host a request must name. */
  bind(port: number): void {
    this.port = port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The URL to print and open: it carries the token once; the page then lives on the cookie. */
  entryUrl(path = '/'): string {
    return `${this.origin}${path}?token=${this.token}`;
  }

  private hostOk(host: string | undefined): boolean {
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}` || host === `[::1]:${this.port}`;
  }

  /** Answers the token exchange itself (a redirect that sets the cookie); true when it did. */
  exchange(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const given = url.searchParams.get('token');
    if (req.method !== 'GET' || given === null || !this.hostOk(req.headers.host)) return false;
    if (!this.same(given)) {
      res.writeHead(403, { ...PAGE_HEADERS, 'content-type': 'text/plain' }).end('This link is not valid for this session: use the URL the command printed.\n');
      return true;
    }
    url.searchParams.delete('token');
    res.writeHead(303, { ...PAGE_HEADERS, location: `${url.pathname}${url.search}`, 'set-cookie': `${COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/` }).end();
    return true;
  }

  check(req: IncomingMessage): GuardVerdict {
    if (!this.hostOk(req.headers.host)) return { ok: false, status: 403, message: `Host must be 127.0.0.1:${this.port} or localhost:${this.port}` };
    const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
    if (!cookie || !this.same(cookie.slice(COOKIE.length + 1))) return { ok: false, status: 401, message: 'no session: open the URL the command printed (it carries the token)' };
    const safe = req.method === 'GET' || req.method === 'HEAD';
    if (!safe && req.headers.origin !== `http://${req.headers.host}`) return { ok: false, status: 403, message: 'cross-origin request refused' };
    return { ok: true };
  }

  private same(candidate: string): boolean {
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/**
 * Pages served beside an API on the same port (the emulator's console): the
 * API accepts their session cookie where it would take its bearer token.
 */
export interface LocalPages {
  guard: PageGuard;
  /** The path under which the pages live, e.g. /console. */
  prefix: string;
  /** Serves a page or an asset under the prefix; false when there is none. */
  serve(res: ServerResponse, path: string): boolean;
}
