import { createRequire } from 'node:module';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalogData } from '../../../src/core/fixtures/data.js';
import { oktaSdkAnswerSchema } from '../../../src/core/providers/sync/okta.js';
import { requireSyncHook } from '../../../src/core/providers/sync/registry.js';
import { runSyncHook } from '../../../src/core/sync/run.js';
import { startReceiver, type Reply } from '../../helpers/receiver.js';
import { oktaReceiver, replyJson } from '../../helpers/sync-receivers.js';

const SECRET = 'okta-hook-secret';
const http = new Agent({ connections: 4 });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await http.close();
});

/** The platform's call to a real receiver on loopback, and Okta's reading of its answer. */
async function call(type: string, answer: (payload: any, index: number) => Reply | Promise<Reply>, payload?: unknown) {
  const target = requireSyncHook(type, 'okta');
  const receiver = await startReceiver(oktaReceiver(SECRET, answer));
  receivers.push(receiver);
  const sent = payload ?? target.contract.request.sample(new Date());
  const r = await runSyncHook(http, target, { url: new URL(`${receiver.url}/okta`), secret: SECRET, payload: sent });
  return { ...r, sent, receiver };
}
const codes = (v: { violations: Array<{ code: string }> }) => v.violations.map((x) => x.code);
const patch = (type: string, ...ops: unknown[]) => replyJson({ commands: [{ type, value: ops }] });

/** The answers the API reference shows for a hook (x-webhooks examples, in the generated catalog). */
const catalogAnswers = (type: string) => readCatalogData<{ hooks: Record<string, { response: { examples: Record<string, any> } }> }>('okta-inline-hooks.json').hooks[type]!.response.examples;

const Ajv = createRequire(import.meta.url)('ajv');
/** Answers the correct receivers give fit the SDK's own answer type (TokenHookResponse, RegistrationResponse, PasswordImportResponse, SAMLHookResponse, UserImportResponse). */
function fitsSdk(type: string, answer: unknown) {
  const schema = oktaSdkAnswerSchema(type)!;
  const validate = new Ajv({ strict: false }).compile(schema);
  expect(validate(answer), JSON.stringify(validate.errors)).toBe(true);
}

