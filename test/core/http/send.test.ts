import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, send } from '../../../src/core/http/send.js';
import { startDripping, type Dripping } from '../../helpers/dripping.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

// send() is the one way hooks makes an outgoing request: its deadline covers
// the headers and the body together, whatever the receiver trickles (#29).
let body: Dripping;
let head: Dripping;
let big: Receiver;
let agent: Agent;
beforeAll(async () => {
  body = await startDripping({ where: 'body', everyMs: 20 });
  head = await startDripping({ where: 'headers', everyMs: 20 });
  big = await startReceiver(() => ({ status: 200, body: Buffer.alloc(MAX_ANSWER_BYTES + 5000, 0x61) }));
  agent = new Agent({ connections: 1 });
});
afterAll(async () => {
  await agent.destroy();
  await Promise.all([body.close(), head.close(), big.close()]);
});

const post = (url: string, extra: Partial<Parameters<typeof send>[1]> = {}) => send(agent, { url: new URL(url), headers: {}, body: Buffer.from('{}'), timeoutMs: 300, keep: 'whole', ...extra });

describe('send() deadline', () => {
  it('cuts off an answer whose body trickles in, however often a byte comes, and says what it had', async () => {
    const r = await post(body.url);
    expect(r).toMatchObject({ status: null, timedOut: true });
    expect(r.error).toMatch(/^no answer within 300 ms: the 200 answer was still coming when cut off after \d+ ms \(\d+ bytes of its body\)$/);
    await body.waitForCutOff(1);
  });

  it('cuts off headers that trickle in', async () => {
    const r = await post(head.url);
    expect(r).toMatchObject({ status: null, timedOut: true });
    expect(r.error).toMatch(/^no answer within 300 ms \(cut off after \d+ ms\)$/);
    await head.waitForCutOff(1);
  });

  it('counts the wait for a free connection: a request queued behind a dripping one ends on its own deadline', async () => {
    // One connection to that origin, held by a dripping answer for a second.
    const first = post(body.url, { timeoutMs: 1000 });
    const queued = await post(body.url, { timeoutMs: 200 });
    expect(queued).toMatchObject({ status: null, timedOut: true });
    expect((await first).timedOut).toBe(true);
  });

  it('states the time it really took, next to the limit', async () => {
    const r = await post(head.url, { timeoutMs: 250 });
    const took = Number(/cut off after (\d+) ms/.exec(r.error!)?.[1]);
    expect(took).toBe(Math.round(r.durationMs));
  });

  it('ends at once when its signal aborts (a stop), marked interrupted', async () => {
    const stop = new AbortController();
    const pending = post(body.url, { timeoutMs: 60_000, signal: stop.signal });
    await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    const r = await pending;
    expect(r).toMatchObject({ status: null, timedOut: false, interrupted: true });
    expect(r.error).toMatch(/^interrupted/);
  });

  it('says how long an answer really was when it kept only MAX_ANSWER_BYTES of it', async () => {
    const r = await post(big.url, { timeoutMs: 10_000 });
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(MAX_ANSWER_BYTES);
    expect(r.answerBytes).toBe(MAX_ANSWER_BYTES + 5000);
  });
});
