import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { openSocket, readUntilClosed } from '../../helpers/raw-http.js';

let s: HooksServer;
beforeAll(async () => {
  s = await startHooksServer({ args: ['--headers-timeout', '500ms', '--request-timeout', '1s', '--idle-timeout', '500ms', '--max-connections', '40'] });
});
afterAll(() => s.kill9());

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('the API refuses hostile requests cleanly', () => {
  it('names no local path in a 401, with or without a token', async () => {
    for (const headers of [{ authorization: '' }, { authorization: 'Bearer wrong-token-0123456789' }]) {
      const r = await fetch(`${s.url}/api/v1/webhooks/subscriptions`, { headers });
      expect(r.status).toBe(401);
      const text = await r.text();
      expect(text).not.toContain(s.configDir);
      expect(text).not.toContain('server.json');
      expect(text).not.toMatch(/\/(home|root|Users|tmp)\//);
    }
  });

  it('logs a client that hangs up mid-body as a one-line warning, not an error with a stack', async () => {
    const socket = await openSocket(s.url);
    socket.write(`POST /api/v1/webhooks/subscriptions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.token}\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"url":`);
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    const warning = await s.waitForEvent((e) => e.type === 'server.warning' && String(e.message).includes('/api/v1/webhooks/subscriptions'));
    expect(warning.message).toMatch(/before sending the whole body/);
    expect(String(warning.message)).not.toContain('\n');
    expect(s.events.filter((e) => e.type === 'server.error')).toEqual([]);
  });

  it('answers 400 to bad percent-encoding in a path id, without a stack trace, token or not', async () => {
    for (const auth of [{}, { authorization: `Bearer ${s.token}` }]) {
      const r = await fetch(`${s.url}/api/v1/events/%E0%A4%A`, { headers: auth });
      expect(r.status).toBe(400);
      expect((await r.json()).error.code).toBe('invalid_path');
    }
    expect(s.events.filter((e) => e.type === 'server.error')).toEqual([]);
    expect(s.stderr()).not.toMatch(/\n\s+at /);
  });

  it('refuses data nested 4,113 levels deep (400 too_deep), and listings keep working', async () => {
    const body = `{"type":"user.created","data":${nested(4113)}}`;
    const r = await s.api('POST', '/events', body, { status: 400 });
    expect(r.json.error.code).toBe('too_deep');
    await s.api('GET', '/events', undefined, { status: 200 });
    await s.api('GET', '/events?type=user.created', undefined, { status: 200 });
  });

  it('a deep row stored before the bound never breaks a listing', async () => {
    const db = new Database(join(s.dataDir, 'server.db'));
    db.prepare('INSERT INTO events (id, type, provider, data, created_at) VALUES (?, ?, ?, ?, ?)').run('msg_deep_legacy', 'user.created', 'standard', nested(5000), Date.now());
    db.close();
    const list = await s.api('GET', '/events');
    expect(list.status).toBe(200);
    expect(list.json.data.find((e: { id: string }) => e.id === 'msg_deep_legacy')).toMatchObject({ data: null, data_error: expect.stringContaining('deeper') });
    await s.api('GET', '/events/msg_deep_legacy', undefined, { status: 200 });
  });

  it('closes the connection after a 413, so a client that sends everything before reading gets the answer', async () => {
    const socket = await openSocket(s.url);
    const body = Buffer.alloc(3 * 1024 * 1024, 0x20);
    const closed = readUntilClosed(socket, 10_000);
    socket.write(`POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer.toLowerCase()).toContain('connection: close');
  });

  it('closes connections that send nothing, trickle headers or trickle a body', async () => {
    const idle = await openSocket(s.url);
    const headers = await openSocket(s.url);
    const body = await openSocket(s.url);
    const waits = [readUntilClosed(idle, 10_000), readUntilClosed(headers, 10_000), readUntilClosed(body, 10_000)];
    headers.write('GET /api/v1/healthz HTTP/1.1\r\n');
    body.write(`POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
    const timer = setInterval(() => {
      if (!headers.destroyed) headers.write('X-Slow: y\r\n');
      if (!body.destroyed) body.write(' ');
    }, 100);
    try {
      await Promise.all(waits);
    } finally {
      clearInterval(timer);
    }
  });

  it('keeps serving real requests while more idle connections than its cap are open', async () => {
    const sockets = await Promise.all(Array.from({ length: 60 }, () => openSocket(s.url)));
    try {
      for (let i = 0; i < 5; i++) await s.api('GET', '/healthz', undefined, { status: 200 });
    } finally {
      sockets.forEach((sock) => sock.destroy());
    }
  });
});
