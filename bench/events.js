#!/usr/bin/env node
// `hooks events list` on a store of N deliveries (default 100,000): the time
// of the whole command, beside `hooks --version` (the cost of starting the CLI).
// Usage: node bench/events.js [n]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventStore } from '../dist/core/store/event-store.js';

const n = Number(process.argv[2] ?? 100_000);
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hooks-bench-events-'));
const store = new EventStore(dir);
const types = ['user.created', 'user.updated', 'user.deleted', 'session.created', 'organization.updated'];
const body = Buffer.from(JSON.stringify({ id: 'evt', data: { x: 'y'.repeat(600) } }));
const start = Date.now() - n * 1000;
let pending = [];
for (let i = 0; i < n; i++) {
  pending.push(
    store.saveDelivery(
      {
        id: `rcv_${String(i).padStart(26, '0')}`, received_at: start + i * 1000, method: 'POST', path: '/', headers: [['content-type', 'application/json']], body,
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
store.close();

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
rmSync(dir, { recursive: true, force: true });
