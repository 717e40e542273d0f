#!/usr/bin/env node
// Slow senders must not lock real ones out (issue #19). Through `hooks listen`
// (verify + store + forward), in one run: N signed ~1 KB deliveries, each on a
// new connection as a platform sends them, first alone, then while `conns`
// connections each declare a 1 MB body and send it one byte a second (and
// open a new one a second after being cut off; the attack in the issue reopened
// them every minute). Prints accepted/sent and forwarded for both.
// Usage: node bench/slow.js [--conns 4100] [--deliveries 60] [--max-files 1024]

import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild, stop } from './lib.js';

const { values } = parseArgs({ options: { conns: { type: 'string', default: '4100' }, deliveries: { type: 'string', default: '60' }, 'max-files': { type: 'string', default: '1024' } } });
const conns = Number(values.conns);
const deliveries = Number(values.deliveries);
const maxFiles = Number(values['max-files']) || undefined;
const bin = fileURLToPath(new URL('../bin/hooks.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const secret = 'bench-slow-secret';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { child: app, line: appUrl } = await startChild([join(here, 'receiver.js')]);
const dataDir = mkdtempSync(join(tmpdir(), 'hooks-bench-slow-'));
const { child: relay, line: ready } = await startChild(
  [bin, 'listen', '--forward', appUrl, '--tunnel', 'none', '--no-subscribe', '--provider', 'ithbat', '--secret', secret, '--data-dir', dataDir, '--json'],
  { json: true, env: { HOOKS_CONFIG_DIR: dataDir }, readyType: 'listen.ready', maxFiles },
);
relay.stdout.resume();
const target = new URL(ready.local_url);
const forwardedSoFar = async () => Number(await (await fetch(`${appUrl}/count`)).text());

/** One signed delivery on a connection of its own; true when listen answered 200. */
function deliver(i) {
  const body = JSON.stringify({ id: `evt_slow_${i}`, type: 'user.created', data: { user: { id: `usr_${i}`, bio: 'x'.repeat(900) } } });
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return new Promise((resolve) => {
    const req = request({ host: target.hostname, port: target.port, path: '/in', method: 'POST', agent: false, timeout: 20_000, headers: { 'content-type': 'application/json', 'x-ithbat-signature': signature, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/** `deliveries` deliveries, one every 200 ms, each waited on by its own sender. */
async function round() {
  const before = await forwardedSoFar();
  const answers = [];
  for (let i = 0; i < deliveries; i++) {
    answers.push(deliver(i));
    await sleep(200);
  }
  const accepted = (await Promise.all(answers)).filter(Boolean).length;
  return { accepted, forwarded: (await forwardedSoFar()) - before };
}

let attacking = true;
let opened = 0;
let cut = 0;
/** One trickling sender, reopened a second after it is cut off (the attack in the issue waited a minute). */
function trickle() {
  const socket = connect(Number(target.port), target.hostname);
  opened++;
  let timer;
  socket.on('connect', () => {
    socket.write(`POST /in HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{`);
    timer = setInterval(() => socket.writable && socket.write(' '), 1000);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    clearInterval(timer);
    cut++;
    if (attacking) setTimeout(trickle, 1000);
  });
}

const alone = await round();
for (let i = 0; i < conns; i++) {
  trickle();
  if (i % 200 === 199) await sleep(20);
}
await sleep(3000);
const attacked = await round();
attacking = false;

console.log(`slow-sender benchmark, through hooks listen (verify + store + forward)${maxFiles ? `, listen under ulimit -n ${maxFiles}` : ''}, one run`);
console.log(`  ${deliveries} signed ~1 KB deliveries, one every 200 ms, each on its own connection:`);
console.log(`    alone                                 accepted ${alone.accepted}/${deliveries}  forwarded ${alone.forwarded}`);
console.log(`    under ${conns} senders trickling 1 B/s    accepted ${attacked.accepted}/${deliveries}  forwarded ${attacked.forwarded}  (${opened} slow connections opened, ${cut} cut off)`);
console.log(`  ratio under attack: ${(attacked.accepted / Math.max(1, alone.accepted)).toFixed(2)}x of the unattacked acceptance (goal >= 58/${deliveries})`);
stop(relay);
stop(app);
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
