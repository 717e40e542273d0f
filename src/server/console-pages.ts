import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../core/http/http-error.js';
import { LINK_TTL_MS, PAGE_HEADERS, SESSION_HEADER, type LocalPages } from '../core/http/page-guard.js';
import { sendError } from '../core/http/respond.js';
import type { PlatformStore } from './store/platform-store.js';

const HEARTBEAT_MS = 15_000;

/**
 * The console beside the API: its pages and assets (they hold no data, so
 * any tab on the right Host gets them; the API then wants a session), the
 * link exchange, a fresh link for the holder of the API token (`hooks
 * server --console-link`), and `/console/live`: every attempt recorded and
 * every hook run, by this instance or any other on the same database, as it
 * is recorded.
 * Where several instances share the store, its ledger is the authority on
 * links and sessions, so a link or a session of one works on every one.
 */
export class ConsolePages {
  constructor(
    readonly pages: LocalPages,
    private readonly store: PlatformStore,
  ) {}

  /** A new link to print, known to every instance. */
  async link(): Promise<string> {
    const url = this.pages.guard.link(this.pages.prefix);
    await this.store.consoleLedger?.addLink(new URL(url).searchParams.get('token')!, Date.now() + LINK_TTL_MS);
    return url;
  }

  /** Adopts a session another instance opened, so that the guard's checks know it. */
  async knowSession(req: IncomingMessage): Promise<void> {
    const session = req.headers[SESSION_HEADER];
    const ledger = this.store.consoleLedger;
    if (!ledger || typeof session !== 'string' || session.length > 100 || this.pages.guard.hasSession(session)) return;
    if (await ledger.hasSession(session)) this.pages.guard.adoptSession(session);
  }

  async serve(req: IncomingMessage, res: ServerResponse, url: URL, withToken: boolean): Promise<void> {
    const { guard, prefix } = this.pages;
    if (!guard.admitsHost(req, res)) return;
    const path = url.pathname.slice(prefix.length);
    if (req.method === 'POST' && path === '/link') {
      if (!withToken) return sendError(res, new ApiError(401, 'unauthorized', 'a new console link needs the API token: hooks server --console-link sends it'));
      res.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'application/json' }).end(JSON.stringify({ console_url: await this.link() }));
      return;
    }
    if (req.method === 'GET' && path === '/live') return this.live(req, res);
    if (req.method === 'GET' && (path === '' || path === '/')) {
      const token = url.searchParams.get('token');
      const ledger = this.store.consoleLedger;
      if (token !== null && ledger && token.length <= 100) {
        // The shared ledger decides, so that a link opens one session on one instance only.
        const expires = await ledger.takeLink(token);
        guard.forgetLink(token);
        if (expires !== null) guard.adoptLink(token, expires);
      }
      const opened: string[] = [];
      const answered = guard.exchange(req, res, url, (session) => {
        opened.push(session);
        this.pages.serve(res, path, session);
      });
      for (const session of opened) await ledger?.addSession(session);
      if (answered) return;
    }
    if (req.method !== 'GET' || !this.pages.serve(res, path, null)) {
      res.writeHead(404, { ...PAGE_HEADERS, 'content-type': 'text/plain' }).end('not found\n');
    }
  }

  /** Server-sent events: `attempted` with the delivery ids and `hook-run` with a hook run's ids, for the page to refresh what it shows. */
  private async live(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.knowSession(req);
    const verdict = this.pages.guard.check(req);
    if (!verdict.ok) return sendError(res, new ApiError(verdict.status, 'unauthorized', verdict.message));
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'text/event-stream', 'x-accel-buffering': 'no' });
    res.write(': hooks console stream\n\n');
    this.pages.guard.holdStream(req, res);
    const stop = this.store.subscribe((n) => {
      if (n.type === 'attempted') res.write(`event: attempted\ndata: ${JSON.stringify({ delivery_ids: n.delivery_ids })}\n\n`);
      else if (n.type === 'hook_ran') res.write(`event: hook-run\ndata: ${JSON.stringify({ hook_id: n.hook_id, run_id: n.run_id })}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
    res.once('close', () => {
      stop();
      clearInterval(heartbeat);
    });
  }
}
