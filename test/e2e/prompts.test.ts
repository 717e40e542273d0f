import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startHooksServer, tempDir, type HooksServer } from '../helpers/hooks-server.js';
import { KEY, runInPty } from '../helpers/pty.js';

let s: HooksServer;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  s = await startHooksServer();
  env = { HOOKS_CONFIG_DIR: s.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined };
});
afterAll(() => s.kill9());

describe('prompts on a terminal', () => {
  it('asks for URL, provider, events (from the API) and name', async () => {
    const r = await runInPty(
      ['subs', 'create'],
      [
        { expect: 'Receiver URL', send: `http://127.0.0.1:4999/pty${KEY.enter}` },
        // ithbat, intelliauth, asgardeo, scalekit, scalekit-standard, lmif: five downs.
        { expect: 'Provider', send: `${KEY.down}${KEY.down}${KEY.down}${KEY.down}${KEY.down}${KEY.enter}` },
        { expect: 'Events', send: KEY.down },
        { expect: 'box.*', send: `${KEY.space}${KEY.enter}` },
        { expect: 'Name', send: `pty-made${KEY.enter}` },
      ],
      env,
    );
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/Created sub_\w+ "pty-made"/);
    expect(r.output).toContain('will not be shown again');
    const list = JSON.parse((await runCli(['subs', 'list', '--json'], { env })).stdout);
    expect(list.find((x: { name: string }) => x.name === 'pty-made')).toMatchObject({ provider: 'lmif', events: ['box.*'], url: 'http://127.0.0.1:4999/pty' });
  });

  it('validates the URL at the prompt', async () => {
    const r = await runInPty(
      ['subs', 'create', '--events', '*', '--name', 'v'],
      [
        { expect: 'Receiver URL', send: `\u0015not a url${KEY.enter}` },
        { expect: 'not a URL', send: `\u0015http://127.0.0.1:4999/ok${KEY.enter}` },
      ],
      env,
    );
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Created');
  });

  it('confirms before deleting, and keeps it on "no"', async () => {
    const sub = JSON.parse((await runCli(['subs', 'create', '--url', 'http://127.0.0.1:4999/', '--events', '*', '--name', 'to-delete', '--json'], { env })).stdout);
    const no = await runInPty(['subs', 'delete', sub.id], [{ expect: 'Delete', send: `n${KEY.enter}` }], env);
    expect(no.code).toBe(1);
    expect(no.output).toContain('not deleted');
    const yes = await runInPty(['subs', 'delete', sub.id], [{ expect: 'Delete', send: `y${KEY.enter}` }], env);
    expect(yes.code, yes.output).toBe(0);
    expect(yes.output).toContain(`Deleted ${sub.id}`);
  });

  it('asks for the login token with masked input', async () => {
    const configDir = tempDir('config');
    const r = await runInPty(['login', '--api-url', s.url], [{ expect: 'API token', send: `${s.token}${KEY.enter}` }], { ...env, HOOKS_CONFIG_DIR: configDir });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('Logged in');
    expect(r.output).not.toContain(s.token);
    expect(r.output).toContain('*'.repeat(8));
  });
});
