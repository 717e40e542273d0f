import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startReceiver } from '../../helpers/receiver.js';

let server: HooksServer;
let env: Record<string, string | undefined>;
let deadUrl: string;
beforeAll(async () => {
  server = await startHooksServer();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined };
  const dead = await startReceiver();
  deadUrl = `${dead.url}/webhooks`;
  await dead.close();
});
afterAll(() => server.kill9());

describe('a WebSub (Asgardeo) subscription that is not active yet', () => {
  it('says what activation needs and the exact command, on create, on a failed enable, and when a trigger reaches nobody', async () => {
    const created = await runCli(['subs', 'create', '--provider', 'asgardeo', '--url', deadUrl, '--events', 'login.*', '--name', 'as'], { env });
    expect(created.code, created.stderr).toBe(0);
    const id = /Created (sub_\w+)/.exec(created.stdout)![1]!;
    expect(created.stdout).toContain(`to activate  its receiver must answer GET requests that carry hub.mode and hub.challenge with 200 and exactly the hub.challenge value as a text/plain body (hooks listen does it for you); then: hooks subs enable ${id}`);

    const enable = await runCli(['subs', 'enable', id], { env });
    expect(enable.code).toBe(1);
    expect(enable.stderr).toContain('the subscription stays inactive. To be activated, its receiver must answer GET requests that carry hub.mode');
    expect(enable.stderr).toContain(`then: hooks subs enable ${id}`);
    expect(enable.stderr).not.toContain('--active');

    const trigger = await runCli(['trigger', 'login.loginSuccess', '--provider', 'asgardeo'], { env });
    expect(trigger.code).toBe(1);
    expect(trigger.stderr).toContain(`${id} matches but is inactive: its receiver must answer`);
    expect(trigger.stderr).not.toContain('create one');
  });
});
