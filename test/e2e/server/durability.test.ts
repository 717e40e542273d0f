import { afterEach, describe, expect, it } from 'vitest';
import { startHooksServer, tempDir, type HooksServer } from '../../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { createServer } from 'node:net';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((c) => c()));
  cleanup = [];
});
const track = <T extends HooksServer | Receiver>(x: T): T => {
  cleanup.push('kill9' in x ? () => x.kill9() : () => x.close());
  return x;
};

/** A free loopback port, for a receiver that starts only later. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe('durable delivery', () => {
  it('keeps pending and retrying deliveries across kill -9 and resumes them after restart', async () => {
    const dataDir = tempDir('data');
    const port = await freePort();
    // Standard's schedule scaled by 0.0005: retries after 2.5 ms, 150 ms, 0.9 s, 3.6 s…
    const first = track(await startHooksServer({ dataDir, args: ['--time-scale', '0.0005'] }));
    const sub = await first.api('POST', '/webhooks/subscriptions', { name: 'later', url: `http://127.0.0.1:${port}/in`, events: ['*'] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await first.api('POST', '/events', { type: 'user.created', provider: 'standard' })).json.id);
    await first.waitForEvent((e) => e.type === 'delivery.attempted' && e.delivery_status === 'retrying');
    await first.kill9();

    const receiver = track(await startReceiver(undefined, port));
    const second = track(await startHooksServer({ dataDir, args: ['--time-scale', '0.0005'] }));
    expect(second.events[0]!.resumed).toBe(5);
    await receiver.waitFor(5, 15_000);
    for (const id of ids) {
      await second.waitForEvent((e) => e.type === 'delivery.attempted' && e.event_id === id && e.success === true, 15_000);
    }
    const feed = await second.api('GET', `/webhooks/subscriptions/${sub.json.id}/deliveries`);
    expect(feed.json.data.map((d: { status: string }) => d.status)).toEqual(Array(5).fill('succeeded'));
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set(ids));
  }, 40_000);

  it('has an accepted event and its deliveries on disk before the 201', async () => {
    const dataDir = tempDir('data');
    const s = track(await startHooksServer({ dataDir }));
    // Nobody listens: the first attempt fails and the delivery waits for its retry.
    await s.api('POST', '/webhooks/subscriptions', { name: 'x', url: 'http://127.0.0.1:9/', events: ['*'] });
    const ev = await s.api('POST', '/events', { type: 'user.created' });
    expect(ev.status).toBe(201);
    await s.kill9();
    const again = track(await startHooksServer({ dataDir }));
    const got = await again.api('GET', `/events/${ev.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json.deliveries).toHaveLength(1);
    expect(['pending', 'retrying']).toContain(got.json.deliveries[0].status);
  });
});

describe('isolation between receivers', () => {
  it('does not let a slow receiver delay the others', async () => {
    const s = track(await startHooksServer({ args: ['--time-scale', '1'] }));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The slow receiver holds every request until the fast one has had all of its own.
    const slow = track(await startReceiver(async () => {
      await gate;
      return { status: 200 };
    }));
    const fast = track(await startReceiver());
    await s.api('POST', '/webhooks/subscriptions', { name: 'slow', url: slow.url, events: ['*'] });
    await s.api('POST', '/webhooks/subscriptions', { name: 'fast', url: fast.url, events: ['*'] });
    for (let i = 0; i < 60; i++) await s.api('POST', '/events', { type: 'user.login' });
    await fast.waitFor(60, 10_000);
    const held = slow.requests.length;
    release();
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(32);
  });
});
