import { existsSync, truncateSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { damagePages, fillStore, middlePage, storePath } from '../../helpers/store-files.js';

// Issue #35 item 1 (and item 5 for a damaged store): a store damaged on disk,
// as `dd` over its pages leaves it, is found, said in one line naming the
// file and the way out, and never turns into a stream of 500s.
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
});
afterAll(async () => {
  await app.close();
});

const listenOn = (dir: string, extra: string[] = []) => startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', ...extra], env, dir);
const events = (dir: string, ...args: string[]) => runCli(['events', ...args, '--data-dir', dir], { env, timeoutMs: 30_000 });
const post = (url: string, n: number, bytes = 200) => {
  const body = Buffer.alloc(bytes, 0x62);
  body.write(`{"id":"evt_new_${n}","type":"user.created","pad":"`, 0);
  body.write('"}', bytes - 2);
  return rawPost(`${url}/in`, body, [['content-type', 'application/json']]);
};

/** What a reader says about a damaged store: exit 4, the file, and how to get out, never "this is a bug". */
function expectDamagedSaid(r: { code: number | null; stderr: string }, file: string): void {
  expect(r.code, r.stderr).toBe(4);
  expect(r.stderr).toContain(`${file} is damaged`);
  expect(r.stderr).toContain(`hooks events salvage ${file}.damaged`);
  expect(r.stderr).not.toContain('this is a bug');
}

describe('a damaged store', () => {
  it('found at start: listen moves it aside in one line and goes on in a fresh store; salvage brings back what can be read', async () => {
    const dir = tempDir('damaged');
    const ids = await fillStore(dir, 300, 8 * 1024);
    const file = storePath(dir);
    damagePages(file, middlePage(file));

    expectDamagedSaid(await events(dir, 'list', '--limit', '100000'), file);

    const listen = await listenOn(dir);
    const damaged = listen.events.filter((e) => e.type === 'store.damaged');
    expect(damaged).toHaveLength(1);
    expect(damaged[0]).toMatchObject({ file, moved_to: expect.stringMatching(/events\.db\.damaged-/), salvage: expect.stringContaining('hooks events salvage') });
    const movedTo = damaged[0]!.moved_to as string;
    expect(existsSync(movedTo)).toBe(true);
    expect(listen.ready.store.deliveries).toBe(0);
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => post(listen.localUrl, n)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await listen.stop()).toBe(0);

    const salvaged = await events(dir, 'salvage', movedTo, '--json');
    expect(salvaged.code, salvaged.stderr).toBe(0);
    const result = JSON.parse(salvaged.stdout);
    expect(result).toMatchObject({ from: movedTo, into: file });
    expect(result.deliveries).toBeGreaterThan(200);
    expect(result.deliveries).toBeLessThanOrEqual(300);
    const listed = JSON.parse((await events(dir, 'list', '--limit', '100000', '--json')).stdout) as Array<{ id: string }>;
    expect(listed).toHaveLength(result.deliveries + 5);
    const back = new Set(listed.map((d) => d.id));
    expect(ids.filter((id) => back.has(id))).toHaveLength(result.deliveries);
    // A salvaged delivery keeps its bytes and its attempt.
    const one = JSON.parse((await events(dir, 'show', ids.find((id) => back.has(id))!, '--json')).stdout);
    expect(Buffer.from(one.body_base64, 'base64').length).toBe(8 * 1024);
    expect(one.attempts).toHaveLength(1);
    // Salvaging again adds nothing twice.
    expect(JSON.parse((await events(dir, 'salvage', movedTo, '--json')).stdout)).toMatchObject({ deliveries: 0, already: result.deliveries });
  }, 60_000);

  it.each([
    ['cut short', (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2))],
    ['with a damaged header', (file: string) => damagePages(file, 0, 1)],
  ])('%s: a reader exits 4 naming the file, and listen moves it aside', async (_what, damage) => {
    const dir = tempDir('damaged');
    await fillStore(dir, 200, 8 * 1024);
    const file = storePath(dir);
    damage(file);
    expectDamagedSaid(await events(dir, 'list', '--limit', '100000'), file);
    const listen = await listenOn(dir);
    expect(listen.events.filter((e) => e.type === 'store.damaged')).toHaveLength(1);
    expect((await post(listen.localUrl, 1)).status).toBe(200);
    expect(await listen.stop()).toBe(0);
  }, 30_000);

  it.each([
    // The cap leaves room at start: the damage is found by a delivery's write, when it makes room by removing the oldest.
    ['by a delivery\'s write', '64mb', 0],
    // The cap is under what is stored: the damage is found at start, by the retention, not by the check.
    ['by the retention at start', '56mb', 1],
  ])('found while running (%s), in a store too large to check whole at start: moved aside, and no delivery gets a 500', async (_by, cap, atStart) => {
    const dir = tempDir('damaged');
    // 45 MB, past what the start check reads whole; the damage sits in the second-oldest delivery, where removing the oldest starts.
    await fillStore(dir, 45, 1024 * 1024);
    const file = storePath(dir);
    damagePages(file, 512);
    const listen = await listenOn(dir, ['--max-store-size', cap, '--max-body', '2mb']);
    expect(listen.events.filter((e) => e.type === 'store.damaged')).toHaveLength(atStart);
    const statuses: number[] = [];
    for (let n = 0; n < 10; n++) statuses.push((await post(listen.localUrl, n, 1024 * 1024)).status);
    expect(statuses).toEqual(Array(10).fill(200));
    const damaged = listen.events.filter((e) => e.type === 'store.damaged');
    expect(damaged).toHaveLength(1);
    expect(damaged[0]).toMatchObject({ file, moved_to: expect.stringMatching(/events\.db\.damaged-/) });
    expect(listen.events.filter((e) => e.type === 'listen.warning')).toEqual([]);
    expect(await listen.stop()).toBe(0);
    // Every delivery answered 200 is kept: in the fresh store, or (those before the damage was found) in the file moved aside, which salvage reads.
    expect((await events(dir, 'salvage', damaged[0]!.moved_to)).code).toBe(0);
    const listed = JSON.parse((await events(dir, 'list', '--limit', '1000', '--json')).stdout) as Array<{ event_id: string }>;
    const kept = new Set(listed.map((d) => d.event_id));
    expect(Array.from({ length: 10 }, (_, n) => `evt_new_${n}`).filter((id) => !kept.has(id))).toEqual([]);
  }, 90_000);
});
