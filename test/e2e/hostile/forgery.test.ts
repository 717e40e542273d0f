import { createHmac, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { runCli } from '../../helpers/cli.js';
import { startTextProcess, tempDir } from '../../helpers/hooks-process.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * Issue #29, items 1 and 2: a forged delivery must not reach the app through
 * `listen` by another provider's door: with public key material used as an
 * HMAC key or a header token, or by naming a provider the session has no
 * secret for (or no provider at all).
 */
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const JWKS = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] });
const hmacHex = (key: string, body: Buffer) => createHmac('sha256', key).update(body).digest('hex');
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const OKTA_BODY = json({ eventType: 'com.okta.event_hook', data: { events: [{ eventType: 'user.lifecycle.delete.initiated' }] } });
const AUTH0_BODY = json([{ log_id: '900', data: { type: 'sdu', date: '2026-01-01T00:00:00Z', description: 'user deleted' } }]);
const ITHBAT_BODY = json({ id: 'evt_forged', type: 'user.deleted', created_at: '2026-01-01T00:00:00Z', data: {} });

let app: Receiver;
const env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_SECRET: undefined };
const sessions: HooksListen[] = [];
async function listen(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<HooksListen> {
  const l = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', ...args], { ...env, ...extraEnv });
  sessions.push(l);
  return l;
}
/** What the app got from this session, found by the bytes sent. */
const reached = (body: Buffer) => app.requests.some((r) => r.body.equals(body));

beforeAll(async () => {
  app = await startReceiver();
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.kill9()));
  await app.close();
});

describe('public key material is never an HMAC key or a header token', () => {
  it('listen --secret JWKS: an Okta-shaped delivery whose Authorization is the JWKS gets 401 and is not forwarded', async () => {
    const l = await listen(['--secret', JWKS]);
    const r = await rawPost(`${l.localUrl}/`, OKTA_BODY, [['content-type', 'application/json'], ['Authorization', JWKS]]);
    expect(r.status).toBe(401);
    expect(reached(OKTA_BODY)).toBe(false);
    const refused = await l.waitForEvent((e) => e.type === 'delivery.rejected');
    expect(refused).toMatchObject({ provider: 'okta' });
    expect(refused.message).toMatch(/okta/);
  });

  it('listen --secret JWKS: an HMAC keyed with the JWKS text, as ithbat, gets 401; a real FusionAuth RS256 delivery still passes', async () => {
    const l = await listen(['--secret', JWKS]);
    const body = Buffer.from(ITHBAT_BODY);
    expect((await rawPost(`${l.localUrl}/`, body, [['X-Ithbat-Signature', `sha256=${hmacHex(JWKS, body)}`]])).status).toBe(401);
    expect(reached(body)).toBe(false);
    const genuine = json({ event: { type: 'user.create', id: 'evt-fa-1' } });
    const signed = getProvider('fusionauth').scheme.sign(genuine, PRIVATE_PEM, { id: 'x', timestamp: 0 });
    expect((await rawPost(`${l.localUrl}/`, genuine, Object.entries(signed))).status).toBe(200);
    expect(await l.waitForEvent((e) => e.type === 'delivery.forwarded' && e.provider === 'fusionauth')).toMatchObject({ verdict: 'verified' });
  });

  it('listen --secret PEM: an HMAC keyed with the PEM text, as github, gets 401', async () => {
    const l = await listen(['--secret', PEM]);
    const body = json({ action: 'deleted', n: 1 });
    expect((await rawPost(`${l.localUrl}/`, body, [['X-Hub-Signature-256', `sha256=${hmacHex(PEM, body)}`]])).status).toBe(401);
    expect(reached(body)).toBe(false);
  });

  it('listen --provider github --secret PEM does not start: exit 2 naming the key', async () => {
    const r = await runCli(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--provider', 'github', '--secret', PEM, '--data-dir', tempDir('data')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/public key/i);
  });

  it('verify --jwks (auto) does not call an HMAC keyed with the JWKS a valid ithbat signature', async () => {
    const dir = tempDir('jwks');
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JWKS);
    const body = Buffer.from(ITHBAT_BODY);
    const r = await runCli(['verify', '--jwks', file, '--header', `X-Ithbat-Signature: sha256=${hmacHex(JWKS, body)}`], { input: body });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('valid ithbat');
    expect(r.stderr).toMatch(/JWKS/);
  });

  it('verify --secret PEM refuses to check a GitHub HMAC with it (exit 2)', async () => {
    const body = json({ zen: 'x' });
    const r = await runCli(['verify', '--secret', PEM, '--header', `X-Hub-Signature-256: sha256=${hmacHex(PEM, body)}`], { input: body });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('valid github');
  });

  it('audit refuses a public key as an HMAC secret before sending anything (exit 2)', async () => {
    const before = app.requests.length;
    const r = await runCli(['audit', `${app.url}/audit`, '--provider', 'github', '--secret', PEM], { env });
    expect(r.code).toBe(2);
    expect(app.requests.length).toBe(before);
  });

  it('hooks.json: a per-provider secret that is a public key stops listen (exit 2)', async () => {
    const root = tempDir('project');
    mkdirSync(join(root, '.git'));
    const file = join(root, 'hooks.json');
    writeFileSync(file, JSON.stringify({ listen: { forward: [app.url], tunnel: 'none', secrets: { github: 'env:GH_KEY' } } }));
    chmodSync(file, 0o644);
    const r = await runCli(['listen', '--no-subscribe', '--data-dir', tempDir('data')], { env: { ...env, GH_KEY: PEM }, cwd: root });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('Ready');
  });
});

