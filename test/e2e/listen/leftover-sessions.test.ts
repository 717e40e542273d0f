import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/** A session that cannot clean up after itself says so, and the next one on the same API does it. */
let server: HooksServer;
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  // Slow enough that a stop waits for the forward in flight.
  app = await startReceiver(() => ({ status: 200, delayMs: 4000 }));
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, CI: 'true' };
});
afterAll(async () => {
  await server.kill9();
  await app.close();
});

const subscriptionIds = async () => (JSON.parse((await runCli(['subs', 'list', '--json'], { env })).stdout) as Array<{ id: string }>).map((s) => s.id);

describe('session subscriptions left behind', { timeout: 60_000 }, () => {
  it('a second Ctrl-C says which subscription it leaves and how to remove it; the next session removes it', async () => {
    const first = await startListen(['--forward', `${app.url}/slow`, '--tunnel', 'none', '--provider', 'lmif'], env);
    const left = first.subscriptionId!;
    const trigger = runCli(['trigger', 'box.created', '--provider', 'lmif', '--wait', '0s'], { env });
    await first.waitForEvent((e) => e.type === 'delivery.received');
    first.proc.kill('SIGINT');
    await first.waitForEvent((e) => e.type === 'listen.stopping');
    expect(await first.stop('SIGINT')).toBe(130);
    const warning = first.events.find((e) => e.type === 'listen.warning' && String(e.message).includes(left));
    expect(warning?.message).toContain(`hooks subs delete ${left} --yes`);
    expect(warning?.message).toContain('the next hooks listen on this API removes it');
    await trigger;
    expect(await subscriptionIds()).toContain(left);

    const next = await startListen(['--forward', `${app.url}/next`, '--tunnel', 'none', '--provider', 'lmif'], env);
    try {
      await next.waitForEvent((e) => e.type === 'listen.warning' && String(e.message).includes(`removed subscription ${left}`));
      expect(await subscriptionIds()).not.toContain(left);
    } finally {
      await next.stop();
    }
  });

  it('a session killed with kill -9: the next one on the same API removes its subscription', async () => {
    const killed = await startListen(['--forward', `${app.url}/killed`, '--tunnel', 'none', '--provider', 'lmif'], env);
    const left = killed.subscriptionId!;
    await killed.kill9();
    const next = await startListen(['--forward', `${app.url}/after-kill`, '--tunnel', 'none', '--provider', 'lmif'], env);
    try {
      await next.waitForEvent((e) => e.type === 'listen.warning' && String(e.message).includes(`removed subscription ${left}`));
      expect(await subscriptionIds()).not.toContain(left);
    } finally {
      await next.stop();
    }
  });
});

describe('two sessions side by side', { timeout: 60_000 }, () => {
  it('the second warns that every event would reach the app twice, naming the first', async () => {
    const first = await startListen(['--forward', `${app.url}/same`, '--tunnel', 'none', '--provider', 'lmif'], env);
    try {
      const second = await startListen(['--forward', `${app.url}/same`, '--tunnel', 'none', '--provider', 'lmif'], env);
      try {
        const warning = await second.waitForEvent((e) => e.type === 'listen.warning' && String(e.message).includes('twice'));
        expect(warning.message).toContain(`pid ${first.proc.pid}`);
        expect(warning.message).toContain(`${app.url}/same`);
        // doctor says the same instead of a ✓ for each.
        const doctor = JSON.parse((await runCli(['doctor', '--json'], { env })).stdout) as { checks: Array<{ id: string; ok: boolean; detail: string }> };
        expect(doctor.checks.find((c) => c.id === 'listen')).toMatchObject({ ok: false, detail: expect.stringContaining('each event reaches the app twice') });
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});
