import { getProvider, PROVIDERS } from '../../core/providers/registry.js';
import { planEvent } from '../delivery/fan-out.js';
import type { ServerContext } from '../context.js';
import { invalid, notFound } from '../../core/http/http-error.js';
import { readJsonObject } from '../../core/http/json-request.js';
import { sendJson } from '../../core/http/respond.js';
import type { Router } from '../../core/http/router.js';
import { limitParam, onlyFields, providerField } from '../validation.js';
import { eventView } from '../views.js';

const MAX_WAIT_MS = 60_000;

export function eventRoutes(router: Router, ctx: ServerContext): void {
  const { store } = ctx;

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
    const { event, deliveries } = planEvent({ type: body.type, data: body.data, provider }, PROVIDERS, store.activeSubscriptions(), new Date());
    store.insertEvent(event, deliveries);
    const id = event.id;
    ctx.emit({ type: 'event.created', event_id: id, event_type: event.type, provider: provider?.id ?? null, deliveries: deliveries.length });
    const attempted = wait > 0 ? Promise.all(deliveries.map((d) => ctx.dispatcher.nextAttempt(d.id, wait))) : null;
    for (const d of deliveries) ctx.dispatcher.enqueue(d.id, d.subscription_id);
    await attempted;
    sendJson(res, 201, eventView(store.getEvent(id)!, store, true));
  });

  router.add('GET', '/api/v1/events', ({ res, query }) => {
    const limit = limitParam(query);
    const rows = store.listEvents(limit + 1, query.get('cursor'), query.get('type'));
    const page = rows.slice(0, limit);
    sendJson(res, 200, { data: page.map((e) => eventView(e, store, false)), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null });
  });

  router.add('GET', '/api/v1/events/{id}', ({ res, params }) => {
    const event = store.getEvent(params.id!);
    if (!event) throw notFound('event', params.id!);
    sendJson(res, 200, eventView(event, store, true));
  });
}

function waitParam(query: URLSearchParams): number {
  const raw = query.get('wait');
  if (raw === null) return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_WAIT_MS) throw invalid('wait', `must be milliseconds from 0 to ${MAX_WAIT_MS}`);
  return Number(raw);
}
