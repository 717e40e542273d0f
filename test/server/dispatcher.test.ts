import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import { getProvider } from '../../src/core/providers/registry.js';
import { HeaderBag } from '../../src/core/signing/headers.js';
import { DeliveryDispatcher } from '../../src/server/delivery/dispatcher.js';
import type { ServerEvent } from '../../src/server/events.js';
import { openPlatformStore, type OpenedStore } from '../../src/server/store/open.js';
import { tempDir } from '../helpers/hooks-process.js';
import { usePostgres } from '../helpers/postgres.js';
import { startReceiver, type Receiver, type Responder } from '../helpers/receiver.js';

// 0.00001: a one-minute delay becomes 0.6 ms.
const SCALE = 0.00001;
const postgres = usePostgres();

describe.each(['sqlite', 'postgres'] as const)('DeliveryDispatcher over %s, in process', (kind) => {
  let store: OpenedStore;
  let http: Agent;
  let dispatcher: DeliveryDispatcher;
  const events: ServerEvent[] = [];
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    store = await openPlatformStore({ dataDir: tempDir('dispatcher'), databaseUrl: kind === 'postgres' ? await postgres.database() : undefined }, () => undefined);
    http = new Agent({ connections: 16 });
    dispatcher = new DeliveryDispatcher(store, http, { timeScale: SCALE, maxInFlight: 16, maxPerSubscription: 4, strictUrls: false, emit: (e) => events.push(e) });
    dispatcher.start();
  });
  afterAll(async () => {
    await dispatcher.stop(1000);
    await http.close();
    await store.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  /** A subscription of `provider` at a new receiver, and one event for it, enqueued (the dispatcher is woken by the store). */
  async function deliverOne(provider: string, respond: Responder, url?: string) {
    const receiver = await startReceiver(respond);
    receivers.push(receiver);
    const profile = getProvider(provider);
    const sub = newId('sub');
    await store.subscriptions.insert({ id: sub, name: provider, url: url ?? `${receiver.url}/in`, events: ['*'], description: null, provider, active: true, secret: profile.newSecret(), created_at: Date.now() });
    const type = profile.catalog.representative;
    const event = profile.catalog.build(type);
    const delivery = newId('dlv');
    await store.events.insert({ id: event.id, type, provider, data: '{}', created_at: Date.now() }, [{ id: delivery, subscription_id: sub, message_id: event.id, body: event.body }]);
    return { receiver, sub, delivery, body: event.body, secret: (await store.subscriptions.get(sub))!.secret };
  }

  /** Waits until the delivery is no longer pending or retrying: the store tells of each attempt. */
  async function settled(delivery: string) {
    for (;;) {
      const attempted = new Promise<void>((resolve) => {
        const stop = store.subscribe((n) => {
          if (n.type === 'attempted' && n.delivery_ids.includes(delivery)) {
            stop();
            resolve();
          }
        });
        setTimeout(resolve, 200);
      });
      const d = (await store.queue.get(delivery))!;
      if (d.delivery.status === 'succeeded' || d.delivery.status === 'failed') return d;
      await attempted;
    }
  }

  it('signs the stored bytes at send time with the subscription secret', async () => {
    const { receiver, delivery, body, secret } = await deliverOne('lmif', () => ({ status: 200 }));
    const { delivery: d } = await settled(delivery);
    expect(d).toMatchObject({ status: 'succeeded', attempt_count: 1 });
    const got = receiver.requests[0]!;
    expect(got.body.equals(body)).toBe(true);
    expect(getProvider('lmif').scheme.verify(got.body, HeaderBag.from(got.headers as Record<string, string>), secret).valid).toBe(true);
  });

  it("applies the provider's success rule (Ithbat: 201 fails) and records the retry schedule", async () => {
    const { delivery } = await deliverOne('ithbat', (_r, i) => ({ status: i === 0 ? 201 : 200 }));
    const { delivery: d, attempts } = await settled(delivery);
    expect(d).toMatchObject({ status: 'succeeded', attempt_count: 2 });
    expect(attempts[0]).toMatchObject({ status_code: 201, success: false, error: expect.stringContaining('200 only') });
    const first = getProvider('ithbat').delivery.retryDelaysMs[0]!;
    expect(attempts[0]!.next_retry_at! - attempts[0]!.started_at - Math.ceil(attempts[0]!.duration_ms)).toBe(Math.round(first * SCALE));
  });

  it('takes a longer Retry-After on 429', async () => {
    const { delivery } = await deliverOne('standard', (_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 204 }));
    const { attempts } = await settled(delivery);
    expect(attempts[0]!.next_retry_at! - attempts[0]!.started_at - Math.ceil(attempts[0]!.duration_ms)).toBe(Math.round(3000 * SCALE));
  });

  it('disables the subscription on 410 and stops', async () => {
    const { delivery, sub, receiver } = await deliverOne('standard', () => ({ status: 410 }));
    const { delivery: d } = await settled(delivery);
    expect(d.status).toBe('failed');
    expect(receiver.requests).toHaveLength(1);
    await expect.poll(async () => store.subscriptions.get(sub)).toMatchObject({ active: false, disabled_reason: expect.stringContaining('410') });
    expect(events.find((e) => e.type === 'subscription.disabled')).toBeDefined();
  });

  it('gives up after the last scheduled attempt', async () => {
    const { delivery, receiver } = await deliverOne('scalekit', () => ({ status: 500 }));
    const { delivery: d, attempts } = await settled(delivery);
    expect(d).toMatchObject({ status: 'failed', attempt_count: 10 });
    expect(receiver.requests).toHaveLength(10);
    expect(attempts.at(-1)!.next_retry_at).toBeNull();
  });

  it('keeps at most maxPerSubscription in flight for one receiver while another gets all of its own', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = await deliverOne('standard', async () => {
      await gate;
      return { status: 200 };
    });
    const fast = await deliverOne('standard', () => ({ status: 200 }));
    const profile = getProvider('standard');
    for (let i = 0; i < 12; i++) {
      for (const sub of [slow.sub, fast.sub]) {
        const e = profile.catalog.build('user.created');
        await store.events.insert({ id: e.id, type: 'user.created', provider: 'standard', data: '{}', created_at: Date.now() }, [{ id: newId('dlv'), subscription_id: sub, message_id: e.id, body: e.body }]);
      }
    }
    await fast.receiver.waitFor(13, 10_000);
    const held = slow.receiver.requests.length;
    release();
    expect(held).toBe(4);
    await slow.receiver.waitFor(13, 10_000);
  });
});
