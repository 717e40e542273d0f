import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { maskSecret } from '../../../src/core/providers/mask.js';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * The first real session of #21: one hooks listen (auto, with its own
 * subscription), and subscriptions of six providers made with the secret
 * `hooks listen --print-secret --provider X` prints. Each delivery is checked
 * with the secret of the provider it is read as.
 */
const SIX = ['github', 'ithbat', 'intelliauth', 'scalekit', 'stripe', 'lmif'];
let server: HooksServer;
let app: Receiver;
let listen: HooksListen;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
  listen = await startListen(['--forward', app.url, '--tunnel', 'none'], env);
});
afterAll(async () => {
  await listen.kill9();
  await server.kill9();
  await app.close();
});

describe('one listen session, several providers', () => {
  it('verifies the deliveries of six providers, each with its own session secret', async () => {
    for (const provider of SIX) {
      const secret = (await runCli(['listen', '--print-secret', '--provider', provider], { env })).stdout.trim();
      const type = getProvider(provider).catalog.representative;
      await server.api('POST', '/webhooks/subscriptions', { name: provider, url: `${listen.localUrl}/${provider}`, events: ['*'], provider, secret });
      const ev = await server.api('POST', '/events?wait=5000', { type, provider });
      expect(ev.json.deliveries[0], provider).toMatchObject({ status: 'succeeded' });
      const line = await listen.waitForEvent((e) => (e.type === 'delivery.forwarded' || e.type === 'delivery.rejected') && e.event_id === ev.json.id);
      expect(line, provider).toMatchObject({ type: 'delivery.forwarded', provider, verdict: 'verified' });
    }
  });

  it('a refused delivery says which provider it was read as and which secret was tried (masked), with the hints', async () => {
    const body = Buffer.from('{"id":"evt_x","type":"user.created","created_at":"2026-01-01T00:00:00Z","data":{}}');
    const wrong = getProvider('github').scheme.sign(body, 'not-the-session-secret', { id: 'x', timestamp: 0 });
    expect((await rawPost(`${listen.localUrl}/github`, body, [['content-type', 'application/json'], ...Object.entries(wrong)])).status).toBe(401);
    const refused = await listen.waitForEvent((e) => e.type === 'delivery.rejected' && e.provider === 'github');
    const githubSecret = (await runCli(['listen', '--print-secret', '--provider', 'github'], { env })).stdout.trim();
    expect(refused).toMatchObject({ reason: 'signature_mismatch', secret: maskSecret(githubSecret) });
    expect(JSON.stringify(refused)).not.toContain(githubSecret);
  });

  it('takes --secret PROVIDER=S and HOOKS_SECRET_<PROVIDER> for a session without a subscription', async () => {
    const own = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--secret', 'ithbat=ith_whsec_0123456789abcdef0123456789abcdef'], { ...env, HOOKS_SECRET_GITHUB: 'github-secret-from-env' });
    try {
      expect(own.maskedSecret).toContain('ithbat ith_whsec_0123…');
      for (const [provider, secret] of [['ithbat', 'ith_whsec_0123456789abcdef0123456789abcdef'], ['github', 'github-secret-from-env']] as const) {
        const body = Buffer.from(JSON.stringify({ id: `evt_${provider}`, type: 'user.created', created_at: '2026-01-01T00:00:00Z', data: {} }));
        const headers = getProvider(provider).scheme.sign(body, secret, { id: 'x', timestamp: 0 });
        expect((await rawPost(`${own.localUrl}/${provider}`, body, [['content-type', 'application/json'], ...Object.entries(headers)])).status, provider).toBe(200);
        expect(await own.waitForEvent((e) => e.type === 'delivery.forwarded' && e.provider === provider)).toMatchObject({ verdict: 'verified' });
      }
    } finally {
      await own.kill9();
    }
  });
});
