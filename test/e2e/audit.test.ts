import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as R from '../helpers/audit-receivers.js';
import { runCli } from '../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

/** `hooks audit` as a user runs it: exit codes, --json, --strict, and --subscription through the API. */
const SECRET = 'ith_whsec_0123456789abcdef0123456789abcdef';
let server: HooksServer;
let good: Receiver;
let reserializing: Receiver;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  server = await startHooksServer();
  good = await startReceiver(R.ithbatReceiver(SECRET));
  reserializing = await startReceiver(R.ithbatReceiver(SECRET, { reserialize: true }));
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
});
afterAll(async () => {
  await server.kill9();
  await good.close();
  await reserializing.close();
});
const hooks = (args: string[]) => runCli(['audit', ...args], { env });

describe('hooks audit', () => {
  it('exits 0 for a correct receiver and prints each check with a summary', async () => {
    const r = await hooks([`${good.url}/webhooks`, '--provider', 'ithbat', '--secret', SECRET]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ pass {2}accepts_valid +answered 200 to a signed user\.created/);
    expect(r.stdout).toMatch(/- skip {2}rejects_stale_timestamp +ithbat signs no timestamp/);
    expect(r.stdout).toMatch(/10 passed, 0 failed, 0 warned, 2 skipped · \d+ requests/);
  });

  it('exits 1 for a re-serializing receiver, with the JSON the issue names', async () => {
    const r = await hooks([`${reserializing.url}/webhooks`, '--provider', 'ithbat', '--secret', SECRET, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['url', 'provider', 'checks', 'passed', 'failed', 'warned', 'skipped', 'requests']);
    expect(report.checks.find((c: { id: string }) => c.id === 'raw_body')).toEqual({
      id: 'raw_body',
      status: 'fail',
      required: true,
      detail: expect.stringContaining('your receiver verifies a re-serialized body'),
      hint: expect.stringContaining('express.raw'),
      status_code: 401,
      latency_ms: expect.any(Number),
      rule: expect.stringContaining('raw bytes'),
    });
    expect(report).toMatchObject({ provider: 'ithbat', failed: 1 });
  });

  it('--strict fails on a warning; --only runs just the checks named', async () => {
    const unknownRefused = await startReceiver((req, i) => (JSON.parse(req.body.toString()).type === 'hooks_audit.unknown_type' ? { status: 400 } : R.ithbatReceiver(SECRET)(req, i)));
    try {
      const lax = await hooks([`${unknownRefused.url}/x`, '--provider', 'ithbat', '--secret', SECRET, '--only', 'accepts_valid,unknown_type_ack']);
      expect(lax.code).toBe(0);
      expect(lax.stdout).toMatch(/! warn {2}unknown_type_ack/);
      const strict = await hooks([`${unknownRefused.url}/x`, '--provider', 'ithbat', '--secret', SECRET, '--only', 'accepts_valid,unknown_type_ack', '--strict']);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toContain('--strict: warnings fail');
      expect(unknownRefused.requests.length).toBe(4);
    } finally {
      await unknownRefused.close();
    }
  });

  it('exits 2 for usage mistakes and 3 when nothing answers', async () => {
    expect((await hooks([`${good.url}/w`, '--secret', SECRET])).code).toBe(2);
    expect((await hooks([`${good.url}/w`, '--provider', 'ithbat'])).stderr).toContain('--secret is needed');
    expect((await hooks([`${good.url}/w`, '--provider', 'ithbat', '--secret', SECRET, '--only', 'raw_bdy'])).stderr).toContain('did you mean "raw_body"');
    const down = await hooks(['127.0.0.1:1/w', '--provider', 'ithbat', '--secret', SECRET]);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('cannot reach http://127.0.0.1:1/w');
  });

  it('--subscription: the API runs it with the secret it holds, which is never printed', async () => {
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'audited', url: `${reserializing.url}/webhooks`, events: ['*'], provider: 'ithbat', secret: SECRET });
    const r = await hooks(['--subscription', sub.json.id, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).not.toContain(SECRET);
    expect(JSON.parse(r.stdout)).toMatchObject({ url: `${reserializing.url}/webhooks`, provider: 'ithbat', failed: 1 });
    expect((await hooks(['--subscription', sub.json.id, '--secret', SECRET])).code).toBe(2);
    const gone = await server.api('POST', '/webhooks/subscriptions', { name: 'gone', url: 'http://127.0.0.1:1/x', events: ['*'], provider: 'ithbat' });
    expect((await hooks(['--subscription', gone.json.id])).code).toBe(3);
  });
});
