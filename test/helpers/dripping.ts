import { createServer, type Server } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface Dripping {
  url: string;
  /** Requests that arrived (their first bytes, as text). */
  requests: string[];
  /** Connections the client gave up on while the answer was still dripping. */
  cutOff: number;
  /** Connections open now. */
  open(): number;
  /** Resolves once `n` connections have been cut off by the client. */
  waitForCutOff(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A receiver that never finishes answering: it reads the request, then
 * sends its answer one byte every `everyMs`, forever. `where: 'headers'`
 * drips the status line and headers themselves; `'body'` sends them at once
 * and drips the body. Each byte restarts a timer that runs between chunks,
 * so only a deadline on the whole request ends it. Plain TCP, so nothing
 * buffers the bytes.
 */
export async function startDripping(opts: { everyMs?: number; where?: 'headers' | 'body' } = {}): Promise<Dripping> {
  const every = opts.everyMs ?? 50;
  const where = opts.where ?? 'body';
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const waiters = new Set<() => void>();
  const state = { cutOff: 0 };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let started = false;
    let timer: NodeJS.Timeout | null = null;
    socket.on('data', (chunk: Buffer) => {
      if (started) return;
      started = true;
      requests.push(chunk.toString('latin1'));
      const head = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n';
      let i = 0;
      if (where === 'body') socket.write(head);
      timer = setInterval(() => {
        if (socket.destroyed) return;
        socket.write(where === 'headers' ? head[i++ % head.length]! : '{');
      }, every);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (timer) clearInterval(timer);
      sockets.delete(socket);
      if (started) {
        state.cutOff++;
        waiters.forEach((w) => w());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    get cutOff() {
      return state.cutOff;
    },
    open: () => sockets.size,
    waitForCutOff(n, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (state.cutOff < n) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${state.cutOff} of ${n} dripping answers were cut off in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
