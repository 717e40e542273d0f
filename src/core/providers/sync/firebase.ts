import { randomBytes } from 'node:crypto';
import { once } from '../../fixtures/catalog.js';
import { fake } from '../../fixtures/fake.js';
import { acted, answerJson, excerpt, failed, isObject, missing } from '../../sync/answer.js';
import type { HookAttempt, HookAuth, HookVerdict, JudgeInput, Source, SyncHookContract, SyncPlatform, Violation } from '../../sync/contract.js';

/**
 * Firebase Authentication blocking functions, from Firebase's own code:
 * - firebase/firebase-functions (adf304f192a9b02aef9587550db97745d00056e1),
 *   src/common/providers/identity.ts: the request (`POST {"data": {"jwt"}}`,
 *   application/json), the JWT's decoded payload (DecodedPayload), the
 *   answer (`{userRecord: {…, updateMask}, recaptchaActionOverride}`), the
 *   reserved claim names (DISALLOWED_CUSTOM_CLAIMS) and the 1,000-character
 *   limit on custom and session claims; errors as `{error: HttpsError}`;
 *   for beforeSendEmail and beforeSendSms: no user record, the token's
 *   `email` and `email_type` (EmailType: EMAIL_SIGN_IN, PASSWORD_RESET) or
 *   `phone_number` and `sms_type` (SmsType), and an answer that holds
 *   `recaptchaActionOverride` only (BeforeEmailResponse, BeforeSmsResponse);
 *   spec/common/providers/identity.spec.ts has a decoded token of each.
 * - firebase/firebase-admin-node (00f917a6afc15f2497f5bab16765359d46a53533),
 *   src/auth/token-verifier.ts verifyContent: the checks a receiver makes,
 *   `sub` excepted for beforeSendSms and beforeSendEmail ("there is no user
 *   record available").
 * - firebase/firebase-tools, src/emulator/auth/operations.ts (the Auth
 *   emulator): generateBlockingFunctionJwt (an unsigned `alg: none` token,
 *   iss https://securetoken.google.com/<project>) and
 *   processBlockingFunctionResponse (a userRecord without updateMask is an
 *   error; the fields the mask names are applied).
 * - https://firebase.google.com/docs/functions/auth-blocking-events: "Your
 *   function must respond within 7 seconds. After 7 seconds, Firebase
 *   Authentication returns an error, and the client operation fails. HTTP
 *   response codes other than 200 are passed to your client apps."
 * The Auth emulator calls beforeCreate and beforeSignIn only; the e-mail and
 * SMS hooks are called here as the others are.
 * In production Google signs the token (RS256) with keys no emulator holds;
 * like Firebase's own emulator, hooks sends it unsigned, which firebase-admin
 * accepts in emulator mode (FIREBASE_AUTH_EMULATOR_HOST set), still checking
 * its issuer, audience, subject and expiry.
 */
const FUNCTIONS = 'https://github.com/firebase/firebase-functions';
const IDENTITY: Source = { name: 'firebase-functions identity.ts', repo: FUNCTIONS, commit: 'adf304f192a9b02aef9587550db97745d00056e1', path: 'src/common/providers/identity.ts' };
const EMULATOR: Source = { name: 'Firebase Auth emulator (generateBlockingFunctionJwt, processBlockingFunctionResponse)', repo: 'https://github.com/firebase/firebase-tools', commit: 'dae29ca3b8df3010a35df5dd3982b79bc2fd490f', path: 'src/emulator/auth/operations.ts' };
const DOCS: Source = { name: 'Auth blocking triggers', url: 'https://firebase.google.com/docs/functions/auth-blocking-events' };
const ADMIN: Source = { name: 'firebase-admin token-verifier.ts (verifyContent)', repo: 'https://github.com/firebase/firebase-admin-node', commit: '00f917a6afc15f2497f5bab16765359d46a53533', path: 'src/auth/token-verifier.ts' };

type UserEvent = 'beforeCreate' | 'beforeSignIn';
type MessageEvent = 'beforeSendEmail' | 'beforeSendSms';

/** The project hooks speaks for: a `demo-` project, as the Firebase emulators name theirs. */
export const FIREBASE_PROJECT = 'demo-hooks';
const REGION = 'us-central1';
const DEADLINE_MS = 7000;

