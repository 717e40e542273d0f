import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startHooksServer, tempDir, type HooksServer } from '../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

let s: HooksServer;
let receiver: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  // The server records its URL and token in this config dir; the CLI finds them there with no flags.
  s = await startHooksServer({ args: ['--time-scale', '0.001'] });
  receiver = await startReceiver((req) => (req.url === '/fail' ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' }));
  env = { HOOKS_CONFIG_DIR: s.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_PROFILE: undefined, CI: 'true' };
});
afterAll(async () => {
  await s.kill9();
  await receiver.close();
});

const hooks = (...args: string[]) => runCli(args, { env });
const json = async (...args: string[]) => {
  const r = await hooks(...args, '--json');
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('hooks subscriptions (against a real hooks server, found through its server.json)', () => {
  it('creates with flags and prints the secret once, with the warning line', async () => {
    const r = await hooks('subs', 'create', '--url', `${receiver.url}/a`, '--events', 'user.*,session.created', '--name', 'table-made', '--description', 'made by a test');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created sub_\w+ "table-made"/);
    expect(r.stdout).toMatch(/secret +whsec_/);
    expect(r.stdout).toContain('will not be shown again');
    const id = r.stdout.match(/sub_\w+/)![0];
    const got = await hooks('subs', 'get', id);
    expect(got.stdout).toContain('made by a test');
    expect(got.stdout).not.toContain('whsec_');
  });

  it('creates with --json: the API object with signing_secret', async () => {
    const sub = await json('subscriptions', 'create', '--url', `${receiver.url}/b`, '--events', '*', '--name', 'json-made', '--provider', 'ithbat', '--secret', 'my-ithbat-secret');
    expect(sub).toMatchObject({ name: 'json-made', provider: 'ithbat', signing_secret: 'my-ithbat-secret', active: true });
  });

  it('lists as a table and as JSON', async () => {
    const table = await hooks('subs', 'list');
    expect(table.code).toBe(0);
    for (const col of ['ID', 'NAME', 'URL', 'EVENTS', 'PROVIDER', 'ACTIVE', 'LAST DELIVERY']) expect(table.stdout).toContain(col);
    expect(table.stdout).toContain('json-made');
    const list = await json('subs', 'list');
    expect(list.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['table-made', 'json-made']));
    expect(JSON.stringify(list)).not.toContain('signing_secret');
  });

  it('updates, disables, enables and rotates', async () => {
    const sub = await json('subs', 'create', '--url', `${receiver.url}/c`, '--events', '*', '--name', 'upd');
    const updated = await json('subs', 'update', sub.id, '--events', 'user.created', '--name', 'upd2');
    expect(updated).toMatchObject({ name: 'upd2', events: ['user.created'] });
    expect(await json('subs', 'disable', sub.id)).toMatchObject({ active: false });
    const enabled = await hooks('subs', 'enable', sub.id);
    expect(enabled.stdout).toContain('Enabled');
    const rotated = await hooks('subs', 'rotate-secret', sub.id);
    expect(rotated.stdout).toMatch(/secret +whsec_/);
    expect(rotated.stdout).toContain('old secret also signs');
    const nothing = await hooks('subs', 'update', sub.id);
    expect(nothing.code).toBe(2);
  });

  it('tests a subscription: exit 0 on success, 1 with the response on failure', async () => {
    const good = await json('subs', 'create', '--url', `${receiver.url}/ok`, '--events', '*', '--name', 'ok');
    const r = await hooks('subs', 'test', good.id);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/attempt 1: 200/);
    const bad = await json('subs', 'create', '--url', `${receiver.url}/fail`, '--events', '*', '--name', 'fail');
    const f = await hooks('subs', 'test', bad.id);
    expect(f.code).toBe(1);
    expect(f.stdout).toContain('500');
    expect(f.stdout).toContain('boom');
    expect(f.stdout).toContain('next retry');
    const fj = await hooks('subs', 'test', bad.id, '--json');
    expect(fj.code).toBe(1);
    expect(JSON.parse(fj.stdout).delivery.attempts[0].status_code).toBe(500);
  });

  it('shows the delivery feed and retries a delivery', async () => {
    const sub = await json('subs', 'create', '--url', `${receiver.url}/feed`, '--events', '*', '--name', 'feed');
    await json('subs', 'test', sub.id);
    const table = await hooks('subs', 'deliveries', sub.id);
    for (const col of ['TIME', 'EVENT', 'ATTEMPT', 'STATUS', 'DURATION', 'NEXT RETRY']) expect(table.stdout).toContain(col);
    // Standard Webhooks names no test event: the test sends a sample of the first type the subscription receives.
    expect(table.stdout).toContain('user.created');
    const feed = await json('subs', 'deliveries', sub.id, '--limit', '5');
    expect(feed[0].attempts).toHaveLength(1);
    const retried = await hooks('subs', 'retry', feed[0].id);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(/attempt 2: 200/);
  });

  it('deletes with --yes, and refuses without it when not interactive', async () => {
    const sub = await json('subs', 'create', '--url', `${receiver.url}/d`, '--events', '*', '--name', 'del');
    const refused = await hooks('subs', 'delete', sub.id);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(await json('subs', 'delete', sub.id, '--yes')).toEqual({ id: sub.id, deleted: true });
    const gone = await hooks('subs', 'get', sub.id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('no subscription with id');
  });

  it('never prompts in scripts: a missing value is a usage error naming the flags', async () => {
    const r = await hooks('subs', 'create', '--url', `${receiver.url}/x`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing --events, --name');
    const j = await hooks('subs', 'create', '--json');
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toContain('missing --url, --events, --name');
  });

  it('reports an event type typo as a usage error (exit 2, as trigger does), with the did-you-mean and the flag', async () => {
    const r = await hooks('subs', 'create', '--url', `${receiver.url}/x`, '--events', 'user.creatd', '--name', 'typo');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "user.created"');
    expect(r.stderr).toContain('--events');
    const j = await hooks('subs', 'create', '--url', `${receiver.url}/x`, '--events', 'user.creatd', '--name', 'typo', '--json');
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'unknown_event_type' });
  });

  it('exits 3 when the API is unreachable, and 1 when it rejects the token', async () => {
    const down = await runCli(['subs', 'list', '--api-url', 'http://127.0.0.1:9'], { env });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("cannot reach the API at http://127.0.0.1:9: start one with 'hooks server' or pass --api-url");
    const secretToken = 'wrong-token-that-must-not-leak';
    const rejected = await runCli(['subs', 'list'], { env: { ...env, HOOKS_API_TOKEN: secretToken } });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain("the API rejected the token: run 'hooks login'");
    expect(rejected.stdout + rejected.stderr).not.toContain(secretToken);
  });

  it('bounds the wait with --api-timeout and says so', async () => {
    const hang = await startReceiver(() => new Promise(() => undefined));
    const r = await runCli(['subs', 'list', '--api-url', hang.url, '--api-timeout', '300ms'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('did not answer within 300 ms');
    await hang.close();
  });
});

