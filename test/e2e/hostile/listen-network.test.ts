import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { openEventStore } from '../../../src/core/store/event-store.js';
import { HOOKS_BIN } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { openSocket, rawPost, readUntilClosed } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

const SECRET = 'listen-network-secret';
const env = { HOOKS_CONFIG_DIR: tempDir('config') };
const sign = (body: Buffer, secret = SECRET) => getProvider('ithbat').scheme.sign(body, secret, { id: 'msg_1', timestamp: 0 });
const LIMITS = ['--headers-timeout', '500ms', '--request-timeout', '1500ms', '--idle-timeout', '500ms', '--max-connections', '40'];

let app: Receiver;
let listen: HooksListen;
beforeAll(async () => {
  app = await startReceiver();
  listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--secret', SECRET, '--provider', 'ithbat', '--max-body', '4mb', ...LIMITS], env);
});
afterAll(async () => {
  await listen.kill9();
  await app.close();
});

/** A POST with `Expect: 100-continue`, the way curl sends a large body: headers, then the body only after 100 Continue. */
function postExpecting(url: string, body: Buffer, headers: Record<string, string>): Promise<{ continued: boolean; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    let continued = false;
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...headers, expect: '100-continue', 'content-length': String(body.length) } });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ continued, status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('hooks listen as a network service', () => {
  it('accepts Expect: 100-continue and forwards the body byte for byte, without the expect header', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7 + 3) & 0xff;
    const r = await postExpecting(`${listen.localUrl}/expect`, body, sign(body));
    expect(r).toMatchObject({ continued: true, status: 200 });
    const got = app.requests.find((q) => q.url === '/expect')!;
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers.expect).toBeUndefined();
  });

  it('refuses a declared oversized body with 413 before asking for it', async () => {
    const r = await postExpecting(`${listen.localUrl}/huge`, Buffer.alloc(5 * 1024 * 1024), { 'content-type': 'application/json' }).catch(() => null);
    expect(r).toMatchObject({ continued: false, status: 413 });
  });

  it('replays a stored delivery that arrived with Expect: 100-continue', async () => {
    const body = Buffer.from('{"id":"evt_expect","type":"user.created"}');
    await postExpecting(`${listen.localUrl}/expect-replay`, body, sign(body));
    const line = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === 'evt_expect');
    const { runCli } = await import('../../helpers/cli.js');
    const r = await runCli(['events', 'replay', line.id, '--data-dir', listen.dataDir, '--to', `${app.url}/replayed`], { env });
    expect(r.code).toBe(0);
    expect(app.requests.find((q) => q.url === '/replayed')!.body.equals(body)).toBe(true);
  });

  it('closes connections that send nothing, trickle headers, or trickle a body', async () => {
    const [idle, headers, body] = await Promise.all([openSocket(listen.localUrl), openSocket(listen.localUrl), openSocket(listen.localUrl)]);
    const waits = [idle, headers, body].map((s) => readUntilClosed(s, 10_000));
    headers.write('POST /slow HTTP/1.1\r\nHost: x\r\n');
    body.write('POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{');
    const timer = setInterval(() => {
      if (!headers.destroyed) headers.write('X-Slow: y\r\n');
      if (!body.destroyed) body.write(' ');
    }, 100);
    try {
      const [, , bodyAnswer] = await Promise.all(waits);
      expect(bodyAnswer).toMatch(/^HTTP\/1\.1 408|^$/);
    } finally {
      clearInterval(timer);
    }
  });

  it('keeps delivering while a slow client trickles and more idle connections than its cap are open', async () => {
    const idle = await Promise.all(Array.from({ length: 80 }, () => openSocket(listen.localUrl)));
    const slow = await openSocket(listen.localUrl);
    slow.write('POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
    try {
      for (let i = 0; i < 5; i++) {
        const body = Buffer.from(`{"id":"evt_cap_${i}","type":"user.created"}`);
        const r = await rawPost(`${listen.localUrl}/cap`, body, Object.entries(sign(body)));
        expect(r.status).toBe(200);
      }
    } finally {
      idle.forEach((s) => s.destroy());
      slow.destroy();
    }
  });
});

