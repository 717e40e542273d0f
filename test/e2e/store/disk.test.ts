import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { mountSmallFs, SKIPPED_NO_MOUNT, type SmallFs } from '../../helpers/small-fs.js';
import { fillStore } from '../../helpers/store-files.js';

// Issue #35 items 3 and 5, on a real small file system (a tmpfs mounted for
// the test; it needs root, and says so when it cannot). A full disk under
// listen: 503 with Retry-After, the condition said once and its end once,
// nothing forwarded that the store then refused. The machine's failures at
// start (a full disk, a read-only file system, a read-only store) each get
// their own message with the file and the fix, and exit 4; a reader of a
// read-only store writes nothing.
const mounts: SmallFs[] = [];
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
});
afterAll(async () => {
  await app.close();
  for (const m of mounts) m.unmount();
});

function small(bytes: number): SmallFs | null {
  const fs = mountSmallFs(bytes);
  if (fs) mounts.push(fs);
  else process.stderr.write(`${SKIPPED_NO_MOUNT}\n`);
  return fs;
}

const post = (url: string, n: number, bytes: number) => {
  const body = Buffer.alloc(bytes, 0x61);
  body.write(`{"id":"evt_${n}","type":"user.created","pad":"`, 0);
  body.write('"}', bytes - 2);
  return rawPost(`${url}/in`, body, [['content-type', 'application/json']]);
};

describe('a full disk under listen', () => {
  it('503 with Retry-After, said once when it starts and once when it ends; refused deliveries never reach the app; every 200 is stored', async () => {
    const fs = small(24 * 1024 * 1024);
    if (!fs) return;
    const dir = join(fs.dir, 'data');
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe'], env, dir);
    fs.fill(1024 * 1024);
    const statuses: number[] = [];
    const forwarded: number[] = [];
    let n = 0;
    // Until the disk refuses one, then twenty more.
    for (let refused = 0; refused <= 20 && n < 200; n++) {
      const before = app.requests.length;
      const a = await post(listen.localUrl, n, 64 * 1024);
      statuses.push(a.status);
      forwarded.push(app.requests.length - before);
      if (a.status === 503) {
        refused++;
        expect(a.headers['retry-after']).toBe('30');
        expect(JSON.parse(a.body.toString()).error.code).toBe('store_disk_full');
      }
    }
    const firstRefused = statuses.indexOf(503);
    expect(firstRefused).toBeGreaterThan(0);
    // Forwarded before the store failed, the first refused one reached the app; from then on each is stored before it is
    // forwarded, so none refused reaches it (a nearly full disk still takes some: those are stored, answered 200 and forwarded).
    const later = statuses.map((status, i) => ({ status, forwarded: forwarded[i]! })).slice(firstRefused + 1);
    expect(later.filter((d) => d.status === 503 && d.forwarded > 0)).toEqual([]);
    expect(later.filter((d) => d.status === 200 && d.forwarded !== 1)).toEqual([]);
    const failed = listen.events.filter((e) => e.type === 'store.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ failure: 'disk_full', file: join(dir, 'events.db'), message: expect.stringContaining('no space left'), hint: expect.stringContaining('df -h') });
    expect(listen.events.filter((e) => e.type === 'listen.warning')).toEqual([]);

    fs.free();
    // Said to be over once a few writes in a row commit: the second delivery's.
    for (let i = 0; i < 2; i++) expect((await post(listen.localUrl, n++, 1024)).status).toBe(200);
    const recovered = listen.events.filter((e) => e.type === 'store.recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ failure: 'disk_full', refused: 21 });
    expect(await listen.stop()).toBe(0);

    const stored = JSON.parse((await runCli(['events', 'list', '--limit', '1000', '--json', '--data-dir', dir], { env })).stdout) as unknown[];
    expect(stored).toHaveLength(statuses.filter((s) => s === 200).length + 2);
  }, 90_000);
});

describe('the machine failing at start', () => {
  it('a full disk: listen exits 4 naming the file and the fix', async () => {
    const fs = small(4 * 1024 * 1024);
    if (!fs) return;
    fs.fill(0);
    const r = await runCli(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', join(fs.dir, 'data')], { env });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(`no space left on the disk that holds ${join(fs.dir, 'data', 'events.db')}`);
    expect(r.stderr).toContain('df -h');
    expect(r.stderr).not.toContain('this is a bug');
  });

  it('a read-only file system: listen exits 4 naming it; events list reads the store without writing a byte', async () => {
    const fs = small(8 * 1024 * 1024);
    if (!fs) return;
    const dir = join(fs.dir, 'data');
    await fillStore(dir, 20, 1024);
    expect(readdirSync(dir)).toEqual(['events.db']);
    fs.readOnly();
    const list = await runCli(['events', 'list', '--json', '--data-dir', dir], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(20);
    const listen = await runCli(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', dir], { env });
    expect(listen.code, listen.stderr).toBe(4);
    expect(listen.stderr).toContain(`${join(dir, 'events.db')} is on a read-only file system`);
    expect(listen.stderr).toContain('remount');
    expect(listen.stderr).not.toContain('this is a bug');
  });

  it('a read-only store in a directory the user cannot write: listen exits 4; events list and show read it', async () => {
    // Root may write anything, so as root the commands run as another user; otherwise the modes bind this one.
    const root = process.getuid?.() === 0;
    const base = tempDir('ro-store');
    chmodSync(base, 0o755);
    const dir = join(base, 'data');
    mkdirSync(dir, { mode: 0o755 });
    const ids = await fillStore(dir, 3, 512);
    chmodSync(join(dir, 'events.db'), 0o444);
    chmodSync(dir, 0o555);
    const as = root ? { uid: 65534, gid: 65534 } : {};
    const config = tempDir('ro-config');
    if (root) chownSync(config, 65534, 65534);
    const asEnv = { ...env, HOOKS_CONFIG_DIR: config, HOME: config };
    const list = await runCli(['events', 'list', '--json', '--data-dir', dir], { env: asEnv, ...as });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(3);
    expect((await runCli(['events', 'show', ids[0]!, '--data-dir', dir], { env: asEnv, ...as })).code).toBe(0);
    const listen = await runCli(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', dir], { env: asEnv, ...as });
    expect(listen.code, listen.stderr).toBe(4);
    expect(listen.stderr).toMatch(new RegExp(`${join(dir, 'events.db').replace(/[.]/g, '\\.')} (is read-only|: permission denied)|cannot open ${join(dir, 'events.db').replace(/[.]/g, '\\.')}: permission denied`));
    expect(listen.stderr).not.toContain('this is a bug');
    expect(existsSync(join(dir, 'events.db-wal'))).toBe(false);
    chmodSync(dir, 0o755);
  });
});
