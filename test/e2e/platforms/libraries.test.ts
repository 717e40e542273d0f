import { generateKeyPairSync, createHash } from 'node:crypto';
import { verifyWebhook } from '@clerk/backend/webhooks';
import { WorkOS } from '@workos-inc/node';
// The newest SDK, the only one that knows the types WorkOS added since 8.x (package.json: npm:@workos-inc/node@12.3.0).
import { WorkOS as WorkOS12 } from 'workos-node-12';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Received, type Receiver } from '../../helpers/receiver.js';

/**
 * What `hooks trigger --to`, the emulator and `hooks listen` send for the
 * platforms beyond the seeds, checked by each platform's own library (Clerk:
 * svix and @clerk/backend; WorkOS: @workos-inc/node; FusionAuth: jose with
 * the emulator's JWKS; Stripe: stripe). Okta and Auth0 publish no verifier: their check is
 * the comparison the docs' sample receivers make.
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let server: HooksServer;
let app: Receiver;
let listen: HooksListen;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  // The docs' sample receivers: Okta's answers its verification GET; every other request gets 200.
  app = await startReceiver((req) =>
    req.method === 'GET' && req.headers['x-okta-verification-challenge']
      ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verification: req.headers['x-okta-verification-challenge'] }) }
      : { status: 200, body: 'ok' },
  );
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined };
  listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--secret', SECRET, '--provider', 'auto'], env);
});
afterAll(async () => {
  await listen.kill9();
  await server.kill9();
  await app.close();
});

type Source = 'trigger' | 'emulator' | 'listen';
const SOURCES: Source[] = ['trigger', 'emulator', 'listen'];

/** One delivery of `type` from `source`, as the app received it. */
async function deliver(provider: string, type: string, source: Source, secret = SECRET, extra: string[] = []): Promise<Received> {
  const path = `/${provider}/${source}/${Math.random().toString(36).slice(2)}`;
  if (source === 'trigger') {
    const r = await runCli(['trigger', type, '--provider', provider, '--to', `${app.url}${path}`, '--secret', secret, '--json', ...extra], { env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  } else {
    const base = source === 'emulator' ? app.url : listen.localUrl;
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: `${provider} ${source}`, url: `${base}${path}`, events: ['*'], provider, secret, active: true });
    expect(sub.json.active, JSON.stringify(sub.json.verification)).toBe(true);
    const ev = await server.api('POST', '/events?wait=5000', { type, provider });
    expect(ev.json.deliveries[0], JSON.stringify(ev.json)).toMatchObject({ status: 'succeeded' });
    if (source === 'listen') await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === ev.json.id);
  }
  const got = app.requests.filter((q) => q.url === path && q.method === 'POST');
  expect(got).toHaveLength(1);
  return got[0]!;
}

const flat = (r: Received): Record<string, string> => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));

