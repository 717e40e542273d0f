import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { openSocket, readUntilClosed } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/** Request targets a client can send that no URL parser takes relative to a base. */
const TARGETS = ['//', '///x', 'http://[x', '*', 'http://a:b@c/api/v1/healthz', '/%', '/api/v1/events/%zz', `/${'a'.repeat(8000)}`];

let server: HooksServer;
let app: Receiver;
let listen: HooksListen;
beforeAll(async () => {
  server = await startHooksServer();
  app = await startReceiver();
  listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe'], { HOOKS_CONFIG_DIR: tempDir('config') });
});
afterAll(async () => {
  await Promise.all([server.kill9(), listen.kill9()]);
  await app.close();
});

async function statusOf(url: string, method: string, target: string): Promise<string> {
  const socket = await openSocket(url);
  const answer = readUntilClosed(socket, 5000);
  socket.write(`${method} ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
  return (await answer).split('\r\n')[0]!;
}

describe('odd request targets get a 4xx (or the target app\'s answer), never a 500', () => {
  it.each(TARGETS)('%s', async (target) => {
    for (const method of ['GET', 'POST']) {
      expect(await statusOf(server.url, method, target), `server ${method}`).toMatch(/^HTTP\/1\.1 [1-4]\d\d/);
      expect(await statusOf(listen.localUrl, method, target), `listen ${method}`).toMatch(/^HTTP\/1\.1 [1-4]\d\d/);
    }
    expect(server.events.filter((e) => e.type === 'server.error')).toEqual([]);
    expect(listen.events.filter((e) => e.type === 'listen.warning')).toEqual([]);
  });
});
