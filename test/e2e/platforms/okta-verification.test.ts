import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/** Okta verifies every new event hook URL with a GET; listen makes a new tunnel URL pass it without app code. */
const SECRET = 'okta-auth-secret-value';
let server: HooksServer;
let plainApp: Receiver;
let sampleApp: Receiver;
const env = () => ({ HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined });

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  plainApp = await startReceiver(() => ({ status: 200, body: 'ok' }));
  // Okta's sample receiver: answers the challenge itself.
  sampleApp = await startReceiver((req) =>
    req.method === 'GET' ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verification: req.headers['x-okta-verification-challenge'] }) } : { status: 200 },
  );
});
afterAll(async () => {
  await server.kill9();
  await plainApp.close();
  await sampleApp.close();
});

describe('Okta one-time verification', () => {
  let listen: HooksListen | null = null;
  afterAll(async () => listen?.kill9());

  it('listen answers it when the app does not, says so, and the hook activates', async () => {
    listen = await startListen(['--forward', plainApp.url, '--tunnel', 'none', '--no-subscribe', '--secret', SECRET, '--provider', 'okta'], env());
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'okta', url: `${listen.localUrl}/okta`, events: ['user.*'], provider: 'okta', secret: SECRET, active: true });
    expect(sub.json).toMatchObject({ active: true, verification: { status: 'verified' } });
    expect(await listen.waitForEvent((e) => e.type === 'okta.verification')).toMatchObject({ answered_by: 'hooks', app_status: 200 });
    const challenge = plainApp.requests.find((r) => r.method === 'GET');
    expect(challenge?.headers.authorization, 'the verification GET carries the configured Authorization').toBe(SECRET);
    await listen.kill9();
    listen = null;
  });

  it("leaves the answer to the app when the app's own is right", async () => {
    listen = await startListen(['--forward', sampleApp.url, '--tunnel', 'none', '--no-subscribe', '--secret', SECRET], env());
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'okta2', url: `${listen.localUrl}/okta`, events: ['*'], provider: 'okta', secret: SECRET, active: true });
    expect(sub.json.active).toBe(true);
    expect(await listen.waitForEvent((e) => e.type === 'okta.verification')).toMatchObject({ answered_by: 'app', app_status: 200 });
  });

  it('the emulator keeps a hook whose endpoint does not answer inactive, and says what the answer must be', async () => {
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'okta3', url: `${plainApp.url}/no-answer`, events: ['*'], provider: 'okta', secret: SECRET, active: true });
    expect(sub.json.active).toBe(false);
    expect(sub.json.verification.error).toMatch(/expected \{"verification": "[\w-]+"\}/);
    const again = await server.api('PATCH', `/webhooks/subscriptions/${sub.json.id}`, { active: true }, { status: 422 });
    expect(again.json.error.code).toBe('verification_failed');
    // Deactivating sends nothing, and an inactive hook deletes.
    await server.api('DELETE', `/webhooks/subscriptions/${sub.json.id}`, undefined, { status: 204 });
  });
});