describe('Okta token inline hook (com.okta.oauth2.tokens.transform)', () => {
  const TOKEN = 'com.okta.oauth2.tokens.transform';

  it('sends the API reference example, fresh, with the configured Authorization value', async () => {
    const { call: c, sent } = await call(TOKEN, () => ({ status: 204 }));
    const headers = c.attempts[0]!.sent;
    expect(headers).toMatchObject({ authorization: SECRET, accept: 'application/json', 'content-type': 'application/json' });
    const body = JSON.parse(c.body.toString());
    expect(body).toEqual(sent);
    expect(body).toMatchObject({ eventType: TOKEN, cloudEventVersion: '0.1', contentType: 'application/json', data: { context: { protocol: { type: 'OAUTH2.0' } }, identity: { claims: {} }, access: { claims: {} } } });
    // Fresh: not the example's own ids, and the user's id is the same wherever the example repeats it.
    expect(body.eventId).not.toBe('3OWo4oo-QQ-rBWfRyTmQYw');
    expect(body.data.context.user.id).not.toBe('00uq8tMo3zV0OfJON0g3');
    expect(body.data.identity.claims.sub).toBe(body.data.context.user.id);
    expect(body.data.access.claims.uid).toBe(body.data.context.user.id);
    expect(JSON.stringify(body)).not.toContain('yourOktaDomain');
  });

  it('applies the commands of a correct answer: the claims after the patches, and the lifetime', async () => {
    const answer = {
      commands: [
        { type: 'com.okta.identity.patch', value: [{ op: 'add', path: '/claims/extPatientId', value: '1234' }, { op: 'replace', path: '/token/lifetime/expiration', value: 36000 }] },
        { type: 'com.okta.access.patch', value: [{ op: 'add', path: '/claims/external_guid', value: 'F0384685-F87D-474B-848D-2058AC5655A7' }, { op: 'add', path: '/claims/https:~1~1example.com~1role', value: 'admin' }] },
      ],
    };
    fitsSdk(TOKEN, answer);
    const { verdict, sent } = await call(TOKEN, () => replyJson(answer));
    expect(verdict.violations).toEqual([]);
    expect(verdict).toMatchObject({ proceeds: true, path: 'answer' });
    const tokens = verdict.result.tokens as any;
    expect(tokens.id_token.claims).toEqual({ ...(sent as any).data.identity.claims, extPatientId: '1234' });
    expect(tokens.id_token.lifetime).toBe(36000);
    // RFC 6901: ~1 is "/", for URI claims.
    expect(tokens.access_token.claims).toMatchObject({ external_guid: 'F0384685-F87D-474B-848D-2058AC5655A7', 'https://example.com/role': 'admin' });
  });

  it('appends to, replaces in and removes from existing claims as the reference shows', async () => {
    const payload: any = requireSyncHook(TOKEN).contract.request.sample(new Date());
    payload.data.identity.claims.preferred_airports = ['sjc', 'sfo', 'oak'];
    payload.data.identity.claims.employee_profile = { employee_id: '1234', name: 'Anna', email: 'anna.v@company.com' };
    const { verdict } = await call(
      TOKEN,
      () =>
        patch(
          'com.okta.identity.patch',
          { op: 'add', path: '/claims/preferred_airports/3', value: 'lax' },
          { op: 'add', path: '/claims/preferred_airports/-', value: 'sea' },
          { op: 'replace', path: '/claims/employee_profile/email', value: 'anna@company.com' },
          { op: 'remove', path: '/claims/preferred_airports/0' },
          { op: 'remove', path: '/claims/employee_profile/name', value: null },
        ),
      payload,
    );
    expect(verdict.violations).toEqual([]);
    const claims = (verdict.result.tokens as any).id_token.claims;
    expect(claims.preferred_airports).toEqual(['sfo', 'oak', 'lax', 'sea']);
    expect(claims.employee_profile).toEqual({ employee_id: '1234', email: 'anna@company.com' });
  });

  it.each([
    ['a reserved claim of the ID token', { op: 'replace', path: '/claims/sub', value: 'x' }, 'reserved_claim', 'com.okta.identity.patch'],
    ['a reserved claim of the access token', { op: 'add', path: '/claims/cid', value: 'x' }, 'reserved_claim', 'com.okta.access.patch'],
    ['a replace of a claim the token does not have', { op: 'replace', path: '/claims/nope', value: 'x' }, 'missing_claim', 'com.okta.identity.patch'],
    ['a path outside /claims/', { op: 'add', path: '/token/claims/x', value: 'x' }, 'bad_patch_path', 'com.okta.identity.patch'],
    ['a lifetime under five minutes', { op: 'replace', path: '/token/lifetime/expiration', value: 60 }, 'bad_lifetime', 'com.okta.access.patch'],
    ['an op Okta does not support', { op: 'move', path: '/claims/name', from: '/claims/email' }, 'bad_op', 'com.okta.identity.patch'],
    ['a remove with a value', { op: 'remove', path: '/claims/name', value: 'x' }, 'remove_with_value', 'com.okta.identity.patch'],
    ['an index past the end of an array', { op: 'add', path: '/claims/amr/5', value: 'x' }, 'bad_array_index', 'com.okta.identity.patch'],
  ])('skips the whole hook for %s: the original tokens, the violation named', async (_what, op, code, type) => {
    const { verdict, sent } = await call(TOKEN, () => replyJson({ commands: [{ type: 'com.okta.identity.patch', value: [{ op: 'add', path: '/claims/fine', value: 1 }] }, { type, value: [op] }] }));
    expect(codes(verdict)).toEqual([code]);
    expect(verdict).toMatchObject({ proceeds: true, path: 'open' });
    // One bad op and nothing applies, not even the good command before it.
    expect((verdict.result.tokens as any).id_token.claims).toEqual((sent as any).data.identity.claims);
  });

  it('an error object means no token and server_error with the summary', async () => {
    const answer = { error: { errorSummary: 'Human-readable summary of the error' } };
    fitsSdk(TOKEN, answer);
    const { verdict } = await call(TOKEN, () => replyJson(answer));
    expect(verdict).toMatchObject({ proceeds: false, path: 'answer', reason: 'server_error: Human-readable summary of the error', violations: [] });
  });

  it('any status but 200 is skipped (fails open) and named; no retry for the token hook', async () => {
    const { verdict, call: c } = await call(TOKEN, () => ({ status: 500, body: 'boom' }));
    expect(codes(verdict)).toEqual(['status_not_200']);
    expect(verdict).toMatchObject({ proceeds: true, path: 'open' });
    expect(c.attempts).toHaveLength(1);
  });

  it('a commands type Okta does not know is named', async () => {
    const { verdict } = await call(TOKEN, () => patch('com.okta.assertion.patch', { op: 'add', path: '/claims/x', value: 1 }));
    expect(codes(verdict)).toEqual(['unknown_command']);
  });

  it.concurrent('a late answer (past 3 s) takes the open path: the original token is issued', async () => {
    const { verdict } = await call(TOKEN, () => ({ ...replyJson({ commands: [] }), delayMs: 3600 }));
    expect(codes(verdict)).toEqual(['late_answer']);
    expect(verdict).toMatchObject({ proceeds: true, path: 'open' });
  });
});

