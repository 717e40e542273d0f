import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, tempDir, type HooksServer } from '../../helpers/hooks-server.js';

let servers: HooksServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.kill9()));
  servers = [];
});
const track = (s: HooksServer) => (servers.push(s), s);
const serverJson = (configDir: string) => JSON.parse(readFileSync(join(configDir, 'server.json'), 'utf8'));
const cliEnv = (configDir: string) => ({ HOOKS_CONFIG_DIR: configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SERVER_TOKEN: undefined });

describe('one hooks server per data dir', () => {
  it('refuses a second server on the same data dir (exit 2), naming the running one, and leaves server.json to it', async () => {
    const first = track(await startHooksServer());
    await first.api('POST', '/webhooks/subscriptions', { name: 'kept', url: 'http://127.0.0.1:9/in', events: ['*'] });
    const before = readFileSync(join(first.configDir, 'server.json'), 'utf8');
    const second = await runCli(['server', '--port', '0', '--data-dir', first.dataDir, '--token', first.token], { env: cliEnv(first.configDir) });
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toContain(`another hooks server (pid ${first.proc.pid}, ${first.url}) is using the data dir ${first.dataDir}`);
    expect(second.stderr).toContain('--database postgres://');
    expect(readFileSync(join(first.configDir, 'server.json'), 'utf8')).toBe(before);
    // The first goes on as before, and the CLI still finds it.
    const list = await runCli(['subs', 'list', '--json'], { env: cliEnv(first.configDir) });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((s: { name: string }) => s.name)).toEqual(['kept']);
  });

  it('starts again on the data dir of a server killed with kill -9 (the lock dies with its process)', async () => {
    const dataDir = tempDir('data');
    const first = await startHooksServer({ dataDir });
    await first.kill9();
    const again = track(await startHooksServer({ dataDir }));
    expect(again.ready.data_dir).toBe(dataDir);
  });
});

describe('the CLI and doctor name the live server', () => {
  it('a server on another data dir that stops hands server.json back to the one still running', async () => {
    const configDir = tempDir('config');
    const first = track(await startHooksServer({ configDir }));
    const second = track(await startHooksServer({ configDir }));
    expect(serverJson(configDir)).toMatchObject({ url: second.url, pid: second.proc.pid });
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(serverJson(configDir)).toMatchObject({ url: first.url, pid: first.proc.pid, data_dir: first.dataDir });
    const list = await runCli(['subs', 'list', '--json'], { env: cliEnv(configDir) });
    expect(list.code, list.stderr).toBe(0);
    const doctor = await runCli(['doctor', '--json'], { env: { ...cliEnv(configDir), HOOKS_DATA_DIR: tempDir('data') } });
    const api = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'api');
    expect(api).toMatchObject({ ok: true, detail: expect.stringContaining(first.url) });
    expect(api.detail).toContain(`pid ${first.proc.pid}`);
  });

  it('says when the server that server.json names is no longer running', async () => {
    const s = await startHooksServer();
    await s.kill9();
    const r = await runCli(['subs', 'list'], { env: cliEnv(s.configDir) });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`the hooks server at ${s.url} (pid ${s.proc.pid}) is no longer running`);
    const doctor = await runCli(['doctor', '--json'], { env: { ...cliEnv(s.configDir), HOOKS_DATA_DIR: tempDir('data') } });
    expect(JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'api')).toMatchObject({ ok: false, detail: expect.stringContaining('no longer running') });
  });
});
