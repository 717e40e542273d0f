import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectorRecords } from '../../src/core/config/inspectors.js';
import { getProvider } from '../../src/core/providers/registry.js';
import { HeaderBag } from '../../src/core/signing/headers.js';
import { inboxOver } from '../../src/core/inbox/inbox.js';
import { EventStore, openEventStore, type ReceivedDelivery } from '../../src/core/store/event-store.js';
import { startInspector, type RunningInspector } from '../../src/inspector/server.js';
import { HAR_SCHEMA } from '../helpers/har-schema.js';
import { tempDir } from '../helpers/hooks-process.js';
import { openSession, pageRequest } from '../helpers/page-client.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

const SECRET = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';
const sign = (body: Buffer) => getProvider('standard').scheme.sign(body, SECRET, { id: 'msg_inspect', timestamp: Math.floor(Date.now() / 1000) });

let app: Receiver;
let inspector: RunningInspector;
let store: EventStore;
let session: Awaited<ReturnType<typeof openSession>>;
const dataDir = tempDir('inspect');
const ids: string[] = [];
/** What `hooks inspect --link` reads: the key in this process's 0600 inspector record. */
const linkKey = () => inspectorRecords.running().find((r) => r.pid === process.pid)!.link_key;

function delivery(body: Buffer, over: Partial<ReceivedDelivery> = {}): ReceivedDelivery {
  const id = EventStore.newId();
  ids.push(id);
  return {
    id,
    received_at: Date.now(),
    method: 'POST',
    path: '/hooks?source=test',
    headers: [['Host', 'abc.trycloudflare.com'], ['Content-Type', 'application/json'], ...Object.entries(sign(body))],
    body,
    body_size: body.length,
    body_sha256: null,
    body_truncated: false,
    provider: 'standard',
    event_id: 'msg_inspect',
    event_type: 'user.created',
    verdict: 'verified',
    reason: null,
    hints: [],
    targets: [`${app.url}/app`],
    session: 'ses_test',
    last_status: null,
    last_outcome: null,
    ...over,
  };
}

beforeAll(async () => {
  app = await startReceiver(() => ({ status: 202, body: 'accepted', headers: { 'content-type': 'text/plain', 'x-app': 'yes' } }));
  store = await openEventStore(dataDir);
  await store.saveDelivery(delivery(Buffer.from('{"type":"user.created","data":{"email":"amira@example.com"}}')), [
    { delivery_id: ids[0]!, kind: 'forward', target: `${app.url}/app`, started_at: Date.now(), status: 200, duration_ms: 3.2, error: null, response_excerpt: Buffer.from('ok'), response_headers: { 'content-type': 'text/plain' }, resigned: false },
  ]);
  await store.saveDelivery(delivery(Buffer.from([0xff, 0xfe, 0x00, 0x7b]), { provider: 'github', event_type: null, verdict: 'invalid' }));
  await store.saveDelivery(delivery(Buffer.from('{"type":"user.deleted","data":{"email":"lucas@example.org"}}'), { event_type: 'user.deleted', notes: ['lacks timestamp', 'lacks data.user_id'] }));
  // As hooks inspect --secret builds it.
  const inbox = inboxOver(store, { secretFor: (p) => (p === 'standard' ? SECRET : null), timeoutMs: 2000, hints: { sign: 'run hooks inspect --secret S, or replay it from a hooks listen session' } });
  inspector = await startInspector({ inbox, session: () => ({ mode: 'inspect', public_url: null, provider: null }), port: 0 });
  session = await openSession(inspector.url);
});
afterAll(async () => {
  await inspector.close();
  await store.close();
  await app.close();
});