describe('Okta registration inline hook (com.okta.user.pre-registration)', () => {
  const REG = 'com.okta.user.pre-registration';

  it('204 allows the registration; the request is the SSR example, fresh', async () => {
    const { verdict, sent } = await call(REG, () => ({ status: 204 }));
    expect(sent).toMatchObject({ eventType: REG, requestType: 'self.service.registration', data: { userProfile: { email: expect.any(String) }, action: 'ALLOW' } });
    expect(verdict).toMatchObject({ proceeds: true, path: 'answer', violations: [], result: { registration: 'ALLOW' } });
  });

  it('a DENY with errorCauses denies with their summary; profile updates apply on ALLOW', async () => {
    const deny = { commands: [{ type: 'com.okta.action.update', value: { registration: 'DENY' } }], error: { errorSummary: 'Incorrect email address. Please contact your admin.', errorCauses: [{ errorSummary: 'Only example.com emails can register.', reason: 'INVALID_EMAIL_DOMAIN', locationType: 'body', location: 'data.userProfile.email', domain: 'end-user' }] } };
    const denied = await call(REG, () => replyJson(deny));
    expect(denied.verdict).toMatchObject({ proceeds: false, path: 'answer', reason: 'Only example.com emails can register.', violations: [] });
    const allow = { commands: [{ type: 'com.okta.user.profile.update', value: { department: 'R&D' } }, { type: 'com.okta.action.update', value: { registration: 'ALLOW' } }] };
    fitsSdk(REG, allow);
    const allowed = await call(REG, () => replyJson(allow));
    expect(allowed.verdict).toMatchObject({ proceeds: true, violations: [], result: { registration: 'ALLOW', profile: { department: 'R&D' } } });
  });

  it('the API reference example\'s "com.action.update" is not a command Okta knows: denied (fails closed), named', async () => {
    const { verdict } = await call(REG, () => replyJson({ commands: [{ type: 'com.action.update', value: { registration: 'ALLOW' } }] }));
    expect(codes(verdict)).toEqual(['unknown_command']);
    expect(verdict).toMatchObject({ proceeds: false, path: 'closed', reason: 'There was an error creating your account. Please try registering again.' });
  });

  it('a 5xx is retried once; a 4xx is not retried and fails closed', async () => {
    const retried = await call(REG, (_p, i) => (i === 0 ? { status: 503 } : { status: 204 }));
    expect(retried.call.attempts.map((a) => a.status)).toEqual([503, 204]);
    expect(retried.verdict).toMatchObject({ proceeds: true, violations: [] });
    const refused = await call(REG, () => ({ status: 400, body: 'bad' }));
    expect(refused.call.attempts).toHaveLength(1);
    expect(codes(refused.verdict)).toEqual(['status_not_200']);
    expect(refused.verdict.path).toBe('closed');
  });
});

