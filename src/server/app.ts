import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import { ApiError } from '../core/http/http-error.js';
import { ClientGone } from '../core/http/body-reader.js';
import { tooLarge } from '../core/http/guarded-server.js';
import { requestUrl } from '../core/http/request-url.js';
import { MAX_BODY_BYTES } from '../core/http/json-request.js';
import { sendError } from '../core/http/respond.js';
import { Router } from '../core/http/router.js';
import type { ConsolePages } from './console-pages.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { eventRoutes } from './routes/events.js';
import { hookRoutes } from './routes/hooks.js';
import { metaRoutes } from './routes/meta.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { StorageError } from './store/storage-error.js';

/** What a 503 of a store that cannot work asks the client to wait. */
const STORAGE_RETRY_AFTER_S = 5;

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
export function createHandler(ctx: ServerContext, router: Router, token: string, console?: ConsolePages) {
  const pages = console?.pages;
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
      if (pages && (url.pathname === pages.prefix || url.pathname.startsWith(`${pages.prefix}/`))) return await console!.serve(req, res, url, authorized(req.headers.authorization));
      const found = router.match(req.method ?? 'GET', url.pathname);
      if (!found) throw new ApiError(404, 'not_found', `no route ${req.method} ${url.pathname}; the API lives under /api/v1 (see /api/v1/openapi.json)`);
      if ('allowed' in found) {
        res.setHeader('allow', found.allowed.join(', '));
        throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}; use ${found.allowed.join(', ')}`);
      }
      // The console's pages call the API with their session header (checked for Host and Origin) instead of the token.
      if (found.route.auth && pages && !req.headers.authorization) await console!.knowSession(req);
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
      if (err instanceof StorageError) {
        // Said once by the store's guard, not here per request: a platform retries a 503 with Retry-After.
        res.setHeader('retry-after', String(STORAGE_RETRY_AFTER_S));
        return sendError(res, new ApiError(503, err.code, `${err.message}; try again later`));
      }
      ctx.emit({ type: 'server.error', message: `${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}` });
      sendError(res, new ApiError(500, 'internal', `internal error: ${(err as Error).message}`));
    }
  };
}
