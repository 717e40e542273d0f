import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type * as StoreModule from '../../../src/core/store/event-store.js';
import { countTurns } from '../../helpers/event-loop.js';
import { aDelivery as delivery } from '../../helpers/deliveries.js';
import { tempDir } from '../../helpers/hooks-process.js';

// The write thread runs a worker script, which exists only as built JavaScript:
// these tests load the store from dist/, which the global setup keeps fresh.
const { openEventStore } = (await import(new URL('../../../dist/core/store/event-store.js', import.meta.url).href)) as typeof StoreModule;
const threaded = (dir: string) => openEventStore(dir, { writer: 'threaded' });

/** Waits for `condition`, checked every 50 ms; fails with `why()` after 10 s. */
async function until(condition: () => boolean, why: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(why());
}

const countOnDisk = (dir: string): number => {
  const other = new Database(join(dir, 'events.db'), { readonly: true });
  const { n } = other.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number };
  other.close();
  return n;
};

describe('EventStore with the threaded writer', () => {
  it('resolves each write only once another connection can read it, and stores the exact bytes of a view into a larger buffer', async () => {
    const dir = tempDir('store-thread');
    const store = await threaded(dir);
    // A body that is a view into a bigger buffer, as bodies off a socket are.
    const slab = Buffer.alloc(65_536, 0x7a);
    slab.set([0xff, 0x00, 0x0a], 100);
    const d = delivery({ body: slab.subarray(100, 103), body_size: 3 });
    await store.saveDelivery(d, [{ delivery_id: d.id, kind: 'forward', target: 'http://127.0.0.1:3000/', started_at: 1, status: 204, duration_ms: 1.5, error: null, response_excerpt: Buffer.from('ok'), resigned: false, response_headers: { 'x-a': '1' } }]);
    expect(countOnDisk(dir)).toBe(1);
    const back = store.get(d.id)!;
    expect([...back.body]).toEqual([0xff, 0x00, 0x0a]);
    expect(back).toMatchObject({ last_status: 204, last_outcome: 'forwarded' });
    expect(store.attempts(d.id)).toMatchObject([{ status: 204, response_headers: { 'x-a': '1' }, resigned: false }]);

    await store.saveAttempt({ delivery_id: d.id, kind: 'replay', target: 'http://127.0.0.1:3000/', started_at: 2, status: 500, duration_ms: 3, error: null, response_excerpt: null, resigned: true });
    expect(store.get(d.id)).toMatchObject({ last_status: 500, last_outcome: 'failed' });
    await store.close();
  });

  it('commits a turn of writes together, and a failing row fails only its own write: the others commit', async () => {
    const dir = tempDir('store-thread');
    const store = await threaded(dir);
    await Promise.all(Array.from({ length: 500 }, () => store.saveDelivery(delivery())));
    expect(countOnDisk(dir)).toBe(500);

    const twice = delivery();
    const results = await Promise.allSettled([store.saveDelivery(delivery()), store.saveDelivery(twice), store.saveDelivery({ ...twice }), store.saveDelivery(delivery())]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toMatch(/UNIQUE/);
    expect(countOnDisk(dir)).toBe(503);
    await store.close();
  });

  it('deletes, prunes and applies retention through the writer, and commits what is queued when it closes', async () => {
    const dir = tempDir('store-thread');
    const store = await threaded(dir);
    const now = Date.now();
    await store.saveDelivery(delivery({ received_at: now - 40 * 86_400_000 }));
    await store.saveDelivery(delivery({ id: 'rcv_keep', received_at: now }));
    await store.saveDelivery(delivery({ id: 'rcv_gone', received_at: now }));
    expect(await store.enforce({ maxBytes: 1024 ** 3, maxAgeMs: 30 * 86_400_000 }, now)).toBe(1);
    expect(await store.remove(['rcv_gone', 'rcv_never'])).toBe(1);
    expect(await store.prune(now - 86_400_000)).toBe(0);

    const queued = store.saveDelivery(delivery());
    await store.close();
    await queued;
    expect(countOnDisk(dir)).toBe(2);
  });

  it('reads on a connection that cannot write: every write takes the one writer', async () => {
    const store = await threaded(tempDir('store-thread'));
    await store.saveDelivery(delivery({ id: 'rcv_1' }));
    const reads = (store as unknown as { backend: { db: Database.Database } }).backend.db;
    expect(() => reads.prepare("DELETE FROM deliveries WHERE id = 'rcv_1'").run()).toThrow(/readonly/);
    await store.close();
  });

  it('is one store per file in a process: opening it again hands out the same one, closed by its last holder', async () => {
    const dir = tempDir('store-thread');
    const session = await threaded(dir);
    const inspector = await openEventStore(dir);
    expect(inspector).toBe(session);
    await inspector.close();
    await session.saveDelivery(delivery());
    await session.close();
    expect(countOnDisk(dir)).toBe(1);
  });

  it('holds the size cap on disk: database, WAL and shared memory stay under the cap, the oldest going first, and says so', async () => {
    const dir = tempDir('store-cap');
    const store = await threaded(dir);
    const MB = 1024 * 1024;
    await store.enforce({ maxBytes: 4 * MB, maxAgeMs: 86_400_000 });
    let removed = 0;
    store.onRemoved((n) => (removed += n));
    const onDisk = () => ['events.db', 'events.db-wal', 'events.db-shm'].reduce((n, f) => n + (existsSync(join(dir, f)) ? statSync(join(dir, f)).size : 0), 0);
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, onDisk())), 5);
    // 256 KB bodies: under a 4 MB cap, what one transaction may write whole (test/core/store/store-cap.test.ts has larger ones).
    for (let i = 0; i < 48; i++) {
      await store.saveDelivery(delivery({ id: `rcv_${i}`, body: Buffer.alloc(256 * 1024, 0x61 + (i % 26)), body_size: 256 * 1024 }));
      most = Math.max(most, onDisk());
    }
    clearInterval(sampler);
    expect(most).toBeLessThanOrEqual(4 * MB);
    expect(removed).toBeGreaterThan(30);
    expect(store.get('rcv_47')).toMatchObject({ body_truncated: false });
    expect(store.get('rcv_0')).toBeNull();
    await store.close();
  });

  it('checkpoints on a thread of its own: committed pages reach the database file without a commit crossing 1,000 WAL pages', async () => {
    const dir = tempDir('store-thread');
    const store = await threaded(dir);
    const dbSize = () => statSync(join(dir, 'events.db')).size;
    const before = dbSize();
    // About 100 pages: far below the 1,000 at which SQLite's own checkpoint would run inside a commit.
    await Promise.all(Array.from({ length: 300 }, () => store.saveDelivery(delivery({ body: Buffer.alloc(1000, 0x61), body_size: 1000 }))));
    await until(() => dbSize() > before + 250_000, () => `events.db stayed at ${dbSize()} bytes (from ${before}): no checkpoint copied the WAL into it`);
    await store.close();
  });

  it('builds the search index on the writer, in slices, while deliveries are still written and this thread goes on', async () => {
    const dir = tempDir('store-thread');
    const store = await threaded(dir);
    await Promise.all(Array.from({ length: 3000 }, (_, i) => store.saveDelivery(delivery({ body: Buffer.from(`{"note":"filler ${'x'.repeat(2000)} ${i}"}`) }))));
    const turns = countTurns();
    const indexed = store.prepareSearch();
    await store.saveDelivery(delivery({ id: 'rcv_during', body: Buffer.from('{"note":"filler during"}') }));
    await Promise.all([indexed, store.prepareSearch()]);
    expect(turns.stop()).toBeGreaterThan(1);
    await store.prepareSearch();
    expect(store.page({ search: 'filler', limit: 5000 }).rows).toHaveLength(3001);
    await store.close();
  });
});
