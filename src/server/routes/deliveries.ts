import type { ServerContext } from '../context.js';
import { ApiError, notFound } from '../../core/http/http-error.js';
import { sendJson } from '../../core/http/respond.js';
import type { Router } from '../../core/http/router.js';
import { deliveryView } from '../views.js';

export function deliveryRoutes(router: Router, ctx: ServerContext): void {
  router.add('GET', '/api/v1/webhooks/deliveries/{id}', async ({ res, params }) => {
    const d = await ctx.store.queue.get(params.id!);
    if (!d) throw notFound('delivery', params.id!);
    sendJson(res, 200, deliveryView(d));
  });

  /** Re-sends now, as a new attempt, whatever the delivery's state; answers after that attempt. */
  router.add('POST', '/api/v1/webhooks/deliveries/{id}/retry', async ({ res, params }) => {
    const d = await ctx.store.queue.get(params.id!);
    if (!d) throw notFound('delivery', params.id!);
    const sub = (await ctx.store.subscriptions.get(d.delivery.subscription_id))!;
    if (!sub.active) throw new ApiError(409, 'subscription_inactive', `subscription ${sub.id} is inactive${sub.disabled_reason ? ` (${sub.disabled_reason})` : ''}: enable it first`);
    const after = await ctx.service.retryDelivery(d.delivery.id, sub);
    if (!after) throw notFound('delivery', params.id!);
    sendJson(res, 200, deliveryView(after));
  });
}
