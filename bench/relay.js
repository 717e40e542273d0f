#!/usr/bin/env node
// One extra hop, five ways, in one run: wrk sends the same signed ~1 KB POSTs
// straight at a Node sink, through nginx (when installed: the practical limit
// of one extra hop), through a bare Node proxy (HTTP in, undici pool out,
// nothing else: the floor of any Node relay), through the bare proxy plus the
// promises alone (an HMAC check and a SQLite commit on a worker thread before
// answering: the floor of any Node relay that keeps them), and through `hooks
// listen --tunnel none` (verify, identify, store before answering, JSON log). Each at
// c=50 (throughput, p50, p99) and c=1 (p50: the latency one hop adds). Then
// hooks listen alone at c=50 for --rss-seconds, sampling its resident memory.
// Falls back to autocannon (whole-millisecond latencies) without wrk.
// The paths take turns, --runs times (default 3), and each figure is the
// median of its runs: on a shared 2-core machine one run of one path can be
// off by a fifth.
// Usage: node bench/relay.js [--seconds 8] [--runs 3] [--rss-seconds 60] [--only hooks]
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cannon, fmt, onPath, sampleRss, startChild, startNginx, stop, wrk } from './lib.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('seconds', 8));
const runs = Number(arg('runs', 3));
const rssSeconds = Number(arg('rss-seconds', 60));
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const secret = 'bench-relay-secret';
const body = JSON.stringify({ id: 'evt_bench', type: 'user.created', created_at: new Date().toISOString(), data: { user: { id: 'usr_1', email: 'a@example.com', bio: 'x'.repeat(850) } } });
const headers = { 'content-type': 'application/json', 'x-ithbat-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
const useWrk = onPath('wrk');

const load = async (url, connections, secs = seconds) => {
  if (useWrk) return wrk(`${url}/in`, { connections, seconds: secs, body, headers });
  const r = await cannon({ url: `${url}/in`, method: 'POST', body, headers, connections, duration: secs });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.errors + r.non2xx };
};

const { child: sink, line: sinkUrl } = await startChild([join(here, 'receiver.js')]);
const dataDir = mkdtempSync(join(tmpdir(), 'hooks-bench-relay-'));
const { child: relay, line: ready } = await startChild(
  [bin, 'listen', '--forward', sinkUrl, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--provider', 'ithbat', '--secret', secret, '--data-dir', dataDir, '--json'],
  { json: true, env: { HOOKS_CONFIG_DIR: dataDir }, readyType: 'listen.ready' },
);
relay.stdout.on('data', () => {});
const { child: bare, line: bareUrl } = await startChild([join(here, 'bare-proxy.js'), sinkUrl]);
const { child: kept, line: keptUrl } = await startChild([join(here, 'kept-promises-proxy.js'), sinkUrl, secret, join(dataDir, 'kept-promises.db')]);
const nginx = onPath('nginx') ? await startNginx(sinkUrl) : null;

const paths = [
  ['direct', sinkUrl],
  ...(nginx ? [['nginx reverse proxy', nginx.url]] : []),
  ['bare Node proxy', bareUrl],
  ['bare proxy + HMAC + SQLite commit', keptUrl],
  ['hooks listen', ready.local_url],
];
const only = arg('only', null);
const chosen = only ? paths.filter(([label]) => label.includes(only) || label === 'direct' || label.startsWith('bare')) : paths;

// Warm-up: JIT, connection pools, the SQLite file.
for (const [, url] of chosen) await load(url, 50, 2);
const samples = new Map(chosen.map(([label]) => [label, []]));
for (let i = 0; i < runs; i++) {
  for (const [label, url] of chosen) samples.get(label).push({ many: await load(url, 50), one: await load(url, 1) });
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = new Map(
  [...samples].map(([label, rs]) => [
    label,
    {
      many: { rps: median(rs.map((r) => r.many.rps)), p50: median(rs.map((r) => r.many.p50)), p99: median(rs.map((r) => r.many.p99)), bad: rs.reduce((n, r) => n + r.many.bad, 0) },
      one: { p50: median(rs.map((r) => r.one.p50)), bad: rs.reduce((n, r) => n + r.one.bad, 0) },
    },
  ]),
);

const ms = (v) => (v < 1 ? `${v.toFixed(3)} ms` : `${v.toFixed(2)} ms`);
const direct = results.get('direct');
const floor = results.get('bare Node proxy');
const promises = results.get('bare proxy + HMAC + SQLite commit');
console.log(`relay benchmark: ${useWrk ? 'wrk -t1' : 'autocannon'}, ${seconds} s a run, medians of ${runs} runs taken in turns, ${Buffer.byteLength(body)}-byte bodies signed the Ithbat way`);
console.log(`| path | c=50 req/s | vs direct | p50 | p99 | c=1 p50 | errors |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const [label, r] of results) {
  console.log(`| ${label} | ${fmt(r.many.rps)} | ${(r.many.rps / direct.many.rps).toFixed(2)}x | ${ms(r.many.p50)} | ${ms(r.many.p99)} | ${ms(r.one.p50)} | ${r.many.bad + r.one.bad} |`);
}
const hooks = results.get('hooks listen');
if (hooks && floor) {
  console.log('');
  console.log(`hooks listen vs the bare Node proxy: ${(hooks.many.rps / floor.many.rps).toFixed(2)}x the throughput (goal >= 0.8x), p99 ${(hooks.many.p99 / floor.many.p99).toFixed(2)}x (goal <= 2x), c=1 p50 +${(hooks.one.p50 - floor.one.p50).toFixed(3)} ms (goal <= 0.2 ms)`);
}
if (promises && floor) {
  console.log(`the promises alone vs the bare Node proxy: ${(promises.many.rps / floor.many.rps).toFixed(2)}x the throughput, p99 ${(promises.many.p99 / floor.many.p99).toFixed(2)}x: the most any Node relay that verifies and commits before answering can reach here`);
  if (hooks) console.log(`hooks listen vs the promises alone: ${(hooks.many.rps / promises.many.rps).toFixed(2)}x the throughput, p99 ${(hooks.many.p99 / promises.many.p99).toFixed(2)}x: the share left to hooks' own work (identification, JSON log, bookkeeping)`);
}

if (rssSeconds > 0) {
  const done = sampleRss(relay.pid);
  const r = await load(ready.local_url, 50, rssSeconds);
  console.log(`hooks listen RSS through ${rssSeconds} s at c=50 (${fmt(r.rps)} req/s): peak ${done().toFixed(0)} MB (goal < 200 MB)`);
}
const stored = await (await fetch(`${sinkUrl}/count`)).text();
console.log(`(every request through hooks listen was verified, stored in SQLite before its answer, and forwarded; the sink counted ${fmt(Number(stored))} requests in all)`);
stop(relay);
stop(bare);
stop(kept);
stop(sink);
nginx?.stop();
rmSync(dataDir, { recursive: true, force: true });
