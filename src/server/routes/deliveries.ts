import { getProvider } from '../../core/providers/registry.js';
import type { ServerContext } from '../context.js';
import { ApiError, notFound } from '../../core/http/http-error.js';
import { sendJson } from '../../core/http/respond.js';
import type { Router } from '../../core/http/router.js';
import { deliveryView } from '../views.js';
import { waitFor } from './subscriptions.js';

export function deliveryRoutes(router: Router, ctx: ServerContext): void {
  const { store } = ctx;

  router.add('GET', '/api/v1/webhooks/deliveries/{id}', ({ res, params }) => {
    const d = store.getDelivery(params.id!);
    if (!d) throw notFound('delivery', params.id!);
    sendJson(res, 200, deliveryView(d, store.attemptsFor(d.id)));
  });

  /** Re-sends now, as a new attempt, whatever the delivery's state; answers after that attempt. */
  router.add('POST', '/api/v1/webhooks/deliveries/{id}/retry', async ({ res, params }) => {
    const d = store.getDelivery(params.id!);
    if (!d) throw notFound('delivery', params.id!);
    const sub = store.getSubscription(d.subscription_id)!;
    if (!sub.active) throw new ApiError(409, 'subscription_inactive', `subscription ${sub.id} is inactive${sub.disabled_reason ? ` (${sub.disabled_reason})` : ''}: enable it first`);
    store.resetDelivery(d.id, Date.now());
    const attempted = ctx.dispatcher.nextAttempt(d.id, waitFor(getProvider(sub.provider).delivery.timeoutMs, ctx.settings.timeScale));
    ctx.dispatcher.enqueue(d.id, d.subscription_id);
    await attempted;
    sendJson(res, 200, deliveryView(store.getDelivery(d.id)!, store.attemptsFor(d.id)));
  });
}