describe.each(SOURCES)('from %s', (source) => {
  it('clerk: svix Webhook.verify and @clerk/backend verifyWebhook accept it', async () => {
    const r = await deliver('clerk', 'user.created', source);
    // Svix's sender says who it is; listen forwards the sender's headers as they came.
    expect(r.headers['user-agent']).toMatch(/^Svix-Webhooks\/\d+\.\d+\.\d+ \(sender-\w+; \+https:\/\/www\.svix\.com\/http-sender\/\)$/);
    const event = new SvixWebhook(SECRET).verify(r.body.toString('utf8'), flat(r)) as { type: string; object: string; data: { id: string } };
    expect(event).toMatchObject({ type: 'user.created', object: 'event', data: { id: expect.stringMatching(/^user_/) } });
    const request = new Request('http://127.0.0.1/clerk', { method: 'POST', headers: flat(r), body: r.body });
    const viaClerk = await verifyWebhook(request, { signingSecret: SECRET });
    expect(viaClerk.type).toBe('user.created');
    // A WorkOS secret is not a Clerk one: refused with a verdict, not taken for another platform.
    expect(() => new SvixWebhook('whsec_' + Buffer.from('another secret').toString('base64')).verify(r.body.toString('utf8'), flat(r))).toThrow();
  });

  it("stripe: webhooks.constructEvent accepts it, sent with Stripe's own headers", async () => {
    const r = await deliver('stripe', 'customer.created', source);
    const headers = flat(r);
    expect(headers['user-agent']).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)');
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    const stripe = new Stripe('sk_test_hooks');
    const event = stripe.webhooks.constructEvent(r.body, headers['stripe-signature']!, SECRET);
    expect(event).toMatchObject({ object: 'event', type: 'customer.created', livemode: false, data: { object: { object: 'customer', id: expect.stringMatching(/^cus_/) } } });
    expect(() => stripe.webhooks.constructEvent(r.body, headers['stripe-signature']!, 'whsec_another_secret')).toThrow();
  });

  it('workos: webhooks.constructEvent accepts it, with its 180 s tolerance', async () => {
    const r = await deliver('workos', 'dsync.user.created', source);
    const sigHeader = flat(r)['workos-signature']!;
    expect(sigHeader).toMatch(/^t=\d{13}, v1=[0-9a-f]{64}$/);
    const workos = new WorkOS('sk_test_hooks');
    const event = await workos.webhooks.constructEvent({ payload: JSON.parse(r.body.toString('utf8')), sigHeader, secret: SECRET });
    expect(event.event).toBe('dsync.user.created');
    await expect(workos.webhooks.constructEvent({ payload: JSON.parse(r.body.toString('utf8')), sigHeader, secret: 'wrong' })).rejects.toThrow();
  });

  it('workos: the types only @workos-inc/node@12 knows, one of each family, verified and deserialized by it', async () => {
    if (source !== 'emulator') return; // the signing path is the same for the three; one source is enough for the payloads
    const workos = new WorkOS12('sk_test_hooks');
    const path = `/workos/newer/${Math.random().toString(36).slice(2)}`;
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: 'workos newer types', url: `${app.url}${path}`, events: ['*'], provider: 'workos', secret: SECRET, active: true });
    expect(sub.json.active).toBe(true);
    const families = ['agent.blueprint.created', 'agent.instance.created', 'agent.instance.session.revoked', 'feature_flags.flag.updated', 'feature_flags.flag_rule.created', 'feature_flags.flag_target.created', 'pipes.account_connection.add_failed', 'resource_export.completed', 'vault.dek.rekeyed'];
    for (const type of families) {
      const ev = await server.api('POST', '/events?wait=5000', { type, provider: 'workos' });
      expect(ev.json.deliveries[0], JSON.stringify(ev.json)).toMatchObject({ status: 'succeeded' });
    }
    const got = app.requests.filter((q) => q.url === path && q.method === 'POST');
    expect(got).toHaveLength(families.length);
    for (const r of got) {
      const event = (await workos.webhooks.constructEvent({ payload: JSON.parse(r.body.toString('utf8')), sigHeader: flat(r)['workos-signature']!, secret: SECRET })) as unknown as { event: string; data: Record<string, unknown> };
      expect(families).toContain(event.event);
      // The SDK turns each timestamp it reads into a Date: an absent or malformed one is an Invalid Date.
      const dates: Date[] = [];
      const walk = (v: unknown): void => void (v instanceof Date ? dates.push(v) : v && typeof v === 'object' && Object.values(v).forEach(walk));
      walk(event);
      expect(dates.filter((d) => Number.isNaN(d.getTime())), event.event).toEqual([]);
      expect(Object.keys(event.data).length, event.event).toBeGreaterThan(1);
    }
    expect(new Set(got.map((r) => JSON.parse(r.body.toString('utf8')).event))).toEqual(new Set(families));
  });

  it('fusionauth: jose verifies the HS256 JWT, and request_body_sha256 is the body', async () => {
    const r = await deliver('fusionauth', 'user.create', source);
    const { payload, protectedHeader } = await jwtVerify(flat(r)['x-fusionauth-signature-jwt']!, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload.request_body_sha256).toBe(createHash('sha256').update(r.body).digest('base64'));
    expect(JSON.parse(r.body.toString()).event).toMatchObject({ type: 'user.create', tenantId: expect.any(String) });
  });

  it('okta: the Authorization header holds the configured secret, as the docs sample checks', async () => {
    const r = await deliver('okta', 'user.lifecycle.create', source);
    expect(r.headers.authorization).toBe(SECRET);
    const body = JSON.parse(r.body.toString());
    expect(body).toMatchObject({ eventType: 'com.okta.event_hook', cloudEventsVersion: '0.1', data: { events: [{ eventType: 'user.lifecycle.create' }] } });
  });

  it('auth0: a JSON array of log events with the Authorization token', async () => {
    const r = await deliver('auth0', 's', source, SECRET, source === 'trigger' ? ['--batch', '3'] : []);
    expect(r.headers.authorization).toBe(SECRET);
    const logs = JSON.parse(r.body.toString()) as Array<{ log_id: string; data: { type: string; date: string } }>;
    expect(logs).toHaveLength(source === 'trigger' ? 3 : 1);
    for (const log of logs) expect(log).toMatchObject({ log_id: expect.stringMatching(/^\d+$/), data: { type: 's', date: expect.any(String) } });
  });
});

describe('fusionauth with a private key', () => {
  it('signs ES256 and RS256 that jose verifies against the emulator JWKS', async () => {
    for (const type of ['ec', 'rsa'] as const) {
      const { privateKey } = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().trim();
      const r = await deliver('fusionauth', 'user.login.success', 'emulator', pem);
      const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(flat(r)['x-fusionauth-signature-jwt']!, jwks);
      expect(protectedHeader.alg).toBe(type === 'ec' ? 'ES256' : 'RS256');
      expect(payload.request_body_sha256).toBe(createHash('sha256').update(r.body).digest('base64'));
    }
  });

  it('verifies with --jwks and says so when the key id is not in it', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().trim();
    const r = await deliver('fusionauth', 'user.create', 'emulator', pem);
    const header = `X-FusionAuth-Signature-JWT: ${flat(r)['x-fusionauth-signature-jwt']}`;
    const ok = await runCli(['verify', '--provider', 'fusionauth', '--jwks', `${server.url}/.well-known/jwks.json`, '--header', header, '--json'], { env, input: r.body.toString() });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const bad = await runCli(['verify', '--provider', 'fusionauth', '--secret', JSON.stringify({ keys: [{ ...other, kid: 'not-it' }] }), '--header', header, '--json'], { env, input: r.body.toString() });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).hints.map((h: { code: string }) => h.code)).toContain('key_id');
  });
});
