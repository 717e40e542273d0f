import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

// Issue #35 item 2: `rm -rf` of listen's data dir while it runs. Before, listen
// went on answering 200 into the unlinked file, and every one of those
// deliveries was gone once it stopped; `hooks events list` meanwhile made a
// new empty store and printed [].
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
});
afterAll(async () => {
  await app.close();
});

const post = (url: string, n: number) => rawPost(`${url}/in`, Buffer.from(`{"id":"evt_${n}","type":"user.created"}`), [['content-type', 'application/json']]);

describe('a data dir removed under listen', () => {
  it('is noticed at the next write: from then on 503 with Retry-After, said once, nothing forwarded; events list makes no store', async () => {
    const dir = join(tempDir('vanish'), 'data');
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe'], env, dir);
    for (let n = 0; n < 5; n++) expect((await post(listen.localUrl, n)).status).toBe(200);
    const forwardedBefore = app.requests.length;

    rmSync(dir, { recursive: true, force: true });
    const answers = [];
    for (let n = 5; n < 25; n++) answers.push(await post(listen.localUrl, n));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(503));
    for (const a of answers) expect(a.headers['retry-after']).toBe('30');
    expect(JSON.parse(answers[0]!.body.toString()).error.code).toBe('store_gone');

    const failed = listen.events.filter((e) => e.type === 'store.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0], JSON.stringify(failed[0])).toMatchObject({ failure: 'gone', file: join(dir, 'events.db'), message: expect.stringContaining('its directory is gone') });
    expect(listen.events.filter((e) => e.type === 'listen.warning')).toEqual([]);
    // The write that found it had forwarded its delivery already; none after it reached the app.
    expect(app.requests.length - forwardedBefore).toBeLessThanOrEqual(1);

    const list = await runCli(['events', 'list', '--data-dir', dir], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`No store at ${join(dir, 'events.db')}`);
    expect(existsSync(join(dir, 'events.db'))).toBe(false);
    expect(await listen.stop()).toBe(0);
  }, 60_000);
});
