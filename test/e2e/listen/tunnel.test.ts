import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

const FAKE = fileURLToPath(new URL('../../helpers/fake-cloudflared.mjs', import.meta.url));
let server: HooksServer;
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  server = await startHooksServer();
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, CLOUDFLARED_BIN: FAKE, CLOUDFLARED_TOKEN: undefined, NGROK_AUTHTOKEN: undefined };
});
afterAll(async () => {
  await server.kill9();
  await app.close();
});

/** Sends one event through the emulator and waits until the session forwarded it to the app. */
async function deliverThrough(listen: HooksListen): Promise<void> {
  const before = app.requests.length;
  const event = await server.api('POST', '/events?wait=5000', { type: 'user.created', data: { n: before } });
  expect(event.json.deliveries.find((d: { subscription_id: string }) => d.subscription_id === listen.subscriptionId)).toMatchObject({ status: 'succeeded' });
  await app.waitFor(before + 1);
}

describe('cloudflared quick tunnel (a fake binary via CLOUDFLARED_BIN that carries loopback traffic)', () => {
  it('runs `cloudflared tunnel --url LOCAL`, reads the URL from its banner, and deliveries pass through it', async () => {
    const args = join(tempDir('cf'), 'args');
    const listen = await startListen(['--forward', app.url], { ...env, FAKE_CLOUDFLARED_ARGS: args });
    expect(listen.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listen.publicUrl).not.toBe(listen.localUrl);
    expect(JSON.parse(readFileSync(args, 'utf8').trim().split('\n')[0]!)).toEqual({ argv: ['tunnel', '--no-autoupdate', '--url', listen.localUrl], token: null });
    expect(listen.events.find((e) => e.type === 'tunnel.url')).toMatchObject({ url: listen.publicUrl, restarted: false, tunnel: 'cloudflared quick tunnel' });
    const sub = await server.api('GET', `/webhooks/subscriptions/${listen.subscriptionId}`);
    expect(sub.json.url).toBe(`${listen.publicUrl}/`);
    await deliverThrough(listen);
    expect(await listen.stop('SIGINT')).toBe(0);
  });

  it('a tunnel process that dies is reopened with backoff; the new URL goes to the subscription', async () => {
    const state = join(tempDir('cf'), 'state');
    const listen = await startListen(['--forward', app.url], { ...env, FAKE_CLOUDFLARED_STATE: state, FAKE_CLOUDFLARED_DIE_MS: '300', FAKE_CLOUDFLARED_DIE_RUNS: '1' });
    const first = listen.publicUrl;
    expect(await listen.waitForEvent((e) => e.type === 'tunnel.unhealthy')).toMatchObject({ reason: 'cloudflared exited (code 1)' });
    expect(await listen.waitForEvent((e) => e.type === 'tunnel.restarting')).toMatchObject({ attempt: 1, delay_ms: 1000 });
    const renewed = await listen.waitForEvent((e) => e.type === 'tunnel.url' && e.restarted === true);
    expect(renewed.url).not.toBe(first);
    await listen.waitForEvent((e) => e.type === 'subscription.updated');
    expect(await listen.waitForEvent((e) => e.type === 'tunnel.restored')).toMatchObject({ url: renewed.url, url_changed: true });
    const sub = await server.api('GET', `/webhooks/subscriptions/${listen.subscriptionId}`);
    expect(sub.json.url).toBe(`${renewed.url}/`);
    await deliverThrough(listen);
    await listen.stop('SIGINT');
  });

  it('a tunnel that keeps running but stops carrying traffic: two failed probes, restarted, subscription updated, deliveries flow again', async () => {
    const silent = join(tempDir('cf'), 'silent');
    const listen = await startListen(['--forward', app.url, '--probe-interval', '300ms', '--probe-grace', '0s'], { ...env, FAKE_CLOUDFLARED_SILENT: silent });
    await listen.waitForEvent((e) => e.type === 'tunnel.probe' && e.ok);
    await deliverThrough(listen);
    writeFileSync(silent, '');
    const unhealthy = await listen.waitForEvent((e) => e.type === 'tunnel.unhealthy');
    // Within two probe intervals: exactly two failures after the last probe that passed.
    const before = listen.events.slice(0, listen.events.indexOf(unhealthy)).filter((e) => e.type === 'tunnel.probe');
    const since = before.slice(before.findLastIndex((p) => p.ok) + 1);
    expect(since.map((p) => [p.ok, p.reason])).toEqual([
      [false, 'interval'],
      [false, 'interval'],
    ]);
    expect(since[0]!.error).toContain('530');
    expect(unhealthy.reason).toContain('2 probes in a row');
    const restored = await listen.waitForEvent((e) => e.type === 'tunnel.restored');
    expect(restored.url).not.toBe(listen.publicUrl);
    const sub = await server.api('GET', `/webhooks/subscriptions/${listen.subscriptionId}`);
    expect(sub.json.url).toBe(`${restored.url}/`);
    await deliverThrough(listen);
    // Probes are the session's own business: none reached the app or the store.
    expect(app.requests.every((r) => !r.url.includes('hooks-probe'))).toBe(true);
    const events = await runCli(['events', 'list', '--json', '--data-dir', listen.dataDir], { env });
    expect(JSON.parse(events.stdout).every((d: { path: string }) => !d.path.includes('hooks-probe'))).toBe(true);
    await listen.stop('SIGINT');
  });

  it('while the tunnel restarts, deliveries get 503 with Retry-After, never accepted and lost', async () => {
    const state = join(tempDir('cf'), 'state');
    // The first run dies; the second fails to start, so the restart takes two attempts.
    const listen = await startListen(['--forward', app.url], { ...env, FAKE_CLOUDFLARED_STATE: state, FAKE_CLOUDFLARED_DIE_MS: '200', FAKE_CLOUDFLARED_DIE_RUNS: '1', FAKE_CLOUDFLARED_FAIL_RUNS: '2' });
    await listen.waitForEvent((e) => e.type === 'tunnel.restarting' && e.attempt === 2);
    const before = app.requests.length;
    const body = Buffer.from('{"type":"user.created","data":{}}');
    const refused = await rawPost(`${listen.localUrl}/`, body, []);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(JSON.parse(refused.body.toString()).error.code).toBe('tunnel_restarting');
    expect(app.requests.length).toBe(before);
    await listen.waitForEvent((e) => e.type === 'tunnel.restored');
    await deliverThrough(listen);
    await listen.stop('SIGINT');
  });

  it('after the machine sleeps (the process stopped, then resumed), it probes at once', async () => {
    const listen = await startListen(['--forward', app.url, '--probe-interval', '1h', '--jump-threshold', '1s'], env);
    listen.proc.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 2500));
    listen.proc.kill('SIGCONT');
    const probe = await listen.waitForEvent((e) => e.type === 'tunnel.probe');
    expect(probe).toMatchObject({ reason: 'time_jump', ok: true });
    await listen.stop('SIGINT');
  });

  it('says how to install cloudflared and names the alternatives when the binary is missing (exit 2)', async () => {
    const r = await runCli(['listen', '--forward', '3000'], { env: { ...env, CLOUDFLARED_BIN: '/nonexistent/cloudflared', PATH: '/usr/bin:/bin' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cloudflared binary is not installed');
    for (const alternative of ['--tunnel ngrok', '--tunnel none', '--public-url']) expect(r.stderr).toContain(alternative);
  });
});

describe('cloudflared named tunnel (--hostname, a token): a URL that never changes', () => {
  it('runs `cloudflared tunnel run` with the token in its environment, not argv, and serves https://HOSTNAME', async () => {
    const args = join(tempDir('cf'), 'args');
    // No probe within the test: the hostname does not resolve here, and no test leaves loopback.
    const listen = await startListen(['--forward', app.url, '--hostname', 'hooks.example.test', '--probe-interval', '1h'], { ...env, FAKE_CLOUDFLARED_ARGS: args, CLOUDFLARED_TOKEN: 'tok-from-env' });
    expect(listen.publicUrl).toBe('https://hooks.example.test');
    expect(JSON.parse(readFileSync(args, 'utf8').trim())).toEqual({ argv: ['tunnel', '--no-autoupdate', 'run', '--url', listen.localUrl], token: 'tok-from-env' });
    expect(listen.events.find((e) => e.type === 'tunnel.url')).toMatchObject({ tunnel: 'cloudflared named tunnel (hooks.example.test)' });
    expect((await server.api('GET', `/webhooks/subscriptions/${listen.subscriptionId}`)).json.url).toBe('https://hooks.example.test/');
    await listen.stop('SIGINT');
  });

  it('listens on a fixed --port, which the named tunnel routes to', async () => {
    const port = await freePort();
    const listen = await startListen(['--forward', app.url, '--hostname', 'hooks.example.test', '--cloudflared-token', 'tok', '--port', String(port), '--probe-interval', '1h'], env);
    expect(listen.localUrl).toBe(`http://127.0.0.1:${port}`);
    const taken = await runCli(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--port', String(port)], { env });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(`port ${port} on 127.0.0.1 is taken`);
    await listen.stop('SIGINT');
  });

  it('a hostname without a token says where to get one (exit 2); flags of another tunnel kind are refused', async () => {
    const r = await runCli(['listen', '--forward', '3000', '--hostname', 'hooks.example.test'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs its token');
    expect(r.stderr).toContain('CLOUDFLARED_TOKEN');
    const mixed = await runCli(['listen', '--forward', '3000', '--tunnel', 'none', '--domain', 'x.ngrok-free.app'], { env });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--domain is for --tunnel ngrok');
  });
});

describe('ngrok (@ngrok/ngrok as a library; a fake module via HOOKS_NGROK_MODULE)', () => {
  const FAKE_NGROK = fileURLToPath(new URL('../../helpers/fake-ngrok.mjs', import.meta.url));

  it('forwards to the local receiver with NGROK_AUTHTOKEN and --domain; deliveries pass through it', async () => {
    const log = join(tempDir('ngrok'), 'log');
    const listen = await startListen(['--forward', app.url, '--tunnel', 'ngrok', '--domain', 'my-app.ngrok-free.app'], { ...env, HOOKS_NGROK_MODULE: FAKE_NGROK, NGROK_AUTHTOKEN: 'ngrok-token', FAKE_NGROK_LOG: log });
    expect(JSON.parse(readFileSync(log, 'utf8').trim())).toEqual({ addr: listen.localUrl, domain: 'my-app.ngrok-free.app', authtoken: 'ngrok-token', onStatusChange: 'function' });
    expect(listen.events.find((e) => e.type === 'tunnel.url')).toMatchObject({ tunnel: 'ngrok (my-app.ngrok-free.app)' });
    await deliverThrough(listen);
    await listen.stop('SIGINT');
  });

  it('without NGROK_AUTHTOKEN, or without the agent, exits 2 saying how to fix it and naming the alternatives', async () => {
    const noToken = await runCli(['listen', '--forward', '3000', '--tunnel', 'ngrok'], { env: { ...env, HOOKS_NGROK_MODULE: FAKE_NGROK } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('NGROK_AUTHTOKEN');
    expect(noToken.stderr).toContain('dashboard.ngrok.com');
    const noAgent = await runCli(['listen', '--forward', '3000', '--tunnel', 'ngrok'], { env: { ...env, HOOKS_NGROK_MODULE: '/nonexistent/ngrok.mjs', NGROK_AUTHTOKEN: 't' } });
    expect(noAgent.code).toBe(2);
    expect(noAgent.stderr).toContain('@ngrok/ngrok');
    for (const r of [noToken, noAgent]) for (const alternative of ['--tunnel cloudflared', '--tunnel none', '--public-url']) expect(r.stderr).toContain(alternative);
  });
});

describe('--public-url (a tunnel the user runs): probed, reported, never restarted', () => {
  it('says when it stops carrying traffic, once, and keeps taking deliveries', async () => {
    const { startLoopbackProxy } = (await import('../../helpers/loopback-proxy.mjs')) as { startLoopbackProxy(target: string, silent: string): Promise<{ url: string; close(): Promise<void> }> };
    const silent = join(tempDir('pub'), 'silent');
    // The user's tunnel: a proxy to the session's fixed local port.
    const port = await freePort();
    const proxy = await startLoopbackProxy(`http://127.0.0.1:${port}`, silent);
    try {
      const listen = await startListen(['--forward', app.url, '--port', String(port), '--no-subscribe', '--probe-interval', '300ms', '--probe-grace', '0s', '--public-url', proxy.url], env);
      await listen.waitForEvent((e) => e.type === 'tunnel.probe' && e.ok);
      writeFileSync(silent, '');
      await listen.waitForEvent((e) => e.type === 'tunnel.unhealthy');
      await listen.waitForEvent(() => listen.events.filter((x) => x.type === 'tunnel.probe' && !x.ok).length >= 4);
      expect(listen.events.filter((e) => e.type === 'tunnel.unhealthy')).toHaveLength(1);
      expect(listen.events.some((e) => e.type === 'tunnel.restarting')).toBe(false);
      const body = Buffer.from('{"type":"user.created"}');
      expect((await rawPost(`${listen.localUrl}/`, body, [])).status).toBe(200);
      await listen.stop('SIGINT');
    } finally {
      await proxy.close();
    }
  });
});

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  const port = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  return port;
}
