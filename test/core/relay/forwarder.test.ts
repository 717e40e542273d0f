import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptRecord, Forwarder, type IncomingDelivery } from '../../../src/core/relay/forwarder.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

let app: Receiver;
let forwarder: Forwarder;
beforeAll(async () => {
  app = await startReceiver((req) => {
    if (req.url.startsWith('/slow')) return { status: 200, delayMs: 2000 };
    if (req.url.startsWith('/redirect')) return { status: 302, headers: { location: '/elsewhere' } };
    return { status: 202, body: `seen ${req.url}`, headers: { 'content-type': 'text/plain', 'x-app': 'yes' } };
  });
  forwarder = new Forwarder({ timeoutMs: 300, insecure: false, maxConcurrency: 4 });
});
afterAll(async () => {
  await forwarder.close();
  await app.close();
});

const incoming = (over: Partial<IncomingDelivery> = {}): IncomingDelivery => ({
  method: 'POST',
  url: '/hooks?x=1',
  headers: [['Content-Type', 'application/json'], ['X-Sig', 'abc']],
  body: Buffer.from('{"a": 1}\n'),
  remoteAddress: '::ffff:10.1.2.3',
  ...over,
});

describe('Forwarder', () => {
  it('sends no empty X-Forwarded-For when there is no sender (a replay)', async () => {
    await forwarder.forward(new URL(`${app.url}/replayed`), incoming({ remoteAddress: undefined }));
    expect(app.requests.at(-1)!.headers).not.toHaveProperty('x-forwarded-for');
    await forwarder.forward(new URL(`${app.url}/received`), incoming());
    expect(app.requests.at(-1)!.headers['x-forwarded-for']).toBe('10.1.2.3');
  });

  it('sends the same bytes and end-to-end headers, and returns the whole answer', async () => {
    const body = Buffer.from([0xff, 0x00, 0x7b, 0x0a]);
    const r = await forwarder.forward(new URL(`${app.url}/app`), incoming({ body, headers: [['X-Case', 'Kept'], ['x-dup', '1'], ['x-dup', '2']] }));
    expect(r).toMatchObject({ status: 202, error: null, timedOut: false, target: `${app.url}/app` });
    expect(r.body.toString()).toBe('seen /app');
    expect(r.headers['x-app']).toBe('yes');
    const got = app.requests.at(-1)!;
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers['x-case']).toBe('Kept');
    expect(got.headers['x-dup']).toBe('1, 2');
  });

  it('drops hop-by-hop headers, expect and what Connection names; sets Host and X-Forwarded-*', async () => {
    await forwarder.forward(
      new URL(`${app.url}/hop`),
      incoming({ headers: [['Connection', 'keep-alive, X-Gone'], ['X-Gone', '1'], ['Keep-Alive', 'timeout=5'], ['Expect', '100-continue'], ['TE', 'trailers'], ['Host', 'public.example'], ['X-Forwarded-For', '203.0.113.9']] }),
    );
    const h = app.requests.at(-1)!.headers;
    expect(h['x-gone']).toBeUndefined();
    expect(h['keep-alive']).toBeUndefined();
    expect(h.expect).toBeUndefined();
    expect(h.te).toBeUndefined();
    expect(h.host).toBe(new URL(app.url).host);
    expect(h['x-forwarded-for']).toBe('203.0.113.9, 10.1.2.3');
    expect(h['x-forwarded-host']).toBe('public.example');
    expect(h['x-forwarded-proto']).toBe('http');
  });

  it('never drops a header a signature scheme signs or reads, whatever the Connection header names', async () => {
    await forwarder.forward(
      new URL(`${app.url}/sig`),
      incoming({ headers: [['Connection', 'webhook-signature, X-Hub-Signature-256, webhook-id, X-Gone'], ['webhook-id', 'msg_1'], ['webhook-signature', 'v1,abc'], ['X-Hub-Signature-256', 'sha256=00'], ['X-Gone', '1']] }),
    );
    const h = app.requests.at(-1)!.headers;
    expect(h['webhook-signature']).toBe('v1,abc');
    expect(h['webhook-id']).toBe('msg_1');
    expect(h['x-hub-signature-256']).toBe('sha256=00');
    expect(h['x-gone']).toBeUndefined();
  });

  it("sets X-Forwarded-Host and -Proto from listen's public URL, never from the sender, and appends the sender to X-Forwarded-For", async () => {
    await forwarder.forward(
      new URL(`${app.url}/xf`),
      incoming({ publicUrl: 'https://quiet-fox.trycloudflare.com', headers: [['Host', 'quiet-fox.trycloudflare.com'], ['X-Forwarded-Host', 'evil.example'], ['X-Forwarded-Proto', 'gopher'], ['X-Forwarded-For', '198.51.100.7']] }),
    );
    const h = app.requests.at(-1)!.headers;
    expect(h['x-forwarded-host']).toBe('quiet-fox.trycloudflare.com');
    expect(h['x-forwarded-proto']).toBe('https');
    expect(h['x-forwarded-for']).toBe('198.51.100.7, 10.1.2.3');
    // Without a public URL (a replay, --tunnel none): the Host the sender used, plain http.
    await forwarder.forward(new URL(`${app.url}/xf`), incoming({ headers: [['Host', '127.0.0.1:4000'], ['X-Forwarded-Host', 'evil.example'], ['X-Forwarded-Proto', 'https']] }));
    expect(app.requests.at(-1)!.headers).toMatchObject({ 'x-forwarded-host': '127.0.0.1:4000', 'x-forwarded-proto': 'http' });
  });

  it('keeps a target path, gives a bare target the path the sender used, and never lets a path change the host', async () => {
    await forwarder.forward(new URL(`${app.url}/fixed?k=v`), incoming());
    expect(app.requests.at(-1)!.url).toBe('/fixed?k=v');
    await forwarder.forward(new URL(app.url), incoming());
    expect(app.requests.at(-1)!.url).toBe('/hooks?x=1');
    const r = await forwarder.forward(new URL(app.url), incoming({ url: '//evil.example/steal' }));
    expect(r.status).toBe(202);
    expect(app.requests.at(-1)!.url).toBe('//evil.example/steal');
  });

  it('does not follow redirects', async () => {
    const r = await forwarder.forward(new URL(`${app.url}/redirect`), incoming());
    expect(r.status).toBe(302);
    expect(app.requests.filter((q) => q.url === '/elsewhere')).toHaveLength(0);
  });

  it('reports a refused connection and a timeout, and records them as 502 and 504', async () => {
    const refused = await forwarder.forward(new URL('http://127.0.0.1:9/'), incoming());
    expect(refused).toMatchObject({ status: null, timedOut: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(attemptRecord('rcv_1', 'forward', refused, 0)).toMatchObject({ status: 502, response_excerpt: null });
    const slow = await forwarder.forward(new URL(`${app.url}/slow`), incoming());
    expect(slow).toMatchObject({ status: null, timedOut: true, error: expect.stringMatching(/^no answer within 300 ms \(cut off after \d+ ms\)$/) });
    expect(attemptRecord('rcv_1', 'replay', slow, 0, true)).toMatchObject({ status: 504, kind: 'replay', resigned: true });
  });

  it('keeps at most maxConcurrency forwards in flight', async () => {
    const held: Array<() => void> = [];
    const gate = await startReceiver((req) => (req.url === '/marker' ? { status: 200 } : new Promise((resolve) => held.push(() => resolve({ status: 200 })))));
    const one = new Forwarder({ timeoutMs: 5000, insecure: false, maxConcurrency: 1 });
    try {
      const first = one.forward(new URL(gate.url), incoming());
      const second = one.forward(new URL(gate.url), incoming());
      await gate.waitFor(1);
      // A request sent after both, by another client, arrives; the second forward still has not.
      await fetch(`${gate.url}/marker`, { method: 'POST', body: '{}' });
      expect(gate.requests.map((q) => q.url)).toEqual(['/hooks?x=1', '/marker']);
      held.shift()!();
      await first;
      await gate.waitFor(3);
      held.shift()!();
      expect((await second).status).toBe(200);
    } finally {
      await one.close();
      await gate.close();
    }
  });
});
