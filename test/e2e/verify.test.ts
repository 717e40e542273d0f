import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/hooks-process.js';

const dir = tempDir('verify');
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const standardArgs = [
  '--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  '--header', 'webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek',
  '--header', 'webhook-timestamp: 1614265330',
  '--header', 'webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
];
const standardBody = '{"test": 2432232314}';

describe('hooks verify', () => {
  it('passes the Standard Webhooks vector from a body file (exit 0)', async () => {
    const r = await runCli(['verify', ...standardArgs, '--now', '1614265330', '--body-file', file('sw.json', standardBody)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid standard signature');
  });

  it('reads the body from stdin and detects the provider', async () => {
    const r = await runCli(['verify', '--json', ...standardArgs, '--now', '1614265330'], { input: standardBody });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ valid: true, provider: 'standard', reason: null, message: expect.any(String), hints: [] });
  });

  it("passes GitHub's documentation example", async () => {
    const r = await runCli(['verify', '--provider', 'github', '--secret', "It's a Secret to Everybody", '--header', 'X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'], { input: 'Hello, World!' });
    expect(r.code).toBe(0);
  });

  it("passes @octokit/webhooks-methods' vector", async () => {
    const r = await runCli(['verify', '--secret', 'mysecret', '--header', 'x-hub-signature-256: sha256=e3eccac34c43c7dc1cbb905488b1b81347fcc700a7b025697a9d07862256023f'], { input: '{\n  "foo": "bar"\n}\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('github');
  });

  it.each([
    ['ithbat', 'X-Ithbat-Signature: sha256=c16f3d93cee4dd211539b7eb9c9c27f87e2d1c52f5063a84f0dbd14c20c8474a', 'ith_whsec_test_secret', '{"id":"evt_2Qm8tXk","type":"user.created","created_at":"2026-01-15T10:30:00Z","data":{"user":{"id":"usr_81","email":"amira@example.com"}}}'],
    ['intelliauth', 'X-IntelliAuth-Signature: 02853f6afbdea2be8dba2de5648385d87c822c68469123bed42f0c1757c03a38', 'ia_secret_1', '{"event_id":"0b6b3d2e-5f7a-4c61-9f0e-2d1f1e7c9a10","event_type":"test.ping","created_at":"2026-01-15T10:30:00Z","tenant":{"id":"t-42"},"data":{"test":true}}'],
    ['asgardeo', 'x-hub-signature: sha256=670d46ef7546e6ce7a1e1fc66576e1d2285f7702489cdae2a0dee71f0c9d2c0d', 'asg-secret', '{"iss":"https://api.asgardeo.io/t/myorg","jti":"051f0c37-b689-44d4-b7d2-29b980ece273","iat":1751705149662,"rci":"05268edb-9a87-4656-87c0-0fb674dd03b1","events":{"https://schemas.identity.wso2.org/events/login/event-type/loginSuccess":{"user":{"id":"d4002616-f00c-49d5-b9b7-63b063819049"}}}}'],
    ['scalekit', 'x-scalekit-signature: e9331060bacf99ef19db75a9d47f17b7c89bdc6ee0abacfbcb4eadeaf5bbeb54', 'skw_secret', '{"id":"evt_1234567890","type":"user.authenticated","created":"2024-01-15T10:30:00Z","data":{"userId":"usr_1234567890","organizationId":"org_1234567890","email":"user@example.com"}}'],
    ['lmif', 'x-lmif-signature: sha256=d7cd7ca64ba7d916f54b17337bef0c75890c8708b67191d0d82859e9ada6f2f7', 'your-webhook-secret', '{"id":"evt_abc123","type":"box.created","createdAt":"2024-01-15T10:00:00Z","data":{"boxId":"box_1"},"meta":{"apiVersion":"v1","webhookId":"wh_xyz789"}}'],
    // Signed by the stripe package's own webhooks.generateTestHeaderString.
    ['stripe', 'Stripe-Signature: t=1700000000,v1=ff181e0b34026cecac9ebb33fc59af9be2e61eb1b88c7c6233637e5075c72420', 'whsec_test_stripe_secret', '{"id":"evt_s1","object":"event","type":"customer.created"}'],
  ])('passes the computed %s vector with auto', async (provider, header, secret, body) => {
    const r = await runCli(['verify', '--json', '--secret', secret, '--header', header, '--now', '1700000000'], { input: body });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, provider });
  });

  it('explains a re-serialized body (exit 1, JSON)', async () => {
    const pretty = JSON.stringify(JSON.parse(standardBody), null, 2);
    const r = await runCli(['verify', '--json', ...standardArgs, '--now', '1614265330'], { input: pretty });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ valid: false, provider: 'standard', reason: 'signature_mismatch' });
    // The vector's body has ": " spacing: the minified form is not it, but the Python-style one is.
    expect(out.hints.map((h: { code: string }) => h.code)).toContain('body_reserialized');
  });

  it('says how stale a timestamp is', async () => {
    const r = await runCli(['verify', ...standardArgs], { input: standardBody });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('timestamp_out_of_tolerance');
    expect(r.stdout).toMatch(/days old/);
    expect(r.stdout).toContain('the signature itself matches');
  });

  it('accepts a stale timestamp with a wider --tolerance', async () => {
    const r = await runCli(['verify', ...standardArgs, '--now', '1614266330', '--tolerance', '1000'], { input: standardBody });
    expect(r.code).toBe(0);
  });

  it('reports a missing header when auto finds no signature', async () => {
    const r = await runCli(['verify', '--json', '--secret', 's', '--header', 'Content-Type: application/json'], { input: '{}' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, provider: null, reason: 'missing_header' });
  });

  it('verifies with a custom provider file', async () => {
    const profile = file('acme.json', JSON.stringify({ id: 'acme', signatureHeader: 'X-Acme-Sig', algorithm: 'sha256', encoding: 'hex', prefix: '', template: '{body}' }));
    const r = await runCli(['verify', '--provider-file', profile, '--secret', "It's a Secret to Everybody", '--header', 'X-Acme-Sig: 757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'], { input: 'Hello, World!' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('acme');
  });

  it.each([
    [['verify', '--header', 'X: y'], 'secret'],
    [['verify', '--secret', 's', '--header', 'no colon here'], "is not 'Name: value'"],
    [['verify', '--secret', 's', '--provider', 'nope', '--header', 'X: y'], 'unknown provider'],
    [['verify', '--secret', 's', '--now', 'soon'], '--now must be a whole number'],
    [['verify', '--secret', 's', '--body-file', '/nonexistent/body.json'], 'ENOENT'],
  ])('exits 2 on usage errors %#', async (args, text) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
  });

  it('prints usage errors as JSON with --json', async () => {
    const r = await runCli(['verify', '--json', '--secret', 's', '--provider', 'nope'], { input: '{}' });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'unknown_provider' });
  });

  it('never prints the secret', async () => {
    const secret = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';
    const r = await runCli(['verify', '--json', '--secret', secret, '--header', 'webhook-id: a', '--header', 'webhook-timestamp: 1', '--header', 'webhook-signature: v1,AAAA'], { input: '{}' });
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain('c2VjcmV0c2VjcmV0');
  });
});