/** identity.ts DISALLOWED_CUSTOM_CLAIMS. */
export const DISALLOWED_CUSTOM_CLAIMS = ['acr', 'amr', 'at_hash', 'aud', 'auth_time', 'azp', 'cnf', 'c_hash', 'exp', 'iat', 'iss', 'jti', 'nbf', 'nonce', 'firebase'];
/** identity.ts CLAIMS_MAX_PAYLOAD_SIZE. */
const CLAIMS_MAX = 1000;
/** The fields firebase-functions puts in updateMask (BeforeSignInResponse's keys). */
const MASKABLE = ['displayName', 'disabled', 'emailVerified', 'photoURL', 'customClaims', 'sessionClaims'];
/** HttpsError's canonical codes (https.ts, FunctionsErrorCode in upper snake case as toJSON writes them). */
const HTTPS_STATUSES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** What jsonwebtoken's sign(payload, …, {algorithm: 'none'}) writes, as the Auth emulator calls it. */
export const unsignedJwt = (payload: unknown) => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
const requestBody = (payload: unknown) => Buffer.from(JSON.stringify({ data: { jwt: unsignedJwt(payload) } }));
const HEADERS = { 'content-type': 'application/json' };

const auth: HookAuth = {
  description: "a JWT in data.jwt; unsigned (alg none) as Firebase's Auth emulator sends it, with its issuer, audience, subject and expiry",
  secretFormat: 'none: the Auth emulator signs nothing (production tokens are signed by Google)',
  needsSecret: false,
  validateSecret: () => null,
  newSecret: () => randomBytes(16).toString('base64url'),
  sign: (payload) => ({ headers: { ...HEADERS }, body: requestBody(payload) }),
  forgeries(payload) {
    const p = isObject(payload) ? payload : {};
    const now = Math.floor(Date.now() / 1000);
    return [
      { kind: 'unauthenticated', what: 'a call whose body has no data.jwt', headers: { ...HEADERS }, body: Buffer.from('{"data":{}}') },
      { kind: 'wrong_secret', what: 'a token issued for another Firebase project (iss and aud of demo-other)', headers: { ...HEADERS }, body: requestBody({ ...p, iss: 'https://securetoken.google.com/demo-other', aud: `https://${REGION}-demo-other.cloudfunctions.net/${String(p.event_type ?? 'beforeCreate')}` }) },
      { kind: 'stale', what: 'a token that expired 10 minutes ago', headers: { ...HEADERS }, body: requestBody({ ...p, iat: now - 1200, exp: now - 600 }) },
    ];
  },
};

// ---- request ----------------------------------------------------------------

/** The claims every blocking function's token carries (DecodedPayload's common fields). */
function tokenClaims(eventType: UserEvent | MessageEvent, now: Date) {
  const iat = Math.floor(now.getTime() / 1000);
  return {
    iss: `https://securetoken.google.com/${FIREBASE_PROJECT}`,
    aud: `https://${REGION}-${FIREBASE_PROJECT}.cloudfunctions.net/${eventType}`,
    iat,
    exp: iat + 600,
    event_id: randomBytes(16).toString('base64url'),
    event_type: eventType,
    user_agent: fake.userAgent(),
    ip_address: fake.ip(),
    locale: 'en',
  };
}

/** The decoded token of an e-mail or SMS event: DecodedPayload's fields for it, as identity.spec.ts parses one (no user record, no sub). */
function messageToken(eventType: MessageEvent) {
  return (now: Date) => ({
    ...tokenClaims(eventType, now),
    ...(eventType === 'beforeSendEmail' ? { email_type: 'PASSWORD_RESET', email: fake.person().email } : { sms_type: 'SIGN_IN_OR_SIGN_UP', phone_number: `+1555${fake.digits(7)}` }),
  });
}

/** The decoded token, as generateBlockingFunctionJwt builds it (DecodedPayload's fields). */
function decoded(eventType: UserEvent) {
  return (now: Date) => {
    const p = fake.person();
    const uid = fake.alnum(28);
    const created = now.getTime() - (eventType === 'beforeCreate' ? 0 : 86_400_000);
    return {
      ...tokenClaims(eventType, now),
      user_record: {
        uid,
        email: p.email,
        email_verified: false,
        display_name: p.name,
        disabled: false,
        custom_claims: {},
        provider_data: [{ provider_id: 'password', email: p.email, uid: p.email }],
        metadata: { creation_time: created, last_sign_in_time: now.getTime() },
      },
      sub: uid,
      sign_in_method: 'password',
    };
  };
}

// ---- answer -----------------------------------------------------------------

