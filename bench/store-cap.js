#!/usr/bin/env node
// The size cap on disk: `hooks listen --max-store-size CAP` takes unsigned
// bodies, one after another, for a few seconds, while a thread of this script
// samples the data directory (events.db, its WAL and shared memory together)
// every 2 ms. Runs each cap with each body size, and prints the largest size
// seen against the cap, and how many deliveries were kept whole or in part.
// Usage: node bench/store-cap.js [--seconds 10] [--caps 10,20] [--bodies 1,10]   (MB)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { startChild, stop } from './lib.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('seconds', '10'));
const caps = arg('caps', '10,20').split(',').map(Number);
const bodies = arg('bodies', '1,10').split(',').map(Number);
const MB = 1024 * 1024;
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

/** Samples the directory on a thread of its own, so building and sending bodies never delays a sample. */
function sampler(dir) {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { readdirSync, statSync } = require('node:fs');
     const { join } = require('node:path');
     const { workerData, parentPort } = require('node:worker_threads');
     let most = 0, samples = 0, at = {};
     while (Atomics.load(workerData.flag, 0) === 0) {
       let total = 0; const sizes = {};
       try { for (const f of readdirSync(workerData.dir)) if (f.startsWith('events.db')) { try { sizes[f] = statSync(join(workerData.dir, f)).size; total += sizes[f]; } catch {} } } catch {}
       samples++;
       if (total > most) { most = total; at = sizes; }
       Atomics.wait(workerData.flag, 0, 0, 2);
     }
     parentPort.postMessage({ most, samples, at });`,
    { eval: true, workerData: { dir, flag } },
  );
  const done = new Promise((resolve) => worker.once('message', resolve));
  return async () => {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const r = await done;
    await worker.terminate();
    return r;
  };
}

const post = (url, body) =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject).end(body);
  });

const { child: sink, line: sinkUrl } = await startChild([join(here, 'receiver.js')]);
const rows = [];
for (const capMb of caps) {
  for (const bodyMb of bodies) {
    const dataDir = mkdtempSync(join(tmpdir(), 'hooks-bench-cap-'));
    const { child: listen, line: ready } = await startChild(
      [bin, 'listen', '--forward', sinkUrl, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', dataDir, '--max-store-size', `${capMb}mb`, '--max-body', `${bodyMb + 1}mb`, '--json'],
      { json: true, env: { HOOKS_CONFIG_DIR: dataDir }, readyType: 'listen.ready' },
    );
    let pruned = 0;
    listen.stdout.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line.includes('"store.pruned"')) pruned += JSON.parse(line).removed;
    });
    const stopSampling = sampler(dataDir);
    const started = Date.now();
    let sent = 0;
    let accepted = 0;
    while (Date.now() - started < seconds * 1000) {
      const body = Buffer.alloc(bodyMb * MB, 0x61 + (sent % 26));
      body.write(`{"id":"evt_${sent}","pad":"`, 0);
      body.write('"}', body.length - 2);
      if ((await post(`${ready.local_url}/in`, body)) === 200) accepted++;
      sent++;
    }
    const { most, samples, at } = await stopSampling();
    stop(listen);
    const listed = JSON.parse(spawnSync(process.execPath, [bin, 'events', 'list', '--json', '--limit', '100000', '--data-dir', dataDir], { encoding: 'utf8' }).stdout || '[]');
    const inPart = listed.filter((d) => d.body_truncated).length;
    rows.push({ capMb, bodyMb, sent, accepted, pruned, kept: listed.length, inPart, most, samples, at });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
stop(sink);

console.log(`store cap on disk: unsigned bodies one after another for ${seconds} s per run, the data dir (events.db, -wal, -shm) sampled every 2 ms on a thread of its own`);
console.log('| cap | body | deliveries sent | answered 200 | removed to stay under the cap | kept (of them in part) | largest size on disk | samples |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.capMb} MB | ${r.bodyMb} MB | ${r.sent} | ${r.accepted} | ${r.pruned} | ${r.kept} (${r.inPart}) | ${(r.most / MB).toFixed(2)} MB | ${r.samples} |`);
}
for (const r of rows) if (r.most > r.capMb * MB) console.log(`OVER THE CAP: ${r.capMb} MB with ${r.bodyMb} MB bodies peaked at ${JSON.stringify(r.at)}`);
