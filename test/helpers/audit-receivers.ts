import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { WorkOS } from '@workos-inc/node';
import { jwtVerify } from 'jose';
import type { Received, Reply } from './receiver.js';

/**
 * Receivers a developer might write, each a function of the raw request: the
 * correct ones are built on the platform's own library or the docs' sample,
 * the broken ones make one classic mistake each.
 */
export type Behaviour = (req: Received, index: number) => Reply | Promise<Reply>;

const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const flat = (r: Received) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
const yes: Reply = { status: 200, body: 'ok' };
const no: Reply = { status: 401, body: 'invalid signature' };

/** Ithbat's rule (seed 000): `X-Ithbat-Signature: sha256=<hex>` of the raw body; `reserialize` verifies JSON.stringify(JSON.parse(body)) as the seed's sample does. */
export function ithbatReceiver(secret: string, opts: { reserialize?: boolean; failDuplicates?: boolean } = {}): Behaviour {
  const seen = new Set<string>();
  return (req) => {
    if (req.method !== 'POST') return yes;
    let body = req.body;
    if (opts.reserialize) {
      try {
        body = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
      } catch {
        return { status: 400 };
      }
    }
    const want = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    if (!equal(String(req.headers['x-ithbat-signature'] ?? ''), want)) return no;
    const id = JSON.parse(req.body.toString()).id as string;
    if (opts.failDuplicates && seen.has(id)) return { status: 500, body: 'duplicate key' };
    seen.add(id);
    return yes;
  };
}

/** Takes anything. */
export const acceptAll: Behaviour = () => yes;

/** The official `standardwebhooks` package; `ignoreTimestamp` checks the HMAC by hand and never the time. */
export function standardReceiver(secret: string, opts: { ignoreTimestamp?: boolean } = {}): Behaviour {
  const wh = new StandardWebhook(secret);
  return (req) => {
    if (req.method !== 'POST') return yes;
    const h = flat(req);
    if (opts.ignoreTimestamp) {
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const want = createHmac('sha256', key).update(`${h['webhook-id']}.${h['webhook-timestamp']}.`).update(req.body).digest('base64');
      return (h['webhook-signature'] ?? '').split(' ').some((s) => equal(s, `v1,${want}`)) ? yes : no;
    }
    try {
      wh.verify(req.body.toString('utf8'), h);
      return yes;
    } catch {
      return no;
    }
  };
}

/** Clerk's way, with svix. */
export function clerkReceiver(secret: string): Behaviour {
  const wh = new SvixWebhook(secret);
  return (req) => {
    try {
      wh.verify(req.body.toString('utf8'), flat(req));
      return yes;
    } catch {
      return no;
    }
  };
}

/** WorkOS's SDK, as its docs show it: on the parsed body (the SDK re-serializes it itself). */
export function workosReceiver(secret: string): Behaviour {
  const workos = new WorkOS('sk_test_hooks');
  return async (req) => {
    try {
      await workos.webhooks.constructEvent({ payload: JSON.parse(req.body.toString('utf8')), sigHeader: String(req.headers['workos-signature'] ?? ''), secret });
      return yes;
    } catch {
      return no;
    }
  };
}

/** FusionAuth's sample: jose on the JWT, then the body hash. */
export function fusionauthReceiver(secret: string): Behaviour {
  return async (req) => {
    try {
      const { payload } = await jwtVerify(String(req.headers['x-fusionauth-signature-jwt'] ?? ''), new TextEncoder().encode(secret), { algorithms: ['HS256'] });
      return payload.request_body_sha256 === createHash('sha256').update(req.body).digest('base64') ? yes : no;
    } catch {
      return no;
    }
  };
}

/** Okta's sample: answers the verification GET, compares Authorization. */
export function oktaReceiver(secret: string, opts: { answerChallenge?: boolean } = { answerChallenge: true }): Behaviour {
  return (req) => {
    if (req.method === 'GET') {
      const challenge = req.headers['x-okta-verification-challenge'];
      return opts.answerChallenge && challenge ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verification: challenge }) } : { status: 200, body: 'hello' };
    }
    return equal(String(req.headers.authorization ?? ''), secret) ? yes : no;
  };
}

/** Asgardeo (seed 002): WebSub echo when `answerWebSub`, then x-hub-signature over the raw body. */
export function asgardeoReceiver(secret: string, opts: { answerWebSub: boolean }): Behaviour {
  return (req) => {
    if (req.method === 'GET') {
      const challenge = new URL(req.url, 'http://x').searchParams.get('hub.challenge');
      return opts.answerWebSub && challenge ? { status: 200, body: challenge } : { status: 404 };
    }
    const want = `sha256=${createHmac('sha256', secret).update(req.body).digest('hex')}`;
    return equal(String(req.headers['x-hub-signature'] ?? ''), want) ? yes : no;
  };
}

/** Correct, but takes `delayMs` on two requests in ten: enough to put the p95 over a short timeout. */
export function sometimesSlow(inner: Behaviour, delayMs: number): Behaviour {
  return async (req, index) => ({ ...(await inner(req, index)), ...(index % 10 === 3 ? { delayMs } : {}) });
}
