import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { openEventStore } from '../../../src/core/store/event-store.js';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

let server: HooksServer;
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001', '--provider', 'ithbat'] });
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined };
});
afterAll(async () => {
  await server.kill9();
  await app.close();
});

const subscriptions = async () => (await server.api('GET', '/webhooks/subscriptions')).json.data as Array<{ id: string; url: string; active: boolean; provider: string }>;

describe('the session subscription', () => {
  it('is created for the session with its secret, carries deliveries, and is deleted on Ctrl-C', async () => {
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--events', 'user.*'], env);
    // The banner shows the secret masked; the full one only comes from --print-secret.
    expect(listen.ready).toMatchObject({ provider: 'ithbat', subscription_id: expect.stringMatching(/^sub_/), secret: expect.stringMatching(/^ith_whsec_[0-9a-f]{4}…$/) });
    const secret = (await runCli(['listen', '--print-secret', '--provider', 'ithbat'], { env })).stdout.trim();
    const sub = (await subscriptions()).find((s) => s.id === listen.subscriptionId)!;
    expect(sub).toMatchObject({ url: `${listen.publicUrl}/`, active: true, provider: 'ithbat' });

    await server.api('POST', '/events?wait=5000', { type: 'user.login' });
    const line = await listen.waitForEvent((e) => e.type === 'delivery.forwarded');
    expect(line).toMatchObject({ verdict: 'verified', event_type: 'user.login', status: 200 });
    const got = app.requests.at(-1)!;
    expect(verifyDelivery({ provider: 'ithbat', body: got.body, headers: got.headers as Record<string, string>, secret }).valid).toBe(true);

    expect(await listen.stop('SIGINT')).toBe(0);
    expect(listen.events.at(-1)).toMatchObject({ type: 'listen.stopped', subscription: 'deleted' });
    expect((await subscriptions()).find((s) => s.id === listen.subscriptionId)).toBeUndefined();
  });

  it('uses the same secret in every session, which --print-secret prints for scripts', async () => {
    const printed = await runCli(['listen', '--print-secret'], { env });
    expect(printed.code).toBe(0);
    const a = await startListen(['--forward', app.url, '--tunnel', 'none'], env);
    expect(printed.stdout.trim().startsWith(a.maskedSecret!.slice(0, -1))).toBe(true);
    await a.stop('SIGINT');
    const json = await runCli(['listen', '--print-secret', '--provider', 'standard', '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ provider: 'standard', secret: expect.stringMatching(/^whsec_/) });
  });

  it('answers the WebSub challenge so an asgardeo session subscription activates', async () => {
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--provider', 'asgardeo', '--events', 'login.*,user.*'], env);
    const challenges = listen.events.filter((e) => e.type === 'websub.challenge');
    expect(challenges.map((c) => c.mode)).toEqual(['subscribe', 'subscribe']);
    expect(challenges.map((c) => c.topic).sort()[0]).toMatch(/\.event\.login$/);
    const sub = (await subscriptions()).find((s) => s.id === listen.subscriptionId)!;
    expect(sub.active).toBe(true);
    await server.api('POST', '/events?wait=5000', { type: 'login.loginSuccess', provider: 'asgardeo' });
    expect((await listen.waitForEvent((e) => e.type === 'delivery.forwarded')).verdict).toBe('verified');
    expect(await listen.stop('SIGINT')).toBe(0);
    // Deactivation sent the unsubscribe request before the delete.
    expect(listen.events.filter((e) => e.type === 'websub.challenge').map((c) => c.mode)).toContain('unsubscribe');
    expect((await subscriptions()).find((s) => s.id === listen.subscriptionId)).toBeUndefined();
  });

  it('borrows an existing subscription with --subscription and restores its URL on exit', async () => {
    const own = await server.api('POST', '/webhooks/subscriptions', { name: 'prod', url: 'http://127.0.0.1:9/prod', events: ['*'], secret: 'prod-secret-123' });
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--subscription', own.json.id, '--secret', 'prod-secret-123'], env);
    expect((await subscriptions()).find((s) => s.id === own.json.id)!.url).toBe(`${listen.publicUrl}/`);
    expect(listen.ready.restore_url).toBe('http://127.0.0.1:9/prod');
    await server.api('POST', '/events?wait=5000', { type: 'tenant.updated' });
    expect((await listen.waitForEvent((e) => e.type === 'delivery.forwarded')).verdict).toBe('verified');
    await listen.stop('SIGINT');
    expect(listen.events.at(-1)).toMatchObject({ subscription: 'restored' });
    expect((await subscriptions()).find((s) => s.id === own.json.id)!.url).toBe('http://127.0.0.1:9/prod');
  });

  it('registers a tunnel the user runs with --public-url', async () => {
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--public-url', 'https://my-tunnel.example.test/hooks'], env);
    expect(listen.publicUrl).toBe('https://my-tunnel.example.test/hooks');
    expect((await subscriptions()).find((s) => s.id === listen.subscriptionId)!.url).toBe('https://my-tunnel.example.test/hooks');
    expect(await listen.stop('SIGINT')).toBe(0);
  });

  it('exits 3 with a fix when the API cannot be reached, and leaves nothing running', async () => {
    const r = await runCli(['listen', '--forward', '3000', '--tunnel', 'none', '--api-url', 'http://127.0.0.1:9'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("start one with 'hooks server'");
  });

  it('exits 2 without a target', async () => {
    const r = await runCli(['listen', '--tunnel', 'none'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--forward');
  });
});

describe('durability', () => {
  it('keeps every delivery whose line was printed across kill -9', async () => {
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none'], env);
    const ids: string[] = [];
    // The envelope carries each delivery's message id (the event's own id when one provider is named).
    for (let i = 0; i < 5; i++) ids.push((await server.api('POST', '/events?wait=5000', { type: 'user.created' })).json.deliveries[0].message_id);
    const lines = await Promise.all(ids.map((id) => listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === id)));
    await listen.kill9();
    const store = await openEventStore(listen.dataDir);
    for (const line of lines) {
      const stored = store.get(line.id)!;
      expect(stored).toMatchObject({ event_id: line.event_id, verdict: 'verified', last_outcome: 'forwarded', last_status: 200 });
      expect(store.attempts(line.id)).toHaveLength(1);
    }
    await store.close();
    // The session could not clean up after kill -9: its subscription is left, as expected.
    await server.api('DELETE', `/webhooks/subscriptions/${listen.subscriptionId}`);
  });
});
