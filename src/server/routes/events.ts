import { getProvider } from '../../core/providers/registry.js';
import type { ServerContext } from '../context.js';
import { notFound } from '../../core/http/http-error.js';
import { readJsonObject } from '../../core/http/json-request.js';
import { sendJson } from '../../core/http/respond.js';
import type { Router } from '../../core/http/router.js';
import { contract } from '../contract.js';
import { parseBody, queryParam } from '../validation.js';
import { eventView } from '../views.js';

export function eventRoutes(router: Router, ctx: ServerContext): void {
  /**
   * Emits an event to every matching active subscription (of `provider`
   * only, when given), each in its own dialect: see planEvent. The event and
   * its deliveries are committed before the answer; `?wait=MS` also waits
   * for each first attempt.
   */
  router.add('POST', '/api/v1/events', async ({ req, res, query }) => {
    const body = parseBody(contract().EventCreate, await readJsonObject(req));
    const provider = body.provider ? getProvider(body.provider) : undefined;
    const wait = queryParam(contract().query.wait, query, 'wait', 0);
    const { event, deliveries } = await ctx.service.emitEvent({ type: body.type, data: body.data, provider }, wait);
    sendJson(res, 201, eventView(event, deliveries));
  });

  router.add('GET', '/api/v1/events', async ({ res, query }) => {
    const limit = queryParam(contract().query.limit, query, 'limit', 20);
    const rows = await ctx.store.events.list(limit + 1, query.get('cursor'), query.get('type'));
    const page = rows.slice(0, limit);
    sendJson(res, 200, { data: page.map((e) => eventView(e)), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null });
  });

  router.add('GET', '/api/v1/events/{id}', async ({ res, params }) => {
    const event = await ctx.store.events.get(params.id!);
    if (!event) throw notFound('event', params.id!);
    sendJson(res, 200, eventView(event, await ctx.store.events.deliveries(event.id)));
  });
}