describe('hooks login and hooks config', () => {
  it('checks the token, stores it 0600 in a profile, and the CLI uses it', async () => {
    const configDir = tempDir('config');
    const cfgEnv = { ...env, HOOKS_CONFIG_DIR: configDir };
    const bad = await runCli(['login', '--api-url', s.url], { env: cfgEnv, input: 'not-the-token' });
    expect(bad.code).toBe(1);
    // Not "run hooks login" to someone running it: what to check instead.
    expect(bad.stderr).toContain('rejected this token; nothing was stored');
    expect(bad.stderr).toContain('HOOKS_SERVER_TOKEN');
    expect(bad.stderr).not.toContain("run 'hooks login'");
    const ok = await runCli(['login', '--api-url', s.url, '--profile', 'local'], { env: cfgEnv, input: `${s.token}\n` });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('profile "local"');
    expect(ok.stdout).not.toContain(s.token);
    const { statSync, readFileSync } = await import('node:fs');
    expect(statSync(`${configDir}/config.json`).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(`${configDir}/config.json`, 'utf8'))).toMatchObject({ active_profile: 'local', profiles: { local: { api_url: s.url, token: s.token } } });
    const listed = await runCli(['subs', 'list', '--json'], { env: cfgEnv });
    expect(listed.code).toBe(0);
    const cfg = await runCli(['config', 'list'], { env: cfgEnv });
    expect(cfg.stdout).toContain('* local');
    expect(cfg.stdout).not.toContain(s.token);
    const token = await runCli(['config', 'get', 'token'], { env: cfgEnv });
    expect(token.stdout.trim()).toBe(`${s.token.slice(0, 4)}…${s.token.slice(-4)}`);
  });

  it('sets, switches and unsets profile values', async () => {
    const cfgEnv = { ...env, HOOKS_CONFIG_DIR: tempDir('config') };
    expect((await runCli(['config', 'set', 'api_url', 'http://127.0.0.1:9', '--profile', 'dead'], { env: cfgEnv })).code).toBe(0);
    expect((await runCli(['config', 'set', 'token', '-', '--profile', 'dead'], { env: cfgEnv, input: 'tok-from-stdin' })).code).toBe(0);
    expect((await runCli(['config', 'get', 'api_url', '--profile', 'dead'], { env: cfgEnv })).stdout.trim()).toBe('http://127.0.0.1:9');
    const viaProfile = await runCli(['subs', 'list', '--profile', 'dead'], { env: cfgEnv });
    expect(viaProfile.code).toBe(3);
    expect(viaProfile.stderr).toContain('profile dead');
    expect((await runCli(['config', 'set', 'api_url', 'not a url'], { env: cfgEnv })).code).toBe(2);
    expect((await runCli(['config', 'set', 'colour', 'x'], { env: cfgEnv })).code).toBe(2);
    expect((await runCli(['config', 'unset', 'api_url', '--profile', 'dead'], { env: cfgEnv })).code).toBe(0);
    expect((await runCli(['config', 'unset', 'token', '--profile', 'dead'], { env: cfgEnv })).code).toBe(0);
    const list = JSON.parse((await runCli(['config', 'list', '--json'], { env: cfgEnv })).stdout);
    expect(list.profiles).toEqual({});
    const missing = await runCli(['subs', 'list', '--profile', 'nope'], { env: cfgEnv });
    expect(missing.code).toBe(2);
  });

  it('prefers flags over env over profile over the local server', async () => {
    const cfgEnv = { ...env, HOOKS_CONFIG_DIR: s.configDir, HOOKS_API_URL: 'http://127.0.0.1:9' };
    const envWins = await runCli(['subs', 'list'], { env: cfgEnv });
    expect(envWins.stderr).toContain('HOOKS_API_URL');
    const flagWins = await runCli(['subs', 'list', '--api-url', s.url, '--token', s.token], { env: cfgEnv });
    expect(flagWins.code).toBe(0);
  });
});
