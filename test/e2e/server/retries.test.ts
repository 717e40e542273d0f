import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startReceiver, type Receiver, type Responder } from '../../helpers/receiver.js';

// 0.0001: LMIF's 34.6 h schedule takes 12.5 s, Scalekit's 151 min 0.9 s.
const SCALE = 0.0001;
let s: HooksServer;
let receivers: Receiver[] = [];
beforeAll(async () => {
  s = await startHooksServer({ args: ['--time-scale', String(SCALE)] });
});
afterAll(() => s.kill9());
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

async function subscribe(provider: string, respond: Responder) {
  const r = await startReceiver(respond);
  receivers.push(r);
  const sub = await s.api('POST', '/webhooks/subscriptions', { name: provider, url: r.url, events: ['*'], provider });
  return { receiver: r, sub: sub.json };
}

const finished = (subId: string, timeoutMs = 20_000) =>
  s.waitForEvent((e) => e.type === 'delivery.attempted' && e.subscription_id === subId && e.delivery_status !== 'retrying', timeoutMs);

async function feed(subId: string) {
  return (await s.api('GET', `/webhooks/subscriptions/${subId}/deliveries`)).json.data[0];
}

interface FeedAttempt {
  number: number;
  started_at: string;
  duration_ms: number;
  next_retry_at: string | null;
}

/**
 * The delay the server scheduled after each attempt, in ms, read from the
 * feed: next_retry_at is the attempt's end (start + duration) plus the scaled
 * delay, exactly. No clock is read here.
 */
function scheduled(attempts: FeedAttempt[]): number[] {
  return attempts.filter((a) => a.next_retry_at !== null).map((a) => Date.parse(a.next_retry_at!) - Date.parse(a.started_at) - Math.ceil(a.duration_ms));
}

/** The provider's schedule in minutes, as the server scales it. */
const scaledMinutes = (minutes: number[]) => minutes.map((m) => Math.round(m * 60_000 * SCALE));

/** Each retry arrived once its time had come, never before. */
function expectNoneEarly(attempts: FeedAttempt[], arrivals: number[]): void {
  attempts.slice(0, -1).forEach((a, i) => expect(arrivals[i + 1]!, `attempt ${a.number + 1}`).toBeGreaterThanOrEqual(Date.parse(a.next_retry_at!) - 1));
}

describe('retries on a compressed schedule', () => {
  it("follows LMIF's schedule and gives up after 7 attempts", async () => {
    const { receiver, sub } = await subscribe('lmif', () => ({ status: 500 }));
    await s.api('POST', '/events', { type: 'box.created', provider: 'lmif' });
    await finished(sub.id, 30_000);
    expect(receiver.requests).toHaveLength(7);
    const d = await feed(sub.id);
    expect(d).toMatchObject({ status: 'failed', attempt_count: 7, next_attempt_at: null });
    expect(scheduled(d.attempts)).toEqual(scaledMinutes([1, 5, 30, 120, 480, 1440]));
    expectNoneEarly(d.attempts, receiver.requests.map((r) => r.at));
  }, 40_000);

  it("makes 10 attempts for Scalekit (1, 2, 4, 8, 16, 30… min)", async () => {
    const { receiver, sub } = await subscribe('scalekit', () => ({ status: 503 }));
    await s.api('POST', '/events', { type: 'user.created', provider: 'scalekit' });
    await finished(sub.id);
    expect(receiver.requests).toHaveLength(10);
    const d = await feed(sub.id);
    expect(scheduled(d.attempts)).toEqual(scaledMinutes([1, 2, 4, 8, 16, 30, 30, 30, 30]));
    expectNoneEarly(d.attempts, receiver.requests.map((r) => r.at));
  }, 30_000);

  it('succeeds on a later attempt and stops retrying', async () => {
    const { receiver, sub } = await subscribe('standard', (_r, i) => ({ status: i < 2 ? 500 : 204 }));
    await s.api('POST', '/events', { type: 'user.created' });
    await finished(sub.id);
    expect(receiver.requests).toHaveLength(3);
    // The message id is stable across retries; each attempt is signed afresh.
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(await feed(sub.id)).toMatchObject({ status: 'succeeded', attempt_count: 3 });
  });

  it('treats 201 as a failure for Ithbat (200 only)', async () => {
    const { receiver, sub } = await subscribe('ithbat', (_r, i) => ({ status: i === 0 ? 201 : 200 }));
    await s.api('POST', '/events', { type: 'user.created', provider: 'ithbat' });
    await finished(sub.id);
    expect(receiver.requests).toHaveLength(2);
    expect((await feed(sub.id)).attempts[0]).toMatchObject({ status_code: 201, success: false, error: expect.stringContaining('200 only') });
  });

  it('does not follow redirects: a 3xx is a failure', async () => {
    const target = await startReceiver();
    receivers.push(target);
    const { receiver, sub } = await subscribe('github', () => ({ status: 301, headers: { location: target.url } }));
    await s.api('POST', '/events', { type: 'push', provider: 'github' });
    await finished(sub.id);
    expect(receiver.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
    expect((await feed(sub.id)).attempts[0]).toMatchObject({ status_code: 301, success: false, error: expect.stringContaining('redirect') });
  });

  it('disables the subscription on 410 Gone', async () => {
    const { receiver, sub } = await subscribe('standard', () => ({ status: 410 }));
    await s.api('POST', '/events', { type: 'user.created' });
    await s.waitForEvent((e) => e.type === 'subscription.disabled' && e.subscription_id === sub.id);
    expect(receiver.requests).toHaveLength(1);
    const after = await s.api('GET', `/webhooks/subscriptions/${sub.id}`);
    expect(after.json).toMatchObject({ active: false, disabled_reason: expect.stringContaining('410') });
    expect((await feed(sub.id)).status).toBe('failed');
  });

  it('honours Retry-After on 429 and 503', async () => {
    // Retry-After 10 h (scaled: 3.6 s) is longer than the scheduled 5 s (scaled: 0.5 ms).
    const { receiver, sub } = await subscribe('standard', (_r, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '36000' } } : { status: 200 }));
    await s.api('POST', '/events', { type: 'user.created' });
    await finished(sub.id);
    const d = await feed(sub.id);
    expect(scheduled(d.attempts)).toEqual(scaledMinutes([600]));
    expectNoneEarly(d.attempts, receiver.requests.map((r) => r.at));
  });

  it('records a timeout and a refused connection as failed attempts', async () => {
    const { sub } = await subscribe('github', () => ({ status: 200, delayMs: 3000 }));
    await s.api('POST', '/events', { type: 'push', provider: 'github' });
    await finished(sub.id);
    expect((await feed(sub.id)).attempts[0]).toMatchObject({ status_code: null, success: false, error: expect.stringContaining('no answer within') });

    const dead = await s.api('POST', '/webhooks/subscriptions', { name: 'dead', url: 'http://127.0.0.1:9/', events: ['*'], provider: 'github' });
    await s.api('POST', '/events', { type: 'push', provider: 'github' });
    await finished(dead.json.id);
    expect((await feed(dead.json.id)).attempts[0]).toMatchObject({ status_code: null, error: expect.stringContaining('ECONNREFUSED') });
  });
});
