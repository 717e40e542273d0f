import { getProvider } from '../../core/providers/registry.js';
import type { ServerContext } from '../context.js';
import { invalid, notFound } from '../../core/http/http-error.js';
import { readJsonObject } from '../../core/http/json-request.js';
import { sendJson } from '../../core/http/respond.js';
import type { Router } from '../../core/http/router.js';
import { limitParam, onlyFields, providerField } from '../validation.js';
import { eventView } from '../views.js';

const MAX_WAIT_MS = 60_000;

export function eventRoutes(router: Router, ctx: ServerContext): void {
  /**
   * Emits an event to every matching active subscription (of `provider`
   * only, when given), each in its own dialect: see planEvent. The event and
   * its deliveries are committed before the answer; `?wait=MS` also waits
   * for each first attempt.
   */
  router.add('POST', '/api/v1/events', async ({ req, res, query }) => {
    const body = await readJsonObject(req);
    onlyFields(body, ['type', 'data', 'provider']);
    if (typeof body.type !== 'string' || body.type === '') throw invalid('type', 'is required: an event type such as user.created');
    const provider = body.provider === undefined || body.provider === null ? undefined : getProvider(providerField(body, ctx.settings.defaultProvider));
    const wait = waitParam(query);
    const { event, deliveries } = await ctx.service.emitEvent({ type: body.type, data: body.data, provider }, wait);
    sendJson(res, 201, eventView(event, deliveries));
  });

  router.add('GET', '/api/v1/events', async ({ res, query }) => {
    const limit = limitParam(query);
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

function waitParam(query: URLSearchParams): number {
  const raw = query.get('wait');
  if (raw === null) return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_WAIT_MS) throw invalid('wait', `must be milliseconds from 0 to ${MAX_WAIT_MS}`);
  return Number(raw);
}
