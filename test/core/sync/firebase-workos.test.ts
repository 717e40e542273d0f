import { createHmac } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { FIREBASE_PROJECT } from '../../../src/core/providers/sync/firebase.js';
import { requireSyncHook } from '../../../src/core/providers/sync/registry.js';
import { runSyncHook } from '../../../src/core/sync/run.js';
import { startReceiver, type Reply } from '../../helpers/receiver.js';
import { firebaseReceiver, replyJson, workosReceiver } from '../../helpers/sync-receivers.js';

const http = new Agent({ connections: 4 });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await http.close();
});
const codes = (v: { violations: Array<{ code: string }> }) => v.violations.map((x) => x.code);

async function run(type: string, behaviour: Parameters<typeof startReceiver>[0], secret?: string) {
  const target = requireSyncHook(type);
  const receiver = await startReceiver(behaviour);
  receivers.push(receiver);
  const payload = target.contract.request.sample(new Date());
  return { ...(await runSyncHook(http, target, { url: new URL(`${receiver.url}/hook`), secret, payload })), payload: payload as any, receiver };
}

describe('Firebase blocking functions (beforeCreate, beforeSignIn)', () => {
  const fb = (type: string, answer: (decoded: any, i: number) => Reply | Promise<Reply>) => run(type, firebaseReceiver(FIREBASE_PROJECT, answer));

  it('sends {"data": {"jwt"}} with an unsigned token, as the Auth emulator does, that firebase-admin\'s checks accept', async () => {
    const { call, payload, receiver } = await fb('beforeCreate', () => replyJson({}));
    expect(call.attempts[0]!.status).toBe(200);
    const body = JSON.parse(receiver.requests[0]!.body.toString());
    const [header, claims, signature] = body.data.jwt.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'none', typ: 'JWT' });
    expect(signature).toBe('');
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toEqual(payload);
    expect(payload).toMatchObject({ iss: `https://securetoken.google.com/${FIREBASE_PROJECT}`, event_type: 'beforeCreate', sub: payload.user_record.uid, user_record: { uid: expect.any(String), email: expect.any(String) } });
  });

  it('beforeSignIn: custom and session claims in the ID token', async () => {
    const { verdict } = await fb('beforeSignIn', () => replyJson({ userRecord: { customClaims: { role: 'admin' }, sessionClaims: { signInIp: '203.0.113.9' }, updateMask: 'customClaims,sessionClaims' } }));
    expect(verdict).toMatchObject({ proceeds: true, violations: [] });
    expect((verdict.result.id_token as any).claims).toMatchObject({ role: 'admin', signInIp: '203.0.113.9', iss: `https://securetoken.google.com/${FIREBASE_PROJECT}` });
  });

  it('beforeCreate: the user as the function changed it', async () => {
    const { verdict } = await fb('beforeCreate', () => replyJson({ userRecord: { displayName: 'Ada', emailVerified: true, updateMask: 'displayName,emailVerified' } }));
    expect(verdict.result.user).toMatchObject({ displayName: 'Ada', emailVerified: true });
  });

  it.each([
    ['a reserved claim', { userRecord: { customClaims: { aud: 'x' }, updateMask: 'customClaims' } }, 'reserved_claim'],
    ['claims over 1,000 characters', { userRecord: { customClaims: { big: 'x'.repeat(1000) }, updateMask: 'customClaims' } }, 'claims_too_large'],
    ['a userRecord without updateMask', { userRecord: { customClaims: { role: 'admin' } } }, 'missing_update_mask'],
    ['a change not named in updateMask', { userRecord: { customClaims: { role: 'admin' }, displayName: 'x', updateMask: 'customClaims' } }, 'not_in_update_mask'],
  ])('%s fails the sign-in (closed), named', async (_what, answer, code) => {
    const { verdict } = await fb('beforeSignIn', () => replyJson(answer));
    expect(codes(verdict)).toEqual([code]);
    expect(verdict).toMatchObject({ proceeds: false, path: 'closed' });
  });

  it('sessionClaims in beforeCreate are ignored by Firebase: named', async () => {
    const { verdict } = await fb('beforeCreate', () => replyJson({ userRecord: { sessionClaims: { a: 1 }, updateMask: 'sessionClaims' } }));
    expect(codes(verdict)).toEqual(['session_claims_before_create']);
  });

  it('a thrown HttpsError blocks with its message (not a violation); a bare 500 is named', async () => {
    const blocked = await fb('beforeCreate', () => replyJson({ error: { status: 'PERMISSION_DENIED', message: 'Unauthorized email' } }, 403));
    expect(blocked.verdict).toMatchObject({ proceeds: false, path: 'answer', reason: 'PERMISSION_DENIED: Unauthorized email', violations: [] });
    const crashed = await fb('beforeCreate', () => ({ status: 500, body: 'Internal Server Error' }));
    expect(codes(crashed.verdict)).toEqual(['error_not_https_error']);
  });

  it.concurrent('an answer after 7 s fails the sign-up (closed)', async () => {
    const { verdict } = await fb('beforeCreate', () => ({ ...replyJson({}), delayMs: 7500 }));
    expect(codes(verdict)).toEqual(['late_answer']);
    expect(verdict).toMatchObject({ proceeds: false, path: 'closed' });
  });
});

