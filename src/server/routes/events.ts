import { matchesPattern } from '../../core/fixtures/catalog.js';
import { getProvider } from '../../core/providers/registry.js';
import type { ServerContext } from '../context.js';
import { invalid, notFound } from '../http/api-error.js';
import { readJsonObject } from '../http/json-body.js';
import { sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { newId } from '../../core/ids.js';
import { limitParam, onlyFields, providerField, unknownType } from '../validation.js';
import { eventView } from '../views.js';

const MAX_WAIT_MS = 60_000;

export function eventRoutes(router: Router, ctx: ServerContext): void {
  const { store } = ctx;

  /**
   * Emits an event to every active subscription of its provider whose
   * patterns match. The event and its deliveries are committed before the
   * answer; `?wait=MS` also waits for each first attempt.
   */
  router.add('POST', '/api/v1/events', async ({ req, res, query }) => {
    const body = await readJsonObject(req);
    onlyFields(body, ['type', 'data', 'provider']);
    if (typeof body.type !== 'string' || body.type === '') throw invalid('type', 'is required: an event type such as user.created');
    const profile = getProvider(providerField(body, ctx.settings.defaultProvider));
    if (!profile.catalog.has(body.type)) throw unknownType(body.type, profile);
    const wait = waitParam(query);
    const type = body.type;
    const now = new Date();
    const id = profile.catalog.newId();
    const data = body.data !== undefined ? body.data : profile.catalog.sample(type, now);
    const targets = store.activeSubscriptionsFor(profile.id).filter((s) => s.events.some((p) => matchesPattern(p, type)));
    const deliveries = targets.map((s) => ({
      id: newId('dlv'),
      subscription_id: s.id,
      body: profile.catalog.build(type, { id, data, now, subscriptionId: s.id }).body,
    }));
    store.insertEvent({ id, type, provider: profile.id, data: JSON.stringify(data), created_at: now.getTime() }, deliveries);
    ctx.emit({ type: 'event.created', event_id: id, event_type: type, provider: profile.id, deliveries: deliveries.length });
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
