import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EventStore as EventStoreType } from '../../../src/core/store/event-store.js';
import { countTurns } from '../../helpers/event-loop.js';
import { aDelivery as delivery } from '../../helpers/deliveries.js';
import { tempDir } from '../../helpers/hooks-process.js';

// The write thread runs a worker script, which exists only as built JavaScript:
// these tests load the store from dist/, which the global setup keeps fresh.
const { EventStore } = (await import(new URL('../../../dist/core/store/event-store.js', import.meta.url).href)) as { EventStore: typeof EventStoreType };

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

describe('EventStore write thread', () => {
  it('resolves each write only once another connection can read it, and stores the exact bytes of a view into a larger buffer', async () => {
    const dir = tempDir('store-thread');
    const store = new EventStore(dir);
    await store.startWriteThread();
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
    await store.stopWriteThread();
    store.close();
  });

  it('commits the writes of one turn together, and a failing batch rejects its writes instead of losing them silently', async () => {
    const dir = tempDir('store-thread');
    const store = new EventStore(dir);
    await store.startWriteThread();
    await Promise.all(Array.from({ length: 500 }, () => store.saveDelivery(delivery())));
    expect(countOnDisk(dir)).toBe(500);

    const twice = delivery();
    const results = await Promise.allSettled([store.saveDelivery(twice), store.saveDelivery({ ...twice })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/UNIQUE/);
    expect(countOnDisk(dir)).toBe(500);
    // The thread goes on after a failed batch.
    await store.saveDelivery(delivery());
    expect(countOnDisk(dir)).toBe(501);
    await store.stopWriteThread();
    store.close();
  });

  it('applies retention on the thread, and commits what is queued when it stops', async () => {
    const dir = tempDir('store-thread');
    const store = new EventStore(dir);
    await store.startWriteThread();
    const now = Date.now();
    await store.saveDelivery(delivery({ received_at: now - 40 * 86_400_000 }));
    await store.saveDelivery(delivery({ received_at: now }));
    expect(await store.enforce({ maxBytes: 1024 ** 3, maxAgeMs: 30 * 86_400_000 }, now)).toBe(1);

    const queued = store.saveDelivery(delivery());
    await store.stopWriteThread();
    await queued;
    expect(countOnDisk(dir)).toBe(2);
    // Writes go back to the main thread's connection.
    await store.saveDelivery(delivery());
    expect(countOnDisk(dir)).toBe(3);
    store.close();
  });

  it('checkpoints on a thread of its own: committed pages reach the database file without a commit crossing 1,000 WAL pages', async () => {
    const dir = tempDir('store-thread');
    const store = new EventStore(dir);
    await store.startWriteThread();
    const dbSize = () => statSync(join(dir, 'events.db')).size;
    const before = dbSize();
    // About 100 pages: far below the 1,000 at which SQLite's own checkpoint would run inside a commit.
    await Promise.all(Array.from({ length: 300 }, () => store.saveDelivery(delivery({ body: Buffer.alloc(1000, 0x61), body_size: 1000 }))));
    await until(() => dbSize() > before + 250_000, () => `events.db stayed at ${dbSize()} bytes (from ${before}): no checkpoint copied the WAL into it`);
    await store.stopWriteThread();
    store.close();
  });

  it('builds the search index on the thread, in slices that let deliveries through, while this thread goes on', async () => {
    const dir = tempDir('store-thread');
    const store = new EventStore(dir);
    await Promise.all(Array.from({ length: 3000 }, (_, i) => store.saveDelivery(delivery({ body: Buffer.from(`{"note":"filler ${'x'.repeat(2000)} ${i}"}`) }))));
    await store.startWriteThread();
    const turns = countTurns();
    let indexDone = false;
    const indexed = store.prepareSearch().then(() => (indexDone = true));
    // A delivery saved while the index is being built is committed between slices, not after the whole index.
    await store.saveDelivery(delivery({ id: 'rcv_during', body: Buffer.from('{"note":"filler during"}') }));
    expect(indexDone).toBe(false);
    await indexed;
    expect(turns.stop()).toBeGreaterThan(10);
    expect(store.page({ search: 'filler', limit: 5000 }).rows).toHaveLength(3001);
    await store.stopWriteThread();
    store.close();
  });

  it('refuses to close the connection under a running thread', async () => {
    const store = new EventStore(tempDir('store-thread'));
    await store.startWriteThread();
    expect(() => store.close()).toThrow(/stopWriteThread/);
    await store.stopWriteThread();
    store.close();
  });
});
