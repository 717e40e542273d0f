import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { verifyDelivery } from '../../../src/core/providers/verification.js';

let s: HooksServer;
let echo: Receiver;
let wrong: Receiver;
beforeAll(async () => {
  s = await startHooksServer({ args: ['--time-scale', '0.001'] });
  // A receiver that does what seed 002 asks: 200 text/plain with exactly hub.challenge.
  echo = await startReceiver((req) => {
    if (req.method === 'GET') {
      const q = new URL(req.url, 'http://x').searchParams;
      return { status: 200, body: q.get('hub.challenge') ?? '', headers: { 'content-type': 'text/plain' } };
    }
    return { status: 200 };
  });
  wrong = await startReceiver(() => ({ status: 200, body: 'hello' }));
});
afterAll(async () => {
  await s.kill9();
  await echo.close();
  await wrong.close();
});

describe('WebSub handshake (asgardeo)', () => {
  it('creates asgardeo subscriptions inactive', async () => {
    const r = await s.api('POST', '/webhooks/subscriptions', { name: 'a', url: echo.url, events: ['login.*'], provider: 'asgardeo' });
    expect(r.json).toMatchObject({ active: false, verification: null });
    expect(echo.requests.filter((q) => q.method === 'GET')).toHaveLength(0);
  });

  it('verifies each subscribed event type on activation, then delivers', async () => {
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: 'b', url: `${echo.url}/b`, events: ['login.loginSuccess', 'registration.*'], provider: 'asgardeo' });
    const on = await s.api('PATCH', `/webhooks/subscriptions/${sub.json.id}`, { active: true });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ active: true, verification: { status: 'verified', mode: 'subscribe', error: null } });
    const gets = echo.requests.filter((q) => q.method === 'GET' && q.url.startsWith('/b'));
    expect(gets).toHaveLength(2);
    const params = gets.map((g) => Object.fromEntries(new URL(g.url, 'http://x').searchParams));
    const topics = params.map((p) => p['hub.topic']).sort();
    expect(topics[0]).toMatch(/^myorg\.[0-9a-f-]{36}\.schema\.wso2\.v1\.event\.login$/);
    expect(topics[1]).toMatch(/\.event\.registration$/);
    for (const p of params) {
      expect(p['hub.mode']).toBe('subscribe');
      expect(p['hub.challenge']).toMatch(/^[0-9a-f-]{36}$/);
      expect(p['hub.lease_seconds']).toBe('864000');
    }
    expect(params[0]!['hub.challenge']).not.toBe(params[1]!['hub.challenge']);

    const ev = await s.api('POST', '/events?wait=5000', { type: 'login.loginSuccess', provider: 'asgardeo' });
    expect(ev.json.deliveries).toHaveLength(1);
    const post = echo.requests.find((q) => q.method === 'POST' && q.url === '/b')!;
    expect(verifyDelivery({ provider: 'asgardeo', body: post.body, headers: post.headers as Record<string, string>, secret: sub.json.signing_secret }).valid).toBe(true);
    const set = JSON.parse(post.body.toString());
    expect(Object.keys(set.events)).toEqual(['https://schemas.identity.wso2.org/events/login/event-type/loginSuccess']);
  });

  it('stays inactive when the challenge is not echoed, and says why', async () => {
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: 'c', url: wrong.url, events: ['*'], provider: 'asgardeo' });
    const on = await s.api('PATCH', `/webhooks/subscriptions/${sub.json.id}`, { active: true }, { status: 422 });
    expect(on.json.error).toMatchObject({ code: 'verification_failed' });
    expect(on.json.error.message).toContain('expected exactly the hub.challenge');
    const after = await s.api('GET', `/webhooks/subscriptions/${sub.json.id}`);
    expect(after.json).toMatchObject({ active: false, verification: { status: 'failed' } });
    expect(after.json.verification.topics.length).toBeGreaterThan(1);
  });

  it('activates during creation when asked, refuses deleting while active, unsubscribes on deactivation', async () => {
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: 'd', url: `${echo.url}/d`, events: ['user.*'], provider: 'asgardeo', active: true });
    expect(sub.json).toMatchObject({ active: true, verification: { status: 'verified' } });
    const del = await s.api('DELETE', `/webhooks/subscriptions/${sub.json.id}`, undefined, { status: 409 });
    expect(del.json.error.message).toContain('deactivate it first');
    const off = await s.api('PATCH', `/webhooks/subscriptions/${sub.json.id}`, { active: false });
    expect(off.json).toMatchObject({ active: false, verification: { mode: 'unsubscribe', status: 'unsubscribed' } });
    const unsub = echo.requests.filter((q) => q.method === 'GET' && q.url.startsWith('/d')).map((q) => new URL(q.url, 'http://x').searchParams.get('hub.mode'));
    expect(unsub).toEqual(['subscribe', 'unsubscribe']);
    await s.api('DELETE', `/webhooks/subscriptions/${sub.json.id}`, undefined, { status: 204 });
  });
});
