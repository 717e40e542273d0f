import { createHmac, timingSafeEqual } from 'node:crypto';
import { Scalekit } from '@scalekit-sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Received, type Reply, type Receiver } from '../../helpers/receiver.js';

/**
 * Receivers written from the seed pages' own sample code (and, for
 * Scalekit's current form, from its SDK), each fed what `hooks trigger --to`,
 * the emulator and `hooks listen` send for that platform. A receiver that
 * refuses a delivery answers 401 or 400, and the test says which check failed.
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let server: HooksServer;
let app: Receiver;
let listen: HooksListen;
let env: Record<string, string | undefined>;
const verdicts = new Map<string, string>();

const header = (r: Received, name: string) => String(r.headers[name.toLowerCase()] ?? '');
const json = (status: number, body: unknown): Reply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Seed 000 (Ithbat): express.json(), then the HMAC of JSON.stringify(payload) as `sha256=<hex>`, compared with timingSafeEqual. */
function ithbat(req: Received): Reply {
  const payload = JSON.parse(req.body.toString('utf8'));
  const signature = header(req, 'x-ithbat-signature');
  const digest = createHmac('sha256', SECRET).update(JSON.stringify(payload)).digest('hex');
  const expectedSignature = `sha256=${digest}`;
  // timingSafeEqual throws on buffers of different lengths: express would answer 500.
  if (Buffer.from(signature).length !== Buffer.from(expectedSignature).length) return { status: 500 };
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(expectedSignature))) return json(401, { error: 'Invalid signature' });
  const event = payload;
  if (!['user.created', 'user.updated', 'user.deleted'].includes(event.type)) return json(400, { error: `unhandled ${event.type}` });
  return json(200, { received: true });
}

/**
 * Seed 001 (IntelliAuth): express.raw, the hex HMAC of the raw body against
 * X-IntelliAuth-Signature, 202; then the checks the seed asks for (tenant, a
 * handled event_type, the event id) and the signature page's 5-minute
 * X-IntelliAuth-Timestamp window.
 */
function intelliauth(req: Received): Reply {
  const signature = header(req, 'X-IntelliAuth-Signature');
  const body = req.body;
  const expected = createHmac('sha256', SECRET).update(body).digest('hex');
  if (Buffer.from(signature).length !== Buffer.from(expected).length) return { status: 500 };
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return json(401, { error: 'invalid_signature' });
  const ts = Number(header(req, 'X-IntelliAuth-Timestamp'));
  if (!Number.isFinite(ts) || Math.abs(Math.floor(Date.now() / 1000) - ts) > 5 * 60) return json(401, { error: 'stale timestamp' });
  const event = JSON.parse(body.toString('utf8'));
  if (typeof event.tenant?.id !== 'string') return json(400, { error: 'no tenant.id' });
  if (!['user.signed_up', 'user.deleted', 'test.ping'].includes(event.event_type)) return json(400, { error: `unhandled ${event.event_type}` });
  if (event.event_id !== header(req, 'X-IntelliAuth-Event-Id') || event.event_type !== header(req, 'X-IntelliAuth-Event-Type')) return json(400, { error: 'headers and body disagree' });
  if (!/^\d+$/.test(header(req, 'X-IntelliAuth-Delivery-Attempt'))) return json(400, { error: 'no delivery attempt' });
  return { status: 202 };
}

/** Asgardeo's URIs this receiver consumes, matched exactly as seed 002 asks. */
const ASGARDEO_URIS = [
  'https://schemas.identity.wso2.org/events/login/event-type/loginSuccess',
  'https://schemas.identity.wso2.org/events/credential/event-type/credentialUpdated',
];

/** Seed 002 (Asgardeo): hub.challenge for GETs; the HMAC-SHA256 of the raw body against x-hub-signature; exact event URIs. */
function asgardeo(req: Received): Reply {
  if (req.method === 'GET') {
    const challenge = new URL(req.url, 'http://x').searchParams.get('hub.challenge') ?? '';
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: challenge };
  }
  const computed = `sha256=${createHmac('sha256', SECRET).update(req.body).digest('hex')}`;
  if (header(req, 'x-hub-signature') !== computed) return json(401, { error: 'signature mismatch' });
  const event = JSON.parse(req.body.toString('utf8'));
  const uri = Object.keys(event.events ?? {}).find((u) => ASGARDEO_URIS.includes(u));
  if (!uri) return json(400, { error: `no event this receiver consumes in ${Object.keys(event.events ?? {}).join(', ')}` });
  return { status: 200, body: 'ok' };
}

