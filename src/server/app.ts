import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import { ApiError } from '../core/http/http-error.js';
import { PAGE_HEADERS, type LocalPages } from '../core/http/page-guard.js';
import { ClientGone } from '../core/http/body-reader.js';
import { tooLarge } from '../core/http/guarded-server.js';
import { requestUrl } from '../core/http/request-url.js';
import { MAX_BODY_BYTES } from '../core/http/json-request.js';
import { sendError } from '../core/http/respond.js';
import { Router } from '../core/http/router.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { eventRoutes } from './routes/events.js';
import { hookRoutes } from './routes/hooks.js';
import { metaRoutes } from './routes/meta.js';
import { subscriptionRoutes } from './routes/subscriptions.js';

export function buildRouter(ctx: ServerContext, version: string): Router {
  const router = new Router();
  metaRoutes(router, ctx, version);
  subscriptionRoutes(router, ctx);
  deliveryRoutes(router, ctx);
  eventRoutes(router, ctx);
  hookRoutes(router, ctx);
  return router;
}

/** The HTTP handler: route, authenticate, run, and map every error to `{"error": …}` once. */
export function createHandler(ctx: ServerContext, router: Router, token: string, pages?: LocalPages) {
  if (token.length < 16) throw new Error('the API token must be at least 16 characters');
  const expected = createHash('sha256').update(token).digest();
  const authorized = (header: string | undefined): boolean => {
    if (!header?.startsWith('Bearer ')) return false;
    // Hashing both sides gives equal lengths, so the comparison is constant-time.
    return timingSafeEqual(createHash('sha256').update(header.slice(7).trim()).digest(), expected);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = requestUrl(req.url);
      if (pages && (url.pathname === pages.prefix || url.pathname.startsWith(`${pages.prefix}/`))) return servePage(pages, req, res, url, authorized(req.headers.authorization));
      const found = router.match(req.method ?? 'GET', url.pathname);
      if (!found) throw new ApiError(404, 'not_found', `no route ${req.method} ${url.pathname}; the API lives under /api/v1 (see /api/v1/openapi.json)`);
      if ('allowed' in found) {
        res.setHeader('allow', found.allowed.join(', '));
        throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}; use ${found.allowed.join(', ')}`);
      }
      // The console's pages call the API with their session header (checked for Host and Origin) instead of the token.
      if (found.route.auth && !authorized(req.headers.authorization) && !(pages && !req.headers.authorization && pages.guard.check(req).ok)) {
        // Says nothing about this machine (no path to the token file): any caller reads it.
        throw new ApiError(
          401,
          'unauthorized',
          req.headers.authorization
            ? 'the API rejected the token: the hooks CLI on the server\'s machine finds the right one by itself; elsewhere, run hooks login'
            : 'missing "Authorization: Bearer <token>" header: the hooks CLI on the server\'s machine sends it by itself; elsewhere, run hooks login',
        );
      }
      await found.route.handler({ req, res, params: found.params, query: url.searchParams });
    } catch (err) {
      if (err instanceof ClientGone) {
        ctx.emit({ type: 'server.warning', message: `${req.method} ${requestUrl(req.url).pathname}: ${err.message}` });
        return;
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof ApiError && err.status === 413) return tooLarge(req, res, MAX_BODY_BYTES, JSON.stringify(err.toJSON()));
      if (err instanceof ApiError) return sendError(res, err);
      ctx.emit({ type: 'server.error', message: `${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}` });
      sendError(res, new ApiError(500, 'internal', `internal error: ${(err as Error).message}`));
    }
  };
}

/**
 * The console's pages and assets (they hold no data, so any tab on the
 * right Host gets them; the API then wants a session), the link exchange,
 * and `POST /console/link`: a fresh link for the holder of the API token
 * (`hooks server --console-link`).
 */
function servePage(pages: LocalPages, req: IncomingMessage, res: ServerResponse, url: URL, withToken: boolean): void {
  if (!pages.guard.admitsHost(req, res)) return;
  const path = url.pathname.slice(pages.prefix.length);
  if (req.method === 'POST' && path === '/link') {
    if (!withToken) return sendError(res, new ApiError(401, 'unauthorized', 'a new console link needs the API token: hooks server --console-link sends it'));
    res.writeHead(200, { ...PAGE_HEADERS, 'content-type': 'application/json' }).end(JSON.stringify({ console_url: pages.guard.link(pages.prefix) }));
    return;
  }
  if (req.method === 'GET' && (path === '' || path === '/') && pages.guard.exchange(req, res, url, (session) => pages.serve(res, path, session))) return;
  if (req.method !== 'GET' || !pages.serve(res, path, null)) {
    res.writeHead(404, { ...PAGE_HEADERS, 'content-type': 'text/plain' }).end('not found\n');
  }
}
