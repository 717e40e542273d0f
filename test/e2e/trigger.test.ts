import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../src/core/providers/verification.js';
import { runCli } from '../helpers/cli.js';
import { startHooksServer, tempDir, type HooksServer } from '../helpers/hooks-server.js';
import { KEY, runInPty } from '../helpers/pty.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

let server: HooksServer;
let app: Receiver;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver((req) => (req.url === '/created' ? { status: 201 } : req.url === '/fail' ? { status: 500, body: 'nope' } : { status: 200, body: 'thanks' }));
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
});
afterAll(async () => {
  await server.kill9();
  await app.close();
});
const hooks = (args: string[], input?: string) => runCli(args, { env, input });

describe('hooks trigger through the API', () => {
  it('prints the event and each first attempt; exit 0 when all succeeded', async () => {
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'ok', url: `${app.url}/api-ok`, events: ['user.*'], provider: 'scalekit' });
    const r = await hooks(['trigger', 'user.created', '--provider', 'scalekit']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('user.created');
    expect(r.stdout).toMatch(new RegExp(`✓ ${sub.json.id} scalekit +200 in [\\d.]+ ms`));
    const got = app.requests.filter((q) => q.url === '/api-ok').at(-1)!;
    expect(verifyDelivery({ provider: 'scalekit', body: got.body, headers: got.headers as Record<string, string>, secret: sub.json.signing_secret }).valid).toBe(true);
  });

  it('exits 1 when a first attempt fails, showing the answer', async () => {
    await server.api('POST', '/webhooks/subscriptions', { name: 'fail', url: `${app.url}/fail`, events: ['box.*'], provider: 'lmif' });
    const r = await hooks(['trigger', 'box.created', '--provider', 'lmif']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('500');
    expect(r.stdout).toContain('nope');
  });

  it('applies --set and --data to the data object', async () => {
    await server.api('POST', '/webhooks/subscriptions', { name: 'set', url: `${app.url}/set`, events: ['session.*'], provider: 'github' });
    const r = await hooks(['trigger', 'session.created', '--provider', 'github', '--set', 'data.user_id=user_fixed', '--set', 'data.meta.tags=["a","b"]', '--set', 'data.meta.count=3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const event = JSON.parse(r.stdout);
    expect(event.data).toMatchObject({ user_id: 'user_fixed', meta: { tags: ['a', 'b'], count: 3 }, session_id: expect.stringMatching(/^sess_/) });
    const body = JSON.parse(app.requests.filter((q) => q.url === '/set').at(-1)!.body.toString());
    expect(body.data.user_id).toBe('user_fixed');

    const file = join(tempDir('data'), 'd.json');
    writeFileSync(file, '{"from":"file"}');
    expect(JSON.parse((await hooks(['trigger', 'session.revoked', '--provider', 'github', '--data', `@${file}`, '--json'])).stdout).data).toEqual({ from: 'file' });
    expect(JSON.parse((await hooks(['trigger', 'session.revoked', '--provider', 'github', '--data', '-', '--json'], '{"from":"stdin"}')).stdout).data).toEqual({ from: 'stdin' });
    expect(JSON.parse((await hooks(['trigger', 'session.revoked', '--provider', 'github', '--data', '{"from":"inline"}', '--json'])).stdout).data).toEqual({ from: 'inline' });
    const bad = await hooks(['trigger', 'session.revoked', '--data', '{nope']);
    expect(bad.code).toBe(2);
  });

  it('makes fresh, realistic fixtures for every event', async () => {
    const a = JSON.parse((await hooks(['trigger', 'user.created', '--provider', 'ithbat', '--json'])).stdout);
    const b = JSON.parse((await hooks(['trigger', 'user.created', '--provider', 'ithbat', '--json'])).stdout);
    expect(a.id).toMatch(/^evt_/);
    expect(a.id).not.toBe(b.id);
    expect(a.data.user.email).toMatch(/^[a-z.]+\d+@[a-z.]+$/);
    expect(a.data.user.id).not.toBe(b.data.user.id);
  });

  it('refuses unknown types with the closest known ones (exit 2), with or without --provider', async () => {
    for (const args of [['trigger', 'user.craeted'], ['trigger', 'user.craeted', '--provider', 'ithbat']]) {
      const r = await hooks(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('did you mean "user.created"');
    }
  });

  it('runs a load through the API and summarizes it', async () => {
    await server.api('POST', '/webhooks/subscriptions', { name: 'load', url: `${app.url}/load`, events: ['customer.*'], provider: 'stripe' });
    const r = await hooks(['trigger', 'customer.updated', '--provider', 'stripe', '--count', '20', '--concurrency', '4', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 20, succeeded: 20, failed: 0, latency_ms: { p50: expect.any(Number), p90: expect.any(Number), p99: expect.any(Number) } });
  });

  it('lists event types', async () => {
    const r = await hooks(['trigger', '--list', '--provider', 'lmif', '--json']);
    expect(JSON.parse(r.stdout).map((t: { type: string }) => t.type)).toContain('grace_period.reminder');
    const all = await hooks(['trigger', '--list']);
    expect(all.stdout).toContain('login.loginSuccess');
  });
});

describe('hooks trigger --to (no API)', () => {
  it('signs locally and posts the provider envelope; exit 0 on success', async () => {
    const r = await hooks(['trigger', 'license.approved', '--to', `${app.url}/direct`, '--secret', 'direct-secret', '--provider', 'lmif']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('200');
    expect(r.stdout).toContain('thanks');
    const got = app.requests.filter((q) => q.url === '/direct').at(-1)!;
    expect(verifyDelivery({ provider: 'lmif', body: got.body, headers: got.headers as Record<string, string>, secret: 'direct-secret' }).valid).toBe(true);
    expect(JSON.parse(got.body.toString())).toMatchObject({ type: 'license.approved', meta: { apiVersion: 'v1' } });
  });

  it('reads --to PORT/path as localhost, like listen --forward and replay --to', async () => {
    const port = new URL(app.url).port;
    const r = await hooks(['trigger', 'user.created', '--to', `${port}/by-port`, '--secret', 'direct-secret', '--provider', 'ithbat']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`http://localhost:${port}/by-port`);
    expect(app.requests.find((q) => q.url === '/by-port')).toBeDefined();
  });

  it("fails by the provider's success rule: 201 is a failure for Ithbat (exit 1)", async () => {
    const r = await hooks(['trigger', 'user.created', '--to', `${app.url}/created`, '--secret', 's3cret-value', '--provider', 'ithbat']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('200 only');
    const ok = await hooks(['trigger', 'user.created', '--to', `${app.url}/created`, '--secret', 's3cret-value', '--provider', 'github']);
    expect(ok.code).toBe(0);
  });

  it('needs --secret, and exits 3 when the receiver is down', async () => {
    expect((await hooks(['trigger', 'user.created', '--to', app.url])).code).toBe(2);
    const down = await hooks(['trigger', 'user.created', '--to', 'http://127.0.0.1:9/', '--secret', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0']);
    expect(down.code).toBe(3);
    expect(down.stdout).toContain('ECONNREFUSED');
  });

  it('runs a load with a summary: sent, succeeded, failed by status, throughput, percentiles', async () => {
    const r = await hooks(['trigger', 'user.login', '--to', `${app.url}/load2`, '--secret', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', '--count', '200', '--concurrency', '10', '--rate', '1000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sent 200, succeeded 200, failed 0');
    expect(r.stdout).toMatch(/throughput [\d.]+\/s/);
    expect(r.stdout).toMatch(/latency p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms/);
    const ids = new Set(app.requests.filter((q) => q.url === '/load2').map((q) => q.headers['webhook-id']));
    expect(ids.size).toBe(200);
    const failing = await hooks(['trigger', 'user.login', '--to', `${app.url}/fail`, '--secret', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', '--count', '5', '--json']);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout)).toMatchObject({ sent: 5, failed: 5, by_status: { '500': 5 } });
  });

  it('opens $EDITOR on the data with --edit (on a terminal)', async () => {
    const editor = join(tempDir('editor'), 'edit.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf \'{"edited": true}\' > "$1"\n', { mode: 0o755 });
    const r = await runInPty(['trigger', 'user.created', '--to', `${app.url}/edited`, '--secret', 'edit-secret-1', '--provider', 'github', '--edit'], [], { ...env, EDITOR: editor });
    expect(r.code, r.output).toBe(0);
    expect(JSON.parse(app.requests.filter((q) => q.url === '/edited').at(-1)!.body.toString()).data).toEqual({ edited: true });
    const script = await hooks(['trigger', 'user.created', '--to', app.url, '--secret', 'edit-secret-1', '--edit']);
    expect(script.code).toBe(2);
  });
});