describe('forgeries cannot fill the disk', () => {
  it('stores a rejected delivery as headers, size, sha256 and its first 64 KB', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 0x41);
    const r = await rawPost(`${listen.localUrl}/forged`, body, [['X-Ithbat-Signature', `sha256=${'0'.repeat(64)}`]]);
    expect(r.status).toBe(401);
    const line = await listen.waitForEvent((e) => e.type === 'delivery.received' && e.path === '/forged');
    const store = await openEventStore(listen.dataDir);
    try {
      const d = store.get(line.id)!;
      expect(d).toMatchObject({ body_size: body.length, body_truncated: true, verdict: 'invalid' });
      expect(d.body.length).toBe(64 * 1024);
      const { createHash } = await import('node:crypto');
      expect(d.body_sha256).toBe(createHash('sha256').update(body).digest('hex'));
      expect(d.headers.find(([k]) => k === 'X-Ithbat-Signature')).toBeDefined();
    } finally {
      await store.close();
    }
    const { runCli } = await import('../../helpers/cli.js');
    const raw = await runCli(['events', 'show', line.id, '--raw', '--data-dir', listen.dataDir], { env });
    expect(raw.code).toBe(1);
    expect(raw.stderr).toContain('were kept');
  });

  it('keeps the store under --max-store-size as batches commit, on disk, oldest first, and says so', async () => {
    const dataDir = tempDir('data');
    const args = ['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--max-store-size', '300kb'];
    const first = await startListen(args, env, dataDir);
    expect(first.ready.store).toMatchObject({ max_bytes: 300 * 1024, max_age_ms: 30 * 86_400_000 });
    // 10 KB bodies: under a 300 KB cap one transaction may put about 15 KB of body in the WAL (larger ones are kept in part).
    for (let i = 0; i < 40; i++) {
      const body = Buffer.from(JSON.stringify({ id: `evt_keep_${i}`, type: 'user.created', pad: 'x'.repeat(10_000) }));
      expect((await rawPost(`${first.localUrl}/keep`, body, [['content-type', 'application/json']])).status).toBe(200);
    }
    await first.waitForEvent((e) => e.type === 'store.pruned');
    const pruned = first.events.filter((e) => e.type === 'store.pruned');
    expect(pruned.reduce((n, e) => n + e.removed, 0)).toBeGreaterThan(0);
    expect(pruned.at(-1)).toMatchObject({ max_bytes: 300 * 1024 });
    // The files themselves, database, WAL and shared memory, not only the pages in use.
    const onDisk = ['events.db', 'events.db-wal', 'events.db-shm'].reduce((n, f) => n + (existsSync(join(dataDir, f)) ? statSync(join(dataDir, f)).size : 0), 0);
    expect(onDisk).toBeLessThanOrEqual(300 * 1024);
    await first.stop('SIGINT');
    const second = await startListen(args, env, dataDir);
    expect(second.ready.store.bytes).toBeLessThanOrEqual(300 * 1024);
    await second.stop('SIGINT');
    const store = await openEventStore(dataDir);
    try {
      const kept = store.list({ limit: 100 }).map((d) => d.event_id);
      expect(kept).toContain('evt_keep_39');
      expect(kept).not.toContain('evt_keep_0');
    } finally {
      await store.close();
    }
  });
});

describe('under a low descriptor limit', () => {
  it('a flood of idle connections does not lock real deliveries out (ulimit -n 256, 300 idle)', async () => {
    const dataDir = tempDir('data');
    const quoted = [process.execPath, HOOKS_BIN, 'listen', '--json', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--data-dir', dataDir].map((a) => `'${a}'`).join(' ');
    const proc = spawn('sh', ['-c', `ulimit -n 256 && exec ${quoted}`], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const localUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        proc.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const ready = out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === 'listen.ready');
          if (ready) resolve(ready.local_url);
        });
        proc.on('exit', (code) => reject(new Error(`listen exited ${code}`)));
      });
      const idle = await Promise.all(Array.from({ length: 300 }, () => openSocket(localUrl).catch(() => null)));
      try {
        for (let i = 0; i < 5; i++) {
          const body = Buffer.from(`{"id":"evt_fd_${i}","type":"user.created"}`);
          expect((await rawPost(`${localUrl}/fd`, body, [['content-type', 'application/json']])).status).toBe(200);
        }
      } finally {
        idle.forEach((s) => s?.destroy());
      }
    } finally {
      proc.kill('SIGKILL');
    }
  }, 30_000);
});