function judge(eventType: UserEvent) {
  return ({ payload, attempts }: JudgeInput): HookVerdict => {
    const what = eventType === 'beforeCreate' ? 'sign-up' : 'sign-in';
    const fails = (v: Violation, reason: string) => failed('closed', [v], `Firebase Authentication fails the ${what}: ${v.message}`, reason);
    const a = attempts.at(-1);
    if (!a || a.status === null) return fails(missing(a, DEADLINE_MS), 'the client gets an error: the blocking function did not answer in time');
    const refused = refusal(a, what, fails);
    if (refused) return refused;
    const json = answerJson(a);
    if (!json.ok || !isObject(json.value)) return fails({ code: 'malformed_answer', message: json.ok ? 'the answer is not a JSON object' : `${json.why} ("Response body is not valid JSON")` }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
    const body = json.value;
    const p = isObject(payload) ? payload : {};
    const record = isObject(p.user_record) ? p.user_record : {};
    const user: Record<string, unknown> = { uid: record.uid, email: record.email, displayName: record.display_name, photoURL: record.photo_url, emailVerified: record.email_verified ?? false, disabled: record.disabled ?? false, customClaims: record.custom_claims ?? {} };
    let sessionClaims: Record<string, unknown> = {};
    const override = body.recaptchaActionOverride;
    if (override !== undefined && override !== 'ALLOW' && override !== 'BLOCK') return fails({ code: 'bad_field', message: `recaptchaActionOverride is ${JSON.stringify(override)}; it takes ALLOW or BLOCK` }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
    if (body.userRecord !== undefined) {
      const ur = body.userRecord;
      if (!isObject(ur)) return fails({ code: 'malformed_answer', message: 'userRecord is not an object' }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
      if (typeof ur.updateMask !== 'string' || ur.updateMask === '') return fails({ code: 'missing_update_mask', message: 'userRecord has no updateMask ("Response UserRecord is missing updateMask")' }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
      const mask = ur.updateMask.split(',');
      for (const field of mask) {
        if (!MASKABLE.includes(field)) return fails({ code: 'unknown_field', message: `updateMask names ${field}, which a blocking function cannot change (${MASKABLE.join(', ')})` }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
      }
      const unmasked = Object.keys(ur).filter((k) => k !== 'updateMask' && !mask.includes(k));
      if (unmasked.length > 0) return fails({ code: 'not_in_update_mask', message: `userRecord sets ${unmasked.join(', ')} without naming ${unmasked.length > 1 ? 'them' : 'it'} in updateMask: Firebase ignores ${unmasked.length > 1 ? 'them' : 'it'}` }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
      for (const kind of ['customClaims', 'sessionClaims'] as const) {
        if (!mask.includes(kind)) continue;
        const claims = ur[kind];
        if (kind === 'sessionClaims' && eventType !== 'beforeSignIn') return fails({ code: 'session_claims_before_create', message: 'sessionClaims apply to beforeSignIn only; in beforeCreate Firebase ignores them' }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
        if (!isObject(claims)) return fails({ code: 'malformed_answer', message: `${kind} is not an object` }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
        const reserved = DISALLOWED_CUSTOM_CLAIMS.filter((c) => Object.prototype.hasOwnProperty.call(claims, c));
        if (reserved.length > 0) return fails({ code: 'reserved_claim', message: `The ${kind} claims "${reserved.join(',')}" are reserved and cannot be specified.` }, 'INVALID_ARGUMENT');
        if (JSON.stringify(claims).length > CLAIMS_MAX) return fails({ code: 'claims_too_large', message: `The ${kind} payload should not exceed ${CLAIMS_MAX} characters.` }, 'INVALID_ARGUMENT');
      }
      if (mask.includes('customClaims') && mask.includes('sessionClaims') && JSON.stringify({ ...(ur.customClaims as object), ...(ur.sessionClaims as object) }).length > CLAIMS_MAX) {
        return fails({ code: 'claims_too_large', message: `The customClaims and sessionClaims payloads should not exceed ${CLAIMS_MAX} characters combined.` }, 'INVALID_ARGUMENT');
      }
      for (const field of mask) {
        if (field === 'sessionClaims') sessionClaims = ur.sessionClaims as Record<string, unknown>;
        else if (field === 'disabled' || field === 'emailVerified') user[field] = Boolean(ur[field]);
        else if (field === 'displayName' || field === 'photoURL') user[field] = ur[field] === undefined || ur[field] === null ? ur[field] : String(ur[field]);
        else user[field] = ur[field];
      }
    }
    if (override === 'BLOCK') return acted(false, `the function overrides reCAPTCHA with BLOCK: Firebase blocks the ${what}`, 'reCAPTCHA action BLOCK', { user, recaptchaActionOverride: 'BLOCK' });
    if (user.disabled === true) return acted(false, `the user is ${eventType === 'beforeCreate' ? 'created disabled' : 'disabled'}: the ${what} fails with auth/user-disabled`, 'auth/user-disabled', { user });
    if (eventType === 'beforeCreate') return acted(true, `Firebase creates the user${body.userRecord ? ' with the changes the function answered' : ''}`, null, { user });
    const iat = Math.floor(Date.now() / 1000);
    // A Firebase ID token's claims (https://firebase.google.com/docs/auth/admin/verify-id-tokens), custom and session claims at the top level.
    const claims = {
      iss: `https://securetoken.google.com/${FIREBASE_PROJECT}`,
      aud: FIREBASE_PROJECT,
      auth_time: iat,
      user_id: user.uid,
      sub: user.uid,
      iat,
      exp: iat + 3600,
      email: user.email,
      email_verified: user.emailVerified,
      firebase: { identities: { email: [user.email] }, sign_in_provider: 'password' },
      ...(user.customClaims as object),
      ...sessionClaims,
    };
    return acted(true, `Firebase signs the user in; the ID token carries ${Object.keys({ ...(user.customClaims as object), ...sessionClaims }).length} custom or session claim(s)`, null, { user, id_token: { claims } });
  };
}

/**
 * A non-200 answer: an HttpsError body blocks (the client gets it), anything
 * else is a violation and the operation fails; null for a 200.
 */
function refusal(a: HookAttempt, what: string, fails: (v: Violation, reason: string) => HookVerdict): HookVerdict | null {
  if (a.status === 200) return null;
  const json = answerJson(a);
  // "HTTP response codes other than 200 are passed to your client apps": a thrown HttpsError is the way to block.
  const error = json.ok && isObject(json.value) && isObject(json.value.error) ? json.value.error : null;
  if (error && typeof error.status === 'string' && HTTPS_STATUSES.includes(error.status) && typeof error.message === 'string') {
    return acted(false, `the function blocked the ${what}: ${error.status} ${error.message}`, `${error.status}: ${error.message}`, { error: { http_status: a.status, status: error.status, message: error.message } });
  }
  return fails({ code: 'error_not_https_error', message: `answered ${a.status}${a.body.length ? ` (${excerpt(a, 60)})` : ''} without an HttpsError body ({"error": {"status", "message"}}): the client gets a generic error` }, `HTTP ${a.status}`);
}

/** beforeSendEmail, beforeSendSms: Firebase sends its own message unless the function blocks it. */
function judgeMessage(eventType: MessageEvent) {
  const kind = eventType === 'beforeSendEmail' ? 'e-mail' : 'SMS';
  return ({ payload, attempts }: JudgeInput): HookVerdict => {
    const p = isObject(payload) ? payload : {};
    const message = eventType === 'beforeSendEmail' ? { to: p.email ?? null, email_type: p.email_type ?? null } : { to: p.phone_number ?? null, sms_type: p.sms_type ?? null };
    const type = String((eventType === 'beforeSendEmail' ? p.email_type : p.sms_type) ?? '');
    const fails = (v: Violation, reason: string) => failed('closed', [v], `Firebase Authentication sends no ${kind} and the client's request fails: ${v.message}`, reason, { message, sent: false });
    const a = attempts.at(-1);
    if (!a || a.status === null) return fails(missing(a, DEADLINE_MS), 'the client gets an error: the blocking function did not answer in time');
    const refused = refusal(a, `${type} ${kind} to ${String(message.to)}`, fails);
    if (refused) return { ...refused, result: { ...refused.result, message, sent: false } };
    const json = answerJson(a);
    if (!json.ok || !isObject(json.value)) return fails({ code: 'malformed_answer', message: json.ok ? 'the answer is not a JSON object' : `${json.why} ("Response body is not valid JSON")` }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
    const body = json.value;
    const override = body.recaptchaActionOverride;
    if (override !== undefined && override !== 'ALLOW' && override !== 'BLOCK') return fails({ code: 'bad_field', message: `recaptchaActionOverride is ${JSON.stringify(override)}; it takes ALLOW or BLOCK` }, 'BLOCKING_FUNCTION_ERROR_RESPONSE');
    // BeforeEmailResponse and BeforeSmsResponse hold recaptchaActionOverride and nothing else; what Identity Platform makes of more is not documented.
    const extra = Object.keys(body).filter((k) => k !== 'recaptchaActionOverride');
    const violations: Violation[] = extra.length > 0 ? [{ code: 'not_for_this_event', message: `the answer sets ${extra.join(', ')}: ${eventType}'s answer (${eventType === 'beforeSendEmail' ? 'BeforeEmailResponse' : 'BeforeSmsResponse'}) holds recaptchaActionOverride only; there is no user to change` }] : [];
    if (override === 'BLOCK') return acted(false, `the function overrides reCAPTCHA with BLOCK: Firebase sends no ${kind}`, 'reCAPTCHA action BLOCK', { message, sent: false, recaptchaActionOverride: 'BLOCK' }, violations);
    return acted(true, `Firebase sends the ${type} ${kind} to ${String(message.to)}`, null, { message, sent: true, ...(override ? { recaptchaActionOverride: override } : {}) }, violations);
  };
}

const messageContract = (type: MessageEvent, fields: Pick<SyncHookContract, 'name' | 'description' | 'aliases'>): SyncHookContract => ({
  type,
  ...fields,
  flow: 'message',
  request: {
    description: `POST {"data": {"jwt": "<token>"}}: the token holds iss, aud, iat, exp, event_id, event_type, user_agent, ip_address, locale and ${type === 'beforeSendEmail' ? 'email, email_type' : 'phone_number, sms_type'} (no user record)`,
    sample: messageToken(type),
  },
  answer: {
    description: '200 {} or {"recaptchaActionOverride": "ALLOW" | "BLOCK"}; to block, a non-200 with {"error": {"status", "message"}} (HttpsError)',
    example: {},
  },
  deadline: { ms: DEADLINE_MS, per: 'attempt' },
  retry: { attempts: 1, description: 'none documented', next: () => null },
  failure: { mode: 'closed', what: 'Firebase Authentication returns an error, and the client operation fails' },
  sources: [IDENTITY, ADMIN, DOCS],
  judge: judgeMessage(type),
});

const contract = (type: UserEvent, fields: Pick<SyncHookContract, 'name' | 'description' | 'aliases' | 'flow'>): SyncHookContract => ({
  type,
  ...fields,
  request: { description: 'POST {"data": {"jwt": "<token>"}}: the token holds iss, aud, iat, exp, event_id, event_type, user_agent, ip_address, locale, user_record, sub, sign_in_method', sample: decoded(type) },
  answer: {
    description: `200 {} or {"userRecord": {${type === 'beforeSignIn' ? 'customClaims, sessionClaims' : 'customClaims'}, displayName, photoURL, emailVerified, disabled, updateMask}}; to block, a non-200 with {"error": {"status", "message"}} (HttpsError)`,
    example: { userRecord: { customClaims: { role: 'admin' }, ...(type === 'beforeSignIn' ? { sessionClaims: { signInIp: '203.0.113.9' } } : {}), updateMask: type === 'beforeSignIn' ? 'customClaims,sessionClaims' : 'customClaims' } },
  },
  deadline: { ms: DEADLINE_MS, per: 'attempt' },
  retry: { attempts: 1, description: 'none documented', next: () => null },
  failure: { mode: 'closed', what: 'Firebase Authentication returns an error, and the client operation fails' },
  sources: [IDENTITY, EMULATOR, DOCS],
  judge: judge(type),
});

const hooks = once((): SyncHookContract[] => [
  contract('beforeCreate', { name: 'beforeCreate blocking function', description: 'Runs before a new user is saved; can change the user or block the sign-up', aliases: ['beforeUserCreated'], flow: 'registration' }),
  contract('beforeSignIn', { name: 'beforeSignIn blocking function', description: 'Runs before the ID token is returned; can add custom and session claims or block the sign-in', aliases: ['beforeUserSignedIn'], flow: 'sign-in' }),
  messageContract('beforeSendEmail', { name: 'beforeSendEmail blocking function', description: 'Runs before Firebase sends a sign-in or password reset e-mail; can block it', aliases: ['beforeEmailSent'] }),
  messageContract('beforeSendSms', { name: 'beforeSendSms blocking function', description: 'Runs before Firebase sends an SMS (phone sign-in, multi-factor); can block it', aliases: ['beforeSmsSent'] }),
]);

export const firebaseSync: SyncPlatform = {
  id: 'firebase',
  name: 'Firebase Authentication blocking functions',
  source: DOCS.url!,
  auth,
  get hooks() {
    return hooks();
  },
  payloadOf: (body) => (isObject(body) && isObject(body.data) && typeof body.data.jwt === 'string' ? decodeJwtPayload(body.data.jwt) : null),
  identify(body) {
    if (!isObject(body) || !isObject(body.data) || typeof body.data.jwt !== 'string') return null;
    const claims = decodeJwtPayload(body.data.jwt);
    const type = isObject(claims) ? claims.event_type : null;
    return hooks().some((h) => h.type === type) ? (type as string) : null;
  },
};

/** The payload of a compact JWT, read without checking it (firebase-functions' unsafeDecodeToken). */
export function decodeJwtPayload(jwt: string): unknown {
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}