describe('Okta password import inline hook (com.okta.user.credential.password.import)', () => {
  const PW = 'com.okta.user.credential.password.import';

  it('VERIFIED signs the user in; 204 leaves the default UNVERIFIED', async () => {
    const answer = { commands: [{ type: 'com.okta.action.update', value: { credential: 'VERIFIED' } }] };
    fitsSdk(PW, answer);
    const ok = await call(PW, (payload) => (payload.data.context.credential.password ? replyJson(answer) : { status: 204 }));
    expect(ok.verdict).toMatchObject({ proceeds: true, violations: [], result: { credential: 'VERIFIED' } });
    const none = await call(PW, () => ({ status: 204 }));
    expect(none.verdict).toMatchObject({ proceeds: false, path: 'answer', violations: [], result: { credential: 'UNVERIFIED' } });
  });

  it('a credential value Okta does not know fails closed, named', async () => {
    const { verdict } = await call(PW, () => replyJson({ commands: [{ type: 'com.okta.action.update', value: { credential: 'OK' } }] }));
    expect(codes(verdict)).toEqual(['bad_command_value']);
    expect(verdict).toMatchObject({ proceeds: false, path: 'closed' });
  });

  it('a receiver that checks nothing still gets the Authorization header it must check', async () => {
    const { call: c, receiver } = await call(PW, () => ({ status: 204 }));
    expect(c.attempts[0]!.status).toBe(204);
    expect(receiver.requests[0]!.headers.authorization).toBe(SECRET);
  });
});

describe('Okta telephony inline hook (com.okta.telephony.provider)', () => {
  const TEL = 'com.okta.telephony.provider';

  it('the hook\'s provider reports the delivery; a failure of any kind falls back to Okta\'s providers', async () => {
    const { verdict, sent } = await call(TEL, () => replyJson({ commands: [{ type: 'com.okta.telephony.action', value: [{ status: 'SUCCESSFUL', provider: 'VONAGE', transactionId: 'SM49a8' }] }] }));
    expect(verdict).toMatchObject({ proceeds: true, path: 'answer', violations: [], result: { status: 'SUCCESSFUL', provider: 'VONAGE', otp: (sent as any).data.messageProfile.otpCode } });
    const errored = await call(TEL, () => replyJson({ error: [{ errorSummary: 'Failed to deliver SMS OTP' }] }));
    expect(errored.verdict).toMatchObject({ proceeds: true, violations: [], result: { sent_by: 'okta' } });
    const bad = await call(TEL, () => replyJson({ commands: [{ type: 'com.okta.telephony.action', value: [{ status: 'SENT' }] }] }));
    expect(codes(bad.verdict)).toEqual(['bad_command_value']);
    expect(bad.verdict).toMatchObject({ path: 'open', result: { sent_by: 'okta' } });
  });
});


