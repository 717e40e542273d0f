#!/usr/bin/env node
// `hooks trigger --to` load throughput (fresh fixture, signed per event) beside
// autocannon against the same trivial receiver, in one run; prints the ratio.
// Two more rows: undici alone (the client hooks uses, through dispatch() with
// the least handler) sending one static body, Node's floor for a load
// generator that uses it; and the same with a fresh Standard Webhooks
// signature per event, the floor of one that signs each event.
// The default count runs hooks trigger for about as long as autocannon's 5 s,
// so both are measured warm rather than the trigger mostly starting up.
// Usage: node bench/trigger.js [count] [concurrency]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHmac } from 'node:crypto';
import { Agent } from 'undici';
import { cannon, fmt, startChild, stop } from './lib.js';

const count = Number(process.argv[2] ?? 200_000);
const concurrency = Number(process.argv[3] ?? 50);
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const { child: receiver, line: url } = await startChild([join(here, 'receiver.js')]);

const body = JSON.stringify({ id: 'msg_x', type: 'user.created', created_at: new Date().toISOString(), data: { user: { id: 'user_1', email: 'a@example.com', name: 'A B' } } });
const base = await cannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: concurrency, duration: 5 });

/** Sends `body` for `seconds` with `connections` loops through one undici pool (signing each when `key` is given); requests a second. */
async function undiciRate(target, connections, seconds, key = null) {
  const agent = new Agent({ connections });
  const origin = new URL(target).origin;
  const handler = (done) => ({ onConnect() {}, onHeaders: () => true, onData: () => true, onComplete: done, onError: done });
  let n = 0;
  const headers = () => {
    if (!key) return { 'content-type': 'application/json' };
    const id = `msg_${++n}`;
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest('base64');
    return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` };
  };
  const one = () => new Promise((done) => agent.dispatch({ origin, path: '/', method: 'POST', headers: headers(), body }, handler(done)));
  let sent = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < until) {
      await one();
      sent++;
    }
  }));
  const rate = sent / ((performance.now() - started) / 1000);
  await agent.close();
  return rate;
}
await undiciRate(url, concurrency, 1);
const floor = await undiciRate(url, concurrency, 5);
const secret = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';
const signedFloor = await undiciRate(url, concurrency, 5, Buffer.from(secret.slice(6), 'base64'));

const run = spawnSync(process.execPath, [bin, 'trigger', 'user.created', '--to', url, '--secret', secret, '--provider', 'standard', '--count', String(count), '--concurrency', String(concurrency), '--json'], { encoding: 'utf8' });
if (run.status !== 0) throw new Error(`hooks trigger exited ${run.status}: ${run.stderr}`);
const s = JSON.parse(run.stdout);
console.log(`trigger benchmark: ${fmt(count)} events, concurrency ${concurrency}, Standard Webhooks signatures`);
console.log(`  autocannon (same receiver, static body)   ${fmt(base.requests.average).padStart(7)} req/s`);
console.log(`  undici dispatch() alone (static body)     ${fmt(floor).padStart(7)} req/s  (${(floor / base.requests.average).toFixed(2)}x of autocannon: the floor of a Node client)`);
console.log(`  undici + a fresh signature each (static)  ${fmt(signedFloor).padStart(7)} req/s  (${(signedFloor / base.requests.average).toFixed(2)}x of autocannon: the floor of a Node client that signs each event)`);
console.log(`  hooks trigger --to (fresh, signed)        ${fmt(s.throughput_per_s).padStart(7)} deliveries/s  (${s.succeeded} ok, ${s.failed} failed; p50 ${s.latency_ms.p50} ms, p99 ${s.latency_ms.p99} ms)`);
console.log(`  ratio ${(s.throughput_per_s / base.requests.average).toFixed(2)}x of autocannon (goal >= 0.7x), ${(s.throughput_per_s / floor).toFixed(2)}x of undici alone, ${(s.throughput_per_s / signedFloor).toFixed(2)}x of undici signing each`);
stop(receiver);
