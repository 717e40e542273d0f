import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';

/** Tables fit the terminal (COLUMNS when stdout is not one), cut with an ellipsis; --json keeps every value whole. */
let server: HooksServer;
let env: Record<string, string | undefined>;
const longUrl = 'http://127.0.0.1:9/webhooks/a-rather-long-path/that-tells-subscriptions-apart/ithbat';
beforeAll(async () => {
  server = await startHooksServer();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, CI: 'true' };
  for (const name of ['first receiver with a long descriptive name', 'second']) {
    await runCli(['subs', 'create', '--provider', 'ithbat', '--url', longUrl, '--events', '*', '--name', name], { env });
  }
});
afterAll(async () => {
  await server.kill9();
});

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('output fits the terminal', () => {
  it.each([
    [['subs', 'list'], 80],
    [['subs', 'list'], 100],
    [['providers', 'list'], 80],
    [['trigger', '--list', '--provider', 'ithbat'], 72],
  ])('%j within %i columns', async (args, columns) => {
    const r = await runCli(args, { env: { ...env, COLUMNS: String(columns) } });
    expect(r.code, r.stderr).toBe(0);
    expect(widest(r.stdout), r.stdout).toBeLessThanOrEqual(columns);
  });

  it('cuts with an ellipsis, and keeps the URL whole in --json', async () => {
    const cut = await runCli(['subs', 'list'], { env: { ...env, COLUMNS: '80' } });
    expect(cut.stdout).toContain('…');
    const json = await runCli(['subs', 'list', '--json'], { env: { ...env, COLUMNS: '80' } });
    expect(JSON.parse(json.stdout).map((s: { url: string }) => s.url)).toContain(longUrl);
  });

  it('keeps its natural width where no width is known', async () => {
    const r = await runCli(['subs', 'list'], { env: { ...env, COLUMNS: undefined } });
    expect(r.stdout).toContain(longUrl);
  });
});

describe('a URL cut to fit', () => {
  it('keeps its host and the end of its path (120 columns: the terminal the first-hour test used)', async () => {
    const r = await runCli(['subs', 'list'], { env: { ...env, COLUMNS: '120' } });
    expect(widest(r.stdout)).toBeLessThanOrEqual(120);
    expect(r.stdout).toMatch(/http:\/\/127\.0\.0\.1:9\/…\S*\/ithbat /);
  });
});
