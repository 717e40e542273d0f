import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import type { RelayEvent } from '../../../src/core/relay/events.js';
import { Relay } from '../../../src/core/relay/relay.js';
import { SessionSecrets } from '../../../src/core/relay/session-secrets.js';
import { parseRoute } from '../../../src/core/relay/routes.js';
import { openEventStore, type EventStore } from '../../../src/core/store/event-store.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

const SECRET = 'in-process-relay-secret';
const sign = (body: Buffer) => Object.entries(getProvider('ithbat').scheme.sign(body, SECRET, { id: 'm', timestamp: 0 }));

let app: Receiver;
let users: Receiver;
let store: EventStore;
let relay: Relay;
let url: string;
const events: RelayEvent[] = [];

beforeAll(async () => {
  app = await startReceiver(() => ({ status: 200, body: 'app ok', headers: { 'content-type': 'text/plain', 'retry-after': '7' } }));
  users = await startReceiver(() => ({ status: 201, body: 'users' }));
  store = await openEventStore(tempDir('relay-store'));
  relay = new Relay({
    forwards: [new URL(app.url)],
    routes: [parseRoute(`user.*=${users.url}/users`)],
    provider: 'ithbat',
    custom: [],
    forwardInvalid: false,
    timeoutMs: 2000,
    maxBodyBytes: 64 * 1024,
    insecure: false,
    store,
    session: 'ses_test',
    emit: (e) => events.push(e),
  });
  relay.setSecrets(new SessionSecrets({ secret: SECRET }));
  url = await relay.start();
});
afterAll(async () => {
  await relay.close();
  await store.close();
  await Promise.all([app.close(), users.close()]);
});

const ofType = <T extends RelayEvent['type']>(type: T) => events.filter((e): e is Extract<RelayEvent, { type: T }> => e.type === type);

