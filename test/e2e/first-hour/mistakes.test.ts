import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';

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
