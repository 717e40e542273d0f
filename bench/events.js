#!/usr/bin/env node
// `hooks events list` on a store of N deliveries (default 100,000): the time
// of the whole command, beside `hooks --version` (the cost of starting the CLI).
// Usage: node bench/events.js [n]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEventStore } from '../dist/core/store/event-store.js';

const n = Number(process.argv[2] ?? 100_000);
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hooks-bench-events-'));
const store = await openEventStore(dir);
const types = ['user.created', 'user.updated', 'user.deleted', 'session.created', 'organization.updated'];
const body = Buffer.from(JSON.stringify({ id: 'evt', data: { x: 'y'.repeat(600) } }));
const start = Date.now() - n * 1000;
let pending = [];
for (let i = 0; i < n; i++) {
  pending.push(
    store.saveDelivery(
      {
        id: `rcv_${String(i).padStart(26, '0')}`, received_at: start + i * 1000, method: 'POST', path: '/', headers: [['content-type', 'application/json']], body: i === n - 2 ? Buffer.from('{"needle":"rare-word"}') : body,
        body_size: body.length, body_sha256: null, body_truncated: false,
        provider: 'standard', event_id: `msg_${i}`, event_type: types[i % types.length], verdict: i % 50 === 0 ? 'invalid' : 'verified', reason: null, hints: [], targets: ['http://localhost:3000/'], session: null, last_status: null, last_outcome: null,
      },
      i % 50 === 0 ? [] : [{ delivery_id: `rcv_${String(i).padStart(26, '0')}`, kind: 'forward', target: 'http://localhost:3000/', started_at: start + i * 1000, status: i % 97 === 0 ? 502 : 200, duration_ms: 2, error: null, response_excerpt: null, resigned: false }],
    ),
  );
  if (pending.length === 5000) {
    await Promise.all(pending);
    pending = [];
  }
}
await Promise.all(pending);
await store.close();

const time = (args) => {
  const runs = [];
  for (let i = 0; i < 7; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return runs.sort((a, b) => a - b)[3];
};
const base = time(['--version']);
console.log(`events list on ${n.toLocaleString('en-US')} stored deliveries (median of 7 runs, whole command)`);
for (const args of [[], ['--type', 'user.*'], ['--status', 'invalid'], ['--status', 'failed'], ['--since', '1h'], ['--json', '--limit', '500']]) {
  const ms = time(['events', 'list', '--data-dir', dir, ...args]);
  console.log(`  events list ${args.join(' ').padEnd(22)} ${ms.toFixed(0).padStart(5)} ms   (${(ms / base).toFixed(2)}x hooks --version, ${base.toFixed(0)} ms)`);
}

// The inspector's list API on the same store, in process: a page of 100 should cost the same at the start and deep down.
const { startInspector } = await import('../dist/inspector/server.js');
const inspected = await openEventStore(dir);
const inspector = await startInspector({ store: inspected, secretFor: () => null, session: () => ({ mode: 'inspect', public_url: null, provider: null }), port: 0, timeoutMs: 1000, insecure: false });
const exchange = await fetch(inspector.url, { redirect: 'manual' });
const cookie = exchange.headers.get('set-cookie').split(';')[0];
const origin = new URL(inspector.url).origin;
const get = async (path) => {
  const t = performance.now();
  const r = await fetch(`${origin}${path}`, { headers: { cookie } });
  const json = await r.json();
  return { ms: performance.now() - t, json };
};
const median = async (path) => {
  const runs = [];
  for (let i = 0; i < 7; i++) runs.push((await get(path)).ms);
  return runs.sort((a, b) => a - b)[3];
};
console.log(`inspector list API on the same store (in process, median of 7; a page is 100 rows)`);
let cursor = null;
for (let page = 1; page <= 500; page++) cursor = (await get(`/api/deliveries?limit=100${cursor ? `&before=${cursor}` : ''}`)).json.next;
for (const [label, path] of [
  ['page 1', '/api/deliveries?limit=100'],
  ['page 501 (keyset cursor)', `/api/deliveries?limit=100&before=${cursor}`],
  ['provider + verdict filter', '/api/deliveries?limit=100&provider=standard&verdict=invalid'],
  ['type pattern', '/api/deliveries?limit=100&type=user.*'],
]) console.log(`  ${label.padEnd(34)} ${(await median(path)).toFixed(1).padStart(6)} ms`);
const first = await get('/api/deliveries?limit=100&search=rare-word');
console.log(`  ${'search, first (builds the index)'.padEnd(34)} ${first.ms.toFixed(0).padStart(6)} ms  (${first.json.rows.length} match)`);
console.log(`  ${'search, then'.padEnd(34)} ${(await median('/api/deliveries?limit=100&search=rare-word')).toFixed(1).padStart(6)} ms`);
await inspector.close();
await inspected.close();
rmSync(dir, { recursive: true, force: true });
