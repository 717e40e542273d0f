import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerLimits } from '../../../src/core/http/guarded-server.js';
import { getProvider } from '../../../src/core/providers/registry.js';
import { Relay } from '../../../src/core/relay/relay.js';
import { SessionSecrets } from '../../../src/core/relay/session-secrets.js';
import { startServer } from '../../../src/server/index.js';
import { startInspector } from '../../../src/inspector/server.js';
import { inboxOver } from '../../../src/core/inbox/inbox.js';
import { openSession } from '../../helpers/page-client.js';
import { openEventStore, type EventStore } from '../../../src/core/store/event-store.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { openSocket, rawPost, readUntilClosed } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

const SECRET = 'slow-senders-secret';
const sign = (body: Buffer) => Object.entries(getProvider('ithbat').scheme.sign(body, SECRET, { id: 'm', timestamp: 0 }));

const opened: Array<{ close(): Promise<void> }> = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const o of opened.splice(0).reverse()) await o.close();
});

async function relayWith(limits: Partial<ServerLimits>): Promise<{ url: string; app: Receiver }> {
  const app = await startReceiver(() => ({ status: 200, body: 'ok' }));
  const store: EventStore = await openEventStore(tempDir('slow-store'));
  const relay = new Relay({ forwards: [new URL(app.url)], routes: [], provider: 'ithbat', custom: [], forwardInvalid: false, timeoutMs: 5000, maxBodyBytes: 2 * 1024 * 1024, insecure: false, store, session: 'ses_slow', emit: () => undefined, limits });
  relay.setSecrets(new SessionSecrets({ secret: SECRET }));
  const url = await relay.start();
  opened.push(app, store, relay);
  return { url, app };
}

/** A sender that declares a 1 MB body and then sends one byte every `everyMs`: it never finishes. */
async function trickle(url: string, everyMs: number): Promise<Socket> {
  const socket = await openSocket(url);
  socket.on('error', () => undefined);
  sockets.push(socket);
  socket.write(`POST /in HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{`);
  const timer = setInterval(() => (socket.writable ? socket.write(' ') : clearInterval(timer)), everyMs);
  socket.once('close', () => clearInterval(timer));
  return socket;
}

const until = async (what: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error(`still not so after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('slow senders', () => {
  it('at the connection cap, the slowest body still arriving gives its place to a new sender', async () => {
    // No floor rate here (a long grace): only the eviction can let deliveries in.
    const { url, app } = await relayWith({ maxConnections: 16, bodyGraceMs: 600_000 });
    const slow = await Promise.all(Array.from({ length: 16 }, () => trickle(url, 200)));
    // Past the age at which a connection may be chosen.
    await new Promise((r) => setTimeout(r, 1200));
    let accepted = 0;
    for (let i = 0; i < 10; i++) {
      const body = Buffer.from(`{"id":"evt_${i}","type":"user.created"}`);
      const r = await rawPost(`${url}/in`, body, sign(body)).catch(() => null);
      if (r?.status === 200) accepted++;
    }
    expect(accepted).toBe(10);
    expect(app.requests.length).toBe(10);
    expect(slow.filter((s) => s.destroyed || s.readableEnded).length).toBeGreaterThanOrEqual(1);
  });

  it('a body slower than the floor rate is cut off with 408 after the grace; a steady one is not', async () => {
    const { url, app } = await relayWith({ bodyGraceMs: 300, minBodyBytesPerSecond: 1024 });
    const slow = await trickle(url, 100);
    const answer = await readUntilClosed(slow, 10_000);
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    expect(answer).toContain('body_too_slow');

    // 8 KB in 1 KB pieces, one every 100 ms: about 10 KB/s, well over the floor, for longer than the grace.
    const body = Buffer.from(`{"id":"evt_steady","type":"user.created","pad":"${'x'.repeat(8 * 1024)}"}`);
    const socket = await openSocket(url);
    sockets.push(socket);
    const head = [`POST /in HTTP/1.1`, `Host: ${new URL(url).host}`, ...sign(body).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${body.length}`, 'Connection: close', '', ''].join('\r\n');
    socket.write(head);
    const reply = readUntilClosed(socket, 10_000);
    for (let off = 0; off < body.length; off += 1024) {
      socket.write(body.subarray(off, off + 1024));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await reply).toMatch(/^HTTP\/1.1 200 /);
    await until(() => app.requests.length === 1, 2000);
  });

  it('the server API follows the same rule: an authenticated body that trickles is cut off', async () => {
    const server = await startServer({ host: '127.0.0.1', port: 0, dataDir: tempDir('slow-server'), token: 'slow-senders-token-0123', publish: false, defaultProvider: 'standard', strictUrls: false, timeScale: 1, rotationGraceMs: 0, limits: { bodyGraceMs: 300 }, emit: () => undefined });
    opened.push(server);
    const socket = await openSocket(server.url);
    sockets.push(socket);
    socket.write(`POST /api/v1/webhooks/subscriptions HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nAuthorization: Bearer slow-senders-token-0123\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
    const timer = setInterval(() => socket.writable && socket.write(' '), 100);
    try {
      expect(await readUntilClosed(socket, 10_000)).toMatch(/^HTTP\/1.1 408 /);
    } finally {
      clearInterval(timer);
    }
  });

  it('the inspector follows the same rule: a session whose body trickles is cut off', async () => {
    const store = await openEventStore(tempDir('slow-inspector'));
    const inspector = await startInspector({ inbox: inboxOver(store, { timeoutMs: 1000 }), session: () => ({ mode: 'inspect', public_url: null, provider: null }), port: 0, limits: { bodyGraceMs: 300 } });
    opened.push(store, inspector);
    const session = await openSession(inspector.url);
    const socket = await openSocket(session.origin);
    sockets.push(socket);
    socket.write(`POST /api/export/har HTTP/1.1\r\nHost: ${new URL(session.origin).host}\r\nOrigin: ${session.origin}\r\nX-Hooks-Session: ${session.session}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
    const timer = setInterval(() => socket.writable && socket.write(' '), 100);
    try {
      expect(await readUntilClosed(socket, 10_000)).toMatch(/^HTTP\/1.1 408 /);
    } finally {
      clearInterval(timer);
    }
  });
});
