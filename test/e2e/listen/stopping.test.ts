import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startDripping, type Dripping } from '../../helpers/dripping.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

// Issue #35 item 6 (listen) and #35 item 7: stopping is bounded, and what the
// sender gets is said. A stop while apps answer one byte at a time never
// finished before: in_flight stayed, for minutes.
let drip: Dripping;
let big: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  drip = await startDripping({ where: 'body', everyMs: 200 });
  big = await startReceiver(() => ({ status: 200, body: Buffer.alloc(10 * 1024 * 1024 + 5000, 0x61), headers: { 'content-type': 'text/plain' } }));
  env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
});
afterAll(async () => {
  await drip.close();
  await big.close();
});

const body = (n: number) => Buffer.from(`{"id":"evt_${n}","type":"user.created"}`);

describe('stopping listen', () => {
  it('gives forwards in flight a bounded grace, then cuts them off: each is stored as interrupted and its sender gets 503', async () => {
    // --timeout is long: only the stop can end these forwards.
    const listen = await startListen(['--forward', drip.url, '--tunnel', 'none', '--no-subscribe', '--timeout', '10m'], env);
    const answers = [0, 1, 2].map((n) => rawPost(`${listen.localUrl}/in`, body(n), [['content-type', 'application/json']]).catch((err: Error) => err));
    for (let n = 1; n <= 3; n++) await listen.waitForEvent(() => listen.events.filter((e) => e.type === 'delivery.received').length >= n);
    while (drip.requests.length < 3) await new Promise((r) => setTimeout(r, 50));

    expect(await listen.stop()).toBe(0);
    expect(listen.events.find((e) => e.type === 'listen.stopping')).toMatchObject({ in_flight: 3 });
    const failed = listen.events.filter((e) => e.type === 'delivery.failed');
    expect(failed).toHaveLength(3);
    for (const f of failed) expect(f).toMatchObject({ status: 503, error: expect.stringMatching(/^interrupted after \d+ ms/) });
    expect(listen.events.at(-1)).toMatchObject({ type: 'listen.stopped' });
    for (const a of await Promise.all(answers)) {
      // The sender was answered 503 (sent again later) or, at worst, its connection closed unanswered: never a 2xx.
      if (!(a instanceof Error)) expect(a).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    }
    await drip.waitForCutOff(3);

    // Nothing acknowledged was lost, nothing is left pending: each is stored with its interrupted attempt.
    const stored = JSON.parse((await runCli(['events', 'list', '--json', '--data-dir', listen.dataDir], { env })).stdout) as Array<{ id: string; last_status: number; last_outcome: string }>;
    expect(stored).toHaveLength(3);
    for (const d of stored) expect(d).toMatchObject({ last_status: 503, last_outcome: 'failed' });
    const shown = JSON.parse((await runCli(['events', 'show', stored[0]!.id, '--json', '--data-dir', listen.dataDir], { env })).stdout);
    expect(shown.attempts).toMatchObject([{ kind: 'forward', status: 503, error: expect.stringMatching(/^interrupted/) }]);
  }, 60_000);

  it('an app answer over 10 MB reaches the sender cut to 10 MB, and says so on its line and in its stored attempt', async () => {
    const listen = await startListen(['--forward', big.url, '--tunnel', 'none', '--no-subscribe'], env);
    const answer = await rawPost(`${listen.localUrl}/in`, body(9), [['content-type', 'application/json']]);
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(10 * 1024 * 1024);
    const line = await listen.waitForEvent((e) => e.type === 'delivery.forwarded');
    expect(line).toMatchObject({ status: 200, answer_bytes: 10 * 1024 * 1024 + 5000 });
    const shown = JSON.parse((await runCli(['events', 'show', line.id, '--json', '--data-dir', listen.dataDir], { env })).stdout);
    expect(shown.attempts[0]).toMatchObject({ status: 200, response_bytes: 10 * 1024 * 1024 + 5000 });
    const human = await runCli(['events', 'show', line.id, '--data-dir', listen.dataDir], { env });
    expect(human.stdout).toContain('the sender got its first 10 MB');
    expect(await listen.stop()).toBe(0);
  }, 60_000);
});
