import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

/**
 * Issue #33: `hooks subs update ID --url …` on an Asgardeo subscription.
 * Asgardeo delivers only to a callback that passed its WebSub subscribe
 * verification (seed 002), so an active subscription's new URL is verified
 * first: a URL that fails it changes nothing (the subscription stays active
 * where it was, and the message says so and what to do); one that passes is
 * changed, and nothing claims it failed. An inactive one changes at once.
 */
let server: HooksServer;
let hub: Receiver;
let silent: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, CI: 'true' };
  // Answers every WebSub challenge, as seed 002 asks.
  hub = await startReceiver((q) => ({ status: 200, body: new URL(q.url, 'http://x').searchParams.get('hub.challenge') ?? '', headers: { 'content-type': 'text/plain' } }));
  // Answers 200 without the challenge: fails the verification.
  silent = await startReceiver(() => ({ status: 200, body: 'ok' }));
});
afterAll(async () => {
  await server.kill9();
  await Promise.all([hub.close(), silent.close()]);
});

async function activeAsgardeo(path: string): Promise<{ id: string; url: string }> {
  const created = await server.api('POST', '/webhooks/subscriptions', { name: 'as', url: `${hub.url}${path}`, events: ['login.*'], provider: 'asgardeo', active: true });
  expect(created.json).toMatchObject({ active: true, verification: { status: 'verified' } });
  return created.json;
}

describe('changing the URL of an Asgardeo subscription', () => {
  it('a new URL that fails the WebSub verification changes nothing, and the message says it is still active there and what to do', async () => {
    const sub = await activeAsgardeo('/before');
    const before = (await server.api('GET', `/webhooks/subscriptions/${sub.id}`)).json;
    const r = await runCli(['subs', 'update', sub.id, '--url', `${silent.url}/after`], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('stays inactive');
    expect(r.stderr).toContain('nothing changed');
    expect(r.stderr).toContain(`active at ${hub.url}/before`);
    expect(r.stderr).toContain(`hooks subs update ${sub.id} --url`);
    expect(r.stderr).not.toContain(`hooks subs enable ${sub.id}`);
    const after = (await server.api('GET', `/webhooks/subscriptions/${sub.id}`)).json;
    expect(after).toMatchObject({ url: `${hub.url}/before`, active: true });
    expect(after.verification).toEqual(before.verification);
    // Still delivered where it was.
    const ev = await server.api('POST', '/events?wait=5000', { type: 'login.loginSuccess', provider: 'asgardeo' });
    expect(ev.json.deliveries.find((d: { subscription_id: string }) => d.subscription_id === sub.id)).toMatchObject({ status: 'succeeded' });
  });

  it('a new URL that passes it is changed, verified there, and nothing says it failed', async () => {
    const sub = await activeAsgardeo('/old');
    const r = await runCli(['subs', 'update', sub.id, '--url', `${hub.url}/new`], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Updated');
    expect(r.stderr).toBe('');
    const gets = hub.requests.filter((q) => q.method === 'GET' && q.url.startsWith('/new?'));
    expect(gets.map((q) => new URL(q.url, 'http://x').searchParams.get('hub.mode'))).toEqual(['subscribe']);
    expect((await server.api('GET', `/webhooks/subscriptions/${sub.id}`)).json).toMatchObject({ url: `${hub.url}/new`, active: true, verification: { status: 'verified', mode: 'subscribe' } });
  });

  it('an inactive one changes at once: no verification until it is enabled, and no failure', async () => {
    const created = (await server.api('POST', '/webhooks/subscriptions', { name: 'as', url: `${hub.url}/idle`, events: ['login.*'], provider: 'asgardeo' })).json;
    const r = await runCli(['subs', 'update', created.id, '--url', `${silent.url}/idle2`], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Updated');
    expect((await server.api('GET', `/webhooks/subscriptions/${created.id}`)).json).toMatchObject({ url: `${silent.url}/idle2`, active: false });
    expect(silent.requests.filter((q) => q.url.startsWith('/idle2'))).toHaveLength(0);
  });
});
