// The floor of any Node relay on this machine: HTTP in, undici keep-alive pool
// out, nothing else (no verification, no storage, no log). A reference for
// bench/relay.js. Usage: node bench/bare-proxy.js TARGET_URL; prints its URL.
import { createServer } from 'node:http';
import { Agent } from 'undici';

const target = new URL(process.argv[2]);
const agent = new Agent({ connections: 128 });
createServer(async (req, res) => {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const r = await agent.request({ origin: target.origin, path: req.url, method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body: Buffer.concat(chunks) });
  const body = Buffer.from(await r.body.arrayBuffer());
  res.writeHead(r.statusCode).end(body);
}).listen(0, '127.0.0.1', function () {
  console.log(`http://127.0.0.1:${this.address().port}`);
});