describe('Okta SAML assertion inline hook (com.okta.saml.tokens.transform)', () => {
  const SAML = 'com.okta.saml.tokens.transform';
  const assertion = (v: { result: Record<string, unknown> }) => v.result.assertion as any;

  it('sends the API reference example, fresh; 204 sends the assertion unchanged', async () => {
    const { verdict, sent } = await call(SAML, () => ({ status: 204 }));
    expect(sent).toMatchObject({ eventType: SAML, cloudEventVersion: '0.1', data: { context: { protocol: { type: 'SAML2.0' } }, assertion: { subject: {}, authentication: {}, conditions: {}, claims: {} } } });
    const s = sent as any;
    expect(s.data.assertion.subject.nameId).toBe(s.data.context.user.profile.login);
    expect(JSON.stringify(sent)).not.toContain('yourOktaDomain');
    expect(verdict).toMatchObject({ proceeds: true, path: 'answer', violations: [] });
    expect(assertion(verdict)).toEqual(s.data.assertion);
  });

  it("applies the API reference's two example answers: a replaced value, a new attribute statement, the session lifetime, a URI claim", async () => {
    const answer = catalogAnswers(SAML);
    for (const example of [answer.SAMLHookResponseExample, answer.SAMLHookResponseWithURIFormat]) fitsSdk(SAML, example);
    const uri = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/foo';
    const payload: any = requireSyncHook(SAML).contract.request.sample(new Date());
    payload.data.assertion.claims[uri] = { attributes: { NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic' }, attributeValues: [{ attributes: { 'xsi:type': 'xs:string' }, value: 'old' }] };
    const first = await call(SAML, () => replyJson(answer.SAMLHookResponseExample), payload);
    expect(first.verdict.violations).toEqual([]);
    const a = assertion(first.verdict);
    expect(a.claims.array.attributeValues[1].value).toBe('replacementValue');
    expect(a.authentication).toMatchObject({ authnContext: { authnContextClassRef: 'replacementValue' }, sessionLifetime: 300, sessionIndex: 'exampleSession' });
    expect(a.claims.extPatientId.attributeValues[0].value).toBe('4321');
    const second = await call(SAML, () => replyJson(answer.SAMLHookResponseWithURIFormat), payload);
    expect(second.verdict.violations).toEqual([]);
    // RFC 6901: ~1 is "/" in the claim's name.
    expect(assertion(second.verdict).claims[uri].attributeValues[0].value).toBe('replacementValue');
    expect(assertion(second.verdict).claims['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/bar'].attributeValues[0].value).toBe('bearer');
  });

  it.each([
    ['a URI claim name not escaped as RFC 6901 says', { op: 'add', path: '/claims/http://schemas.example.com/claims/tier', value: { attributeValues: [{ value: 'gold' }] } }, 'unescaped_uri_claim'],
    ['a pointer with a bare "~"', { op: 'add', path: '/claims/a~b', value: { attributeValues: [{ value: 'x' }] } }, 'bad_patch_path'],
    ['a remove, which the SAML hook does not support', { op: 'remove', path: '/claims/middle' }, 'bad_op'],
    ['a path outside the assertion\'s four parts', { op: 'replace', path: '/lifetime/expiration', value: 60 }, 'bad_patch_path'],
    ['a replace of an element the assertion does not have', { op: 'replace', path: '/claims/nope/attributeValues/0/value', value: 'x' }, 'missing_element'],
    ['a new attribute statement without attributeValues', { op: 'add', path: '/claims/tier', value: 'gold' }, 'bad_claim_value'],
    ['a session lifetime that is not seconds', { op: 'add', path: '/authentication/sessionLifetime', value: '5m' }, 'bad_session_lifetime'],
    ['an index past the end of attributeValues', { op: 'add', path: '/claims/array/attributeValues/7', value: { value: 'x' } }, 'bad_array_index'],
  ])('skips the hook for %s: the original assertion, the violation named', async (_what, op, code) => {
    const { verdict, sent } = await call(SAML, () => replyJson({ commands: [{ type: 'com.okta.assertion.patch', value: [{ op: 'replace', path: '/claims/middle/attributeValues/0/value', value: 'changed' }, op] }] }));
    expect(codes(verdict)).toEqual([code]);
    expect(verdict).toMatchObject({ proceeds: true, path: 'open' });
    expect(assertion(verdict)).toEqual((sent as any).data.assertion);
  });

  it('a command of another hook is named; an error object sends no assertion, with the default message when it has no summary', async () => {
    const token = await call(SAML, () => patch('com.okta.access.patch', { op: 'add', path: '/claims/x', value: 1 }));
    expect(codes(token.verdict)).toEqual(['unknown_command']);
    const answer = { error: {} };
    fitsSdk(SAML, answer);
    const errored = await call(SAML, () => replyJson(answer));
    expect(errored.verdict).toMatchObject({ proceeds: false, path: 'answer', reason: 'The callback service returned an error', violations: [] });
    const summarized = await call(SAML, () => replyJson({ error: { errorSummary: 'No patient record' } }));
    expect(summarized.verdict.reason).toBe('No patient record');
  });

  it('a 5xx is retried once; a late answer sends the original assertion (open)', async () => {
    const retried = await call(SAML, (_p, i) => (i === 0 ? { status: 502 } : { status: 204 }));
    expect(retried.call.attempts.map((a) => a.status)).toEqual([502, 204]);
    expect(retried.verdict).toMatchObject({ proceeds: true, violations: [] });
    const late = await call(SAML, () => ({ ...replyJson({ commands: [] }), delayMs: 3600 }));
    expect(late.call.attempts.map((a) => a.late)).toEqual([true, true]);
    expect(codes(late.verdict)).toEqual(['late_answer']);
    expect(late.verdict).toMatchObject({ proceeds: true, path: 'open' });
  }, 15_000);
});

describe('Okta user import inline hook (com.okta.import.transform)', () => {
  const IMPORT = 'com.okta.import.transform';

  it('sends the API reference example, fresh; 204 and {} keep the default action', async () => {
    const { verdict, sent } = await call(IMPORT, () => ({ status: 204 }));
    const s = sent as any;
    expect(s).toMatchObject({ eventType: IMPORT, data: { action: { result: 'CREATE_USER' }, appUser: { profile: {} }, user: { profile: {} }, context: { job: { type: 'import:users' } } } });
    expect(s.data.user.profile.login).toBe(s.data.appUser.profile.email);
    expect(verdict).toMatchObject({ proceeds: true, path: 'answer', violations: [], result: { result: 'CREATE_USER', user_id: null } });
    const empty = await call(IMPORT, () => replyJson({}));
    expect(empty.verdict).toMatchObject({ proceeds: true, violations: [], result: { result: 'CREATE_USER' } });
  });

  it("applies the API reference's example answers: profile updates, create, and a match with the user's id", async () => {
    const ex = catalogAnswers(IMPORT);
    for (const answer of Object.values(ex)) fitsSdk(IMPORT, answer);
    const app = await call(IMPORT, () => replyJson(ex.UserImportChangeAppUserProfileExample));
    expect(app.verdict).toMatchObject({ violations: [], result: { app_user_profile: { firstName: 'Stan' } } });
    const user = await call(IMPORT, () => replyJson(ex.UserImportChangeUserProfileExample));
    expect(user.verdict).toMatchObject({ violations: [], result: { user_profile: { firstName: 'Stan' } } });
    const linked = await call(IMPORT, () => replyJson(ex.UserImportMatchExample));
    expect(linked.verdict).toMatchObject({ proceeds: true, violations: [], result: { result: 'LINK_USER', user_id: '00garwpuyxHaWOkdV0g3' } });
    expect(linked.verdict.summary).toContain('links');
    const errored = await call(IMPORT, () => replyJson(ex.UserImportErrorExample));
    expect(errored.verdict).toMatchObject({ proceeds: true, violations: [], result: { result: 'CREATE_USER', system_log: 'Error at third-party service. Please contact your admin.' } });
  });

  it.each([
    ['LINK_USER without naming the user', [{ type: 'com.okta.action.update', value: { result: 'LINK_USER' } }], 'link_without_user'],
    ['a result Okta does not know', [{ type: 'com.okta.action.update', value: { result: 'SKIP_USER' } }], 'bad_command_value'],
    ['a user update without an id', [{ type: 'com.okta.user.update', value: { login: 'x' } }], 'bad_command_value'],
    ['a registration hook command', [{ type: 'com.okta.user.progressive.profile.update', value: { a: 'b' } }], 'unknown_command'],
    ['a profile update that is not an object', [{ type: 'com.okta.user.profile.update', value: 'Stan' }], 'bad_command_value'],
  ])('%s: the import goes on as without a hook (open), named', async (_what, commands, code) => {
    const { verdict, sent } = await call(IMPORT, () => replyJson({ commands: [{ type: 'com.okta.user.profile.update', value: { firstName: 'Stan' } }, ...commands] }));
    expect(codes(verdict)).toEqual([code]);
    expect(verdict).toMatchObject({ proceeds: true, path: 'open', result: { result: 'CREATE_USER', user_profile: (sent as any).data.user.profile } });
  });

  it('a 4xx is not retried: the import goes on as without a hook', async () => {
    const { verdict, call: c } = await call(IMPORT, () => ({ status: 403, body: 'forbidden' }));
    expect(c.attempts).toHaveLength(1);
    expect(codes(verdict)).toEqual(['status_not_200']);
    expect(verdict.summary).toContain('a user is created');
  });
});
