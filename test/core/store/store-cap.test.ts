import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type * as StoreModule from '../../../src/core/store/event-store.js';
import { aDelivery as delivery } from '../../helpers/deliveries.js';
import { sampleDir } from '../../helpers/dir-sampler.js';
import { tempDir } from '../../helpers/hooks-process.js';

// Issue #35 item 4: the size cap is a bound on the disk, for the database,
// its WAL and its shared memory together, at every moment and at any cap,
// whatever the mix of writes: small and large bodies, the retention pass
// listen runs every 10 s, deletes. The directory is sampled every
// millisecond on a thread of its own.
const { openEventStore } = (await import(new URL('../../../dist/core/store/event-store.js', import.meta.url).href)) as typeof StoreModule;
const MB = 1024 * 1024;

describe.each([10, 20])('the store under a %i MB cap', (capMb) => {
  it('never takes more than the cap on disk, and keeps a body too large for it in part', async () => {
    const dir = tempDir('store-cap');
    const store = await openEventStore(dir, { writer: 'threaded' });
    const retention = { maxBytes: capMb * MB, maxAgeMs: 86_400_000 };
    await store.enforce(retention);
    const sampler = sampleDir(dir, 'events.db');
    const ids: string[] = [];
    const write = (size: number, fill: number) => {
      const d = delivery({ body: Buffer.alloc(size, fill), body_size: size });
      ids.push(d.id);
      return store.saveDelivery(d);
    };
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 12; i++) await write(MB, 0x61 + i);
      // Concurrent small ones: batches of several writes in one commit.
      await Promise.all(Array.from({ length: 100 }, (_, i) => write(20 * 1024, 0x41 + (i % 26))));
      await store.enforce(retention);
      for (let i = 0; i < 4; i++) await write(Math.floor(capMb * MB * 0.2), 0x30 + i);
      await store.remove(ids.splice(ids.length - 150, 60));
      await store.enforce(retention);
    }
    const big = delivery({ body: Buffer.alloc(10 * MB, 0x7a), body_size: 10 * MB });
    await store.saveDelivery(big);
    await write(MB, 0x62);
    const { most, samples, at } = await sampler.stop();
    expect(samples).toBeGreaterThan(100);
    expect(most, `largest sample: ${JSON.stringify(at)}`).toBeLessThanOrEqual(capMb * MB);
    // Over a quarter of the cap, a body is kept as a rejected one is: its first 64 KB, its size and its digest.
    const kept = store.get(big.id)!;
    expect(kept).toMatchObject({ body_truncated: true, body_size: 10 * MB, body_sha256: createHash('sha256').update(big.body).digest('hex') });
    expect(kept.body.length).toBe(64 * 1024);
    expect(store.get(ids.at(-1)!)).not.toBeNull();
    await store.close();
  }, 60_000);
});