describe('per-provider secrets fail closed for every other provider', () => {
  const GH = 'ghsecret123';
  let l: HooksListen;
  beforeAll(async () => {
    l = await listen(['--secret', `github=${GH}`]);
  });

  it('a delivery with no signature at all gets 401, naming the fix', async () => {
    const body = json({ action: 'nosig' });
    const r = await rawPost(`${l.localUrl}/`, body, [['content-type', 'application/json']]);
    expect(r.status).toBe(401);
    expect(reached(body)).toBe(false);
    expect(JSON.parse(r.body.toString()).error.message).toMatch(/--secret/);
  });

  it('a bad GitHub signature plus Standard Webhooks headers (detected first) gets 401: judged by github', async () => {
    const body = json({ action: 'two-doors' });
    const r = await rawPost(`${l.localUrl}/`, body, [['X-Hub-Signature-256', 'sha256=00'], ['webhook-signature', 'v1,AAAA'], ['webhook-id', 'a'], ['webhook-timestamp', '1']]);
    expect(r.status).toBe(401);
    expect(reached(body)).toBe(false);
    const refused = await l.waitForEvent((e) => e.type === 'delivery.rejected' && e.provider === 'github');
    expect(refused.verdict).toBe('invalid');
  });

  it('a delivery read as a provider without a secret gets 401 naming that provider and --secret P=S', async () => {
    const body = json({ id: 'evt_i', type: 'user.created', created_at: '2026-01-01T00:00:00Z', data: {} });
    const r = await rawPost(`${l.localUrl}/`, body, [['X-Ithbat-Signature', `sha256=${hmacHex('anything', body)}`]]);
    expect(r.status).toBe(401);
    expect(reached(body)).toBe(false);
    const answer = JSON.parse(r.body.toString()).error;
    expect(answer.message).toContain('ithbat');
    expect(answer.message).toContain('--secret ithbat=');
  });

  it('a genuine GitHub delivery still passes, with the legacy SHA-1 X-Hub-Signature GitHub sends beside it', async () => {
    const body = json({ action: 'genuine' });
    const sha1 = createHmac('sha1', GH).update(body).digest('hex');
    const r = await rawPost(`${l.localUrl}/`, body, [['X-Hub-Signature', `sha1=${sha1}`], ['X-Hub-Signature-256', `sha256=${hmacHex(GH, body)}`]]);
    expect(r.status).toBe(200);
    expect(reached(body)).toBe(true);
  });

  it('an Okta-only secret and an Auth0-shaped body get 401', async () => {
    const okta = await listen(['--secret', 'okta=okta-secret-value-0123456789']);
    const r = await rawPost(`${okta.localUrl}/`, AUTH0_BODY, [['content-type', 'application/json'], ['Authorization', 'anything']]);
    expect(r.status).toBe(401);
    expect(reached(AUTH0_BODY)).toBe(false);
  });
});

describe('forwarding what cannot be verified is an explicit choice', () => {
  it('--forward-unverified forwards deliveries of providers without a secret (marked unverified), never a bad signature, and says so at start', async () => {
    const l = await listen(['--secret', 'github=ghsecret123', '--forward-unverified']);
    expect(l.ready).toMatchObject({ forward_unverified: true, forward_invalid: false });
    const ok = json({ eventType: 'com.okta.event_hook', data: { events: [{ eventType: 'user.session.start' }] } });
    expect((await rawPost(`${l.localUrl}/`, ok, [['Authorization', 'x']])).status).toBe(200);
    expect(await l.waitForEvent((e) => e.type === 'delivery.forwarded' && e.provider === 'okta')).toMatchObject({ verdict: 'unverified' });
    const bad = json({ action: 'still-forged' });
    expect((await rawPost(`${l.localUrl}/`, bad, [['X-Hub-Signature-256', 'sha256=00']])).status).toBe(401);
    expect(reached(bad)).toBe(false);
  });

  it('without it, listen.ready says unverifiable deliveries are refused', async () => {
    const l = await listen(['--secret', 'github=ghsecret123']);
    expect(l.ready).toMatchObject({ forward_unverified: false, forward_invalid: false });
  });

  it('the banner names the choice', async () => {
    const human = await startTextProcess(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--secret', 'github=ghsecret123', '--forward-unverified', '--data-dir', tempDir('data')], env, 'Ctrl-C to stop');
    await human.stop('SIGINT');
    expect(human.output()).toMatch(/--forward-unverified/);
  });

  it('a session with no secret at all still forwards, marked unverified, as before', async () => {
    const l = await listen([]);
    expect(l.ready.forward_unverified).toBe(true);
    const body = json({ action: 'no-secret-session' });
    expect((await rawPost(`${l.localUrl}/`, body, [])).status).toBe(200);
    expect(reached(body)).toBe(true);
  });
});

describe('an empty secret is a usage error (exit 2)', () => {
  const start = (args: string[], extra: Record<string, string | undefined> = {}, cwd?: string) =>
    runCli(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', tempDir('data'), ...args], { env: { ...env, ...extra }, cwd });

  it.each([
    ['HOOKS_SECRET=', [], { HOOKS_SECRET: '' }],
    ["--secret ''", ['--secret', ''], {}],
    ['--secret github=', ['--secret', 'github='], {}],
    ['HOOKS_SECRET_GITHUB=', [], { HOOKS_SECRET_GITHUB: '' }],
  ] as const)('%s', async (_name, args, extra) => {
    const r = await start([...args], extra);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/empty/);
    expect(r.stdout).not.toContain('Ready');
  });

  it('from hooks.json', async () => {
    const root = tempDir('project');
    mkdirSync(join(root, '.git'));
    const file = join(root, 'hooks.json');
    writeFileSync(file, JSON.stringify({ listen: { secrets: { github: 'env:GH_SECRET' } } }));
    chmodSync(file, 0o644);
    const r = await start([], { GH_SECRET: '' }, root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty/);
  });
});
