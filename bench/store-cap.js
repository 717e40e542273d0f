#!/usr/bin/env node
// The size cap on disk: `hooks listen --max-store-size 20mb` takes unsigned
// 10 MB bodies for 15 s, one after another, while this script samples the
// data directory (events.db, its WAL and shared memory) every 100 ms. Prints
// the largest size seen against the cap, and how many deliveries went through.
// Usage: node bench/store-cap.js [--seconds 15] [--cap-mb 20] [--body-mb 10]
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, stop } from './lib.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('seconds', 15);
const capMb = arg('cap-mb', 20);
const bodyMb = arg('body-mb', 10);
const MB = 1024 * 1024;
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

const { child: sink, line: sinkUrl } = await startChild([join(here, 'receiver.js')]);
const dataDir = mkdtempSync(join(tmpdir(), 'hooks-bench-cap-'));
const { child: listen, line: ready } = await startChild(
  [bin, 'listen', '--forward', sinkUrl, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', dataDir, '--max-store-size', `${capMb}mb`, '--max-body', `${bodyMb + 1}mb`, '--json'],
  { json: true, env: { HOOKS_CONFIG_DIR: dataDir }, readyType: 'listen.ready' },
);
let pruned = 0;
listen.stdout.on('data', (chunk) => {
  for (const line of chunk.toString().split('\n')) if (line.includes('"store.pruned"')) pruned += JSON.parse(line).removed;
});

const onDisk = () => readdirSync(dataDir).filter((f) => f.startsWith('events.db')).reduce((n, f) => n + statSync(join(dataDir, f)).size, 0);
let most = 0;
const sampler = setInterval(() => (most = Math.max(most, onDisk())), 100);
const post = (body) =>
  new Promise((resolve, reject) => {
    const req = request(`${ready.local_url}/in`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject).end(body);
  });

const started = Date.now();
let sent = 0;
let accepted = 0;
while (Date.now() - started < seconds * 1000) {
  const body = Buffer.alloc(bodyMb * MB, 0x61 + (sent % 26));
  body.write(`{"id":"evt_${sent}","pad":"`, 0);
  body.write('"}', body.length - 2);
  if ((await post(body)) === 200) accepted++;
  sent++;
}
clearInterval(sampler);
console.log(`store cap on disk: --max-store-size ${capMb} MB, ${bodyMb} MB unsigned bodies for ${seconds} s, the data dir sampled every 100 ms`);
console.log(`| deliveries sent | answered 200 | removed to stay under the cap | largest size on disk | cap |`);
console.log(`|---|---|---|---|---|`);
console.log(`| ${sent} | ${accepted} | ${pruned} | ${(most / MB).toFixed(1)} MB | ${capMb} MB |`);
stop(listen);
stop(sink);
rmSync(dataDir, { recursive: true, force: true });
