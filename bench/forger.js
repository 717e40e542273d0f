// One attacker for bench/forged.js: POSTs forged bodies of SIZE bytes to URL
// back to back (each after the previous answer) until killed, and prints how
// many it sent on SIGTERM. Usage: node bench/forger.js URL SIZE
import { Agent } from 'undici';

const [url, size] = [new URL(process.argv[2]), Number(process.argv[3])];
const body = Buffer.alloc(size, 0x7b);
const agent = new Agent({ connections: 1 });
let sent = 0;
process.on('SIGTERM', () => {
  console.log(sent);
  process.exit(0);
});
console.log('ready');
for (;;) {
  try {
    const r = await agent.request({ origin: url.origin, path: '/forged', method: 'POST', body, headers: { 'content-type': 'application/json', 'x-ithbat-signature': `sha256=${'0'.repeat(64)}` } });
    await r.body.dump();
    sent++;
  } catch {
    // A refused or reset connection: try again.
  }
}
