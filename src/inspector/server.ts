import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inspectorRecords } from '../core/config/inspectors.js';
import { HooksError } from '../core/errors.js';
import { ClientGone } from '../core/http/body-reader.js';
import { createGuardedServer, defaultLimits, type ServerLimits } from '../core/http/guarded-server.js';
import { ApiError } from '../core/http/http-error.js';
import { PAGE_HEADERS, PageGuard } from '../core/http/page-guard.js';
import { requestUrl } from '../core/http/request-url.js';
import { sendError } from '../core/http/respond.js';
import { Router } from '../core/http/router.js';
import { StaticFiles } from '../core/http/static-files.js';
import type { Inbox } from '../core/inbox/inbox.js';
import { streamDeliveries } from './live.js';
import { filterFromQuery, inspectorRoutes, type InspectorContext } from './routes.js';

export interface InspectorOptions {
  /** The inbox over the process's store, handed in by its owner (a listen session, or hooks inspect): never opened here. */
  inbox: Inbox;
  session: InspectorContext['session'];
  /** The port to try first; the next free one is taken when it is busy. */
  port: number;
  /** Timeouts and the connection cap of its HTTP server (tests shorten them). */
  limits?: Partial<ServerLimits>;
}

export interface RunningInspector {
  /** The URL to open: it carries the session token once. */
  url: string;
  close(): Promise<void>;
}

/** The compiled page and its assets, beside this module in dist/. */
export const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));

/**
 * The web inspector over an inbox: the page, its JSON API and the live
 * stream, on 127.0.0.1 only, behind a PageGuard. Every route is one inbox
 * call; its replays are written through the store's one writer (in a listen
 * session, the write thread that also commits the deliveries).
 */
export async function startInspector(opts: InspectorOptions): Promise<RunningInspector> {
  const { inbox } = opts;
  const ctx: InspectorContext = { inbox, session: opts.session };
  const guard = new PageGuard({ relink: 'hooks inspect --link', assets: '/assets/' });
  // What `hooks inspect --link` shows to get a fresh link: kept in a 0600 record, never a page session.
  const linkKey = randomBytes(24).toString('base64url');
  const files = new StaticFiles(WEB_DIR);
  const router = new Router();
  inspectorRoutes(router, ctx);
  router.add('GET', '/api/stream', ({ req, res, query }) => {
    const after = Number(query.get('after') ?? inbox.latestSeq());
    streamDeliveries(res, inbox, filterFromQuery(query), Number.isFinite(after) ? after : inbox.latestSeq());
    guard.holdStream(req, res);
  });

  const server = createGuardedServer(async (req, res) => {
    try {
      const url = requestUrl(req.url);
      if (!guard.admitsHost(req, res)) return;
      // The page and its assets hold no data: served to any tab, which then needs a session for the API.
      if (req.method === 'GET' && url.pathname === '/') {
        if (!guard.exchange(req, res, url, (session) => files.sendPage(res, 'inspector.html', session))) files.send(res, 'inspector.html');
        return;
      }
      if (req.method === 'GET' && url.pathname.startsWith('/assets/') && files.send(res, url.pathname.slice('/assets/'.length))) return;
      if (req.method === 'POST' && url.pathname === '/api/link' && bearerIs(req.headers.authorization, linkKey)) {
        res.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'application/json' }).end(JSON.stringify({ url: guard.link('/') }));
        return;
      }
      const verdict = guard.check(req);
      if (!verdict.ok) throw new ApiError(verdict.status, verdict.status === 401 ? 'no_session' : 'forbidden', verdict.message);
      const found = router.match(req.method ?? 'GET', url.pathname);
      if (!found) throw new ApiError(404, 'not_found', `no route ${req.method} ${url.pathname}`);
      if ('allowed' in found) throw new ApiError(405, 'method_not_allowed', `use ${found.allowed.join(', ')}`);
      await found.route.handler({ req, res, params: found.params, query: url.searchParams });
    } catch (err) {
      // A sender that hung up mid-body has nobody left to answer.
      if (err instanceof ClientGone) return;
      if (res.headersSent) return void res.destroy();
      if (err instanceof ApiError) return sendError(res, err);
      // Core errors (an unknown id, no secret to sign with, a bad filter) are the user's to fix; anything else is a bug.
      if (err instanceof HooksError) return sendError(res, new ApiError(STATUS[err.code] ?? 400, err.code, err.hint ? `${err.message}: ${err.hint}` : err.message));
      sendError(res, new ApiError(500, 'internal', `the inspector failed on this request: ${(err as Error).message}`));
    }
  }, { ...defaultLimits(4 * 1024 * 1024), maxConnections: 64, ...opts.limits });

  const port = await listenFrom(server, opts.port);
  guard.bind(port);
  inspectorRecords.write({ pid: process.pid, url: guard.origin, link_key: linkKey, store: inbox.file, started_at: new Date().toISOString() });
  return {
    url: guard.link('/'),
    async close() {
      inspectorRecords.forget(process.pid);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The status of a core error the page can act on; any other is a 400. */
const STATUS: Record<string, number> = { not_found: 404, no_secret: 409, no_target: 409 };

function bearerIs(header: string | undefined, key: string): boolean {
  const given = Buffer.from(header ?? '');
  const wanted = Buffer.from(`Bearer ${key}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** `port`, or the next free one after it (up to 100 further), on 127.0.0.1 only. */
async function listenFrom(server: Server, port: number): Promise<number> {
  for (let candidate = port; candidate < port + 100; candidate++) {
    const bound = await new Promise<boolean>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err));
      server.once('error', onError);
      server.listen(candidate, '127.0.0.1', () => {
        server.off('error', onError);
        resolve(true);
      });
    });
    if (bound) return (server.address() as AddressInfo).port;
    if (port === 0) break;
  }
  throw new Error(`no free port from ${port} to ${port + 99} on 127.0.0.1`);
}
