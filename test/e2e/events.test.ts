import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/core/providers/mask.js';
import { verifyDelivery } from '../../src/core/providers/verification.js';
import { openEventStore } from '../../src/core/store/event-store.js';
import { runCli } from '../helpers/cli.js';
import { startHooksServer, tempDir, type HooksServer } from '../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

let server: HooksServer;
let app: Receiver;
let other: Receiver;
let listen: HooksListen;
let env: Record<string, string | undefined>;
const ids: Record<string, string> = {};
const STANDARD_SECRET = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';
const BAD_HEADERS = { 'x-ithbat-signature': `sha256=${'1'.repeat(64)}` };
const BAD_BODY = '{"type":"user.deleted","id":"evt_bad"}';

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver();
  other = await startReceiver((req) => (req.url === '/down' ? { status: 503 } : req.url === '/refuse' ? { status: 401 } : req.url === '/missing' ? { status: 404 } : { status: 200 }));
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
  listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--secret', STANDARD_SECRET], env);
  for (const [provider, type] of [['standard', 'user.created'], ['ithbat', 'tenant.updated'], ['standard', 'session.revoked']] as const) {
    await server.api('POST', '/webhooks/subscriptions', { name: `${provider}-${type}`, url: provider === 'ithbat' ? `${listen.localUrl}/ithbat` : listen.localUrl, events: [type], provider, secret: STANDARD_SECRET });
    const ev = await server.api('POST', '/events?wait=5000', { type, provider });
    const line = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === ev.json.id);
    ids[type] = line.id;
  }
  // One delivery with a bad signature, refused by listen.
  await fetch(listen.localUrl, { method: 'POST', headers: BAD_HEADERS, body: BAD_BODY });
  ids.bad = (await listen.waitForEvent((e) => e.type === 'delivery.rejected')).id;
});
afterAll(async () => {
  await listen.kill9();
  await server.kill9();
  await app.close();
  await other.close();
});
const hooks = (...args: string[]) => runCli([...args, '--data-dir', listen.dataDir], { env });