describe('Firebase blocking functions before an e-mail or SMS (beforeSendEmail, beforeSendSms)', () => {
  const fb = (type: string, answer: (decoded: any, i: number) => Reply | Promise<Reply>) => run(type, firebaseReceiver(FIREBASE_PROJECT, answer));

  it("sends the token firebase-functions' spec parses for each: no user record, no sub, the e-mail or phone and its type", async () => {
    // The decoded tokens of spec/common/providers/identity.spec.ts ("should parse a beforeSendEmail event", "… beforeSendSms event"), their keys.
    const specKeys = ['iss', 'aud', 'iat', 'exp', 'event_id', 'event_type', 'user_agent', 'ip_address', 'locale'];
    const email = await fb('beforeSendEmail', () => replyJson({}));
    expect(Object.keys(email.payload).sort()).toEqual([...specKeys, 'email_type', 'email'].sort());
    expect(email.payload).toMatchObject({ event_type: 'beforeSendEmail', email_type: expect.stringMatching(/^(EMAIL_SIGN_IN|PASSWORD_RESET)$/), email: expect.stringContaining('@') });
    expect(email.verdict).toMatchObject({ proceeds: true, path: 'answer', violations: [], result: { sent: true, message: { to: email.payload.email, email_type: email.payload.email_type } } });
    const sms = await fb('beforeSendSms', () => replyJson({}));
    expect(Object.keys(sms.payload).sort()).toEqual([...specKeys, 'sms_type', 'phone_number'].sort());
    expect(sms.payload).toMatchObject({ event_type: 'beforeSendSms', sms_type: expect.stringMatching(/^(SIGN_IN_OR_SIGN_UP|MULTI_FACTOR_SIGN_IN|MULTI_FACTOR_ENROLLMENT)$/), phone_number: expect.stringMatching(/^\+\d{8,15}$/) });
    expect(sms.verdict).toMatchObject({ proceeds: true, violations: [], result: { sent: true, message: { to: sms.payload.phone_number } } });
    // The receiver checked the token as firebase-admin does (a refusal would be a 400): accepted without a sub.
    expect(sms.call.attempts[0]!.status).toBe(200);
  });

  it('a thrown HttpsError blocks the message; recaptchaActionOverride BLOCK too; ALLOW sends it', async () => {
    const blocked = await fb('beforeSendEmail', () => replyJson({ error: { status: 'PERMISSION_DENIED', message: 'Too many reset e-mails' } }, 403));
    expect(blocked.verdict).toMatchObject({ proceeds: false, path: 'answer', reason: 'PERMISSION_DENIED: Too many reset e-mails', violations: [], result: { sent: false } });
    const recaptcha = await fb('beforeSendSms', () => replyJson({ recaptchaActionOverride: 'BLOCK' }));
    expect(recaptcha.verdict).toMatchObject({ proceeds: false, violations: [], result: { sent: false, recaptchaActionOverride: 'BLOCK' } });
    const allowed = await fb('beforeSendSms', () => replyJson({ recaptchaActionOverride: 'ALLOW' }));
    expect(allowed.verdict).toMatchObject({ proceeds: true, violations: [], result: { sent: true } });
  });

  it.each([
    ['a user record, which these events do not have', { userRecord: { displayName: 'x', updateMask: 'displayName' } }, 'not_for_this_event', true],
    ['a reCAPTCHA override Firebase does not know', { recaptchaActionOverride: 'DENY' }, 'bad_field', false],
  ])('%s is named', async (_what, answer, code, proceeds) => {
    const { verdict } = await fb('beforeSendEmail', () => replyJson(answer));
    expect(codes(verdict)).toEqual([code]);
    expect(verdict.proceeds).toBe(proceeds);
  });

  it('a bare 500 fails the request (closed), named', async () => {
    const { verdict } = await fb('beforeSendSms', () => ({ status: 500, body: 'Internal Server Error' }));
    expect(codes(verdict)).toEqual(['error_not_https_error']);
    expect(verdict).toMatchObject({ proceeds: false, path: 'closed', result: { sent: false } });
  });
});

