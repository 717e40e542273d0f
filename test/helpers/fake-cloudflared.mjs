#!/usr/bin/env node
// Stands in for cloudflared in tests, and carries traffic like it: a quick
// tunnel (`tunnel --url LOCAL`) prints the banner the real one prints, with
// the URL of a loopback proxy to LOCAL instead of a trycloudflare.com name; a
// named one (`tunnel run --url LOCAL`, TUNNEL_TOKEN in the environment) prints
// only its connection, as the real one does.
//   FAKE_CLOUDFLARED_ARGS     appends argv (and whether TUNNEL_TOKEN was set) as a JSON line
//   FAKE_CLOUDFLARED_STATE    counts runs in this file
//   FAKE_CLOUDFLARED_DIE_MS   exits that long after connecting, for the first FAKE_CLOUDFLARED_DIE_RUNS runs
//   FAKE_CLOUDFLARED_SILENT   once this file exists, stops passing traffic (530) but keeps running
//   FAKE_CLOUDFLARED_FAIL_RUNS  exits at once with an error on these runs (a comma list: 2,3)
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { startLoopbackProxy } from './loopback-proxy.mjs';

const env = process.env;
const argv = process.argv.slice(2);
if (env.FAKE_CLOUDFLARED_ARGS) appendFileSync(env.FAKE_CLOUDFLARED_ARGS, `${JSON.stringify({ argv, token: env.TUNNEL_TOKEN ?? null })}\n`);
let run = 1;
if (env.FAKE_CLOUDFLARED_STATE) {
  try {
    run = Number(readFileSync(env.FAKE_CLOUDFLARED_STATE, 'utf8')) + 1;
  } catch {
    run = 1;
  }
  writeFileSync(env.FAKE_CLOUDFLARED_STATE, String(run));
}
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const log = (line) => process.stderr.write(`${now()} ${line}\n`);
if ((env.FAKE_CLOUDFLARED_FAIL_RUNS ?? '').split(',').includes(String(run))) {
  log('ERR failed to request quick Tunnel: connection refused');
  process.exit(1);
}
const local = argv[argv.indexOf('--url') + 1];
const named = argv.includes('run');
const proxy = await startLoopbackProxy(local, env.FAKE_CLOUDFLARED_SILENT);
if (!named) {
  log('INF Requesting new quick Tunnel on trycloudflare.com...');
  log('INF +--------------------------------------------------------------------------------------------+');
  log('INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |');
  log(`INF |  ${proxy.url}                                                          |`);
  log('INF +--------------------------------------------------------------------------------------------+');
}
setTimeout(() => log(`INF Registered tunnel connection connIndex=0 connection=${randomUUID()} event=0 ip=127.0.0.1 location=lo protocol=quic`), 20);
const dieMs = Number(env.FAKE_CLOUDFLARED_DIE_MS ?? 0);
if (dieMs > 0 && run <= Number(env.FAKE_CLOUDFLARED_DIE_RUNS ?? 1)) setTimeout(() => process.exit(1), dieMs);
process.on('SIGINT', () => proxy.close().then(() => process.exit(0)));
// Like a real daemon it would outlive a SIGKILLed parent; in tests it must not.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 500);
