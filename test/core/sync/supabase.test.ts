import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { requireSyncHook } from '../../../src/core/providers/sync/registry.js';
import { supabaseSync } from '../../../src/core/providers/sync/supabase.js';
import { HeaderBag } from '../../../src/core/signing/headers.js';
import { runSyncHook } from '../../../src/core/sync/run.js';
import { startReceiver, type Reply } from '../../helpers/receiver.js';
import { replyJson, supabaseReceiver } from '../../helpers/sync-receivers.js';

const secret = () => `v1,whsec_${randomBytes(32).toString('base64')}`;
const SECRET = secret();
const http = new Agent({ connections: 4 });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await http.close();
});

async function call(type: string, answer: (payload: any, index: number) => Reply | Promise<Reply>, opts: { secret?: string; receiverSecret?: string } = {}) {
  const target = requireSyncHook(type, 'supabase');
  const receiver = await startReceiver(supabaseReceiver(opts.receiverSecret ?? SECRET, answer));
  receivers.push(receiver);
  const payload = target.contract.request.sample(new Date());
  const r = await runSyncHook(http, target, { url: new URL(`${receiver.url}/hook`), secret: opts.secret ?? SECRET, payload });
  return { ...r, payload: payload as any, receiver };
}
const codes = (v: { violations: Array<{ code: string }> }) => v.violations.map((x) => x.code);

/** Required claims, as the custom access token hook's docs page lists them and supabase/auth's MinimumViableTokenSchema requires them. */
const REQUIRED = ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous'];