describe('WorkOS Actions (authentication and user registration)', () => {
  const SECRET = 'workos-actions-secret';
  const wo = (type: string, answer: Parameters<typeof workosReceiver>[1], secret = SECRET) => run(type, workosReceiver(SECRET, answer), secret);

  it('the request verifies with the SDK\'s own constructAction; Allow from signResponse lets the sign-in through', async () => {
    const { verdict, receiver, payload } = await wo('authentication_action_context', (_c, sign) => sign('Allow'));
    expect(receiver.requests[0]!.headers['workos-signature']).toMatch(/^t=\d{13}, v1=[0-9a-f]{64}$/);
    expect(payload).toMatchObject({ object: 'authentication_action_context', user: { object: 'user', email: expect.any(String) } });
    expect(verdict).toMatchObject({ proceeds: true, path: 'answer', violations: [], result: { verdict: 'Allow' } });
  });

  it('Deny with a message denies with it', async () => {
    const { verdict } = await wo('user_registration_action_context', (_c, sign) => sign('Deny', 'Please use a work email address'));
    expect(verdict).toMatchObject({ proceeds: false, path: 'answer', reason: 'Please use a work email address', violations: [] });
  });

  it('an unsigned answer, a wrongly signed one and the other action\'s object deny by default, named', async () => {
    const unsigned = await wo('authentication_action_context', () => replyJson({ object: 'authentication_action_response', payload: { timestamp: Date.now(), verdict: 'Allow' } }));
    expect(codes(unsigned.verdict)).toEqual(['unsigned_answer']);
    expect(unsigned.verdict).toMatchObject({ proceeds: false, path: 'closed' });
    const forged = await wo('authentication_action_context', () => {
      const payload = { timestamp: Date.now(), verdict: 'Allow' };
      return replyJson({ object: 'authentication_action_response', payload, signature: createHmac('sha256', 'another').update(`${payload.timestamp}.${JSON.stringify(payload)}`).digest('hex') });
    });
    expect(codes(forged.verdict)).toEqual(['bad_signature']);
    const other = await wo('user_registration_action_context', async (_c, _sign) => {
      const { WorkOS } = await import('@workos-inc/node');
      return replyJson(await new WorkOS('sk_test').actions.signResponse({ type: 'authentication', verdict: 'Allow' }, SECRET));
    });
    expect(codes(other.verdict)).toEqual(['wrong_object']);
  });

  it('a non-200 answer denies by default (the endpoint\'s error handling)', async () => {
    const { verdict } = await wo('authentication_action_context', () => ({ status: 500 }));
    expect(codes(verdict)).toEqual(['status_not_200']);
    expect(verdict.summary).toContain('default');
  });
});