describe('hooks events', () => {
  it('lists newest first as a table and as JSON, with filters', async () => {
    const table = await hooks('events', 'list');
    for (const col of ['ID', 'TIME', 'PROVIDER', 'TYPE', 'SIGNATURE', 'LAST FORWARD']) expect(table.stdout).toContain(col);
    const all = JSON.parse((await hooks('events', 'list', '--json')).stdout);
    expect(all.map((d: { id: string }) => d.id)).toEqual([ids.bad, ids['session.revoked'], ids['tenant.updated'], ids['user.created']]);
    expect(JSON.parse((await hooks('events', 'list', '--type', 'user.*', '--json')).stdout).map((d: { id: string }) => d.id)).toEqual([ids.bad, ids['user.created']]);
    expect(JSON.parse((await hooks('events', 'list', '--status', 'invalid', '--json')).stdout).map((d: { id: string }) => d.id)).toEqual([ids.bad]);
    expect(JSON.parse((await hooks('events', 'list', '--status', 'forwarded', '--json')).stdout)).toHaveLength(3);
    expect(JSON.parse((await hooks('events', 'list', '--limit', '1', '--since', '1h', '--json')).stdout)).toHaveLength(1);
    expect((await hooks('events', 'list', '--status', 'weird')).code).toBe(2);
  });

  it('shows one delivery with headers, body, verdict and attempts; --raw writes the exact bytes', async () => {
    const r = await hooks('events', 'show', ids.bad!);
    // Why, and with which secret (masked), as listen's line said when it refused it.
    const why = verifyDelivery({ provider: 'ithbat', body: Buffer.from(BAD_BODY), headers: BAD_HEADERS, secret: STANDARD_SECRET });
    expect(r.stdout).toContain(`invalid (signature_mismatch): ${why.message}, checked with ${maskSecret(STANDARD_SECRET)}`);
    expect(r.stdout).toContain('x-ithbat-signature: sha256=1111');
    const ok = await hooks('events', 'show', ids['user.created']!);
    expect(ok.stdout).toContain('webhook-signature');
    expect(ok.stdout).toMatch(/forward +→ http:\/\/127\.0\.0\.1:\d+\/ 200/);
    const raw = await hooks('events', 'show', ids['user.created']!, '--raw');
    const store = await openEventStore(listen.dataDir);
    const stored = store.get(ids['user.created']!)!;
    await store.close();
    expect(raw.stdoutBytes.equals(stored.body)).toBe(true);
    const json = JSON.parse((await hooks('events', 'show', ids['user.created']!, '--json')).stdout);
    expect(Buffer.from(json.body_base64, 'base64').equals(stored.body)).toBe(true);
    expect(json.attempts[0]).toMatchObject({ kind: 'forward', status: 200 });
    expect((await hooks('events', 'show', 'rcv_nope')).code).toBe(1);
  });

  it('replays the stored bytes and headers to where they went, recording the attempt', async () => {
    const before = app.requests.length;
    const r = await hooks('events', 'replay', ids['tenant.updated']!);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // The target as it really was: a bare --forward gets the path the platform used.
    expect(r.stdout).toMatch(/✓ rcv_\w+ ithbat tenant.updated → http:\/\/127\.0\.0\.1:\d+\/ithbat 200/);
    const store = await openEventStore(listen.dataDir);
    const stored = store.get(ids['tenant.updated']!)!;
    expect(app.requests.length).toBe(before + 1);
    const got = app.requests.at(-1)!;
    expect(got.url).toBe('/ithbat');
    expect(got.body.equals(stored.body)).toBe(true);
    expect(got.headers['x-ithbat-signature']).toBe(stored.headers.find(([k]) => k.toLowerCase() === 'x-ithbat-signature')![1]);
    expect(store.attempts(stored.id).map((a) => a.kind)).toEqual(['forward', 'replay']);
    await store.close();
  });

  it('replays to another target with --to, including a running listen session, and exits 1 on failure', async () => {
    const r = await hooks('events', 'replay', ids['user.created']!, ids['session.revoked']!, '--to', `${other.url}/elsewhere`, '--json');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).ok)).toEqual([true, true]);
    expect(other.requests.filter((q) => q.url === '/elsewhere')).toHaveLength(2);
    const into = await hooks('events', 'replay', ids['user.created']!, '--to', listen.localUrl);
    expect(into.code, into.stdout).toBe(0);
    await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.id !== ids['user.created'] && e.event_type === 'user.created');
    const failing = await hooks('events', 'replay', ids['user.created']!, '--to', `${other.url}/down`);
    expect(failing.code).toBe(1);
    expect((await hooks('events', 'replay', 'rcv_missing')).code).toBe(1);
    expect((await hooks('events', 'replay')).code).toBe(2);
  });

  it("says what the app's refusal likely means, as listen does: a 401 to a verified delivery, a 404", async () => {
    const refused = await hooks('events', 'replay', ids['tenant.updated']!, '--to', `${other.url}/refuse`);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`your app refused a delivery hooks listen verified: likely its secret differs from this session's, or it verifies a re-serialized body instead of the raw bytes; hooks audit ${other.url}/refuse --provider ithbat --secret … finds which`);
    const json = JSON.parse((await hooks('events', 'replay', ids['tenant.updated']!, '--to', `${other.url}/refuse`, '--json')).stdout);
    expect(json.hint).toEqual({ finding: 'your app refused a delivery hooks listen verified', advice: expect.stringContaining('hooks audit') });
    const missing = await hooks('events', 'replay', ids['tenant.updated']!, '--to', `${other.url}/missing`);
    expect(missing.stdout).toContain(`nothing at /missing on your app: is the path right? the path goes in the target, e.g. --to localhost:${new URL(other.url).port}/webhooks`);
    // An invalid delivery refused again says nothing about the app.
    const invalid = await hooks('events', 'replay', ids.bad!, '--to', `${other.url}/refuse`);
    expect(invalid.stdout).not.toContain('your app refused');
  });

  it('says so when it replays deliveries whose signature was invalid', async () => {
    const r = await hooks('events', 'replay', '--all', '--status', 'invalid', '--to', `${other.url}/invalid`);
    expect(r.stderr).toContain('warning this delivery failed signature verification when received (verdict invalid)');
    expect(r.stderr).toContain('--resign');
    const valid = await hooks('events', 'replay', '--all', '--type', 'session.*', '--to', `${other.url}/valid`);
    expect(valid.stderr).not.toContain('verdict invalid');
  });

  it('replays --all matching a filter', async () => {
    const r = await hooks('events', 'replay', '--all', '--type', 'session.*', '--to', `${other.url}/all`);
    expect(r.code).toBe(0);
    expect(other.requests.filter((q) => q.url === '/all')).toHaveLength(1);
  });

  it('warns when a timestamped signature is stale, and re-signs it with --resign', async () => {
    // Age the stored delivery by 10 minutes, as if replayed later.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${listen.dataDir}/events.db`);
    db.prepare('UPDATE deliveries SET received_at = received_at - 600000 WHERE id = ?').run(ids['user.created']);
    db.close();
    const stale = await hooks('events', 'replay', ids['user.created']!, '--to', `${other.url}/stale`);
    expect(stale.stderr).toContain('--resign');
    const resigned = await hooks('events', 'replay', ids['user.created']!, '--to', `${other.url}/fresh`, '--resign', '--secret', STANDARD_SECRET);
    expect(resigned.code).toBe(0);
    expect(resigned.stdout).toContain('re-signed');
    const [old] = other.requests.filter((q) => q.url === '/stale');
    const [fresh] = other.requests.filter((q) => q.url === '/fresh');
    expect(fresh!.body.equals(old!.body)).toBe(true);
    expect(fresh!.headers['webhook-id']).toBe(old!.headers['webhook-id']);
    expect(Number(fresh!.headers['webhook-timestamp'])).toBeGreaterThan(Number(old!.headers['webhook-timestamp']));
    expect(verifyDelivery({ provider: 'standard', body: fresh!.body, headers: fresh!.headers as Record<string, string>, secret: STANDARD_SECRET }).valid).toBe(true);
    expect((await hooks('events', 'replay', ids['user.created']!, '--resign')).code).toBe(2);
    expect((await runCli(['events', 'replay', ids['user.created']!, '--resign', '--data-dir', listen.dataDir], { env: { ...env, HOOKS_SECRET: '' } })).code).toBe(2);
  });

  it('deletes and prunes', async () => {
    const dir = tempDir('store');
    const store = await openEventStore(dir);
    const base = { method: 'POST', path: '/', headers: [] as Array<[string, string]>, body: Buffer.from('{}'), body_size: 2, body_sha256: null, body_truncated: false, provider: null, event_id: null, event_type: 'x', verdict: 'unverified' as const, reason: null, hints: [], targets: [], session: null, last_status: null, last_outcome: null };
    await store.saveDelivery({ ...base, id: 'rcv_old', received_at: Date.now() - 40 * 86_400_000 });
    await store.saveDelivery({ ...base, id: 'rcv_new', received_at: Date.now() });
    await store.saveDelivery({ ...base, id: 'rcv_gone', received_at: Date.now() });
    await store.close();
    const del = await runCli(['events', 'delete', 'rcv_gone', '--data-dir', dir, '--json'], { env });
    expect(JSON.parse(del.stdout)).toEqual({ deleted: 1 });
    const prune = await runCli(['events', 'prune', '--older-than', '30d', '--data-dir', dir, '--json'], { env });
    expect(JSON.parse(prune.stdout)).toEqual({ deleted: 1 });
    const left = JSON.parse((await runCli(['events', 'list', '--data-dir', dir, '--json'], { env })).stdout);
    expect(left.map((d: { id: string }) => d.id)).toEqual(['rcv_new']);
  });
});
