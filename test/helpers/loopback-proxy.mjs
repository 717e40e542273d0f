// A tunnel's edge on loopback, for the fake tunnels: every request to it is
// passed, bytes as they are, to `target`. Once the file `silentFile` exists
// (it is removed then), it stops passing traffic and answers 530 like an edge
// whose tunnel is gone, while its process keeps running.
import { createServer, request } from 'node:http';
import { existsSync, rmSync } from 'node:fs';

export async function startLoopbackProxy(target, silentFile) {
  const to = new URL(target);
  let silent = false;
  const server = createServer((req, res) => {
    if (!silent && silentFile && existsSync(silentFile)) {
      silent = true;
      rmSync(silentFile, { force: true });
    }
    if (silent) {
      req.resume();
      res.writeHead(530, { 'content-type': 'text/html' }).end('<h1>Error 1033: tunnel not connected</h1>');
      return;
    }
    const out = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.rawHeaders }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('origin unreachable');
      else res.destroy();
    });
    req.pipe(out);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
