import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The header a page sends its session in: a custom header, so no other site's request can carry it. */
export const SESSION_HEADER = 'x-hooks-session';

/** What every page and answer of a local web UI carries: nothing from elsewhere may run, frame or read it. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** How long a printed link can still open a session. */
export const LINK_TTL_MS = 10 * 60_000;
/** Live streams one session may hold; a new one closes the oldest. */
export const STREAMS_PER_SESSION = 4;

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

export interface PageGuardOptions {
  /** The command that prints a fresh link to this process, for the page that refuses an old one. */
  relink: string;
  /** Where the pages' stylesheet is served. */
  assets: string;
}

/**
 * Keeps a local web UI (the inspector, the emulator's console) to the
 * person who started it. A page in their browser can reach 127.0.0.1 by DNS
 * rebinding or CSRF, and cookies are not scoped by port, so: no cookie at
 * all. The printed link carries a token that opens one browser session,
 * once, within 10 minutes; the page gets the session in its HTML, keeps it
 * in sessionStorage (per tab and per origin, so UIs on other ports never
 * see it) and sends it in a custom header, which no other site's request
 * can carry. The Host must be the loopback name and port (a rebound name
 * fails), state-changing requests must come from this origin, and no CORS
 * header is ever sent.
 */
export class PageGuard {
  private port = 0;
  /** Link tokens not yet used, and when each stops working. */
  private readonly links = new Map<string, number>();
  /** Sessions, each with the live streams it holds (oldest first). */
  private readonly sessions = new Map<string, ServerResponse[]>();

  constructor(private readonly opts: PageGuardOptions) {}

  /** Called once the server listens: the Host a request must name. */
  bind(port: number): void {
    this.port = port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A new link to print: it opens one browser session, once, within 10 minutes. */
  link(path = '/'): string {
    const now = Date.now();
    for (const [token, expires] of this.links) if (expires <= now) this.links.delete(token);
    const token = randomBytes(24).toString('base64url');
    this.links.set(token, now + LINK_TTL_MS);
    return `${this.origin}${path}?token=${token}`;
  }

  /**
   * Links and sessions that another process serving the same pages issued
   * (the instances of a shared emulator): the caller found them in the
   * store they share, which is the authority on a link's single use.
   */
  adoptLink(token: string, expires: number): void {
    this.links.set(token, expires);
  }

  forgetLink(token: string): void {
    this.links.delete(token);
  }

  hasSession(session: string): boolean {
    return this.sessions.has(session);
  }

  adoptSession(session: string): void {
    if (!this.sessions.has(session)) this.sessions.set(session, []);
  }

  private hostOk(host: string | undefined): boolean {
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}` || host === `[::1]:${this.port}`;
  }

  /**
   * A page request that carries `?token=`: a live link opens a new session,
   * handed to `page` to put in the HTML; a used, expired or unknown one gets
   * the page that says which command prints a new link. True when answered.
   */
  exchange(req: IncomingMessage, res: ServerResponse, url: URL, page: (session: string) => void): boolean {
    const given = url.searchParams.get('token');
    if (req.method !== 'GET' || given === null || !this.hostOk(req.headers.host)) return false;
    const expires = this.links.get(given);
    this.links.delete(given);
    if (expires === undefined || expires <= Date.now()) {
      this.refuse(res, 'This link has been used or has expired', 'A link opens one browser tab, once, within 10 minutes of being printed.');
      return true;
    }
    const session = randomBytes(24).toString('base64url');
    this.sessions.set(session, []);
    page(session);
    return true;
  }

  check(req: IncomingMessage): GuardVerdict {
    if (!this.hostOk(req.headers.host)) return { ok: false, status: 403, message: `Host must be 127.0.0.1:${this.port} or localhost:${this.port}` };
    if (!this.sessionOf(req)) return { ok: false, status: 401, message: `no session: open a fresh link (${this.opts.relink})` };
    const safe = req.method === 'GET' || req.method === 'HEAD';
    if (!safe && req.headers.origin !== `http://${req.headers.host}`) return { ok: false, status: 403, message: 'cross-origin request refused' };
    return { ok: true };
  }

  /**
   * Whether the Host names this server (pages and assets are then served
   * without a session: they hold no data); otherwise answers 403 itself.
   */
  admitsHost(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.hostOk(req.headers.host)) return true;
    res.writeHead(403, { ...PAGE_HEADERS, 'content-type': 'text/plain' }).end('Host must name this loopback port\n');
    return false;
  }

  /**
   * A live stream of a checked request's session: a session holds at most
   * STREAMS_PER_SESSION, and a new one closes its oldest, so no holder of
   * streams can take every connection from the pages and API calls.
   */
  holdStream(req: IncomingMessage, res: ServerResponse): void {
    const streams = this.sessions.get(this.sessionOf(req)!);
    if (!streams) return;
    streams.push(res);
    res.once('close', () => {
      const at = streams.indexOf(res);
      if (at >= 0) streams.splice(at, 1);
    });
    while (streams.length > STREAMS_PER_SESSION) streams.shift()!.destroy();
  }

  /** A styled page for a refused link, naming the command that prints a new one. */
  private refuse(res: ServerResponse, title: string, text: string): void {
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hooks: ${title}</title><link rel="stylesheet" href="${this.opts.assets}styles.css"></head><body class="refused"><main><h1>${title}</h1><p>${text}</p><p>Print a new link for this process:</p><pre class="command">${this.opts.relink}</pre></main></body></html>`;
    res.writeHead(403, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) }).end(html);
  }

  private sessionOf(req: IncomingMessage): string | null {
    const given = req.headers[SESSION_HEADER];
    return typeof given === 'string' && this.sessions.has(given) ? given : null;
  }
}

/**
 * Pages served beside an API on the same port (the emulator's console): the
 * API accepts their session header where it would take its bearer token.
 */
export interface LocalPages {
  guard: PageGuard;
  /** The path under which the pages live, e.g. /console. */
  prefix: string;
  /** Serves a page (with the session opened for it, if any) or an asset under the prefix; false when there is none. */
  serve(res: ServerResponse, path: string, session: string | null): boolean;
}
