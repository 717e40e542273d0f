import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';

let server: HooksServer;
beforeAll(async () => {
  server = await startHooksServer();
});
afterAll(() => server.kill9());

const base = { HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, CLOUDFLARED_BIN: undefined, PATH: '/usr/bin:/bin', NGROK_AUTHTOKEN: undefined, HOOKS_NGROK_MODULE: undefined };

describe('hooks doctor', () => {
  it('passes with a running server, says which token it used, and lists a running listen session', async () => {
    const env = { ...base, HOOKS_CONFIG_DIR: server.configDir, HOOKS_DATA_DIR: tempDir('data') };
    const listen = await startListen(['--forward', '3000', '--tunnel', 'none', '--no-subscribe'], env);
    try {
      const r = await runCli(['doctor'], { env });
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toMatch(/✓ Node \d+\.\d+\.\d+/);
      expect(r.stdout).toContain(`✓ API ${server.url} answers with the token the CLI uses (from the local hooks server)`);
      expect(r.stdout).toContain(`listen (pid ${listen.proc.pid}) ${listen.publicUrl}`);
      expect(r.stdout).toContain('✗ cloudflared: not installed');
      expect(r.stdout).toContain('Ready to go.');
      const json = JSON.parse((await runCli(['doctor', '--json'], { env })).stdout);
      expect(json.ok).toBe(true);
      expect(json.checks.map((c: { id: string }) => c.id)).toEqual(['node', 'config', 'store', 'api', 'cloudflared', 'ngrok', 'listen', 'mcp']);
      // The agent is an optional dependency (npm may skip it); the token is not set either way.
      expect(json.checks.find((c: { id: string }) => c.id === 'ngrok')).toMatchObject({ ok: false, required: false, detail: expect.stringMatching(/NGROK_AUTHTOKEN is not set|not installed/) });
      expect(json.checks.find((c: { id: string }) => c.id === 'cloudflared')).toMatchObject({ ok: false, required: false, fix: expect.stringContaining('--tunnel none') });
    } finally {
      await listen.stop('SIGINT');
    }
    const after = JSON.parse((await runCli(['doctor', '--json'], { env })).stdout);
    expect(after.checks.find((c: { id: string }) => c.id === 'listen')).toMatchObject({ ok: false, detail: 'no hooks listen session is running' });
  });

  it('fails (exit 1) without a server, with the fix on the next line', async () => {
    const env = { ...base, HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_DATA_DIR: tempDir('data') };
    const r = await runCli(['doctor'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ cannot reach the API at http:\/\/127\.0\.0\.1:8787.*\n {4}fix: connection refused/);
    expect(JSON.parse((await runCli(['doctor', '--json'], { env })).stdout)).toMatchObject({ ok: false });
  });

  it('flags a config file others can read, and says how to fix it', async () => {
    const configDir = tempDir('config');
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'config.json'), '{"profiles":{}}');
    chmodSync(join(configDir, 'config.json'), 0o644);
    const r = await runCli(['doctor', '--json', '--api-url', server.url, '--token', server.token], { env: { ...base, HOOKS_CONFIG_DIR: configDir, HOOKS_DATA_DIR: tempDir('data') } });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'config')).toMatchObject({ ok: false, fix: `chmod go-rwx ${join(configDir, 'config.json')}` });
  });
});
