import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, tempDir, type HooksServer } from '../../helpers/hooks-server.js';
import { spawn } from 'node:child_process';
import { HOOKS_BIN } from '../../helpers/cli.js';

let servers: HooksServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.kill9()));
  servers = [];
});

describe('hooks server lifecycle', () => {
  it('prints its URL and data location, and picks a free port with --port 0', async () => {
    const s = await startHooksServer();
    servers.push(s);
    const ready = s.events[0]!;
    expect(ready).toMatchObject({ type: 'server.ready', data_dir: s.dataDir, database: join(s.dataDir, 'server.db') });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.url).not.toMatch(/:0$/);
  });

  it('creates a token on first start, stores it 0600 for the CLI, and reuses it', async () => {
    const configDir = tempDir('config');
    const dataDir = tempDir('data');
    const start = () =>
      new Promise<{ proc: ReturnType<typeof spawn>; ready: any }>((resolve) => {
        const proc = spawn(process.execPath, [HOOKS_BIN, 'server', '--port', '0', '--json', '--data-dir', dataDir], { env: { ...process.env, HOOKS_CONFIG_DIR: configDir, HOOKS_SERVER_TOKEN: undefined } });
        proc.stdout!.once('data', (c: Buffer) => resolve({ proc, ready: JSON.parse(c.toString().split('\n')[0]!) }));
      });
    const first = await start();
    const file = join(configDir, 'server.json');
    expect(first.ready).toMatchObject({ token_file: file, token_created: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'server.db')).mode & 0o777).toBe(0o600);
    const stored = JSON.parse((await import('node:fs')).readFileSync(file, 'utf8'));
    expect(stored.token).toMatch(/^hk_/);
    expect(JSON.stringify(first.ready)).not.toContain(stored.token);
    const ok = await fetch(`${stored.url}/api/v1/webhooks/subscriptions`, { headers: { authorization: `Bearer ${stored.token}` } });
    expect(ok.status).toBe(200);
    first.proc.kill('SIGKILL');
    const second = await start();
    expect(second.ready.token_created).toBe(false);
    expect(JSON.parse((await import('node:fs')).readFileSync(file, 'utf8')).token).toBe(stored.token);
    second.proc.kill('SIGKILL');
  });

  it('answers 401 without or with a wrong token, except /healthz', async () => {
    const s = await startHooksServer();
    servers.push(s);
    const none = await fetch(`${s.url}/api/v1/webhooks/subscriptions`);
    expect(none.status).toBe(401);
    expect((await none.json()).error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') });
    const wrong = await s.api('GET', '/webhooks/subscriptions', undefined, { status: 401, headers: { authorization: 'Bearer nope' } });
    expect(wrong.json.error.message).toContain('rejected the token');
    const health = await fetch(`${s.url}/api/v1/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('stops on SIGTERM and SIGINT with exit 0', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const s = await startHooksServer();
      expect(await s.stop(signal)).toBe(0);
      expect(s.events.map((e) => e.type)).toEqual(expect.arrayContaining(['server.stopping', 'server.stopped']));
    }
  });

  it('refuses a short or empty --token (exit 2)', async () => {
    for (const token of ['', 'short']) {
      const r = await runCli(['server', '--port', '0', '--data-dir', tempDir('data'), '--token', token], { env: { HOOKS_CONFIG_DIR: tempDir('config') } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('at least 16 characters');
    }
  });

  it('says how to fix a port in use: a usage error (exit 2), as for listen', async () => {
    const s = await startHooksServer();
    servers.push(s);
    const port = new URL(s.url).port;
    const r = await runCli(['server', '--port', port, '--data-dir', tempDir('data'), '--token', 'a-long-enough-token'], { env: { HOOKS_CONFIG_DIR: tempDir('config') } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port 0');
  });
});