describe('Supabase custom access token hook (customize-access-token)', () => {
  const TYPE = 'customize-access-token';

  it('is signed as Standard Webhooks: the docs\' receiver (standardwebhooks, v1,whsec_ cut) verifies it; a new webhook-id on every try', async () => {
    const { call: c, payload, receiver } = await call(TYPE, (p) => replyJson({ claims: p.claims }));
    expect(c.attempts[0]!.status).toBe(200);
    const got = receiver.requests[0]!;
    expect(got.headers).toMatchObject({ 'content-type': 'application/json', 'accept-encoding': 'identity', 'user-agent': 'Go-http-client/1.1' });
    expect(got.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload).toMatchObject({ metadata: { name: TYPE, uuid: expect.any(String), time: expect.any(String) }, user_id: expect.any(String), authentication_method: 'password' });
    for (const claim of REQUIRED) expect(payload.claims).toHaveProperty(claim);
  });

  it('several secrets (joined by |) give signatures joined by ", ": a receiver holding either one verifies', async () => {
    const other = secret();
    const { call: c } = await call(TYPE, (p) => replyJson({ claims: p.claims }), { secret: `${SECRET}|${other}`, receiverSecret: other });
    expect(c.attempts[0]!.status).toBe(200);
    expect(c.attempts[0]!.sent['webhook-signature']).toMatch(/^v1,\S+, v1,\S+$/);
    const headers = HeaderBag.from(c.attempts[0]!.sent);
    expect(supabaseSync.auth.verify!(c.body, headers, other)).toMatchObject({ valid: true });
    expect(supabaseSync.auth.verify!(c.body, headers, secret())).toMatchObject({ valid: false });
  });

  it('a correct answer: the access token carries the claims the hook answered', async () => {
    const { verdict, payload } = await call(TYPE, (p) => replyJson({ claims: { ...p.claims, user_role: 'admin' } }));
    expect(verdict).toMatchObject({ proceeds: true, path: 'answer', violations: [] });
    expect(verdict.result.claims).toEqual({ ...payload.claims, user_role: 'admin' });
  });

  it('a required claim dropped fails the token request, named', async () => {
    const { verdict } = await call(TYPE, (p) => {
      const { role: _r, ...claims } = p.claims;
      return replyJson({ claims });
    });
    expect(codes(verdict)).toEqual(['missing_required_claim']);
    expect(verdict.violations[0]!.message).toContain('lacks claims.role');
    expect(verdict).toMatchObject({ proceeds: false, path: 'closed', reason: '500: output claims do not conform to the expected schema' });
  });

  it('a claim of the wrong type is named', async () => {
    const { verdict } = await call(TYPE, (p) => replyJson({ claims: { ...p.claims, exp: String(p.claims.exp) } }));
    expect(codes(verdict)).toEqual(['bad_claim_type']);
  });

  it('no claims field, and 204, are named', async () => {
    expect(codes((await call(TYPE, () => replyJson({ user_role: 'x' }))).verdict)).toEqual(['missing_claims']);
    expect(codes((await call(TYPE, () => ({ status: 204 }))).verdict)).toEqual(['missing_claims']);
  });

  it('an error object on 200 is the hook\'s refusal: the user sees its message (not a violation)', async () => {
    const { verdict } = await call(TYPE, () => replyJson({ error: { http_code: 403, message: 'Staging access is only allowed to team members' } }));
    expect(verdict).toMatchObject({ proceeds: false, path: 'answer', reason: '403: Staging access is only allowed to team members', violations: [] });
  });

  it('an error object under another status is lost: named, and the user sees Supabase\'s fixed message', async () => {
    const { verdict } = await call(TYPE, () => replyJson({ error: { http_code: 403, message: 'Staging access is only allowed to team members' } }, 403));
    expect(codes(verdict)).toEqual(['error_under_ignored_status']);
    expect(verdict).toMatchObject({ proceeds: false, path: 'closed', reason: '500: Unexpected status code returned from hook: 403' });
    // The docs' own sample answers a failure with a string error under 500: the same loss.
    const docs = await call(TYPE, () => replyJson({ error: 'Failed to process the request: x' }, 500));
    expect(codes(docs.verdict)).toEqual(['unexpected_status']);
  });

  it('a 200 that is not application/json fails the request', async () => {
    const { verdict } = await call(TYPE, (p) => ({ status: 200, body: JSON.stringify({ claims: p.claims }), headers: { 'content-type': 'text/plain' } }));
    expect(codes(verdict)).toEqual(['not_json_content_type']);
    expect(verdict.reason).toContain('hook_payload_invalid_content_type');
  });

  it('429 with retry-after is tried again at once; 503 without it is not', async () => {
    const retried = await call(TYPE, (p, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : replyJson({ claims: p.claims })));
    expect(retried.call.attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(retried.verdict.violations).toEqual([]);
    const webhookIds = retried.receiver.requests.map((r) => r.headers['webhook-id']);
    expect(new Set(webhookIds).size).toBe(2);
    const refused = await call(TYPE, () => ({ status: 503 }));
    expect(refused.call.attempts).toHaveLength(1);
    expect(codes(refused.verdict)).toEqual(['unavailable_without_retry_after']);
  });

  it.concurrent('an answer after 5 s is a hook_timeout (fails closed)', async () => {
    const { verdict } = await call(TYPE, (p) => ({ ...replyJson({ claims: p.claims }), delayMs: 5600 }));
    expect(codes(verdict)).toEqual(['late_answer']);
    expect(verdict).toMatchObject({ proceeds: false, path: 'closed' });
    expect(verdict.reason).toContain('hook_timeout');
  });
});

describe('Supabase send-email and send-sms hooks', () => {
  it('send-email: {} is success, and says which e-mail the hook sends', async () => {
    const { verdict, payload } = await call('send-email', () => replyJson({}));
    expect(verdict).toMatchObject({ proceeds: true, violations: [] });
    expect(verdict.result.email).toMatchObject({ to: payload.user.email, email_action_type: 'signup', token: payload.email_data.token, token_hash: payload.email_data.token_hash });
    expect(payload.email_data.token).toMatch(/^[0-9]{6}$/);
    expect(payload.metadata.name).toBe('send-email');
  });

  it('send-email: a 200 with an empty body cannot be unmarshalled, named', async () => {
    const { verdict } = await call('send-email', () => ({ status: 200, body: '', headers: { 'content-type': 'application/json' } }));
    expect(codes(verdict)).toEqual(['malformed_answer']);
  });

  it('send-sms: 204 is success, and says which code goes to which phone', async () => {
    const { verdict, payload } = await call('send-sms', () => ({ status: 204 }));
    expect(verdict).toMatchObject({ proceeds: true, violations: [] });
    expect(verdict.result.sms).toEqual({ to: payload.sms.phone, otp: payload.sms.otp });
  });

  it('send-sms: the docs\' Twilio sample answers a failure under the provider\'s status: named', async () => {
    const { verdict } = await call('send-sms', () => replyJson({ error: { http_code: 400, message: 'Failed to send SMS' } }, 400));
    expect(codes(verdict)).toEqual(['error_under_ignored_status']);
    expect(verdict.reason).toBe('500: Invalid payload sent to hook');
  });
});

describe('Supabase before-user-created hook', () => {
  it('{} allows; an error object on 200 refuses the sign-up', async () => {
    expect((await call('before-user-created', () => replyJson({}))).verdict).toMatchObject({ proceeds: true, violations: [] });
    const refused = await call('before-user-created', () => replyJson({ error: { http_code: 400, message: 'Only company addresses' } }));
    expect(refused.verdict).toMatchObject({ proceeds: false, reason: '400: Only company addresses', violations: [] });
  });
});

describe('Supabase MFA and password verification attempt hooks', () => {
  it('"reject" stops the attempt with the hook\'s message (or Supabase\'s default); "continue" lets it go on', async () => {
    const rejected = await call('mfa-verification', () => replyJson({ decision: 'reject', message: 'Too many attempts' }));
    expect(rejected.verdict).toMatchObject({ proceeds: false, reason: '403 mfa_verification_rejected: Too many attempts', violations: [] });
    const defaulted = await call('password-verification', () => replyJson({ decision: 'reject', should_logout_user: true }));
    expect(defaulted.verdict.reason).toBe('400 invalid_credentials: Further password verification attempts will be rejected.');
    const fine = await call('password-verification', () => replyJson({ decision: 'continue' }));
    expect(fine.verdict).toMatchObject({ proceeds: true, violations: [] });
  });

  it('a decision Supabase does not know is named: the attempt silently continues', async () => {
    const { verdict } = await call('mfa-verification', () => replyJson({ decision: 'deny', message: 'no' }));
    expect(codes(verdict)).toEqual(['unknown_decision']);
    expect(verdict.proceeds).toBe(true);
  });
});

describe('Supabase hook secrets', () => {
  it('are written v1,whsec_ as Supabase shows them', () => {
    expect(supabaseSync.auth.validateSecret(SECRET)).toBeNull();
    expect(supabaseSync.auth.validateSecret(SECRET.slice(3))).toContain('v1,whsec_');
    // What standardwebhooks itself takes after the docs' replace(): the same key.
    expect(() => new Webhook(SECRET.replace('v1,whsec_', ''))).not.toThrow();
  });
});
