#!/usr/bin/env node
// Stands in for cloudflared in tests: prints, on stderr, the lines the real one
// prints for a quick tunnel, then waits. FAKE_CLOUDFLARED_DIE_MS makes it exit
// that long after connecting, for as many runs as FAKE_CLOUDFLARED_DIE_RUNS
// (counted in the file FAKE_CLOUDFLARED_STATE); FAKE_CLOUDFLARED_ARGS records argv.
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const env = process.env;
if (env.FAKE_CLOUDFLARED_ARGS) appendFileSync(env.FAKE_CLOUDFLARED_ARGS, `${JSON.stringify(process.argv.slice(2))}\n`);
let run = 1;
if (env.FAKE_CLOUDFLARED_STATE) {
  try {
    run = Number(readFileSync(env.FAKE_CLOUDFLARED_STATE, 'utf8')) + 1;
  } catch {
    run = 1;
  }
  writeFileSync(env.FAKE_CLOUDFLARED_STATE, String(run));
}
const name = `${randomBytes(3).toString('hex')}-fake-tunnel-${run}`;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
process.stderr.write(`${now()} INF Requesting new quick Tunnel on trycloudflare.com...\n`);
process.stderr.write(`${now()} INF +--------------------------------------------------------------------------------------------+\n`);
process.stderr.write(`${now()} INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |\n`);
process.stderr.write(`${now()} INF |  https://${name}.trycloudflare.com                                                          |\n`);
process.stderr.write(`${now()} INF +--------------------------------------------------------------------------------------------+\n`);
setTimeout(() => {
  process.stderr.write(`${now()} INF Registered tunnel connection connIndex=0 connection=${randomUUID()} event=0 ip=1.2.3.4 location=abc protocol=quic\n`);
}, 20);
const dieMs = Number(env.FAKE_CLOUDFLARED_DIE_MS ?? 0);
const dieRuns = Number(env.FAKE_CLOUDFLARED_DIE_RUNS ?? 1);
if (dieMs > 0 && run <= dieRuns) setTimeout(() => process.exit(1), dieMs);
process.on('SIGINT', () => process.exit(0));
setInterval(() => {}, 1 << 30);
// Like a real daemon it would outlive a SIGKILLed parent; in tests it must not.
const parent = process.ppid;
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 500).unref();
