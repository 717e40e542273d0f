#!/usr/bin/env node
// `hooks trigger --to` load throughput (fresh fixture, signed per event) beside
// autocannon against the same trivial receiver, in one run; prints the ratio.
// The default count runs hooks trigger for about as long as autocannon's 5 s,
// so both are measured warm rather than the trigger mostly starting up.
// Usage: node bench/trigger.js [count] [concurrency]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cannon, fmt, startChild, stop } from './lib.js';

const count = Number(process.argv[2] ?? 200_000);
const concurrency = Number(process.argv[3] ?? 50);
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const { child: receiver, line: url } = await startChild([join(here, 'receiver.js')]);

const body = JSON.stringify({ id: 'msg_x', type: 'user.created', created_at: new Date().toISOString(), data: { user: { id: 'user_1', email: 'a@example.com', name: 'A B' } } });
const base = await cannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: concurrency, duration: 5 });

const secret = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';
const run = spawnSync(process.execPath, [bin, 'trigger', 'user.created', '--to', url, '--secret', secret, '--provider', 'standard', '--count', String(count), '--concurrency', String(concurrency), '--json'], { encoding: 'utf8' });
if (run.status !== 0) throw new Error(`hooks trigger exited ${run.status}: ${run.stderr}`);
const s = JSON.parse(run.stdout);
console.log(`trigger benchmark: ${fmt(count)} events, concurrency ${concurrency}, Standard Webhooks signatures`);
console.log(`  autocannon (same receiver, static body)   ${fmt(base.requests.average).padStart(7)} req/s`);
console.log(`  hooks trigger --to (fresh, signed)        ${fmt(s.throughput_per_s).padStart(7)} deliveries/s  (${s.succeeded} ok, ${s.failed} failed; p50 ${s.latency_ms.p50} ms, p99 ${s.latency_ms.p99} ms)`);
console.log(`  ratio ${(s.throughput_per_s / base.requests.average).toFixed(2)}x of autocannon`);
stop(receiver);
