import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hookId } from '../../../src/core/fixtures/github.js';
import { getProvider } from '../../../src/core/providers/registry.js';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * Issue #33: the subscription a received delivery came from is the one its
 * headers or body name (LMIF's meta.webhookId, GitHub's X-GitHub-Hook-ID),
 * or the session's when it is signed with that subscription's provider and
 * secret; else null. Never the session's by default.
 */
let server: HooksServer;
let app: Receiver;
let listen: HooksListen;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
  // The API's provider is standard: the session's own subscription is a standard one.
  listen = await startListen(['--forward', app.url, '--tunnel', 'none'], env);
});
afterAll(async () => {
  await listen.kill9();
  await server.kill9();
  await app.close();
});

/** Sends one event of `provider` through the emulator and returns what `events show --json` says of the delivery the session received. */
async function received(provider: string): Promise<{ provider: string; subscription_id: string | null }> {
  const ev = await server.api('POST', '/events?wait=5000', { type: getProvider(provider).catalog.representative, provider });
  expect(ev.json.deliveries.map((d: { status: string }) => d.status), provider).toContain('succeeded');
  const line = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === ev.json.id);
  return JSON.parse((await runCli(['events', 'show', line.id, '--json', '--data-dir', listen.dataDir], { env })).stdout);
}

describe('the subscription a received delivery came from', () => {
  const subs: Record<string, string> = {};
  beforeAll(async () => {
    for (const provider of ['ithbat', 'lmif', 'github']) {
      const secret = (await runCli(['listen', '--print-secret', '--provider', provider], { env })).stdout.trim();
      subs[provider] = (await server.api('POST', '/webhooks/subscriptions', { name: provider, url: `${listen.localUrl}/${provider}`, events: ['*'], provider, secret })).json.id;
    }
  });

  it("is the session's own for a delivery signed as the session subscription's provider", async () => {
    expect(await received('standard')).toMatchObject({ provider: 'standard', subscription_id: listen.subscriptionId });
  });

  it("is null, not the session's, for a delivery of another subscription that does not name it", async () => {
    expect(await received('ithbat')).toMatchObject({ provider: 'ithbat', subscription_id: null });
  });

  it('is the one the body names (LMIF meta.webhookId)', async () => {
    expect(await received('lmif')).toMatchObject({ provider: 'lmif', subscription_id: subs.lmif });
  });

  it("is the hook the headers name (GitHub's X-GitHub-Hook-ID), as GitHub names it", async () => {
    expect(await received('github')).toMatchObject({ provider: 'github', subscription_id: String(hookId(subs.github)) });
  });

  it("is the session's when the hook the headers name is the session's subscription (GitHub, borrowed)", async () => {
    const secret = (await runCli(['listen', '--print-secret', '--provider', 'github'], { env })).stdout.trim();
    const borrowing = await startListen(['--forward', app.url, '--tunnel', 'none', '--subscription', subs.github!, '--secret', secret, '--no-catch-up'], env);
    try {
      const ev = await server.api('POST', '/events?wait=5000', { type: getProvider('github').catalog.representative, provider: 'github' });
      const line = await borrowing.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === ev.json.id);
      const shown = JSON.parse((await runCli(['events', 'show', line.id, '--json', '--data-dir', borrowing.dataDir], { env })).stdout);
      expect(shown.subscription_id).toBe(subs.github);
    } finally {
      await borrowing.stop('SIGINT');
    }
  });

  it("is not the session's for a forgery that names it", async () => {
    const body = Buffer.from(JSON.stringify({ id: 'evt_forged', type: 'box.created', createdAt: '2026-01-01T00:00:00Z', data: {}, meta: { apiVersion: 'v1', webhookId: listen.subscriptionId } }));
    const headers = getProvider('lmif').scheme.sign(body, 'not-the-session-secret', { id: 'x', timestamp: Math.floor(Date.now() / 1000) });
    expect((await rawPost(`${listen.localUrl}/lmif`, body, [['content-type', 'application/json'], ...Object.entries(headers)])).status).toBe(401);
    const line = await listen.waitForEvent((e) => e.type === 'delivery.rejected' && e.event_id === 'evt_forged');
    const shown = JSON.parse((await runCli(['events', 'show', line.id, '--json', '--data-dir', listen.dataDir], { env })).stdout);
    expect(shown.subscription_id).toBeNull();
  });
});
