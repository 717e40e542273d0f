import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, tempDir, type HooksServer } from '../../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { mountSmallFs, SKIPPED_NO_MOUNT, type SmallFs } from '../../helpers/small-fs.js';

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((c) => c()));
  cleanup = [];
});
const track = <T extends HooksServer | Receiver>(x: T): T => {
  cleanup.push('kill9' in x ? () => x.kill9() : () => x.close());
  return x;
};

/** POST /events by hand: the status, the Retry-After header and the error. */
async function emit(s: HooksServer) {
  const r = await fetch(`${s.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'user.created' }) });
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as { id?: string; error?: { code: string; message: string } } };
}

const noStacks = (s: HooksServer) => {
  expect(s.events.filter((e) => e.type === 'server.error')).toEqual([]);
  expect(s.stderr()).not.toMatch(/\n\s+at /);
};

describe('a data dir removed under a running server', () => {
  it('is noticed: nothing more is acknowledged (503 with Retry-After), and it is said once', async () => {
    const s = track(await startHooksServer());
    const receiver = track(await startReceiver());
    await s.api('POST', '/webhooks/subscriptions', { name: 'x', url: receiver.url, events: ['*'] });
    expect((await emit(s)).status).toBe(201);
    rmSync(s.dataDir, { recursive: true, force: true });
    for (let i = 0; i < 5; i++) {
      const r = await emit(s);
      expect(r.status).toBe(503);
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(r.body.error).toMatchObject({ code: 'storage_vanished', message: expect.stringContaining('was removed while hooks server ran') });
    }
    expect(s.events.filter((e) => e.type === 'storage.failed')).toEqual([expect.objectContaining({ problem: 'vanished', hint: expect.stringContaining('restart hooks server') })]);
    noStacks(s);
  });
});

describe('a store the machine cannot give at start', () => {
  it('a damaged server.db is exit 4 with the file and the way out, not "this is a bug"', async () => {
    const dataDir = tempDir('data');
    writeFileSync(join(dataDir, 'server.db'), Buffer.alloc(16384, 7));
    const r = await runCli(['server', '--port', '0', '--data-dir', dataDir, '--token', 'a-long-enough-token'], { env: { HOOKS_CONFIG_DIR: tempDir('config') } });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(`${join(dataDir, 'server.db')} is damaged`);
    expect(r.stderr).toContain(`mv ${join(dataDir, 'server.db')}`);
    expect(r.stderr).not.toContain('this is a bug');
  });
});

const mounted = mountSmallFs(16 * 1024 * 1024);
if (!mounted) process.stderr.write(`hooks server: ${SKIPPED_NO_MOUNT}\n`);
afterAll(() => mounted?.unmount());

describe.skipIf(!mounted)('a full disk under a running server (a real 16 MB tmpfs)', () => {
  it('drops no attempt record, re-sends nothing after a restart, answers 503 meanwhile and says so once, and once again when it ends', async () => {
    const disk = mounted as SmallFs;
    const dataDir = join(disk.dir, 'full');
    mkdirSync(dataDir);
    const configDir = tempDir('config');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let answered = 0;
    const receiver = track(
      await startReceiver(async () => {
        await gate;
        answered++;
        return { status: 200 };
      }),
    );
    const s = track(await startHooksServer({ dataDir, configDir }));
    await s.api('POST', '/webhooks/subscriptions', { name: 'held', url: receiver.url, events: ['*'] });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await s.api('POST', '/events', { type: 'user.created' })).json.id);
    // Every delivery is in flight, held by the receiver, when the disk fills up.
    await receiver.waitFor(10);
    disk.fill();
    try {
      const refused = await emit(s);
      expect(refused.status).toBe(503);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.body.error).toMatchObject({ code: 'storage_full', message: expect.stringContaining('is full') });
      release();
      await expect.poll(() => answered, { timeout: 10_000 }).toBe(10);
      // The answers came while nothing can be written: the records wait, the deliveries with them.
      for (let i = 0; i < 3; i++) expect((await emit(s)).status).toBe(503);
    } finally {
      disk.free();
    }
    await s.waitForEvent((e) => e.type === 'storage.recovered', 20_000);
    await expect
      .poll(async () => (await Promise.all(ids.map(async (id) => (await s.api('GET', `/events/${id}`)).json.deliveries[0].status))).join(','), { timeout: 20_000 })
      .toBe(Array(10).fill('succeeded').join(','));
    expect(s.events.filter((e) => e.type === 'storage.failed')).toEqual([expect.objectContaining({ problem: 'full', hint: expect.stringContaining('free some space') })]);
    expect(s.events.filter((e) => e.type === 'storage.recovered')).toHaveLength(1);
    noStacks(s);

    await s.kill9();
    const again = track(await startHooksServer({ dataDir, configDir }));
    expect(again.ready.resumed).toBe(0);
    // Each delivery reached the receiver once, under its own message id: nothing was sent again.
    expect(receiver.requests).toHaveLength(10);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(10);
  }, 60_000);

  it('a full disk or a read-only file system at start is exit 4 with the file and the fix', async () => {
    const disk = mounted as SmallFs;
    const dataDir = join(disk.dir, 'start');
    mkdirSync(dataDir);
    const start = () => runCli(['server', '--port', '0', '--data-dir', dataDir, '--token', 'a-long-enough-token'], { env: { HOOKS_CONFIG_DIR: tempDir('config') } });
    disk.fill();
    try {
      const full = await start();
      expect(full.code, full.stderr).toBe(4);
      expect(full.stderr).toMatch(/is full/);
      expect(full.stderr).not.toContain('this is a bug');
    } finally {
      disk.free();
    }
    disk.readOnly(true);
    try {
      const ro = await start();
      expect(ro.code, ro.stderr).toBe(4);
      expect(ro.stderr).toContain('cannot be written');
      expect(ro.stderr).not.toContain('this is a bug');
    } finally {
      disk.readOnly(false);
    }
  });
});

describe('stopping is bounded', () => {
  it('cuts off an attempt that never ends after the grace, records it as interrupted, and sends it again at the next start', async () => {
    // Answers headers at once, then one byte every 200 ms, forever: no timeout of the request ever fires.
    let started = 0;
    const trickle: Server = createServer((req, res) => {
      started++;
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('.'), 200);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((r) => trickle.listen(0, '127.0.0.1', r));
    const port = (trickle.address() as AddressInfo).port;
    const dataDir = tempDir('data');
    const s = track(await startHooksServer({ dataDir }));
    await s.api('POST', '/webhooks/subscriptions', { name: 'trickle', url: `http://127.0.0.1:${port}/in`, events: ['*'] });
    const id = (await s.api('POST', '/events', { type: 'user.created' })).json.id as string;
    await expect.poll(() => started).toBe(1);
    expect(await s.stop('SIGTERM')).toBe(0);
    expect(s.events.find((e) => e.type === 'server.stopping')).toMatchObject({ in_flight: 1 });
    expect(s.events.map((e) => e.type)).toContain('server.stopped');
    trickle.closeAllConnections();
    trickle.close();

    const receiver = track(await startReceiver(undefined, port));
    const again = track(await startHooksServer({ dataDir }));
    expect(again.ready.resumed).toBe(1);
    await receiver.waitFor(1);
    await expect.poll(async () => (await again.api('GET', `/events/${id}`)).json, { timeout: 10_000 }).toMatchObject({ deliveries: [{ status: 'succeeded' }] });
    const delivery = (await again.api('GET', `/events/${id}`)).json.deliveries[0];
    expect(delivery.attempts[0]).toMatchObject({ number: 1, success: false, error: expect.stringContaining('interrupted: hooks server stopped') });
    expect(delivery.attempts[1]).toMatchObject({ number: 2, success: true, status_code: 200 });
    expect(receiver.requests[0]!.headers['webhook-id']).toBe(delivery.message_id);
  }, 40_000);
});