/** Seed 003 (Scalekit): HMAC of JSON.stringify(req.body), hex, against x-scalekit-signature. */
function scalekit(req: Received): Reply {
  const signature = header(req, 'x-scalekit-signature');
  const payload = JSON.stringify(JSON.parse(req.body.toString('utf8')));
  const digest = createHmac('sha256', SECRET).update(payload).digest('hex');
  if (Buffer.from(signature).length !== Buffer.from(digest).length) return { status: 500 };
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(digest))) return { status: 401, body: 'Invalid signature' };
  return { status: 200, body: 'OK' };
}

/** Scalekit today: @scalekit-sdk/node's verifyWebhookPayload on the raw body, as its docs show it. */
const scalekitClient = new Scalekit('http://127.0.0.1:9', 'skc_hooks', 'hooks');
function scalekitStandard(req: Received): Reply {
  try {
    if (!scalekitClient.verifyWebhookPayload(SECRET, req.headers as Record<string, string>, req.body.toString())) return { status: 400 };
  } catch (err) {
    return { status: 400, body: `Invalid webhook signature: ${(err as Error).message}` };
  }
  return { status: 200, body: 'Webhook received' };
}

/** Seed 004 (LMIF): express.raw, the manual verification (`sha256=` + hex HMAC of the payload) with timingSafeEqual. */
function lmif(req: Received): Reply {
  const signature = header(req, 'x-lmif-signature');
  const payload = req.body.toString('utf8');
  const expectedSignature = createHmac('sha256', SECRET).update(payload).digest('hex');
  if (Buffer.from(signature).length !== Buffer.from(`sha256=${expectedSignature}`).length) return { status: 500 };
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(`sha256=${expectedSignature}`))) return { status: 401, body: 'Invalid signature' };
  const event = JSON.parse(payload);
  if (typeof event.type !== 'string' || typeof event.meta?.webhookId !== 'string') return { status: 400, body: 'not an LMIF event' };
  return { status: 200, body: 'OK' };
}

const RECEIVERS: Record<string, (req: Received) => Reply> = { ithbat, intelliauth, asgardeo, scalekit, 'scalekit-standard': scalekitStandard, lmif };

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver((req) => {
    const reply = RECEIVERS[req.url.split('/')[1]!]!(req);
    verdicts.set(req.url, `${reply.status} ${reply.body ?? ''}`);
    return reply;
  });
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

/** One delivery of `type` from `source`, as the app received it and what it answered. */
async function deliver(provider: string, type: string, source: Source): Promise<{ request: Received; verdict: string }> {
  const path = `/${provider}/${source}/${Math.random().toString(36).slice(2)}`;
  if (source === 'trigger') {
    const r = await runCli(['trigger', type, '--provider', provider, '--to', `${app.url}${path}`, '--secret', SECRET, '--json'], { env });
    expect(r.code, `${r.stdout}${r.stderr} ${verdicts.get(path)}`).toBe(0);
  } else {
    const base = source === 'emulator' ? app.url : listen.localUrl;
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: `${provider} ${source}`, url: `${base}${path}`, events: ['*'], provider, secret: SECRET, active: true });
    expect(sub.json.active, JSON.stringify(sub.json.verification)).toBe(true);
    const ev = await server.api('POST', '/events?wait=5000', { type, provider });
    expect(ev.json.deliveries[0], `${JSON.stringify(ev.json)} ${verdicts.get(path)}`).toMatchObject({ status: 'succeeded' });
    if (source === 'listen') await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === ev.json.id);
  }
  const got = app.requests.filter((q) => q.url === path && q.method === 'POST');
  expect(got).toHaveLength(1);
  return { request: got[0]!, verdict: verdicts.get(path)! };
}

const CASES: [string, string, RegExp][] = [
  ['ithbat', 'user.created', /^200 /],
  ['intelliauth', 'user.signed_up', /^202 /],
  ['asgardeo', 'credential.credentialUpdated', /^200 /],
  ['asgardeo', 'login.loginSuccess', /^200 /],
  ['scalekit', 'user.authenticated', /^200 /],
  ['scalekit-standard', 'user.signup', /^200 /],
  ['scalekit-standard', 'organization.directory.user_created', /^200 /],
  ['lmif', 'box.created', /^200 /],
];

describe.each(SOURCES)('from %s, the seed pages’ receivers accept', (source) => {
  it.each(CASES)('%s %s', async (provider, type, answer) => {
    const { verdict } = await deliver(provider, type, source);
    expect(verdict).toMatch(answer);
  });
});

describe('listen tells the two Scalekit forms apart', () => {
  it('names each delivery with its own provider', async () => {
    for (const [provider, type] of [['scalekit', 'user.authenticated'], ['scalekit-standard', 'user.signup']] as const) {
      await deliver(provider, type, 'listen');
      const seen = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_type === type);
      expect(seen, type).toMatchObject({ provider, verdict: 'verified' });
    }
  });
});
