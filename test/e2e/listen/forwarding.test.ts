import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { openEventStore } from '../../../src/core/store/event-store.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

const env = { HOOKS_CONFIG_DIR: tempDir('config') };
const SECRET = 'relay-test-secret';
let app: Receiver;
let users: Receiver;
let listen: HooksListen;
let open: HooksListen;

const signed = (body: Buffer | string, provider = 'ithbat', secret = SECRET) =>
  getProvider(provider).scheme.sign(Buffer.from(body), secret, { id: 'msg_1', timestamp: Math.floor(Date.now() / 1000) });

/** A raw POST that keeps header case and repeats, and returns status and body. */
function post(url: string, body: Buffer, headers: Array<[string, string]>): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const flat = headers.flat();
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', headers: ['host', u.host, ...flat, 'content-length', String(body.length)] as unknown as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  app = await startReceiver((req) => (req.url.startsWith('/teapot') ? { status: 418, body: 'short and stout', headers: { 'content-type': 'text/plain' } } : { status: 200, body: 'app ok' }));
  users = await startReceiver(() => ({ status: 202, body: 'users app' }));
  listen = await startListen(['--forward', app.url, '--route', `user.*=${users.url}/users`, '--tunnel', 'none', '--no-subscribe', '--secret', SECRET, '--provider', 'ithbat', '--max-body', '6mb'], env);
  open = await startListen(['--forward', app.url, '--forward', `${users.url}/second`, '--tunnel', 'none', '--no-subscribe'], env);
});
afterAll(async () => {
  await Promise.all([listen.kill9(), open.kill9()]);
  await Promise.all([app.close(), users.close()]);
});

describe('forwarding', () => {
  it("keeps end-to-end headers, drops hop-by-hop ones, sets Host and adds X-Forwarded-*; the sender gets the target's answer", async () => {
    const body = Buffer.from('{"id":"evt_h","type":"tenant.updated"}');
    const r = await post(`${listen.localUrl}/teapot?x=1`, body, [
      ...Object.entries(signed(body)),
      ['X-Custom-Case', 'Kept'],
      ['x-dup', 'one'],
      ['x-dup', 'two'],
      ['Connection', 'keep-alive, X-Drop-Me'],
      ['X-Drop-Me', 'gone'],
      ['Keep-Alive', 'timeout=5'],
      ['content-type', 'application/json'],
    ]);
    expect(r.status).toBe(418);
    expect(r.body.toString()).toBe('short and stout');
    const got = app.requests.find((q) => q.url === '/teapot?x=1')!;
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers['x-custom-case']).toBe('Kept');
    expect(got.headers['x-dup']).toBe('one, two');
    expect(got.headers['x-drop-me']).toBeUndefined();
    expect(got.headers['keep-alive']).toBeUndefined();
    expect(got.headers.host).toBe(new URL(app.url).host);
    expect(got.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(got.headers['x-forwarded-proto']).toBe('http');
    expect(got.headers['x-forwarded-host']).toBe(new URL(listen.localUrl).host);
    expect(got.headers['x-ithbat-signature']).toBe(signed(body)['X-Ithbat-Signature']);
  });

  it('routes matching event types to another target', async () => {
    const body = Buffer.from('{"id":"evt_r","type":"user.created"}');
    const r = await post(`${listen.localUrl}/`, body, Object.entries(signed(body)));
    expect(r.status).toBe(202);
    expect(users.requests.find((q) => q.url === '/users' && q.body.equals(body))).toBeDefined();
    expect(app.requests.find((q) => q.body.equals(body))).toBeUndefined();
  });

  it('sends every delivery to each --forward target', async () => {
    const body = Buffer.from('{"id":"evt_m","type":"anything"}');
    await post(`${open.localUrl}/`, body, [['content-type', 'application/json']]);
    expect(app.requests.filter((q) => q.body.equals(body))).toHaveLength(1);
    expect(users.requests.filter((q) => q.url === '/second' && q.body.equals(body))).toHaveLength(1);
    const line = await open.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === 'evt_m');
    expect(line.verdict).toBe('unverified');
  });

  it('refuses an invalid signature with 401, says why, stores it, and does not forward it', async () => {
    const body = Buffer.from('{"id":"evt_bad","type":"tenant.updated"}');
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    const r = await post(`${listen.localUrl}/`, pretty, Object.entries(signed(body)));
    expect(r.status).toBe(401);
    const answer = JSON.parse(r.body.toString());
    expect(answer.error).toMatchObject({ code: 'invalid_signature', reason: 'signature_mismatch' });
    expect(answer.error.hints.map((h: { code: string }) => h.code)).toContain('body_reserialized');
    expect(app.requests.find((q) => q.body.equals(pretty))).toBeUndefined();
    const line = await listen.waitForEvent((e) => e.type === 'delivery.rejected' && e.event_id === 'evt_bad');
    const store = await openEventStore(listen.dataDir);
    expect(store.get(line.id)).toMatchObject({ verdict: 'invalid', reason: 'signature_mismatch', last_outcome: 'rejected' });
    await store.close();
  });

  it('keeps non-UTF-8 and 5 MB bodies intact', async () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x7b]);
    const big = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
    for (const body of [binary, big]) {
      const r = await post(`${listen.localUrl}/bytes`, body, [...Object.entries(signed(body)), ['content-type', 'application/octet-stream']]);
      expect(r.status).toBe(200);
      expect(app.requests.find((q) => q.url === '/bytes' && q.body.equals(body))).toBeDefined();
    }
  });

  it('answers 413 above --max-body', async () => {
    const body = Buffer.alloc(7 * 1024 * 1024, 0x61);
    const r = await post(`${listen.localUrl}/`, body, Object.entries(signed(body))).catch((e: Error) => ({ status: 0, error: e }));
    expect([413, 0]).toContain(r.status);
    await listen.waitForEvent((e) => e.type === 'delivery.rejected' && e.status === 413);
  });
});

