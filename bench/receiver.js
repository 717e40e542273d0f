// A trivial webhook receiver for the benchmarks: answers 200 to every POST
// and counts them; GET /count says how many. Prints its URL on stdout.
import { createServer } from 'node:http';

let count = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.end(String(count));
    return;
  }
  req.on('data', () => {});
  req.on('end', () => {
    count++;
    res.end('ok');
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
