import { testEventFor } from '../core/fixtures/catalog.js';
import { newId } from '../core/ids.js';
import type { ProviderProfile } from '../core/providers/profile.js';
import { getProvider, PROVIDERS } from '../core/providers/registry.js';
import { scaledTimeout } from './delivery/dispatcher.js';
import { planEvent } from './delivery/fan-out.js';
import type { ServerEvent } from './events.js';
import type { PlatformStore } from './store/platform-store.js';
import type { DeliveryRow, DeliveryWithAttempts, EventRow, NewDelivery, SubscriptionRow } from './store/rows.js';

export interface EmitRequest {
  type: string;
  data?: unknown;
  provider?: ProviderProfile;
}

/**
 * What the API's routes, the console and (through the API) MCP do to the
 * platform beyond reading and writing rows: emit an event, test a
 * subscription, retry a delivery, and wait for attempts, which any instance
 * on the same database may make.
 */
export class PlatformService {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: PlatformStore,
    private readonly timeScale: number,
    private readonly emit: (event: ServerEvent) => void,
  ) {
    this.unsubscribe = store.subscribe((n) => {
      if (n.type !== 'attempted') return;
      for (const id of n.delivery_ids) {
        const list = this.waiters.get(id);
        if (!list) continue;
        this.waiters.delete(id);
        for (const resolve of list) resolve();
      }
    });
  }

  /**
   * Stores the event and a delivery for each matching active subscription,
   * each in its own dialect (planEvent), in one transaction; with `waitMs`,
   * answers once each delivery's first attempt is recorded, or at the bound.
   */
  async emitEvent(req: EmitRequest, waitMs: number): Promise<{ event: EventRow; deliveries: DeliveryWithAttempts[] }> {
    const subscriptions = await this.store.subscriptions.active();
    const { event, deliveries } = planEvent(req, PROVIDERS, subscriptions, new Date());
    // Listening before the insert: an attempt can be recorded before the insert's promise resolves.
    const attempted = waitMs > 0 ? this.attempted(deliveries.map((d) => d.id), waitMs) : null;
    try {
      await this.store.events.insert(event, deliveries);
    } catch (err) {
      attempted?.cancel();
      throw err;
    }
    this.emit({ type: 'event.created', event_id: event.id, event_type: event.type, provider: req.provider?.id ?? null, deliveries: deliveries.length });
    if (!attempted) {
      // Nothing attempted yet that the answer waits for: the rows just written, as a read would give them.
      const providers = new Map(subscriptions.map((s) => [s.id, s.provider]));
      const fresh = deliveries.map((d) => ({ delivery: pendingRow(event, d, providers.get(d.subscription_id)!), attempts: [] }));
      return { event, deliveries: fresh.sort((a, b) => (a.delivery.id < b.delivery.id ? -1 : 1)) };
    }
    await attempted.done;
    return { event, deliveries: await this.store.events.deliveries(event.id) };
  }

  /** A test.ping to one active subscription; answers after its attempt. */
  async testSubscription(sub: SubscriptionRow): Promise<{ eventId: string; delivery: DeliveryWithAttempts }> {
    const profile = getProvider(sub.provider);
    const now = new Date();
    const eventId = profile.catalog.newId();
    // The platform's own test event where it has one, else a sample of what the subscription receives.
    const type = testEventFor(profile.catalog, sub.events);
    const data = profile.catalog.sample(type, now);
    const built = profile.catalog.build(type, { id: eventId, data, now, subscriptionId: sub.id });
    const deliveryId = newId('dlv');
    const attempted = this.attempted([deliveryId], this.waitFor(profile));
    await this.store.events.insert({ id: eventId, type, provider: sub.provider, data: JSON.stringify(data), created_at: now.getTime() }, [
      { id: deliveryId, subscription_id: sub.id, message_id: eventId, body: built.body },
    ]);
    await attempted.done;
    return { eventId, delivery: (await this.store.queue.get(deliveryId))! };
  }

  /** Sends the delivery again now, as a new attempt, whatever its state; answers after that attempt (or the one in flight). */
  async retryDelivery(id: string, sub: SubscriptionRow): Promise<DeliveryWithAttempts | null> {
    const attempted = this.attempted([id], this.waitFor(getProvider(sub.provider)));
    await this.store.queue.retryNow(id, Date.now());
    await attempted.done;
    return this.store.queue.get(id);
  }

  close(): void {
    this.unsubscribe();
    for (const list of this.waiters.values()) for (const resolve of list) resolve();
    this.waiters.clear();
  }

  /** Resolves once an attempt of each delivery is recorded, by any instance, or after `timeoutMs`. */
  private attempted(ids: string[], timeoutMs: number): { done: Promise<void>; cancel: () => void } {
    const mine = new Map<string, () => void>();
    let timer: NodeJS.Timeout | undefined;
    const cancel = () => {
      clearTimeout(timer);
      for (const [id, resolve] of mine) {
        const list = this.waiters.get(id);
        list?.delete(resolve);
        if (list?.size === 0) this.waiters.delete(id);
        resolve();
      }
      mine.clear();
    };
    const done = Promise.all(
      ids.map(
        (id) =>
          new Promise<void>((resolve) => {
            const seen = () => {
              mine.delete(id);
              resolve();
            };
            mine.set(id, seen);
            const list = this.waiters.get(id) ?? new Set();
            list.add(seen);
            this.waiters.set(id, list);
          }),
      ),
    ).then(() => clearTimeout(timer));
    timer = setTimeout(cancel, timeoutMs);
    return { done, cancel };
  }

  /** How long a synchronous call waits for one attempt: the provider's timeout plus a margin. */
  private waitFor(profile: ProviderProfile): number {
    return scaledTimeout(profile.delivery.timeoutMs, this.timeScale) + 2000;
  }
}

/** A delivery as the insert left it: pending, due at once, never attempted. */
function pendingRow(event: EventRow, d: NewDelivery, provider: string): DeliveryRow {
  return {
    id: d.id,
    event_id: event.id,
    message_id: d.message_id,
    event_type: event.type,
    subscription_id: d.subscription_id,
    provider,
    status: 'pending',
    attempt_count: 0,
    next_attempt_at: event.created_at,
    last_status_code: null,
    last_error: null,
    created_at: event.created_at,
    updated_at: event.created_at,
  };
}
