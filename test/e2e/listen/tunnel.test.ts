import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';

const FAKE = fileURLToPath(new URL('../../helpers/fake-cloudflared.mjs', import.meta.url));
let server: HooksServer;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  server = await startHooksServer();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined };
});
afterAll(() => server.kill9());

describe('cloudflared quick tunnel (a fake binary via CLOUDFLARED_BIN)', () => {
  it('reads the tunnel URL, points the session subscription at it, and stops the tunnel on exit', async () => {
    const args = join(tempDir('cf'), 'args');
    const listen = await startListen(['--forward', '3000'], { ...env, CLOUDFLARED_BIN: FAKE, FAKE_CLOUDFLARED_ARGS: args });
    expect(listen.publicUrl).toMatch(/^https:\/\/[a-z0-9-]+\.trycloudflare\.com$/);
    const argv = JSON.parse(readFileSync(args, 'utf8').trim().split('\n')[0]!);
    expect(argv).toEqual(['tunnel', '--url', listen.localUrl]);
    const sub = await server.api('GET', `/webhooks/subscriptions/${listen.subscriptionId}`);
    expect(sub.json.url).toBe(`${listen.publicUrl}/`);
    expect(await listen.stop('SIGINT')).toBe(0);
  });

  it('restarts a dead tunnel with backoff, prints the new URL and updates the subscription', async () => {
    const state = join(tempDir('cf'), 'state');
    const listen = await startListen(['--forward', '3000'], { ...env, CLOUDFLARED_BIN: FAKE, FAKE_CLOUDFLARED_STATE: state, FAKE_CLOUDFLARED_DIE_MS: '300', FAKE_CLOUDFLARED_DIE_RUNS: '1' });
    const first = listen.publicUrl;
    const restarting = await listen.waitForEvent((e) => e.type === 'tunnel.restarting');
    expect(restarting).toMatchObject({ attempt: 1, delay_ms: 1000 });
    const renewed = await listen.waitForEvent((e) => e.type === 'tunnel.url' && e.restarted === true);
    expect(renewed.url).not.toBe(first);
    await listen.waitForEvent((e) => e.type === 'subscription.updated');
    const sub = await server.api('GET', `/webhooks/subscriptions/${listen.subscriptionId}`);
    expect(sub.json.url).toBe(`${renewed.url}/`);
    await listen.stop('SIGINT');
  });

  it('says how to install cloudflared and names the alternatives when the binary is missing (exit 3)', async () => {
    const r = await runCli(['listen', '--forward', '3000'], { env: { ...env, CLOUDFLARED_BIN: '/nonexistent/cloudflared', PATH: '/usr/bin:/bin' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cloudflared binary is not installed');
    expect(r.stderr).toContain('--tunnel none');
    expect(r.stderr).toContain('--public-url');
  });
});