describe('WebSub and shutdown', () => {
  it('logs a hub.mode=denied notification', async () => {
    const r = await fetch(`${listen.localUrl}/?hub.mode=denied&hub.topic=myorg.x.event.login&hub.reason=unauthorized`);
    expect(r.status).toBe(200);
    expect(await listen.waitForEvent((e) => e.type === 'websub.denied')).toMatchObject({ topic: 'myorg.x.event.login', reason: 'unauthorized' });
  });

  it('emits received, verified and forwarded for each delivery', async () => {
    const body = Buffer.from('{"id":"evt_ev","type":"tenant.updated"}');
    await post(`${listen.localUrl}/`, body, Object.entries(signed(body)));
    const forwarded = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === 'evt_ev');
    const kinds = listen.events.filter((e) => e.id === forwarded.id).map((e) => e.type);
    expect(kinds).toEqual(['delivery.received', 'delivery.verified', 'delivery.forwarded']);
    expect(listen.events.find((e) => e.id === forwarded.id && e.type === 'delivery.verified')).toMatchObject({ verdict: 'verified', reason: null });
  });

  it('answers 503 to new deliveries while stopping, and still finishes the one in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = await startReceiver(async () => {
      await gate;
      return { status: 200, body: 'late but fine' };
    });
    const l = await startListen(['--forward', held.url, '--tunnel', 'none', '--no-subscribe'], env);
    const inFlight = post(`${l.localUrl}/`, Buffer.from('{"id":"evt_slow"}'), [['content-type', 'application/json']]);
    await held.waitFor(1);
    l.proc.kill('SIGINT');
    await l.waitForEvent((e) => e.type === 'listen.stopping');
    const refused = await post(`${l.localUrl}/`, Buffer.from('{"id":"evt_late"}'), [['content-type', 'application/json']]);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    const exited = new Promise<number | null>((r) => l.proc.once('exit', r));
    release();
    expect((await inFlight).status).toBe(200);
    expect(await exited).toBe(0);
    await held.close();
  });

  it('exits at once on a second Ctrl-C', async () => {
    const held = await startReceiver(() => new Promise(() => undefined));
    const l = await startListen(['--forward', held.url, '--tunnel', 'none', '--no-subscribe'], env);
    void post(`${l.localUrl}/`, Buffer.from('{}'), [['content-type', 'application/json']]).catch(() => undefined);
    await held.waitFor(1);
    l.proc.kill('SIGINT');
    await l.waitForEvent((e) => e.type === 'listen.stopping');
    expect(await l.stop('SIGINT')).toBe(130);
    await held.close();
  });
});

describe('when the target misbehaves', () => {
  it('answers 502 when the target is down, and stores the delivery', async () => {
    const down = await startListen(['--forward', 'http://127.0.0.1:9', '--tunnel', 'none', '--no-subscribe'], env);
    const body = Buffer.from('{"id":"evt_down","type":"user.created"}');
    const r = await post(`${down.localUrl}/`, body, [['content-type', 'application/json']]);
    expect(r.status).toBe(502);
    expect(JSON.parse(r.body.toString()).error.code).toBe('target_unreachable');
    const line = await down.waitForEvent((e) => e.type === 'delivery.failed');
    expect(line).toMatchObject({ status: 502, event_id: 'evt_down' });
    expect(line.error).toContain('ECONNREFUSED');
    await down.stop('SIGINT');
    const store = await openEventStore(down.dataDir);
    expect(store.get(line.id)!.body.equals(body)).toBe(true);
    expect(store.attempts(line.id)[0]).toMatchObject({ kind: 'forward', status: 502 });
    await store.close();
  });

  it('answers 504 when the target is slower than --timeout', async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 3000 }));
    const l = await startListen(['--forward', slow.url, '--tunnel', 'none', '--no-subscribe', '--timeout', '300ms'], env);
    const r = await post(`${l.localUrl}/`, Buffer.from('{}'), [['content-type', 'application/json']]);
    expect(r.status).toBe(504);
    await l.kill9();
    await slow.close();
  });

  it('forwards invalid signatures with --forward-invalid, marked invalid', async () => {
    const l = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--secret', SECRET, '--forward-invalid'], env);
    const body = Buffer.from('{"id":"evt_fi","type":"x"}');
    const r = await post(`${l.localUrl}/fi`, body, [['X-Ithbat-Signature', `sha256=${'0'.repeat(64)}`]]);
    expect(r.status).toBe(200);
    expect((await l.waitForEvent((e) => e.type === 'delivery.forwarded')).verdict).toBe('invalid');
    await l.kill9();
  });
});