describe('Relay, in process', () => {
  it('verifies, stores before answering, forwards, and answers with the target status, body and content type', async () => {
    const body = Buffer.from('{"id":"evt_ok","type":"tenant.updated"}');
    const r = await rawPost(`${url}/in`, body, sign(body));
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('app ok');
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.headers['retry-after']).toBe('7');
    // The answer came after the commit: the row is readable now, with its forward.
    const d = store.list({ limit: 1 })[0]!;
    expect(d).toMatchObject({ event_id: 'evt_ok', event_type: 'tenant.updated', verdict: 'verified', provider: 'ithbat', last_outcome: 'forwarded', last_status: 200, session: 'ses_test' });
    expect(d.body.equals(body)).toBe(true);
    expect(store.attempts(d.id)).toMatchObject([{ kind: 'forward', status: 200, target: `${app.url}/in` }]);
    expect(ofType('delivery.forwarded').at(-1)).toMatchObject({ id: d.id, status: 200, verdict: 'verified' });
  });

  it("forwards a signed header even when the sender's Connection header names it, and says the sender tried", async () => {
    const body = Buffer.from('{"id":"evt_conn","type":"tenant.updated"}');
    const signed = sign(body);
    const r = await rawPost(`${url}/in`, body, [...signed, ['Connection', `keep-alive, ${signed[0]![0]}`]]);
    expect(r.status).toBe(200);
    expect(app.requests.at(-1)!.headers[signed[0]![0].toLowerCase()]).toBe(signed[0]![1]);
    expect(ofType('listen.warning').at(-1)!.message).toMatch(new RegExp(`Connection header names ${signed[0]![0].toLowerCase()}`));
  });

  it('routes by event type', async () => {
    const body = Buffer.from('{"id":"evt_u","type":"user.created"}');
    expect((await rawPost(`${url}/in`, body, sign(body))).status).toBe(201);
    expect(users.requests.at(-1)!.url).toBe('/users');
  });

  it('refuses an invalid signature with 401 and the diagnosis, stores it, forwards nothing', async () => {
    const before = app.requests.length;
    const body = Buffer.from('{"id":"evt_bad","type":"tenant.updated"}');
    const r = await rawPost(`${url}/in`, Buffer.from(`${body}\n`), sign(body));
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body.toString()).error.hints.map((h: { code: string }) => h.code)).toContain('newline_changed');
    expect(app.requests.length).toBe(before);
    const refused = store.list({ limit: 1, status: 'invalid' })[0]!;
    expect(refused).toMatchObject({ event_id: 'evt_bad', last_outcome: 'rejected', last_status: 401 });
    // The 401 the sender got is in the attempt list (the inspector's and events show's), with the answer it carried.
    const [attempt] = store.attempts(refused.id);
    expect(attempt).toMatchObject({ kind: 'refusal', target: 'sender', status: 401 });
    expect(attempt!.error).toMatch(/^signature_mismatch: /);
    expect(JSON.parse(attempt!.response_excerpt!.toString()).error.hints.map((h: { code: string }) => h.code)).toContain('newline_changed');
  });

  it('answers 413 over maxBodyBytes', async () => {
    const r = await rawPost(`${url}/in`, Buffer.alloc(70 * 1024, 0x20), []).catch(() => ({ status: 413 }));
    expect(r.status).toBe(413);
    expect(ofType('delivery.rejected').at(-1)).toMatchObject({ status: 413 });
  });

  it('echoes a WebSub challenge exactly', async () => {
    const r = await fetch(`${url}/?hub.mode=subscribe&hub.topic=t&hub.challenge=c%20h%2Fa&hub.lease_seconds=10`);
    expect(await r.text()).toBe('c h/a');
    expect(ofType('websub.challenge').at(-1)).toMatchObject({ mode: 'subscribe', topic: 't' });
  });

  it('answers its own health probe with the nonce, only while it is expected, and stores and emits nothing', async () => {
    const stored = store.usage().deliveries;
    const seen = events.length;
    const nonce = 'a1'.repeat(12);
    expect((await fetch(`${url}/.well-known/hooks-probe/${nonce}`)).status).toBe(404);
    relay.expectProbe(nonce);
    const r = await fetch(`${url}/.well-known/hooks-probe/${nonce}`);
    expect([r.status, await r.text()]).toEqual([200, nonce]);
    // Behind a --public-url with a path prefix, too.
    expect(await (await fetch(`${url}/webhooks/.well-known/hooks-probe/${nonce}`)).text()).toBe(nonce);
    relay.forgetProbe(nonce);
    expect((await fetch(`${url}/.well-known/hooks-probe/${nonce}`)).status).toBe(404);
    expect(store.usage().deliveries).toBe(stored);
    expect(events.length).toBe(seen);
    expect(app.requests.every((q) => !q.url.includes('hooks-probe'))).toBe(true);
  });

  it('stores the session subscription with each delivery verified as its provider: where catch-up starts', async () => {
    relay.setSubscriptions([{ id: 'sub_catch', provider: 'ithbat' }]);
    const body = Buffer.from('{"id":"evt_sub","type":"tenant.updated"}');
    await rawPost(`${url}/in`, body, sign(body));
    // One subscription a provider: each delivery is stored with its own provider's.
    relay.setSubscriptions([{ id: 'sub_std', provider: 'standard' }, { id: 'sub_own', provider: 'ithbat' }]);
    const own = Buffer.from('{"id":"evt_sub2","type":"tenant.updated"}');
    await rawPost(`${url}/in`, own, sign(own));
    relay.setSubscriptions([]);
    const [second, first] = store.list({ limit: 2 });
    expect(first!.subscription_id).toBe('sub_catch');
    expect(second!.subscription_id).toBe('sub_own');
    expect(store.lastReceivedFor('sub_catch')).toBe(first!.received_at);
    expect(store.lastReceivedFor('sub_std')).toBeNull();
  });

  it('answers 503 with Retry-After while its tunnel restarts, forwards and stores nothing, and takes deliveries again after', async () => {
    const before = app.requests.length;
    const stored = store.usage().deliveries;
    relay.setPaused(true);
    const body = Buffer.from('{"id":"evt_paused","type":"tenant.updated"}');
    const r = await rawPost(`${url}/in`, body, sign(body));
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect(JSON.parse(r.body.toString()).error.code).toBe('tunnel_restarting');
    expect(app.requests.length).toBe(before);
    expect(store.usage().deliveries).toBe(stored);
    relay.setPaused(false);
    expect((await rawPost(`${url}/in`, body, sign(body))).status).toBe(200);
    expect(app.requests.length).toBe(before + 1);
  });

  it('answers 503 with Retry-After while draining, and still answers WebSub', async () => {
    await relay.drain(100);
    const body = Buffer.from('{"id":"evt_late","type":"tenant.updated"}');
    const r = await rawPost(`${url}/in`, body, sign(body));
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect(await (await fetch(`${url}/?hub.mode=unsubscribe&hub.challenge=bye`)).text()).toBe('bye');
  });
});
