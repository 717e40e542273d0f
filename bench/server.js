#!/usr/bin/env node
// Delivery throughput of `hooks server` with durable state (SQLite WAL),
// beside the same trivial receiver's ceiling under autocannon, in one run.
//   fan-out: one event to N subscriptions;  stream: M events to S subscriptions.
// Usage: node bench/server.js [--fanout 2000] [--events 5000] [--subs 4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { cannon, fmt, startChild, stop } from './lib.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FANOUT = arg('fanout', 2000);
const EVENTS = arg('events', 5000);
const SUBS = arg('subs', 4);
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

const body = JSON.stringify({ id: 'evt_bench', type: 'user.created', created_at: new Date().toISOString(), data: { user: { id: 'user_1', email: 'a@example.com', name: 'A'.repeat(700) } } });

const { child: receiverProc, line: receiverUrl } = await startChild([join(here, 'receiver.js')]);
const count = async () => Number(await (await fetch(`${receiverUrl}/count`)).text());

console.log('baseline: autocannon -c 50 -d 5 against the receiver (~1 KB POST bodies)');
const base = await cannon({ url: receiverUrl, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: 50, duration: 5 });
console.log(`  ${fmt(base.requests.average)} req/s`);

const dataDir = mkdtempSync(join(tmpdir(), 'hooks-bench-'));
const token = 'bench-token-0123456789abcdef';
const { child: serverProc, line: ready } = await startChild([bin, 'server', '--port', '0', '--json', '--data-dir', dataDir, '--token', token], {
  json: true,
  env: { HOOKS_CONFIG_DIR: dataDir },
});
const api = new Pool(ready.url, { connections: 16 });
const call = async (method, path, payload) => {
  const res = await api.request({ method, path: `/api/v1${path}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload && JSON.stringify(payload) });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
  return text ? JSON.parse(text) : null;
};

async function until(target) {
  while ((await count()) < target) await new Promise((r) => setTimeout(r, 20));
}

async function run(label, subscriptions, send, expected) {
  const created = [];
  for (let i = 0; i < subscriptions; i++) created.push(await call('POST', '/webhooks/subscriptions', { name: `bench-${i}`, url: `${receiverUrl}/in`, events: ['*'] }));
  const before = await count();
  const started = performance.now();
  await send();
  await until(before + expected);
  const seconds = (performance.now() - started) / 1000;
  for (const s of created) await call('DELETE', `/webhooks/subscriptions/${s.id}`);
  const rate = expected / seconds;
  console.log(`  ${label}: ${fmt(expected)} deliveries in ${seconds.toFixed(2)} s = ${fmt(rate)} deliveries/s (${(rate / base.requests.average).toFixed(2)}x the receiver's ceiling)`);
  return rate;
}

console.log('hooks server: signed, durable deliveries to the same receiver');
await run(`fan-out, 1 event to ${FANOUT} subscriptions`, FANOUT, () => call('POST', '/events', { type: 'user.created' }), FANOUT);
await run(`stream, ${EVENTS} events to ${SUBS} subscriptions`, SUBS, async () => {
  const queue = Array.from({ length: EVENTS }, () => () => call('POST', '/events', { type: 'user.created' }));
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (queue.length) await queue.pop()();
  }));
}, EVENTS * SUBS);

await api.close();
stop(serverProc);
stop(receiverProc);
rmSync(dataDir, { recursive: true, force: true });
