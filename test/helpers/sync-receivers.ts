import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WorkOS } from '@workos-inc/node';
import type { Received, Reply } from './receiver.js';

/**
 * Receivers of synchronous hooks a developer might write, each a function of
 * the raw request. The correct ones check the call as the platform's own
 * library or docs do (standardwebhooks with the `v1,whsec_` prefix cut as
 * Supabase's docs show; @workos-inc/node's constructAction and signResponse;
 * the Authorization value Okta sends; the token claims firebase-admin checks),
 * then answer with what `answer` returns; `answer` is where a test breaks
 * the contract.
 */
export type Behaviour = (req: Received, index: number) => Reply | Promise<Reply>;
const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({ status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
const flat = (r: Received) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
export const replyJson = json;

/** Okta: the Authorization header must hold the configured value (Okta's guides compare it, nothing more). */
export function oktaReceiver(secret: string, answer: (payload: any, index: number) => Reply | Promise<Reply>): Behaviour {
  return (req, index) => {
    if (!equal(String(req.headers.authorization ?? ''), secret)) return { status: 401, body: 'unauthorized' };
    return answer(JSON.parse(req.body.toString('utf8')), index);
  };
}

/** Supabase: the docs' receiver (`new Webhook(secret.replace('v1,whsec_', ''))`, then `wh.verify(payload, headers)`). */
export function supabaseReceiver(secret: string, answer: (payload: any, index: number) => Reply | Promise<Reply>): Behaviour {
  const wh = new Webhook(secret.replace('v1,whsec_', ''));
  return (req, index) => {
    let payload: unknown;
    try {
      payload = wh.verify(req.body.toString('utf8'), flat(req));
    } catch (err) {
      // The docs' sample answers a failed verification with an error object (here under 401).
      return json({ error: { http_code: 401, message: `invalid signature: ${(err as Error).message}` } }, 401);
    }
    return answer(payload, index);
  };
}

/**
 * Firebase: firebase-functions' isValidRequest (POST, application/json,
 * data.jwt), then the checks firebase-admin's auth blocking token verifier
 * makes in emulator mode (token-verifier.ts verifyContent: aud holds
 * `<project>.cloudfunctions.net/`, iss is `https://securetoken.google.com/<project>`,
 * sub 1 to 128 characters except for the e-mail and SMS events; jsonwebtoken's
 * exp), answered as wrapHandler does
 * (`{error: HttpsError.toJSON()}` with the code's status).
 */
export function firebaseReceiver(project: string, answer: (decoded: any, index: number) => Reply | Promise<Reply>): Behaviour {
  const refuse = (message: string): Reply => json({ error: { status: 'INVALID_ARGUMENT', message } }, 400);
  return (req, index) => {
    const body = JSON.parse(req.body.toString('utf8') || '{}');
    if (req.method !== 'POST' || !String(req.headers['content-type']).includes('application/json') || !body?.data?.jwt) return refuse('Bad Request');
    const decoded = JSON.parse(Buffer.from(String(body.data.jwt).split('.')[1]!, 'base64url').toString('utf8'));
    if (!String(decoded.aud).includes(`${project}.cloudfunctions.net/`)) return refuse('Firebase Auth Blocking token has incorrect "aud" (audience) claim.');
    if (decoded.iss !== `https://securetoken.google.com/${project}`) return refuse('Firebase Auth Blocking token has incorrect "iss" (issuer) claim.');
    // firebase-admin excludes beforeSendSms and beforeSendEmail from the sub check: "there is no user record available".
    const noUser = decoded.event_type === 'beforeSendSms' || decoded.event_type === 'beforeSendEmail';
    if (!noUser && (typeof decoded.sub !== 'string' || decoded.sub === '' || decoded.sub.length > 128)) return refuse('Firebase Auth Blocking token has no "sub" (subject) claim.');
    if (typeof decoded.exp !== 'number' || decoded.exp * 1000 <= Date.now()) return refuse('Firebase Auth Blocking token has expired.');
    return answer(decoded, index);
  };
}

/** WorkOS: the SDK's own constructAction to check the call and signResponse to answer (`answer` returns the verdict, or a raw Reply). */
export function workosReceiver(secret: string, answer: (context: any, sign: (verdict: 'Allow' | 'Deny', errorMessage?: string) => Promise<Reply>, index: number) => Reply | Promise<Reply>): Behaviour {
  const workos = new WorkOS('sk_test_hooks');
  return async (req, index) => {
    let context: any;
    try {
      context = await workos.actions.constructAction({ payload: JSON.parse(req.body.toString('utf8')), sigHeader: String(req.headers['workos-signature'] ?? ''), secret });
    } catch {
      return { status: 400, body: 'invalid signature' };
    }
    // constructAction returns nothing for a payload that is no action it knows.
    if (!context) return { status: 400, body: 'not an action' };
    const type = context.object === 'authentication_action_context' ? 'authentication' : 'user_registration';
    const sign = async (verdict: 'Allow' | 'Deny', errorMessage?: string) => json(await workos.actions.signResponse({ type, verdict, ...(errorMessage ? { errorMessage } : {}) } as never, secret));
    return answer(context, sign, index);
  };
}
