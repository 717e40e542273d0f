import { randomBytes } from 'node:crypto';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FIREBASE_PROJECT } from '../../../src/core/providers/sync/firebase.js';
import { requireSyncHook } from '../../../src/core/providers/sync/registry.js';
import { runSyncAudit, type SyncAuditReport } from '../../../src/core/sync/audit.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { firebaseReceiver, oktaReceiver, replyJson, supabaseReceiver, workosReceiver, type Behaviour } from '../../helpers/sync-receivers.js';

/** The synchronous hook audit against real receivers on loopback: correct ones pass, each broken one fails the check it breaks. */
const http = new Agent({ connections: 5 });
const running: Receiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});
afterAll(() => http.close());

async function audit(type: string, secret: string | undefined, behaviour: Behaviour, only?: string[]): Promise<SyncAuditReport> {
  const receiver = await startReceiver(behaviour);
  running.push(receiver);
  return runSyncAudit({ url: new URL(`${receiver.url}/hook`), target: requireSyncHook(type), secret, only, http });
}
const verdicts = (r: SyncAuditReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
const SUPABASE = `v1,whsec_${randomBytes(32).toString('base64')}`;
const OKTA = 'okta-auth-value';
const WORKOS = 'workos-actions-secret';

describe('a correct receiver passes every required check', () => {
  it('Okta token hook', async () => {
    const report = await audit('com.okta.oauth2.tokens.transform', OKTA, oktaReceiver(OKTA, () => replyJson({ commands: [{ type: 'com.okta.access.patch', value: [{ op: 'add', path: '/claims/tier', value: 'gold' }] }] })));
    expect(verdicts(report)).toEqual({ answers_contract: 'pass', refuses_unauthenticated: 'pass', refuses_wrong_secret: 'pass', refuses_stale: 'skip', handles_retry: 'skip', reports_errors: 'pass', answers_in_time: 'pass', https: 'pass' });
    expect(report.failed).toBe(0);
  });

  it('Okta registration hook: its retry is answered too', async () => {
    const report = await audit('com.okta.user.pre-registration', OKTA, oktaReceiver(OKTA, () => ({ status: 204 })));
    expect(verdicts(report).handles_retry).toBe('pass');
    expect(report.failed).toBe(0);
  });

  it('Supabase custom access token hook, on the docs\' receiver', async () => {
    const report = await audit('customize-access-token', SUPABASE, supabaseReceiver(SUPABASE, (p) => (p.claims ? replyJson({ claims: p.claims }) : replyJson({ error: { http_code: 400, message: 'no claims' } }))));
    expect(verdicts(report)).toMatchObject({ answers_contract: 'pass', refuses_unauthenticated: 'pass', refuses_wrong_secret: 'pass', refuses_stale: 'pass', handles_retry: 'pass', reports_errors: 'pass', answers_in_time: 'pass' });
    expect(report.failed + report.warned).toBe(0);
  });

  it('Firebase beforeSignIn, checked as firebase-admin checks the token', async () => {
    const report = await audit('beforeSignIn', undefined, firebaseReceiver(FIREBASE_PROJECT, () => replyJson({ userRecord: { customClaims: { role: 'admin' }, updateMask: 'customClaims' } })));
    expect(verdicts(report)).toMatchObject({ answers_contract: 'pass', refuses_unauthenticated: 'pass', refuses_wrong_secret: 'pass', refuses_stale: 'pass', handles_retry: 'skip', reports_errors: 'pass' });
    expect(report.failed + report.warned).toBe(0);
  });

  it('Okta SAML assertion hook: a patient id added to the assertion, its retry answered too', async () => {
    const report = await audit('com.okta.saml.tokens.transform', OKTA, oktaReceiver(OKTA, (p) =>
      p?.data?.context?.user ? replyJson({ commands: [{ type: 'com.okta.assertion.patch', value: [{ op: 'add', path: '/claims/extPatientId', value: { attributes: { NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified' }, attributeValues: [{ attributes: { 'xsi:type': 'xs:integer' }, value: '1235' }] } }] }] }) : { status: 204 },
    ));
    expect(verdicts(report)).toEqual({ answers_contract: 'pass', refuses_unauthenticated: 'pass', refuses_wrong_secret: 'pass', refuses_stale: 'skip', handles_retry: 'pass', reports_errors: 'pass', answers_in_time: 'pass', https: 'pass' });
  });

  it('Okta user import hook: a match linked to the Okta user', async () => {
    const report = await audit('com.okta.import.transform', OKTA, oktaReceiver(OKTA, () => replyJson({ commands: [{ type: 'com.okta.action.update', value: { result: 'LINK_USER' } }, { type: 'com.okta.user.update', value: { id: '00u1a2b3c4d5e6f7g8h9' } }] })));
    expect(verdicts(report)).toMatchObject({ answers_contract: 'pass', refuses_unauthenticated: 'pass', refuses_wrong_secret: 'pass', handles_retry: 'pass', reports_errors: 'pass', answers_in_time: 'pass' });
    expect(report.failed + report.warned).toBe(0);
  });

  it.each(['beforeSendEmail', 'beforeSendSms'])('Firebase %s, checked as firebase-admin checks the token', async (type) => {
    const report = await audit(type, undefined, firebaseReceiver(FIREBASE_PROJECT, () => replyJson({})));
    expect(verdicts(report)).toMatchObject({ answers_contract: 'pass', refuses_unauthenticated: 'pass', refuses_wrong_secret: 'pass', refuses_stale: 'pass', handles_retry: 'skip', reports_errors: 'pass', answers_in_time: 'pass' });
    expect(report.failed + report.warned).toBe(0);
  });

  it('WorkOS authentication action, on @workos-inc/node', async () => {
    const report = await audit('authentication_action_context', WORKOS, workosReceiver(WORKOS, (_c, sign) => sign('Allow')));
    expect(verdicts(report)).toMatchObject({ answers_contract: 'pass', refuses_unauthenticated: 'pass', refuses_wrong_secret: 'pass', refuses_stale: 'pass', handles_retry: 'skip' });
    expect(report.failed).toBe(0);
  });
});

describe('a broken receiver fails the check it breaks, with the reason', () => {
  it('checks nothing: takes a call without credentials and one with another secret', async () => {
    const report = await audit('send-email', SUPABASE, () => replyJson({}));
    expect(verdicts(report)).toMatchObject({ answers_contract: 'pass', refuses_unauthenticated: 'fail', refuses_wrong_secret: 'fail', refuses_stale: 'fail' });
    expect(report.checks.find((c) => c.id === 'refuses_unauthenticated')!.detail).toContain('not from Supabase');
  });

  it('answers an error under a status Supabase ignores: reports_errors warns, naming it', async () => {
    const report = await audit('customize-access-token', SUPABASE, supabaseReceiver(SUPABASE, (p) => (p.claims ? replyJson({ claims: p.claims }) : replyJson({ error: { http_code: 400, message: 'no claims' } }, 400))), ['reports_errors']);
    const check = report.checks[0]!;
    expect(check).toMatchObject({ id: 'reports_errors', status: 'warn' });
    expect(check.detail).toContain('Supabase reads the error object only on 200 or 202');
  });

  it('breaks the contract: answers_contract fails with the violation and what the platform does', async () => {
    const report = await audit('com.okta.oauth2.tokens.transform', OKTA, oktaReceiver(OKTA, () => replyJson({ commands: [{ type: 'com.okta.identity.patch', value: [{ op: 'add', path: '/claims/iss', value: 'x' }] }] })), ['answers_contract']);
    expect(report.checks[0]).toMatchObject({ status: 'fail' });
    expect(report.checks[0]!.detail).toContain('[reserved_claim]');
    expect(report.checks[0]!.hint).toContain('original token');
  });

  it.each([
    ['com.okta.saml.tokens.transform', { commands: [{ type: 'com.okta.assertion.patch', value: [{ op: 'add', path: '/claims/https://example.com/claims/tier', value: { attributeValues: [{ value: 'gold' }] } }] }] }, '[unescaped_uri_claim]', 'original SAML assertion'],
    ['com.okta.import.transform', { commands: [{ type: 'com.okta.action.update', value: { result: 'LINK_USER' } }] }, '[link_without_user]', 'a user is created'],
  ])('breaks the %s contract: answers_contract fails, naming it and what Okta does', async (type, answer, violation, then) => {
    const report = await audit(type, OKTA, oktaReceiver(OKTA, () => replyJson(answer)), ['answers_contract']);
    expect(report.checks[0]).toMatchObject({ status: 'fail' });
    expect(report.checks[0]!.detail).toContain(violation);
    expect(report.checks[0]!.hint).toContain(then);
  });

  it('blocks an SMS with a bare 403 (Firebase beforeSendSms): not an HttpsError, so the client gets a generic error', async () => {
    const report = await audit('beforeSendSms', undefined, firebaseReceiver(FIREBASE_PROJECT, () => ({ status: 403, body: 'no' })), ['answers_contract']);
    expect(report.checks[0]).toMatchObject({ status: 'fail' });
    expect(report.checks[0]!.detail).toContain('[error_not_https_error]');
    expect(report.checks[0]!.hint).toContain('sends no SMS');
  });

  it('refuses the platform\'s retry as a duplicate (Okta password import): handles_retry fails', async () => {
    const seen = new Set<string>();
    const report = await audit('com.okta.user.credential.password.import', OKTA, oktaReceiver(OKTA, (p) => {
      if (seen.has(p.eventId)) return { status: 409, body: 'duplicate' };
      seen.add(p.eventId);
      return replyJson({ commands: [{ type: 'com.okta.action.update', value: { credential: 'VERIFIED' } }] });
    }), ['handles_retry']);
    expect(report.checks[0]).toMatchObject({ id: 'handles_retry', status: 'fail' });
    expect(report.checks[0]!.detail).toContain('status_not_200');
  });

  it('answers past the deadline: answers_in_time fails', async () => {
    const report = await audit('com.okta.oauth2.tokens.transform', OKTA, oktaReceiver(OKTA, () => ({ status: 204, delayMs: 3300 })), ['answers_in_time']);
    expect(report.checks[0]).toMatchObject({ id: 'answers_in_time', status: 'fail' });
    expect(report.checks[0]!.detail).toContain('answered too late');
  }, 30_000);

  it('a receiver that is down is exit-3 material, not a list of failures', async () => {
    await expect(runSyncAudit({ url: new URL('http://127.0.0.1:9/x'), target: requireSyncHook('beforeCreate'), secret: undefined, http })).rejects.toMatchObject({ code: 'receiver_unreachable' });
  });
});
