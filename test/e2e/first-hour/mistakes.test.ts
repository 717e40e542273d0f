import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startReceiver } from '../../helpers/receiver.js';

/** The smaller first-hour mistakes: each gets one message that says what to do, once. */
let server: HooksServer;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  server = await startHooksServer();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, CI: 'true' };
});
afterAll(async () => {
  await server.kill9();
});

const count = (text: string, part: string) => text.split(part).length - 1;

describe('first-hour mistakes', () => {
  it('a mistyped event type: one did-you-mean, one pointer to the list', async () => {
    const r = await runCli(['trigger', 'user.creatd'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "user.created"?');
    expect(count(r.stderr, 'trigger --list'), r.stderr).toBe(1);
  });
});

describe('a mistyped provider', () => {
  it('subs create --provider ithbt: exit 2 with the closest provider', async () => {
    const r = await runCli(['subs', 'create', '--provider', 'ithbt', '--url', 'http://127.0.0.1:9/x', '--events', '*', '--name', 'x'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "ithbat"?');
  });
});

describe('deleting a subscription its platform keeps until it is deactivated', () => {
  it('names the command that deactivates it, on stderr and in the JSON error', async () => {
    // A WebSub receiver that answers every challenge, so the subscription can be active.
    const hub = await startReceiver((q) => ({ status: 200, body: new URL(q.url, 'http://x').searchParams.get('hub.challenge') ?? '' }));
    try {
      const created = JSON.parse((await runCli(['subs', 'create', '--provider', 'asgardeo', '--url', `${hub.url}/hub`, '--events', '*', '--name', 'as', '--json'], { env })).stdout) as { id: string };
      expect((await runCli(['subs', 'enable', created.id], { env })).code).toBe(0);
      const r = await runCli(['subs', 'delete', created.id, '--yes'], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`hooks subs disable ${created.id}`);
      expect(r.stderr).not.toContain('PATCH');
      const j = await runCli(['subs', 'delete', created.id, '--yes', '--json'], { env });
      expect(JSON.parse(j.stdout).error.hint).toContain(`hooks subs disable ${created.id}`);
    } finally {
      await hub.close();
    }
  });
});
