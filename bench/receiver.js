// A trivial webhook receiver for the benchmarks: answers 200 to every POST
// and counts them; GET /count says how many. With --arrivals, GET /arrivals
// also says when each (path, webhook-id) first arrived (ms since the epoch)
// and how many came again, and forgets them. Prints its URL on stdout.
import { createServer } from 'node:http';

const record = process.argv.includes('--arrivals');
let count = 0;
let repeats = 0;
const arrivals = new Map();
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.end(String(count));
    return;
  }
  if (req.method === 'GET' && req.url === '/arrivals') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ repeats, first: Object.fromEntries(arrivals) }));
    arrivals.clear();
    repeats = 0;
    return;
  }
  const at = Date.now();
  req.on('data', () => {});
  req.on('end', () => {
    count++;
    if (!record) return res.end('ok');
    const key = `${req.url} ${req.headers['webhook-id'] ?? ''}`;
    if (arrivals.has(key)) repeats++;
    else arrivals.set(key, at);
    res.end('ok');
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