describe('the inspector refuses what a hostile page could send', () => {
  it('needs the session header, which only a page opened from a live link gets; no cookie is ever set', async () => {
    const origin = new URL(inspector.url).origin;
    expect((await pageRequest(`${origin}/api/meta`)).status).toBe(401);
    expect((await pageRequest(`${origin}/api/meta`, { headers: { 'x-hooks-session': 'guess' } })).status).toBe(401);
    // The printed link's token is not a session: it opens a page, nothing else.
    const token = new URL(inspector.url).searchParams.get('token')!;
    expect((await pageRequest(`${origin}/api/meta`, { headers: { 'x-hooks-session': token, authorization: `Bearer ${token}` } })).status).toBe(401);
    const page = await pageRequest(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('hooks-session');
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('opens a session once per link: used, unknown or expired links get a styled page naming the command for a new one', async () => {
    const origin = new URL(inspector.url).origin;
    for (const url of [inspector.url, `${origin}/?token=wrong`]) {
      const r = await pageRequest(url);
      expect(r.status).toBe(403);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.text).toContain('This link has been used or has expired');
      expect(r.text).toContain('hooks inspect --link');
      expect(r.text).toContain('/assets/styles.css');
    }
  });

  it('never redirects after the exchange, so a path cannot send the token elsewhere', async () => {
    const link = await pageRequest(`${new URL(inspector.url).origin}/api/link`, { method: 'POST', headers: { authorization: `Bearer ${linkKey()}` } });
    const token = new URL(link.json.url).searchParams.get('token');
    const r = await pageRequest(`${new URL(inspector.url).origin}//evil.example/x?token=${token}`);
    expect(r.headers.location).toBeUndefined();
    expect(r.status).toBe(401);
  });

  it('refuses any Host but the loopback name and port (DNS rebinding), even with a session', async () => {
    const ok = await session.get('/api/meta');
    expect(ok.status).toBe(200);
    const own = { 'x-hooks-session': session.session };
    for (const host of ['evil.example', `evil.example:${new URL(inspector.url).port}`, '127.0.0.1:1']) {
      expect((await pageRequest(`${session.origin}/api/meta`, { headers: { host, ...own } })).status, host).toBe(403);
      expect((await pageRequest(`${session.origin}/`, { headers: { host } })).status, host).toBe(403);
    }
    expect((await pageRequest(`${session.origin}/api/meta`, { headers: { host: `localhost:${new URL(inspector.url).port}`, ...own } })).status).toBe(200);
  });

  it('refuses a state-changing request from another origin, or with none', async () => {
    const own = { 'x-hooks-session': session.session };
    for (const headers of [{ ...own, origin: 'https://evil.example' }, own]) {
      const r = await pageRequest(`${session.origin}/api/deliveries/${ids[0]}/replay`, { method: 'POST', headers, body: {} });
      expect(r.status).toBe(403);
    }
    expect(app.requests).toHaveLength(0);
  });

  it('keeps sessions apart: a second link opens a second session, and neither ends the other', async () => {
    const link = await pageRequest(`${session.origin}/api/link`, { method: 'POST', headers: { authorization: `Bearer ${linkKey()}` } });
    expect(link.status).toBe(200);
    const second = await openSession(link.json.url);
    expect(second.session).not.toBe(session.session);
    expect((await second.get('/api/meta')).status).toBe(200);
    expect((await session.get('/api/meta')).status).toBe(200);
    // The link key itself opens nothing but links.
    expect((await pageRequest(`${session.origin}/api/meta`, { headers: { authorization: `Bearer ${linkKey()}` } })).status).toBe(401);
    expect((await pageRequest(`${session.origin}/api/link`, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('lets a session hold 4 live streams at most, closing the oldest, so its pages and API calls always get through', async () => {
    const { request } = await import('node:http');
    const open = (i: number) =>
      new Promise<{ closed: Promise<void>; destroy(): void }>((resolve) => {
        const req = request(`${session.origin}/api/stream?after=0&n=${i}`, { headers: { 'x-hooks-session': session.session } });
        req.on('response', (res) => {
          const closed = new Promise<void>((r) => res.on('close', () => r()));
          res.resume();
          resolve({ closed, destroy: () => req.destroy() });
        });
        req.on('error', () => undefined);
        req.end();
      });
    const streams = [];
    for (let i = 0; i < 70; i++) streams.push(await open(i));
    try {
      // The 66 oldest were closed by the server; the 4 newest are open.
      await Promise.all(streams.slice(0, 66).map((s) => s.closed));
      expect((await session.get('/api/meta')).status).toBe(200);
      expect((await session.get('/')).status).toBe(200);
    } finally {
      streams.forEach((s) => s.destroy());
    }
  });

  it('sends a strict CSP and no CORS header, and never a secret', async () => {
    const page = await session.get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    for (const path of ['/', '/api/meta', `/api/deliveries/${ids[0]}`, '/api/deliveries']) {
      const r = await session.get(path);
      expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(r.text).not.toContain(SECRET.slice(6));
    }
    expect((await session.get('/api/meta')).json.secret).toBeNull();
  });
});

describe('the inspector API', () => {
  it('lists newest first with filters, search in bodies, and keyset pages', async () => {
    const all = (await session.get('/api/deliveries')).json;
    expect(all.rows.map((r: { id: string }) => r.id)).toEqual([...ids].reverse());
    expect((await session.get('/api/deliveries?provider=github')).json.rows.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    expect((await session.get('/api/deliveries?verdict=invalid')).json.rows).toHaveLength(1);
    expect((await session.get('/api/deliveries?type=user.*')).json.rows).toHaveLength(2);
    expect((await session.get('/api/deliveries?search=lucas%40example')).json.rows.map((r: { id: string }) => r.id)).toEqual([ids[2]]);
    const first = (await session.get('/api/deliveries?limit=2')).json;
    expect(first.rows).toHaveLength(2);
    const second = (await session.get(`/api/deliveries?limit=2&before=${first.next}`)).json;
    expect(second).toMatchObject({ rows: [{ id: ids[0] }], next: null });
    expect((await session.get('/api/deliveries?provider=keycloak')).status).toBe(400);
  });

  it("gives each delivery's notes (what its body lacks against its platform's schema), in the list and the detail", async () => {
    // Worded by hooks, but from the sender's body: inside untrusted.
    const rows = (await session.get('/api/deliveries')).json.rows as Array<{ id: string; untrusted: { notes: string[] } }>;
    expect(rows.find((r) => r.id === ids[2])!.untrusted.notes).toEqual(['lacks timestamp', 'lacks data.user_id']);
    expect(rows.find((r) => r.id === ids[0])!.untrusted.notes).toEqual([]);
    expect((await session.get(`/api/deliveries/${ids[2]}`)).json.untrusted.notes).toEqual(['lacks timestamp', 'lacks data.user_id']);
    expect((await session.get(`/api/deliveries/${ids[0]}`)).json.untrusted.notes).toEqual([]);
  });

  it('shows a delivery: headers, body as text and bytes, attempts with response headers', async () => {
    const d = (await session.get(`/api/deliveries/${ids[0]}`)).json;
    expect(d).toMatchObject({ id: ids[0], untrusted: { body_text: expect.stringContaining('amira'), headers: expect.arrayContaining([['Content-Type', 'application/json']]) } });
    expect(d.attempts[0]).toMatchObject({ status: 200, untrusted: { response_headers: { 'content-type': 'text/plain' }, response_text: 'ok' } });
    expect(d.can_sign).toBe(true);
    const binary = (await session.get(`/api/deliveries/${ids[1]}`)).json;
    expect(binary.untrusted.body_text).toBeNull();
    expect(Buffer.from(binary.untrusted.body_base64, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    const raw = await session.get(`/api/deliveries/${ids[1]}/body`);
    expect(raw.headers['content-disposition']).toContain('attachment');
    expect(raw.body).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
  });

  it('exports valid HAR 1.2', async () => {
    const r = await session.post('/api/export/har', { ids: [ids[0], ids[1]] });
    expect(r.status).toBe(200);
    const validate = new Ajv.default({ strict: false, allErrors: true }).compile(HAR_SCHEMA);
    expect(validate(r.json) ? [] : validate.errors).toEqual([]);
    expect(r.json.log.entries[0].request).toMatchObject({ method: 'POST', url: 'http://abc.trycloudflare.com/hooks?source=test', queryString: [{ name: 'source', value: 'test' }] });
    expect(r.json.log.entries[1].request.postData).toMatchObject({ encoding: 'base64', text: Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString('base64') });
  });

  it('copies as a curl command that, run, delivers the same bytes with a signature that verifies now', async () => {
    const r = await session.post(`/api/deliveries/${ids[0]}/curl`, { target: `${app.url}/from-curl` });
    expect(r.json.signed).toBe(true);
    // Not spawnSync: the receiver runs in this process and must keep answering.
    const run = await promisify(execFile)('bash', ['-c', r.json.command], { encoding: 'utf8' });
    expect(run.stdout).toBe('accepted');
    const got = app.requests.find((q) => q.url === '/from-curl')!;
    const stored = (await session.get(`/api/deliveries/${ids[0]}`)).json;
    expect(got.body.toString()).toBe(stored.untrusted.body_text);
    expect(getProvider('standard').scheme.verify(got.body, HeaderBag.from(got.headers as Record<string, string>), SECRET).valid).toBe(true);
  });

  it('previews an edited body as a diff, then replays it re-signed to a real receiver', async () => {
    const edited = Buffer.from('{"type":"user.created","data":{"email":"edited@example.com"}}');
    const preview = await session.post(`/api/deliveries/${ids[0]}/preview`, { body_base64: edited.toString('base64') });
    expect(preview.json.diff).toContainEqual({ op: '-', text: '    "email": "amira@example.com"' });
    expect(preview.json.diff).toContainEqual({ op: '+', text: '    "email": "edited@example.com"' });
    const replay = await session.post(`/api/deliveries/${ids[0]}/replay`, { target: `${app.url}/edited`, body_base64: edited.toString('base64') });
    expect(replay.json.results[0]).toMatchObject({ ok: true, status: 202, resigned: true });
    const got = app.requests.find((q) => q.url === '/edited')!;
    expect(got.body.equals(edited)).toBe(true);
    expect(getProvider('standard').scheme.verify(got.body, HeaderBag.from(got.headers as Record<string, string>), SECRET).valid).toBe(true);
    expect(replay.json.attempts.at(-1)).toMatchObject({ kind: 'replay', edited: true, resigned: true, untrusted: { response_headers: expect.objectContaining({ 'x-app': 'yes' }) } });
  });

  it('refuses to re-sign without a known secret, and says how to give one', async () => {
    const r = await session.post(`/api/deliveries/${ids[1]}/replay`, { resign: true });
    expect(r.status).toBe(409);
    expect(r.json.error.message).toContain('hooks inspect --secret');
  });

  it('shows a 10 MB delivery as a bounded preview (256 KB, pretty-printed when it parses); the whole body is a download away', async () => {
    const big = Buffer.from(JSON.stringify({ type: 'user.created', data: { pad: 'x'.repeat(10 * 1024 * 1024) } }));
    const d = delivery(big, { event_type: 'user.created' });
    const writer = await openEventStore(dataDir);
    await writer.saveDelivery(d);
    await writer.close();
    const r = await session.get(`/api/deliveries/${d.id}`);
    expect(r.status).toBe(200);
    expect(r.body.length).toBeLessThan(1024 * 1024);
    const shown = r.json;
    expect(shown).toMatchObject({ body_size: big.length, untrusted: { body_shown: 256 * 1024, body_cut: true } });
    expect(Buffer.from(shown.untrusted.body_text).equals(big.subarray(0, 256 * 1024))).toBe(true);
    expect(shown.untrusted.body_pretty.startsWith('{\n  "type": "user.created",')).toBe(true);
    expect(shown.untrusted.body_pretty.length).toBe(256 * 1024);
    const whole = await session.get(`/api/deliveries/${d.id}/body`);
    expect(whole.body.equals(big)).toBe(true);
  });

  it('diffs two deliveries', async () => {
    const r = await session.get(`/api/diff?a=${ids[0]}&b=${ids[2]}`);
    expect(r.json.untrusted.body).toContainEqual({ op: '+', text: '  "type": "user.deleted",' });
  });

  it('streams deliveries stored after the page loaded', async () => {
    const after = (await session.get('/api/deliveries?limit=1')).json.rows[0].seq;
    const events: string[] = [];
    const { request } = await import('node:http');
    const req = request(`${session.origin}/api/stream?after=${after}&type=user.*`, { headers: { 'x-hooks-session': session.session } });
    const got = new Promise<void>((resolve) =>
      req.on('response', (res) => {
        res.on('data', (c: Buffer) => {
          events.push(c.toString());
          if (events.join('').includes('event: delivery')) resolve();
        });
      }),
    );
    req.end();
    const store = await openEventStore(dataDir);
    await store.saveDelivery(delivery(Buffer.from('{"type":"tenant.updated"}'), { event_type: 'tenant.updated' }));
    await store.saveDelivery(delivery(Buffer.from('{"type":"user.updated"}'), { event_type: 'user.updated' }));
    await store.close();
    await got;
    req.destroy();
    const stream = events.join('');
    expect(stream).toContain('"event_type":"user.updated"');
    expect(stream).not.toContain('tenant.updated');
  });
});
