import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openEventStore } from '../../../src/core/store/event-store.js';
import { countTurns } from '../../helpers/event-loop.js';
import { aDelivery as delivery } from '../../helpers/deliveries.js';
import { tempDir } from '../../helpers/hooks-process.js';

describe('EventStore', () => {
  it('commits a delivery with its forwards before the promise resolves, and reads it back exactly', async () => {
    const dir = tempDir('store');
    const store = await openEventStore(dir);
    const d = delivery({ body: Buffer.from([0xff, 0x00, 0x0a]), body_size: 3, headers: [['X-A', '1'], ['x-a', '2']] });
    await store.saveDelivery(d, [{ delivery_id: d.id, kind: 'forward', target: 'http://127.0.0.1:3000/', started_at: 1, status: 503, duration_ms: 2.5, error: null, response_excerpt: Buffer.from('busy'), resigned: false }]);
    // Another connection sees it: it is on disk, not in a batch.
    const other = new Database(join(dir, 'events.db'), { readonly: true });
    expect(other.prepare('SELECT count(*) AS n FROM deliveries').get()).toEqual({ n: 1 });
    other.close();
    const back = store.get(d.id)!;
    expect(back.body.equals(d.body)).toBe(true);
    expect(back.headers).toEqual([['X-A', '1'], ['x-a', '2']]);
    expect(back).toMatchObject({ last_status: 503, last_outcome: 'failed' });
    await store.close();
  });

  it('filters by type pattern, verdict, outcome and time, newest first', async () => {
    const store = await openEventStore(tempDir('store'));
    const now = Date.now();
    await store.saveDelivery(delivery({ event_type: 'user.created', received_at: now - 3000 }));
    await store.saveDelivery(delivery({ event_type: 'user.deleted', received_at: now - 2000, verdict: 'invalid' }));
    await store.saveDelivery(delivery({ event_type: 'tenant.updated', received_at: now - 1000, last_outcome: 'failed', last_status: 502 }));
    expect(store.list({ limit: 10 }).map((d) => d.event_type)).toEqual(['tenant.updated', 'user.deleted', 'user.created']);
    expect(store.list({ limit: 10, typePattern: 'user.*' }).map((d) => d.event_type)).toEqual(['user.deleted', 'user.created']);
    expect(store.list({ limit: 10, verdict: 'invalid' })).toHaveLength(1);
    expect(store.list({ limit: 10, outcome: 'failed' })).toHaveLength(1);
    expect(store.list({ limit: 10, since: now - 1500 })).toHaveLength(1);
    await store.close();
  });

  it('counts every answer that is not 2xx as failed: the platform would send it again (404, 413, a redirect, a 5xx, none)', async () => {
    const store = await openEventStore(tempDir('store'));
    const answered = async (status: number | null) => {
      const d = delivery();
      await store.saveDelivery(d, [{ delivery_id: d.id, kind: 'forward', target: 'http://127.0.0.1:3000/', started_at: 1, status, duration_ms: 1, error: status === null ? 'connection refused' : null, response_excerpt: null, resigned: false }]);
      return d.id;
    };
    const ok = await answered(204);
    const failed = await Promise.all([404, 413, 302, 500, null].map(answered));
    expect(store.list({ limit: 10, outcome: 'failed' }).map((d) => d.id).sort()).toEqual([...failed].sort());
    expect(store.list({ limit: 10, outcome: 'forwarded' }).map((d) => d.id)).toEqual([ok]);
    await store.close();
  });

  it('reads a store written when only 5xx counted as failed by the rule of today', async () => {
    const dir = tempDir('store');
    const first = await openEventStore(dir);
    const d = delivery({ last_status: 404, last_outcome: 'forwarded' });
    await first.saveDelivery(d);
    await first.close();
    // As an older hooks left it: the rule's mark absent.
    const db = new Database(join(dir, 'events.db'));
    db.exec("DELETE FROM store_meta WHERE key = 'outcome_rule'");
    db.close();
    const again = await openEventStore(dir);
    expect(again.get(d.id)).toMatchObject({ last_status: 404, last_outcome: 'failed' });
    await again.close();
  });

  it('keeps under a size and age limit, oldest first', async () => {
    const store = await openEventStore(tempDir('store'));
    const now = Date.now();
    await store.saveDelivery(delivery({ id: 'rcv_ancient', received_at: now - 40 * 86_400_000 }));
    for (let i = 0; i < 20; i++) await store.saveDelivery(delivery({ id: `rcv_big_${i}`, received_at: now - 1000 + i, body: Buffer.alloc(40_000, 0x61), body_size: 40_000 }));
    const removed = await store.enforce({ maxBytes: 300_000, maxAgeMs: 30 * 86_400_000 }, now);
    expect(removed).toBeGreaterThan(10);
    expect(store.usage().bytes).toBeLessThanOrEqual(300_000);
    const left = store.list({ limit: 100 }).map((d) => d.id);
    expect(left).not.toContain('rcv_ancient');
    expect(left).toContain('rcv_big_19');
    expect(left).not.toContain('rcv_big_0');
    await store.close();
  });

  it('finds text in bodies, indexing what was stored since the last search, in chunks', async () => {
    const store = await openEventStore(tempDir('store'));
    for (let i = 0; i < 2500; i++) await store.saveDelivery(delivery({ body: Buffer.from(i === 2100 ? '{"note":"rare-word here"}' : '{"note":"filler"}') }));
    await store.prepareSearch();
    expect(store.page({ search: 'rare-word', limit: 10 }).rows.map((r) => r.body_size)).toHaveLength(1);
    await store.saveDelivery(delivery({ id: 'rcv_later', body: Buffer.from('{"note":"another rare-word"}') }));
    await store.saveDelivery(delivery({ id: 'rcv_binary', body: Buffer.from([0xff, 0xfe, 0x72, 0x61, 0x72, 0x65]) }));
    await store.prepareSearch();
    expect(store.page({ search: 'rare-word', limit: 10 }).rows.map((r) => r.id)[0]).toBe('rcv_later');
    expect(await store.remove(['rcv_later'])).toBe(1);
    expect(store.page({ search: 'rare-word', limit: 10 }).rows).toHaveLength(1);
    // Two characters: too short for the index, found by a scan.
    expect(store.page({ search: 'ra', limit: 10 }).rows.length).toBeGreaterThan(0);
    await store.close();
  });

  it('builds the search index in slices with turns of the event loop between them, so a first search does not hold up a session', async () => {
    const store = await openEventStore(tempDir('store'));
    await Promise.all(Array.from({ length: 3000 }, (_, i) => store.saveDelivery(delivery({ body: Buffer.from(`{"note":"filler ${'x'.repeat(2000)} ${i}"}`) }))));
    const turns = countTurns();
    await Promise.all([store.prepareSearch(), store.prepareSearch()]);
    expect(turns.stop()).toBeGreaterThan(1);
    expect(store.page({ search: 'filler', limit: 5000 }).rows).toHaveLength(3000);
    await store.close();
  });

  it('adds the columns of newer versions to a store written before them', async () => {
    const dir = tempDir('store');
    const old = new Database(join(dir, 'events.db'));
    old.exec(`CREATE TABLE deliveries (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, received_at INTEGER NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
      headers TEXT NOT NULL, body BLOB NOT NULL, provider TEXT, event_id TEXT, event_type TEXT, verdict TEXT NOT NULL, reason TEXT, hints TEXT NOT NULL,
      targets TEXT NOT NULL, session TEXT, last_status INTEGER, last_outcome TEXT)`);
    old.prepare(`INSERT INTO deliveries (id, received_at, method, path, headers, body, verdict, hints, targets) VALUES ('rcv_old', 1, 'POST', '/', '[]', x'7b7d', 'unverified', '[]', '[]')`).run();
    old.close();
    const store = await openEventStore(dir);
    expect(store.get('rcv_old')).toMatchObject({ body_size: 2, body_sha256: null, body_truncated: false });
    await store.close();
  });
});
