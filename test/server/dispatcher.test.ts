import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { getProvider } from '../../src/core/providers/registry.js';
import { HeaderBag } from '../../src/core/signing/headers.js';
import { DeliveryDispatcher } from '../../src/server/delivery/dispatcher.js';
import type { ServerEvent } from '../../src/server/events.js';
import { Store } from '../../src/server/store.js';
import { tempDir } from '../helpers/hooks-process.js';
import { startReceiver, type Receiver, type Responder } from '../helpers/receiver.js';

// 0.00001: a one-minute delay becomes 0.6 ms.
const SCALE = 0.00001;
let store: Store;
let http: Agent;
let dispatcher: DeliveryDispatcher;
const events: ServerEvent[] = [];
const receivers: Receiver[] = [];

beforeAll(() => {
  store = new Store(tempDir('dispatcher'));
  http = new Agent({ connections: 16 });
  dispatcher = new DeliveryDispatcher(store, http, { timeScale: SCALE, maxInFlight: 16, maxPerSubscription: 4, strictUrls: false, emit: (e) => events.push(e) });
});
afterAll(async () => {
  await dispatcher.stop(1000);
  await http.close();
  store.close();
  await Promise.all(receivers.map((r) => r.close()));
});

/** A subscription of `provider` at a new receiver, and one event delivered to it through the dispatcher. */
async function deliverOne(provider: string, respond: Responder, url?: string) {
  const receiver = await startReceiver(respond);
  receivers.push(receiver);
  const profile = getProvider(provider);
  const sub = newId('sub');
  store.insertSubscription({ id: sub, name: provider, url: url ?? `${receiver.url}/in`, events: ['*'], description: null, provider, active: true, secret: profile.newSecret(), created_at: Date.now() });
  const type = profile.catalog.representative;
  const event = profile.catalog.build(type);
  const delivery = newId('dlv');
  store.insertEvent({ id: event.id, type, provider, data: '{}', created_at: Date.now() }, [{ id: delivery, subscription_id: sub, message_id: event.id, body: event.body }]);
  return { receiver, sub, delivery, body: event.body, secret: store.getSubscription(sub)!.secret };
}

/** Waits until the delivery is no longer pending or retrying. */
async function settled(delivery: string) {
  for (;;) {
    const d = store.getDelivery(delivery)!;
    if (d.status === 'succeeded' || d.status === 'failed') return { delivery: d, attempts: store.attemptsFor(delivery) };
    await dispatcher.nextAttempt(delivery, 5000);
  }
}

describe('DeliveryDispatcher, in process', () => {
  it('signs the stored bytes at send time with the subscription secret', async () => {
    const { receiver, delivery, body, secret } = await deliverOne('lmif', () => ({ status: 200 }));
    dispatcher.enqueue(delivery, store.getDelivery(delivery)!.subscription_id);
    const { delivery: d } = await settled(delivery);
    expect(d).toMatchObject({ status: 'succeeded', attempt_count: 1 });
    const got = receiver.requests[0]!;
    expect(got.body.equals(body)).toBe(true);
    expect(getProvider('lmif').scheme.verify(got.body, HeaderBag.from(got.headers as Record<string, string>), secret).valid).toBe(true);
  });

  it("applies the provider's success rule (Ithbat: 201 fails) and records the retry schedule", async () => {
    const { delivery } = await deliverOne('ithbat', (_r, i) => ({ status: i === 0 ? 201 : 200 }));
    dispatcher.enqueue(delivery, store.getDelivery(delivery)!.subscription_id);
    const { delivery: d, attempts } = await settled(delivery);
    expect(d).toMatchObject({ status: 'succeeded', attempt_count: 2 });
    expect(attempts[0]).toMatchObject({ status_code: 201, success: false, error: expect.stringContaining('200 only') });
    const first = getProvider('ithbat').delivery.retryDelaysMs[0]!;
    expect(attempts[0]!.next_retry_at! - attempts[0]!.started_at - Math.ceil(attempts[0]!.duration_ms)).toBe(Math.round(first * SCALE));
  });

  it('takes a longer Retry-After on 429', async () => {
    const { delivery } = await deliverOne('standard', (_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 204 }));
    dispatcher.enqueue(delivery, store.getDelivery(delivery)!.subscription_id);
    const { attempts } = await settled(delivery);
    expect(attempts[0]!.next_retry_at! - attempts[0]!.started_at - Math.ceil(attempts[0]!.duration_ms)).toBe(Math.round(3000 * SCALE));
  });

  it('disables the subscription on 410 and stops', async () => {
    const { delivery, sub, receiver } = await deliverOne('standard', () => ({ status: 410 }));
    dispatcher.enqueue(delivery, sub);
    const { delivery: d } = await settled(delivery);
    expect(d.status).toBe('failed');
    expect(receiver.requests).toHaveLength(1);
    expect(store.getSubscription(sub)).toMatchObject({ active: false, disabled_reason: expect.stringContaining('410') });
    expect(events.find((e) => e.type === 'subscription.disabled')).toBeDefined();
  });

  it('gives up after the last scheduled attempt', async () => {
    const { delivery, sub, receiver } = await deliverOne('scalekit', () => ({ status: 500 }));
    dispatcher.enqueue(delivery, sub);
    const { delivery: d, attempts } = await settled(delivery);
    expect(d).toMatchObject({ status: 'failed', attempt_count: 10 });
    expect(receiver.requests).toHaveLength(10);
    expect(attempts.at(-1)!.next_retry_at).toBeNull();
  });
});
