import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { liveStream } from '../../helpers/console-live.js';
import { startHooksProcess, tempDir, type HooksProcess } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { openSession, pageRequest } from '../../helpers/page-client.js';
import { usePostgres } from '../../helpers/postgres.js';

const postgres = usePostgres();
const SUBSCRIPTIONS = 20;
const EVENTS = 2000;

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((c) => c()));
  cleanup = [];
});

/** `hooks server --database URL` as a real process (one of a team's instances). */
async function instance(databaseUrl: string, args: string[] = []): Promise<HooksServer> {
  const s = await startHooksServer({ args: ['--database', databaseUrl, ...args] });
  cleanup.push(() => s.kill9());
  return s;
}

/** A receiver that answers 200 at once and counts each (path, webhook-id) it gets. */
async function recorder() {
  const seen = new Map<string, number>();
  let total = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = `${req.url} ${req.headers['webhook-id']}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      total++;
      res.end('ok');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    total: () => total,
  };
}

/** POSTs with a small pool of kept-alive connections, `concurrency` at a time. */
async function emitMany(targets: HooksServer[], count: number, concurrency = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const s = targets[next++ % targets.length]!;
        await s.api('POST', '/events', { type: 'user.created', provider: 'standard' });
      }
    }),
  );
}

/** What the shared database holds: every delivery as `/path message-id`, and the unfinished and attempt counts. */
async function database(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deliveries = await client.query<{ key: string }>("SELECT '/' || s.name || ' ' || d.message_id AS key FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id");
    const unfinished = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE status <> 'succeeded'");
    const attempts = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM attempts');
    return { keys: deliveries.rows.map((r) => r.key), unfinished: unfinished.rows[0]!.n, attempts: attempts.rows[0]!.n };
  } finally {
    await client.end();
  }
}

async function subscribeAll(s: HooksServer, receiverUrl: string): Promise<void> {
  for (let i = 0; i < SUBSCRIPTIONS; i++) await s.api('POST', '/webhooks/subscriptions', { name: `s${i}`, url: `${receiverUrl}/s${i}`, events: ['*'], provider: 'standard' });
}

describe('several hooks servers on one PostgreSQL database', () => {
  it(`two instances deliver ${EVENTS} events to ${SUBSCRIPTIONS} subscriptions: 0 lost, 0 sent twice, and both send`, async () => {
    const url = await postgres.database();
    const [a, b] = [await instance(url), await instance(url)];
    const receiver = await recorder();
    await subscribeAll(a, receiver.url);
    await emitMany([a, b], EVENTS);
    await expect.poll(() => receiver.seen.size, { timeout: 120_000, interval: 250 }).toBe(EVENTS * SUBSCRIPTIONS);
    await expect.poll(async () => (await database(url)).unfinished, { timeout: 20_000 }).toBe(0);
    const db = await database(url);
    expect(new Set(db.keys)).toEqual(new Set(receiver.seen.keys()));
    expect(receiver.total()).toBe(EVENTS * SUBSCRIPTIONS);
    expect(db.attempts).toBe(EVENTS * SUBSCRIPTIONS);
    const sent = [a, b].map((s) => s.events.filter((e) => e.type === 'delivery.attempted').length);
    expect(sent[0]! + sent[1]!).toBe(EVENTS * SUBSCRIPTIONS);
    expect(sent.every((n) => n > 0)).toBe(true);
  }, 240_000);

  it('one instance killed with kill -9 mid-burst: 0 lost, and every repeat under its original message id', async () => {
    const url = await postgres.database();
    const [a, b] = [await instance(url), await instance(url)];
    const receiver = await recorder();
    await subscribeAll(a, receiver.url);
    const emitting = emitMany([a], EVENTS);
    await expect.poll(() => b.events.filter((e) => e.type === 'delivery.attempted').length, { timeout: 60_000, interval: 50 }).toBeGreaterThan(2000);
    await b.kill9();
    await emitting;
    // B's leases run out and A claims what B held: nothing is lost.
    await expect.poll(() => receiver.seen.size, { timeout: 120_000, interval: 250 }).toBe(EVENTS * SUBSCRIPTIONS);
    await expect.poll(async () => (await database(url)).unfinished, { timeout: 30_000 }).toBe(0);
    // Received = stored, key for key: a repeat under another id would be a key the database does not have.
    expect(new Set((await database(url)).keys)).toEqual(new Set(receiver.seen.keys()));
    const repeats = receiver.total() - EVENTS * SUBSCRIPTIONS;
    // At most what B had in flight when it died.
    expect(repeats).toBeLessThanOrEqual(256);
  }, 240_000);

  it('a ?wait= and the console on instance A see the attempt instance B made; the token and console links work on both', async () => {
    const url = await postgres.database();
    const configDir = tempDir('config');
    const start = (args: string[]) => startHooksProcess(['server', '--port', '0', '--json', '--data-dir', tempDir('data'), '--database', url, ...args], { HOOKS_CONFIG_DIR: configDir, HOOKS_SERVER_TOKEN: undefined }, 'server.ready');
    // A sends nothing (an API-only instance): every attempt is B's.
    const a = await start(['--max-in-flight', '0']);
    cleanup.push(() => a.kill9());
    const tokenA = JSON.parse(readFileSync(join(configDir, 'server.json'), 'utf8')).token as string;
    const b = await start([]);
    cleanup.push(() => b.kill9());
    expect(a.ready.token_created).toBe(true);
    expect(b.ready.token_created).toBe(false);
    expect(JSON.parse(readFileSync(join(configDir, 'server.json'), 'utf8')).token).toBe(tokenA);
    expect(a.ready.database).not.toContain(new URL(url).password);

    const call = async (p: HooksProcess, method: string, path: string, body?: unknown) => {
      const r = await fetch(`${p.ready.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${tokenA}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect(r.status, `${method} ${path}`).toBeLessThan(300);
      return r.json() as Promise<any>;
    };
    const receiver = await recorder();
    const sub = await call(b, 'POST', '/webhooks/subscriptions', { name: 's0', url: `${receiver.url}/s0`, events: ['*'], provider: 'standard' });

    const waited = await call(a, 'POST', '/events?wait=10000', { type: 'user.created', provider: 'standard' });
    expect(waited.deliveries).toEqual([expect.objectContaining({ status: 'succeeded', attempts: [expect.objectContaining({ number: 1, status_code: 200 })] })]);
    const delivery = waited.deliveries[0].id as string;
    expect(b.events.find((e) => e.type === 'delivery.attempted' && e.delivery_id === delivery)).toBeDefined();
    expect(a.events.filter((e) => e.type === 'delivery.attempted')).toEqual([]);

    // The console on A: its live feed tells of B's attempts, and its API calls show them.
    const session = await openSession(a.ready.console_url as string);
    const live = liveStream(`${a.ready.url}/console/live`, session.session);
    cleanup.push(async () => live.close());
    await live.opened;
    const next = await call(b, 'POST', '/events', { type: 'user.updated', provider: 'standard' });
    const told = await live.waitFor(next.deliveries[0].id);
    expect(told).toContain(next.deliveries[0].id);
    const feed = await session.get(`/api/v1/webhooks/subscriptions/${sub.id}/deliveries`);
    expect(feed.status).toBe(200);
    expect(feed.json.data.find((d: { id: string }) => d.id === next.deliveries[0].id)).toMatchObject({ status: 'succeeded', attempts: [expect.objectContaining({ status_code: 200 })] });

    // A link B printed opens a session on A, once; and that session is good on B's API.
    const fromB = new URL(b.ready.console_url as string);
    const onA = `${a.ready.url}/console?token=${fromB.searchParams.get('token')}`;
    const opened = await openSession(onA);
    expect((await pageRequest(onA)).status).toBe(403);
    expect((await pageRequest(b.ready.console_url as string)).status).toBe(403);
    const onB = await pageRequest(`${b.ready.url}/api/v1/webhooks/subscriptions`, { headers: { 'x-hooks-session': opened.session } });
    expect(onB.status).toBe(200);
  }, 60_000);

  it('a database that goes away for a few seconds costs retries, not deliveries; the API answers 503 meanwhile, not hangs', async () => {
    const url = await postgres.database();
    const [a, b] = [await instance(url), await instance(url)];
    const receiver = await recorder();
    await subscribeAll(a, receiver.url);
    await emitMany([a, b], 200);
    const cluster = postgres.cluster();
    await cluster.stop();
    let refused = 0;
    try {
      for (const s of [a, b]) {
        const r = await fetch(`${s.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: '{"type":"user.created"}', signal: AbortSignal.timeout(15_000) });
        expect(r.status).toBe(503);
        expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
        refused++;
      }
    } finally {
      await cluster.restart(2000);
    }
    expect(refused).toBe(2);
    await expect.poll(() => receiver.seen.size, { timeout: 60_000, interval: 250 }).toBe(200 * SUBSCRIPTIONS);
    await expect.poll(async () => (await database(url)).unfinished, { timeout: 30_000 }).toBe(0);
    expect(new Set((await database(url)).keys)).toEqual(new Set(receiver.seen.keys()));
    for (const s of [a, b]) {
      expect(s.events.filter((e) => e.type === 'storage.failed').length).toBeGreaterThan(0);
      await s.waitForEvent((e) => e.type === 'storage.recovered', 30_000);
      expect(s.events.filter((e) => e.type === 'server.error')).toEqual([]);
    }
    // Both answer again.
    await a.api('POST', '/events', { type: 'user.created', provider: 'standard' });
    await b.api('GET', '/events?limit=1');
  }, 120_000);
});
