import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { PROVIDER_IDS } from '../../../src/core/providers/registry.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { expectSchema } from '../../helpers/openapi.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

let s: HooksServer;
let receiver: Receiver;
beforeAll(async () => {
  s = await startHooksServer({ args: ['--time-scale', '0.001'] });
  receiver = await startReceiver();
});
afterAll(async () => {
  await s.kill9();
  await receiver.close();
});

const firstType: Record<string, string> = {
  ithbat: 'user.created',
  intelliauth: 'user.signed_up',
  asgardeo: 'login.loginSuccess',
  scalekit: 'user.authenticated',
  lmif: 'box.created',
  standard: 'user.created',
  github: 'user.created',
  stripe: 'customer.created',
};

describe('signed delivery', () => {
  // The platforms beyond the seeds have their own file, checked by each platform's library (test/e2e/platforms).
  it.each(PROVIDER_IDS.filter((p) => p in firstType && p !== 'asgardeo'))('delivers a %s event signed with the subscription secret, in its envelope', async (provider) => {
    const path = `/${provider}`;
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: provider, url: `${receiver.url}${path}`, events: ['*'], provider });
    expect(sub.status).toBe(201);
    const event = await s.api('POST', '/events?wait=5000', { type: firstType[provider], provider });
    expect(event.status).toBe(201);
    expect(event.json.deliveries).toHaveLength(1);
    expect(event.json.deliveries[0]).toMatchObject({ status: 'succeeded', attempt_count: 1 });
    const got = receiver.requests.filter((r) => r.url === path);
    expect(got).toHaveLength(1);
    const req = got[0]!;
    expect(req.method).toBe('POST');
    // Stripe sends its own content type (with a charset), as Stripe's relay shows it (stripe/stripe-cli#909).
    expect(req.headers['content-type']).toBe(provider === 'stripe' ? 'application/json; charset=utf-8' : 'application/json');
    const report = verifyDelivery({ provider, body: req.body, headers: req.headers as Record<string, string>, secret: sub.json.signing_secret });
    expect(report, JSON.stringify(report)).toMatchObject({ valid: true, provider });
    const body = JSON.parse(req.body.toString('utf8'));
    if (provider === 'intelliauth') expect(body).toMatchObject({ event_id: event.json.id, event_type: 'user.signed_up', tenant: { id: expect.any(String) } });
    else if (provider === 'lmif') expect(body).toMatchObject({ id: event.json.id, type: 'box.created', meta: { apiVersion: 'v1', webhookId: sub.json.id } });
    else if (provider === 'scalekit') expect(body).toMatchObject({ id: event.json.id, type: 'user.authenticated', created: expect.any(String) });
    else if (provider === 'stripe') expect(body).toMatchObject({ id: event.json.id, object: 'event', type: 'customer.created', created: expect.any(Number), data: { object: { object: 'customer' } } });
    else expect(body).toMatchObject({ id: event.json.id, type: firstType[provider], created_at: expect.any(String) });
    expect(body.data).toEqual(event.json.data);
  });

  it('delivers only to active subscriptions whose patterns match, of the event provider', async () => {
    const hit = await s.api('POST', '/webhooks/subscriptions', { name: 'users', url: `${receiver.url}/match-users`, events: ['user.*'], provider: 'ithbat' });
    const miss = await s.api('POST', '/webhooks/subscriptions', { name: 'tenant', url: `${receiver.url}/match-tenant`, events: ['tenant.updated'], provider: 'ithbat' });
    const off = await s.api('POST', '/webhooks/subscriptions', { name: 'off', url: `${receiver.url}/match-off`, events: ['*'], provider: 'ithbat', active: false });
    const r = await s.api('POST', '/events?wait=5000', { type: 'user.login', provider: 'ithbat' });
    const targets = r.json.deliveries.map((d: { subscription_id: string }) => d.subscription_id);
    expect(targets).toContain(hit.json.id);
    expect(targets).not.toContain(miss.json.id);
    expect(targets).not.toContain(off.json.id);
  });

  it('sends test.ping with data.test true to one subscription and returns the attempt', async () => {
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: 'ping', url: `${receiver.url}/ping`, events: ['user.signed_up'], provider: 'intelliauth' });
    const r = await s.api('POST', `/webhooks/subscriptions/${sub.json.id}/test`);
    expect(r.status).toBe(200);
    expectSchema('TestResult', r.json);
    expect(r.json.delivery).toMatchObject({ status: 'succeeded', attempts: [{ number: 1, status_code: 200, success: true, response_excerpt: 'ok' }] });
    const body = JSON.parse(receiver.requests.find((q) => q.url === '/ping')!.body.toString());
    expect(body).toMatchObject({ event_type: 'test.ping', data: { test: true } });
  });

  it('shows every attempt in the delivery feed with status, duration, excerpt and next retry', async () => {
    let calls = 0;
    const flaky = await startReceiver(() => (++calls === 1 ? { status: 500, body: 'x'.repeat(5000) } : { status: 200, body: 'fine' }));
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: 'flaky', url: flaky.url, events: ['*'], provider: 'standard' });
    await s.api('POST', '/events', { type: 'user.created' });
    await flaky.waitFor(2);
    await s.waitForEvent((e) => e.type === 'delivery.attempted' && e.subscription_id === sub.json.id && e.success === true);
    const feed = await s.api('GET', `/webhooks/subscriptions/${sub.json.id}/deliveries`);
    expectSchema('DeliveryList', feed.json);
    const [d] = feed.json.data;
    expect(d).toMatchObject({ status: 'succeeded', attempt_count: 2, next_attempt_at: null });
    expect(d.attempts[0]).toMatchObject({ number: 1, status_code: 500, success: false, error: expect.stringContaining('500') });
    expect(d.attempts[0].response_excerpt).toHaveLength(2048);
    expect(d.attempts[0].next_retry_at).not.toBeNull();
    expect(d.attempts[0].duration_ms).toBeGreaterThanOrEqual(0);
    expect(d.attempts[1]).toMatchObject({ number: 2, status_code: 200, success: true, response_excerpt: 'fine', next_retry_at: null });
    const listed = await s.api('GET', '/webhooks/subscriptions');
    expect(listed.json.data.find((x: { id: string }) => x.id === sub.json.id).last_delivery).toMatchObject({ status: 'succeeded', status_code: 200 });
    await flaky.close();
  });

  it('retries a delivery now, as a new attempt', async () => {
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: 'again', url: `${receiver.url}/again`, events: ['*'], provider: 'github' });
    const ev = await s.api('POST', '/events?wait=5000', { type: 'user.deleted', provider: 'github' });
    const deliveryId = ev.json.deliveries.find((d: { subscription_id: string }) => d.subscription_id === sub.json.id).id;
    const r = await s.api('POST', `/webhooks/deliveries/${deliveryId}/retry`);
    expect(r.status).toBe(200);
    expectSchema('Delivery', r.json);
    expect(r.json.attempts.map((a: { number: number }) => a.number)).toEqual([1, 2]);
    expect(receiver.requests.filter((q) => q.url === '/again')).toHaveLength(2);
    await s.api('POST', '/webhooks/deliveries/dlv_nope/retry', undefined, { status: 404 });
  });

  it('signs with the old and new secret during the rotation grace (standard)', async () => {
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: 'rot', url: `${receiver.url}/rot`, events: ['*'] });
    const rotated = await s.api('POST', `/webhooks/subscriptions/${sub.json.id}/rotate-secret`);
    await s.api('POST', '/events?wait=5000', { type: 'session.created' });
    const req = receiver.requests.filter((q) => q.url === '/rot').at(-1)!;
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [sub.json.signing_secret, rotated.json.signing_secret]) {
      expect(verifyDelivery({ provider: 'standard', body: req.body, headers: req.headers as Record<string, string>, secret }).valid).toBe(true);
    }
  });

  it('drops the old secret at once for single-signature schemes', async () => {
    const sub = await s.api('POST', '/webhooks/subscriptions', { name: 'rot2', url: `${receiver.url}/rot2`, events: ['*'], provider: 'ithbat' });
    const rotated = await s.api('POST', `/webhooks/subscriptions/${sub.json.id}/rotate-secret`, { secret: 'my-own-new-secret' });
    expect(rotated.json.signing_secret).toBe('my-own-new-secret');
    await s.api('POST', '/events?wait=5000', { type: 'user.created', provider: 'ithbat' });
    const req = receiver.requests.filter((q) => q.url === '/rot2').at(-1)!;
    expect(verifyDelivery({ provider: 'ithbat', body: req.body, headers: req.headers as Record<string, string>, secret: 'my-own-new-secret' }).valid).toBe(true);
    expect(verifyDelivery({ provider: 'ithbat', body: req.body, headers: req.headers as Record<string, string>, secret: sub.json.signing_secret }).valid).toBe(false);
  });
});
