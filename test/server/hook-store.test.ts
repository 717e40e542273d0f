import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import type { StoreNotice } from '../../src/server/store/platform-store.js';
import { openPlatformStore, type OpenedStore } from '../../src/server/store/open.js';
import type { HookRow, HookRunRow } from '../../src/server/store/rows.js';
import { tempDir } from '../helpers/hooks-process.js';
import { usePostgres } from '../helpers/postgres.js';

const postgres = usePostgres();

const hook = (over: Partial<HookRow> = {}): HookRow => ({ id: newId('hook'), name: 'Token inline hook', provider: 'okta', type: 'com.okta.oauth2.tokens.transform', url: 'http://127.0.0.1:9/token', secret: 'okta-authorization-value', fail_open: false, created_at: 1_800_000_000_000, ...over });

/** A run whose request and outcome hold what JSON text must carry as is: key order, a NUL, astral characters. */
const run = (hookId: string, over: Partial<HookRunRow> = {}): HookRunRow => ({
  id: newId('run'),
  hook_id: hookId,
  flow: 'sign-in',
  email: 'ada@example.com',
  started_at: 1_800_000_000_500,
  request: { headers: { authorization: 'okta****', accept: 'application/json' }, payload: { z: 1, a: { y: 'nul \u0000 here', b: '𝔘' } } },
  outcome: {
    provider: 'okta',
    type: 'com.okta.oauth2.tokens.transform',
    name: 'Token inline hook',
    url: 'http://127.0.0.1:9/token',
    attempts: [{ attempt: 1, status: 200, latency_ms: 3.5, error: null, late: false, content_type: 'application/json', response_excerpt: '{"commands":[]}' }],
    verdict: { proceeds: true, path: 'answer', summary: 'no changes', reason: null, result: { tokens: {} }, violations: [] },
    contract: { deadline_ms: 3000, deadline_per: 'attempt', retry: 'none', fails: 'open', on_failure: 'original token', configurable: null, auth: 'header' },
  },
  ...over,
});

describe.each(['sqlite', 'postgres'] as const)('the hook store over %s', (kind) => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  let store: OpenedStore;
  const open = () => openPlatformStore({ dataDir, databaseUrl }, () => undefined);

  beforeAll(async () => {
    dataDir = tempDir('hook-store');
    databaseUrl = kind === 'postgres' ? await postgres.database() : undefined;
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });

  it('keeps registrations newest first by insertion, their secrets, and removes them', async () => {
    // The same millisecond, as two instances may stamp it: insertion decides.
    const [first, second] = [hook(), hook({ secret: null, provider: 'firebase', type: 'beforeCreate', fail_open: true })];
    await store.hooks.insert(first);
    await store.hooks.insert(second);
    expect(await store.hooks.list()).toEqual([second, first]);
    expect(await store.hooks.get(first.id)).toEqual(first);
    expect(await store.hooks.get('hook_none')).toBeNull();
    expect(await store.hooks.delete(second.id)).toBe(true);
    expect(await store.hooks.delete(second.id)).toBe(false);
    expect(await store.hooks.list()).toEqual([first]);
  });

  it('keeps runs as answered, newest first, by hook or all, and tells of each', async () => {
    const [a, b] = [hook(), hook()];
    await Promise.all([store.hooks.insert(a), store.hooks.insert(b)]);
    const notices: StoreNotice[] = [];
    const stop = store.subscribe((n) => notices.push(n));
    const runs = [run(a.id), run(b.id), run(a.id, { email: null, flow: 'registration' })];
    for (const r of runs) await store.hooks.record(r);
    stop();
    expect(notices.filter((n) => n.type === 'hook_ran')).toEqual(runs.map((r) => ({ type: 'hook_ran', hook_id: r.hook_id, run_id: r.id })));
    const stored = await store.hooks.runs(a.id, 10);
    expect(stored).toEqual([runs[2], runs[0]]);
    // Key order and every character survive: the API answers a stored run as it answered it fresh.
    expect(JSON.stringify(stored[1])).toBe(JSON.stringify(runs[0]));
    expect((await store.hooks.runs(null, 2)).map((r) => r.id)).toEqual([runs[2]!.id, runs[1]!.id]);
    // A run stays in the feed after its registration is removed.
    await store.hooks.delete(b.id);
    expect((await store.hooks.runs(null, 10)).map((r) => r.id)).toContain(runs[1]!.id);
  });

  it("a store written before the hook tables existed gains them and keeps what it held", async () => {
    const sub = newId('sub');
    await store.subscriptions.insert({ id: sub, name: 'kept', url: 'http://127.0.0.1:9/in', events: ['*'], description: null, provider: 'standard', active: true, secret: 'whsec_kept', created_at: Date.now() });
    await store.close();
    // Back to the previous schema version: as the last release left the file or the database.
    if (kind === 'sqlite') {
      const db = new Database(`${dataDir}/server.db`);
      db.exec('DROP TABLE hook_runs; DROP TABLE hook_registrations; DROP TABLE settings; PRAGMA user_version = 1;');
      db.close();
    } else {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query('DROP TABLE hook_runs; DROP TABLE hook_registrations; DELETE FROM hooks_migrations WHERE version = 2;');
      await client.end();
    }
    store = await open();
    expect((await store.subscriptions.get(sub))?.name).toBe('kept');
    const h = hook();
    await store.hooks.insert(h);
    await store.hooks.record(run(h.id));
    expect(await store.hooks.list()).toEqual([h]);
    expect(await store.hooks.runs(h.id, 5)).toHaveLength(1);
  });
});
