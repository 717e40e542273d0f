#!/usr/bin/env node
// The same load (autocannon, concurrency 50, signed ~1 KB bodies) against the
// receiver app directly and through `hooks listen --tunnel none` with
// signature verification and storage on, in one run. Prints both
// throughputs, the ratio and the latency the relay adds at p50 and p99. A bare
// Node proxy (bench/bare-proxy.js) runs too: the ceiling of any Node relay here.
// Usage: node bench/relay.js [seconds]
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cannon, fmt, startChild, stop } from './lib.js';

const seconds = Number(process.argv[2] ?? 8);
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const secret = 'bench-relay-secret';
const body = JSON.stringify({ id: 'evt_bench', type: 'user.created', created_at: new Date().toISOString(), data: { user: { id: 'usr_1', email: 'a@example.com', bio: 'x'.repeat(850) } } });
const headers = { 'content-type': 'application/json', 'x-ithbat-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };

const { child: app, line: appUrl } = await startChild([join(here, 'receiver.js')]);
const dataDir = mkdtempSync(join(tmpdir(), 'hooks-bench-relay-'));
const { child: relay, line: ready } = await startChild(
  [bin, 'listen', '--forward', appUrl, '--tunnel', 'none', '--no-subscribe', '--provider', 'ithbat', '--secret', secret, '--data-dir', dataDir, '--json'],
  { json: true, env: { HOOKS_CONFIG_DIR: dataDir }, readyType: 'ready' },
);
relay.stdout.on('data', () => {});
const { child: bare, line: bareUrl } = await startChild([join(here, 'bare-proxy.js'), appUrl]);

const load = (url) => cannon({ url: `${url}/in`, method: 'POST', body, headers, connections: 50, duration: seconds });
await load(appUrl); // warm both paths
const direct = await load(appUrl);
const ceiling = await load(bareUrl);
const through = await load(ready.local_url);

const verified = (await (await fetch(`${appUrl}/count`)).text());
const row = (label, r) => `  ${label.padEnd(26)} ${fmt(r.requests.average).padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   errors ${r.errors + r.non2xx}`;
console.log(`relay benchmark: autocannon -c 50 -d ${seconds}, ${Buffer.byteLength(body)}-byte signed bodies (ithbat)`);
console.log(row('direct to the app', direct));
console.log(row('bare Node proxy (floor)', ceiling));
console.log(row('through hooks listen', through));
console.log(`  ratio ${(through.requests.average / direct.requests.average).toFixed(2)}x of direct (${(through.requests.average / ceiling.requests.average).toFixed(2)}x of the bare proxy); added latency p50 ${(through.latency.p50 - direct.latency.p50).toFixed(2)} ms, p99 ${(through.latency.p99 - direct.latency.p99).toFixed(2)} ms`);
console.log(`  (every relayed request was verified, stored in SQLite and forwarded; the app counted ${fmt(Number(verified))} requests in all)`);
stop(relay);
stop(bare);
stop(app);
rmSync(dataDir, { recursive: true, force: true });
