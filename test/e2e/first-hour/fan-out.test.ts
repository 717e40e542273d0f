import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { identifyEvent } from '../../../src/core/providers/identify.js';
import { getProvider } from '../../../src/core/providers/registry.js';
import { HeaderBag } from '../../../src/core/signing/headers.js';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

let server: HooksServer;
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  // The emulator's default provider is standard: the first-hour trap was that events without a provider went only there.
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, CI: 'true' };
});
afterAll(async () => {
  await server.kill9();
  await app.close();
});

describe('the first hour', () => {
  it('subs create --provider ithbat, then trigger user.created: delivered, exit 0', async () => {
    const created = JSON.parse((await runCli(['subs', 'create', '--provider', 'ithbat', '--events', 'user.*', '--url', `${app.url}/ithbat-first`, '--name', 'first', '--json'], { env })).stdout);
    const r = await runCli(['trigger', 'user.created'], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`✓ ${created.id} ithbat +200 in`));
    const got = app.requests.find((q) => q.url === '/ithbat-first')!;
    expect(verifyDelivery({ provider: 'ithbat', body: got.body, headers: got.headers as Record<string, string>, secret: created.signing_secret }).valid).toBe(true);
    await runCli(['subs', 'delete', created.id, '--yes'], { env });
  });

  it('listen --provider ithbat, then trigger user.created in a second terminal: it arrives', async () => {
    const listen = await startListen(['--forward', `${app.url}/from-listen`, '--tunnel', 'none', '--provider', 'ithbat', '--events', 'user.*'], env);
    try {
      const r = await runCli(['trigger', 'user.created'], { env });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const line = await listen.waitForEvent((e) => e.type === 'delivery.forwarded');
      expect(line).toMatchObject({ provider: 'ithbat', event_type: 'user.created', verdict: 'verified', status: 200 });
    } finally {
      await listen.stop('SIGINT');
    }
  });

  it('a listen that cannot start prints only the reason and the fix', async () => {
    const r = await runCli(['listen', '--forward', '3000', '--tunnel', 'none', '--api-url', 'http://127.0.0.1:9'], { env });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/stopping|stopped/);
    expect(r.stderr.trim().split('\n')).toEqual([
      "hooks: cannot reach the API at http://127.0.0.1:9: start one with 'hooks server' or pass --api-url",
      '  connection refused: nothing listens there (ECONNREFUSED); the URL came from --api-url',
    ]);
    const noServer = await runCli(['listen', '--forward', '3000', '--tunnel', 'none'], { env: { ...env, HOOKS_CONFIG_DIR: `${server.configDir}-empty` } });
    expect(noServer.stderr).toContain('the URL is the default (no --api-url, HOOKS_API_URL, profile or local hooks server)');
  });
});

describe('fan-out: an event without a provider reaches every subscription that asked for it', () => {
  it('each in its own dialect: the bytes each received verify with its own secret and scheme', async () => {
    const subs = await Promise.all(
      ['ithbat', 'scalekit', 'standard'].map(async (provider) => (await server.api('POST', '/webhooks/subscriptions', { name: `fan ${provider}`, url: `${app.url}/fan-${provider}`, events: ['user.*'], provider })).json),
    );
    const other = (await server.api('POST', '/webhooks/subscriptions', { name: 'lmif boxes', url: `${app.url}/fan-lmif`, events: ['box.*'], provider: 'lmif' })).json;
    const event = (await server.api('POST', '/events?wait=5000', { type: 'user.created' })).json;
    expect(event).toMatchObject({ type: 'user.created', provider: null });
    const mine = event.deliveries.filter((d: { subscription_id: string }) => [...subs, other].some((s) => s.id === d.subscription_id));
    expect(mine.map((d: { provider: string }) => d.provider).sort()).toEqual(['ithbat', 'scalekit', 'standard']);
    for (const sub of subs) {
      const got = app.requests.find((q) => q.url === `/fan-${sub.provider}`)!;
      expect(verifyDelivery({ provider: sub.provider, body: got.body, headers: got.headers as Record<string, string>, secret: sub.signing_secret }).valid, sub.provider).toBe(true);
      const delivery = mine.find((d: { subscription_id: string }) => d.subscription_id === sub.id);
      // Each names the event in its own way (Standard Webhooks in webhook-id): as listen reads it.
      expect(identifyEvent(got.body, HeaderBag.from(got.headers as Record<string, string>), getProvider(sub.provider), []).id).toBe(delivery.message_id);
    }
    expect(app.requests.find((q) => q.url === '/fan-lmif')).toBeUndefined();
    const scalekit = JSON.parse(app.requests.find((q) => q.url === '/fan-scalekit')!.body.toString());
    expect(Object.keys(scalekit)).toEqual(['id', 'type', 'created', 'data']);
    for (const s of [...subs, other]) await server.api('DELETE', `/webhooks/subscriptions/${s.id}`);
  });

  it('with --provider, only that provider receives it', async () => {
    const a = (await server.api('POST', '/webhooks/subscriptions', { name: 'only a', url: `${app.url}/only-ithbat`, events: ['*'], provider: 'ithbat' })).json;
    const b = (await server.api('POST', '/webhooks/subscriptions', { name: 'only b', url: `${app.url}/only-github`, events: ['*'], provider: 'github' })).json;
    const event = (await server.api('POST', '/events?wait=5000', { type: 'push', provider: 'github' })).json;
    expect(event.deliveries.map((d: { subscription_id: string }) => d.subscription_id)).toEqual([b.id]);
    for (const s of [a, b]) await server.api('DELETE', `/webhooks/subscriptions/${s.id}`);
  });

  it('Asgardeo takes the short name and the event URI', async () => {
    const sub = (await server.api('POST', '/webhooks/subscriptions', { name: 'asg', url: `${app.url}/asg`, events: ['login.*'], provider: 'asgardeo', active: false })).json;
    // Inactive: the handshake is not what this is about; the event is still planned against the catalog.
    for (const type of ['login.loginSuccess', 'https://schemas.identity.wso2.org/events/login/event-type/loginSuccess']) {
      const event = (await server.api('POST', '/events', { type, provider: 'asgardeo' })).json;
      expect(event.type).toBe('login.loginSuccess');
    }
    await server.api('DELETE', `/webhooks/subscriptions/${sub.id}`);
  });

  it('a type no catalog knows is 422 with a did-you-mean across catalogs', async () => {
    const r = await server.api('POST', '/events', { type: 'box.craeted' }, { status: 422 });
    expect(r.json.error).toMatchObject({ code: 'unknown_event_type', field: 'type' });
    expect(r.json.error.message).toContain('did you mean "box.created"');
  });

  it('trigger exits 1 when nothing received the event, and says what exists', async () => {
    const lmif = (await server.api('POST', '/webhooks/subscriptions', { name: 'boxes only', url: `${app.url}/boxes`, events: ['box.*'], provider: 'lmif' })).json;
    const r = await runCli(['trigger', 'violation.detected'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no active subscription matches violation.detected');
    expect(r.stderr).toContain(`${lmif.id} (lmif, box.*)`);
    expect(r.stderr).toContain("hooks subs create --url http://127.0.0.1:3000/webhooks --events 'violation.detected'");
    const json = await runCli(['trigger', 'violation.detected', '--json'], { env });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).existing_subscriptions).toContainEqual({ id: lmif.id, provider: 'lmif', events: ['box.*'], active: true });
    await server.api('DELETE', `/webhooks/subscriptions/${lmif.id}`);
  });
});
