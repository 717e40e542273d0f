// The floor of a Node relay that keeps hooks listen's promises, and nothing
// more: the bare proxy (bench/bare-proxy.js) plus an HMAC check of every
// delivery and a SQLite commit of its bytes and answer on a worker thread
// before the sender is answered. No event identification, no JSON log, no
// retention, no inspector. bench/relay.js runs it beside hooks listen, so the
// share of the cost that any such relay pays in Node is measured, not guessed.
// Usage: node bench/kept-promises-proxy.js TARGET_URL SECRET DB_FILE; prints its URL.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Agent } from 'undici';

if (isMainThread) {
  const [target, secret, file] = [new URL(process.argv[2]), process.argv[3], process.argv[4]];
  const writer = new Worker(new URL(import.meta.url), { workerData: { file } });
  const waiting = new Map();
  let batch = [];
  let next = 1;
  writer.on('message', (id) => {
    for (const done of waiting.get(id)) done();
    waiting.delete(id);
  });
  // One message and one transaction a turn, as hooks does: the commits, not the rows, cost.
  const store = (row) =>
    new Promise((resolve) => {
      if (batch.length === 0)
        setImmediate(() => {
          const id = next++;
          waiting.set(id, batch.map((b) => b.resolve));
          writer.postMessage({ id, rows: batch.map((b) => b.row) });
          batch = [];
        });
      batch.push({ row, resolve });
    });
  const agent = new Agent({ connections: 128 });
  createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-ithbat-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return res.writeHead(401).end();
      const r = await agent.request({ origin: target.origin, path: req.url, method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body });
      const answer = Buffer.from(await r.body.arrayBuffer());
      await store({ headers: JSON.stringify(req.rawHeaders), body, status: r.statusCode, at: Date.now() });
      res.writeHead(r.statusCode).end(answer);
    });
  }).listen(0, '127.0.0.1', function () {
    console.log(`http://127.0.0.1:${this.address().port}`);
  });
} else {
  const db = new Database(workerData.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS deliveries (seq INTEGER PRIMARY KEY, at INTEGER, headers TEXT, body BLOB, status INTEGER)');
  const insert = db.prepare('INSERT INTO deliveries (at, headers, body, status) VALUES (@at, @headers, @body, @status)');
  const commit = db.transaction((rows) => rows.forEach((r) => insert.run(r)));
  parentPort.on('message', ({ id, rows }) => {
    commit(rows);
    parentPort.postMessage(id);
  });
}
