#!/usr/bin/env node
// Forgeries must not be an amplifier (issue: hardening). In one run, through
// `hooks listen` (verification and storage on):
//  1. the cost of one 9.9 MB delivery, valid versus forged (median of 9 each);
//  2. the rate of valid ~1 KB deliveries (autocannon, 10 connections) alone,
//     then while two other processes send forged 10 MB bodies back to back.
// Usage: node bench/forged.js [seconds]

import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';
import { cannon, fmt, startChild, stop } from './lib.js';

const seconds = Number(process.argv[2] ?? 8);
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const secret = 'bench-forged-secret';
const sign = (b) => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`;
const small = JSON.stringify({ id: 'evt_bench', type: 'user.created', data: { user: { id: 'usr_1', bio: 'x'.repeat(900) } } });

const { child: app, line: appUrl } = await startChild([join(here, 'receiver.js')]);
const dataDir = mkdtempSync(join(tmpdir(), 'hooks-bench-forged-'));
const { child: relay, line: ready } = await startChild(
  [bin, 'listen', '--forward', appUrl, '--tunnel', 'none', '--no-subscribe', '--provider', 'ithbat', '--secret', secret, '--data-dir', dataDir, '--max-body', '12mb', '--json'],
  { json: true, env: { HOOKS_CONFIG_DIR: dataDir }, readyType: 'listen.ready' },
);
relay.stdout.on('data', () => {});
const url = ready.local_url;

// 1. One large delivery, valid and forged, alternated so both see the same machine.
const big = Buffer.from(JSON.stringify({ id: 'evt_big', type: 'user.created', pad: 'x'.repeat(9.9 * 1024 * 1024) }));
const agent = new Agent({ connections: 1 });
const timeOne = async (signature) => {
  const started = performance.now();
  const r = await agent.request({ origin: url, path: '/big', method: 'POST', body: big, headers: { 'content-type': 'application/json', 'x-ithbat-signature': signature } });
  await r.body.dump();
  return { ms: performance.now() - started, status: r.statusCode };
};
const valid = [];
const forged = [];
for (let i = 0; i < 9; i++) {
  valid.push(await timeOne(sign(big)));
  forged.push(await timeOne(sign(Buffer.from('another body'))));
}
const median = (xs) => xs.map((x) => x.ms).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
await agent.close();

// 2. Valid small deliveries, alone and under attack.
const load = () => cannon({ url: `${url}/in`, method: 'POST', body: small, headers: { 'content-type': 'application/json', 'x-ithbat-signature': sign(small) }, connections: 10, duration: seconds });
await load(); // warm-up
const alone = await load();
const attackers = await Promise.all([0, 1].map(() => startChild([join(here, 'forger.js'), url, String(10 * 1024 * 1024)], { pattern: /^ready$/ })));
const attacked = await load();
const forgedSent = await Promise.all(attackers.map(({ child }) => new Promise((resolve) => {
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.on('exit', () => resolve(Number(out.trim()) || 0));
  child.kill('SIGTERM');
})));

console.log(`forged-delivery benchmark, through hooks listen (verify + store), one run`);
console.log(`  one 9.9 MB delivery: valid ${median(valid).toFixed(1)} ms (status ${valid[0].status}), forged ${median(forged).toFixed(1)} ms (status ${forged[0].status}): forged/valid ${(median(forged) / median(valid)).toFixed(2)}x (median of 9)`);
console.log(`  valid ~1 KB deliveries, autocannon -c 10 -d ${seconds}:`);
console.log(`    alone                          ${fmt(alone.requests.average).padStart(7)}/s  p50 ${alone.latency.p50} ms  p99 ${alone.latency.p99} ms  errors ${alone.errors + alone.non2xx}`);
console.log(`    while 2 clients send forged 10 MB ${fmt(attacked.requests.average).padStart(4)}/s  p50 ${attacked.latency.p50} ms  p99 ${attacked.latency.p99} ms  errors ${attacked.errors + attacked.non2xx}  (${fmt(forgedSent[0] + forgedSent[1])} forged bodies, ${fmt(((forgedSent[0] + forgedSent[1]) * 10) / seconds)} MB/s)`);
console.log(`  ratio under attack: ${(attacked.requests.average / alone.requests.average).toFixed(2)}x of the unattacked rate (goal >= 0.5x)`);
stop(relay);
stop(app);
rmSync(dataDir, { recursive: true, force: true });
