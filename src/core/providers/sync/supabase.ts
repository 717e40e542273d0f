import { randomBytes, randomUUID } from 'node:crypto';
import { once, type JsonSchema } from '../../fixtures/catalog.js';
import { fake } from '../../fixtures/fake.js';
import { HeaderBag } from '../../signing/headers.js';
import { standardScheme } from '../../signing/standard-scheme.js';
import { acted, answerJson, excerpt, failed, header, isObject, mediaType, missing } from '../../sync/answer.js';
import type { HookAttempt, HookAuth, HookVerdict, JudgeInput, RetryRule, Source, SyncHookContract, SyncPlatform, Violation } from '../../sync/contract.js';
import { schemaProblems } from '../../sync/schema-check.js';

/**
 * Supabase Auth Hooks over HTTP, from Supabase's own code (supabase/auth at
 * bc32168e13fdc928c98b449fc76bc3fdb9a293c5) and its docs pages:
 * - internal/hooks/hookshttp/hookshttp.go: a POST of the input as JSON,
 *   signed as Standard Webhooks with each configured secret (`v1,whsec_…`,
 *   the `v1,` cut off; several joined by `|` in the config) and the
 *   signatures joined by ", "; a new webhook-id on every try; 5 s for the
 *   whole call; 3 tries; only 429/503 with a retry-after are tried again,
 *   and a failed connection after 2 s; the answer's handling (204: no
 *   output; 200/202: application/json, at most 200 KB, then an
 *   `{"error": {"http_code", "message"}}` body is the hook's error; 400,
 *   401 and any other status: a 500 with a fixed message).
 * - internal/hooks/hookserrors/hookserrors.go: an error with an empty
 *   message is no error; http_code 0 is 500.
 * - internal/hooks/v0hooks/v0hooks.go: the hook names (`metadata.name`) and
 *   every input and output; internal/tokens/service.go: the claims the
 *   custom access token hook must answer (MinimumViableTokenSchema).
 * - the docs: https://supabase.com/docs/guides/auth/auth-hooks (each hook's
 *   page, supabase/supabase apps/docs/content/guides/auth/auth-hooks/*.mdx):
 *   the example inputs our samples follow, and the `replace('v1,whsec_', '')`
 *   with which receivers verify with the `standardwebhooks` package.
 * Every hook fails closed: the request that called it fails.
 */
const AUTH_REPO = 'https://github.com/supabase/auth';
const AUTH_COMMIT = 'bc32168e13fdc928c98b449fc76bc3fdb9a293c5';
const code = (name: string, path: string): Source => ({ name, repo: AUTH_REPO, commit: AUTH_COMMIT, path });
const page = (slug: string): Source => ({ name: `Supabase docs: ${slug}`, url: `https://supabase.com/docs/guides/auth/auth-hooks/${slug}`, repo: 'https://github.com/supabase/supabase', path: `apps/docs/content/guides/auth/auth-hooks/${slug}.mdx` });
const DISPATCHER = code('hookshttp.go (the HTTP hook dispatcher)', 'internal/hooks/hookshttp/hookshttp.go');
const INPUTS = code('v0hooks.go (hook names, inputs and outputs)', 'internal/hooks/v0hooks/v0hooks.go');

const DEADLINE_MS = 5000;
const MAX_ANSWER_BYTES = 200 * 1024;
const TRIES = 3;
const BACKOFF_MS = 2000;
const SECRET_PREFIX = 'v1,';

// ---- authentication: Standard Webhooks with Supabase's secret form ---------

/** The `whsec_…` keys of a Supabase hook secret (`v1,whsec_…`, several joined by `|`). */
function keys(secret: string): string[] {
  return secret.split('|').map((s) => s.slice(SECRET_PREFIX.length));
}

function secretProblem(secret: string): string | null {
  for (const one of secret.split('|')) {
    if (!one.startsWith(`${SECRET_PREFIX}whsec_`)) return 'a Supabase hook secret is written v1,whsec_<base64> (several joined by |); Supabase refuses any other form ("invalid signature format")';
    const problem = standardScheme.validateSecret!(one.slice(SECRET_PREFIX.length));
    if (problem) return problem;
  }
  return null;
}

/** Each key's Standard Webhooks signature, joined by ", " as hookshttp.go joins them. */
function signed(body: Buffer, secret: string, id: string, timestamp: number): Record<string, string> {
  const signatures = keys(secret).map((key) => standardScheme.sign(body, key, { id, timestamp })['webhook-signature']!);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(', ') };
}

const BASE_HEADERS = { 'content-type': 'application/json', 'accept-encoding': 'identity' };
const newSecret = () => `${SECRET_PREFIX}whsec_${randomBytes(32).toString('base64')}`;

const auth: HookAuth = {
  description: 'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) signed with each whsec_ key of the v1,whsec_… secret, signatures joined by ", "',
  secretFormat: 'v1,whsec_<base64> as Supabase shows it (several joined by |)',
  needsSecret: true,
  validateSecret: secretProblem,
  newSecret,
  sign(payload, secret, ctx) {
    const body = Buffer.from(JSON.stringify(payload));
    return { headers: { ...BASE_HEADERS, ...signed(body, secret ?? '', ctx.id, Math.floor(ctx.now.getTime() / 1000)) }, body };
  },
  forgeries(payload, secret, ctx) {
    const body = Buffer.from(JSON.stringify(payload));
    const ts = Math.floor(ctx.now.getTime() / 1000);
    let other = newSecret();
    while (other === secret) other = newSecret();
    return [
      { kind: 'unauthenticated', what: 'a call without the webhook-* signature headers', headers: BASE_HEADERS, body },
      { kind: 'wrong_secret', what: 'a call signed with another secret', headers: { ...BASE_HEADERS, ...signed(body, other, ctx.id, ts) }, body },
      { kind: 'stale', what: 'a call signed 10 minutes ago (the standardwebhooks package allows 5)', headers: { ...BASE_HEADERS, ...signed(body, secret ?? other, ctx.id, ts - 600) }, body },
    ];
  },
  verify(body, headers, secret) {
    if (secretProblem(secret)) return null;
    // ", " between signatures: the standardwebhooks package splits on spaces and cuts each at its first comma.
    const signature = headers.get('webhook-signature');
    const bag = HeaderBag.from({ 'webhook-id': headers.get('webhook-id'), 'webhook-timestamp': headers.get('webhook-timestamp'), 'webhook-signature': signature?.replace(/,\s+/g, ' ') });
    for (const key of keys(secret)) {
      const r = standardScheme.verify(body, bag, key);
      if (r.valid) return { valid: true, message: r.message };
      if (r.reason !== 'signature_mismatch') return { valid: false, message: r.message };
    }
    return { valid: false, message: 'no signature in webhook-signature matches this secret' };
  },
};

// ---- how Supabase reads an answer (hookshttp.go, hookserrors.go) -----------

/** The error Supabase's request fails with, as the client sees it. */
interface SupabaseError {
  status: number;
  message: string;
  code?: string;
}

/**
 * What hookshttp.go makes of the tries: the output bytes (null for 204), or
 * the error the request fails with and the violation that caused it (none
 * when the hook itself answered an error object, its documented way to refuse).
 */
function dispatch(attempts: readonly HookAttempt[]): { output: Buffer | null } | { error: SupabaseError; violation: Violation | null } {
  const a = attempts.at(-1);
  const unavailable = { status: 500, message: 'Service currently unavailable due to hook' };
  if (!a || a.status === null) {
    if (!a || a.late) return { error: { status: 422, code: 'hook_timeout', message: 'Failed to reach hook within maximum time of 5.000000 seconds' }, violation: missing(a, DEADLINE_MS) };
    return { error: { status: 422, code: 'hook_timeout_after_retry', message: 'Failed to reach hook after maximum retries' }, violation: missing(a, DEADLINE_MS) };
  }
  if (a.status === 204) return { output: null };
  if (a.status === 200 || a.status === 202) {
    const media = mediaType(a);
    if (media !== 'application/json') {
      const message = media === null ? 'Invalid Content-Type: Missing Content-Type header' : `Invalid JSON response. Received content-type: ${header(a, 'content-type')}`;
      return { error: { status: 400, code: 'hook_payload_invalid_content_type', message }, violation: { code: 'not_json_content_type', message: `answered ${a.status} with ${media ? `Content-Type ${media}` : 'no Content-Type'}: Supabase reads only application/json` } };
    }
    if (a.body.length > MAX_ANSWER_BYTES) return { error: { status: 422, code: 'hook_payload_over_size_limit', message: `Payload size exceeded size limit of ${MAX_ANSWER_BYTES} bytes` }, violation: { code: 'answer_too_large', message: `the answer is ${a.body.length} bytes; Supabase reads at most 200 KB` } };
    const hookError = errorObject(a);
    if (hookError) return { error: hookError, violation: null };
    return { output: a.body };
  }
  if (a.status === 429 || a.status === 503) {
    if (header(a, 'retry-after')) {
      // Retried at once; past the last try, or past the 5 s, the call fails.
      const timedOut = attempts.length < TRIES;
      return timedOut
        ? { error: { status: 422, code: 'hook_timeout', message: 'Failed to reach hook within maximum time of 5.000000 seconds' }, violation: { code: 'late_answer', message: `still ${a.status} with retry-after when the 5 s ran out` } }
        : { error: unavailable, violation: { code: 'unavailable', message: `answered ${a.status} with retry-after to all ${TRIES} tries` } };
    }
    return { error: unavailable, violation: { code: 'unavailable_without_retry_after', message: `answered ${a.status} without retry-after: Supabase does not retry and fails the request` } };
  }
  const message = a.status === 400 ? 'Invalid payload sent to hook' : a.status === 401 ? 'Hook requires authorization token' : `Unexpected status code returned from hook: ${a.status}`;
  const carried = errorObject(a);
  const violation: Violation = carried
    ? { code: 'error_under_ignored_status', message: `answered ${a.status} with an error object ("${carried.message}"): Supabase reads the error object only on 200 or 202, so the user sees "${message}"` }
    : { code: 'unexpected_status', message: `answered ${a.status}${a.body.length ? ` (${excerpt(a, 60)})` : ''}: Supabase fails the request with "${message}"` };
  return { error: { status: 500, message }, violation };
}

/** hookserrors.Check: `{"error": {"http_code", "message"}}` with a non-empty message; http_code 0 is 500. */
function errorObject(a: HookAttempt): SupabaseError | null {
  const json = answerJson(a);
  if (!json.ok || !isObject(json.value) || !isObject(json.value.error)) return null;
  const { http_code, message } = json.value.error;
  if (typeof message !== 'string' || message === '') return null;
  return { status: typeof http_code === 'number' && http_code !== 0 ? http_code : 500, message };
}

/** The request fails: Supabase's answer to its client. */
const refused = (e: SupabaseError, v: Violation | null, what: string): HookVerdict =>
  v ? failed('closed', [v], `Supabase fails the ${what} with ${e.status}: ${e.message}`, `${e.status}${e.code ? ` ${e.code}` : ''}: ${e.message}`) : acted(false, `the hook refused: Supabase fails the ${what} with ${e.status}: ${e.message}`, `${e.status}: ${e.message}`, { error: e });

/** json.Unmarshal of the output into the hook's output struct: JSON, and an object (or null) for a struct. */
function unmarshal(output: Buffer | null): { ok: true; value: Record<string, unknown> | null } | { ok: false; violation: Violation } {
  if (output === null) return { ok: true, value: null };
  const text = output.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, violation: { code: 'malformed_answer', message: text.trim() === '' ? 'answered 200 with an empty body: Supabase cannot unmarshal it (answer {} or 204)' : 'the answer is not JSON' } };
  }
  if (value !== null && !isObject(value)) return { ok: false, violation: { code: 'malformed_answer', message: 'the answer is not a JSON object' } };
  return { ok: true, value: value as Record<string, unknown> | null };
}

const internal = (v: Violation, what: string, message: string) => failed('closed', [v], `Supabase fails the ${what} with 500: ${message}`, `500: ${message}`);

// ---- the hooks -------------------------------------------------------------

/** Copied from internal/tokens/service.go (MinimumViableTokenSchema): what the answered claims must be. */
const MINIMUM_VIABLE_TOKEN_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    aud: { type: ['string', 'array'] },
    exp: { type: 'integer' },
    jti: { type: 'string' },
    iat: { type: 'integer' },
    iss: { type: 'string' },
    nbf: { type: 'integer' },
    sub: { type: 'string' },
    email: { type: 'string' },
    phone: { type: 'string' },
    app_metadata: { type: 'object', additionalProperties: true },
    user_metadata: { type: 'object', additionalProperties: true },
    role: { type: 'string' },
    aal: { type: 'string' },
    amr: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object' }] } },
    session_id: { type: 'string' },
    client_id: { type: 'string' },
  },
  required: ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous'],
};

function judgeAccessToken({ attempts }: JudgeInput): HookVerdict {
  const what = 'token request';
  const d = dispatch(attempts);
  if ('error' in d) return refused(d.error, d.violation, what);
  const out = unmarshal(d.output);
  if (!out.ok) return internal(out.violation, what, 'Error unmarshaling JSON output.');
  if (out.value === null) return internal({ code: 'missing_claims', message: 'answered with no output (204 or null): the hook must answer {"claims": {…}}' }, what, 'output claims do not conform to the expected schema');
  if (!('claims' in out.value)) return internal({ code: 'missing_claims', message: 'the answer has no "claims" field' }, what, 'output claims field is missing');
  const problems = schemaProblems(MINIMUM_VIABLE_TOKEN_SCHEMA, out.value.claims, 'claims');
  if (problems.length > 0) {
    const code = problems.some((p) => p.startsWith('lacks ')) ? 'missing_required_claim' : 'bad_claim_type';
    return internal({ code, message: `the claims do not fit Supabase's schema: ${problems.join('; ')}` }, what, 'output claims do not conform to the expected schema');
  }
  return acted(true, 'Supabase signs the access token with the claims the hook answered', null, { claims: out.value.claims });
}

/** Hooks with no output (send-email, send-sms, before-user-created): success is any JSON object, null, or 204. */
const judgeNoOutput =
  (what: string, result: (payload: Record<string, unknown>) => { summary: string; result: Record<string, unknown> }) =>
  ({ payload, attempts }: JudgeInput): HookVerdict => {
    const d = dispatch(attempts);
    if ('error' in d) return refused(d.error, d.violation, what);
    const out = unmarshal(d.output);
    if (!out.ok) return internal(out.violation, what, 'Error unmarshaling JSON output.');
    const r = result(isObject(payload) ? payload : {});
    return acted(true, r.summary, null, r.result);
  };

/**
 * The MFA and password verification attempt hooks (mfa.go, token.go): only
 * `"decision": "reject"` stops the attempt (403 mfa_verification_rejected,
 * or 400 invalid_credentials, with the message or Supabase's default); any
 * other decision lets the attempt go on as the check found it. A decision
 * Supabase does not know is named: it silently continues.
 */
const judgeDecision =
  (what: 'MFA verification' | 'password sign-in', rejection: { status: number; code: string; message: string }) =>
  ({ payload, attempts }: JudgeInput): HookVerdict => {
    const d = dispatch(attempts);
    if ('error' in d) return refused(d.error, d.violation, what);
    const out = unmarshal(d.output);
    if (!out.ok) return internal(out.violation, what, 'Error unmarshaling JSON output.');
    const valid = isObject(payload) && payload.valid === true;
    const decision = out.value?.decision;
    const message = typeof out.value?.message === 'string' && out.value.message !== '' ? out.value.message : rejection.message;
    if (decision === 'reject') return acted(false, `the hook rejects the ${what}: ${rejection.status} ${rejection.code}${out.value?.should_logout_user ? '; the user is signed out everywhere' : ''}`, `${rejection.status} ${rejection.code}: ${message}`, { decision: 'reject', message });
    const violations: Violation[] = decision === undefined || decision === 'continue' ? [] : [{ code: 'unknown_decision', message: `decision ${JSON.stringify(decision)} is neither "reject" nor "continue": Supabase acts only on "reject", so the attempt continues` }];
    return acted(valid, `the ${what} continues: the ${what === 'password sign-in' ? 'password' : 'code'} was ${valid ? 'valid, so it succeeds' : 'not valid, so it fails as usual'}`, valid ? null : 'the attempt fails as any invalid attempt', { decision: 'continue', valid }, violations);
  };

function emailToSend(p: Record<string, unknown>) {
  const user = isObject(p.user) ? p.user : {};
  const e = isObject(p.email_data) ? p.email_data : {};
  const type = String(e.email_action_type ?? '');
  // The docs' own sender (send-email-hook.mdx, "Use Resend") builds this link.
  const link = `<SUPABASE_URL>/auth/v1/verify?token=${String(e.token_hash ?? '')}&type=${type}&redirect_to=${String(e.redirect_to ?? '')}`;
  return { summary: `the hook sends the ${type} e-mail to ${String(user.email ?? '?')} (code ${String(e.token ?? '')}); Supabase sends nothing itself`, result: { email: { to: user.email, email_action_type: type, token: e.token, token_hash: e.token_hash, link } } };
}

function smsToSend(p: Record<string, unknown>) {
  const user = isObject(p.user) ? p.user : {};
  const sms = isObject(p.sms) ? p.sms : {};
  const to = String(sms.phone ?? user.phone ?? '?');
  return { summary: `the hook sends the code ${String(sms.otp ?? '')} by SMS to ${to}; Supabase sends nothing itself`, result: { sms: { to, otp: sms.otp, ...(sms.sms_type ? { sms_type: sms.sms_type } : {}) } } };
}

function userCreated(p: Record<string, unknown>) {
  const user = isObject(p.user) ? p.user : {};
  return { summary: `Supabase creates the user ${String(user.email ?? user.phone ?? user.id ?? '')}`, result: { user } };
}

// ---- request samples, as the docs' examples show them ----------------------

const metadata = (name: string, now: Date) => ({ uuid: randomUUID(), time: now.toISOString(), name, ip_address: fake.ip() });

/** A user as the docs' send-email example shows one (send-email-hook.mdx). */
function user(now: Date, channel: 'email' | 'phone') {
  const id = randomUUID();
  const p = fake.person();
  const at = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
  const email = channel === 'email' ? p.email : '';
  const phone = channel === 'phone' ? `1${fake.digits(10)}` : '';
  return {
    id,
    aud: 'authenticated',
    role: 'authenticated',
    email,
    phone,
    app_metadata: { provider: channel, providers: [channel] },
    user_metadata: { ...(email ? { email } : {}), email_verified: false, phone_verified: false, sub: id },
    identities: [
      {
        identity_id: randomUUID(),
        id,
        user_id: id,
        identity_data: { ...(email ? { email } : { phone }), email_verified: false, phone_verified: false, sub: id },
        provider: channel,
        last_sign_in_at: at(2),
        created_at: at(2),
        updated_at: at(2),
        ...(email ? { email } : {}),
      },
    ],
    created_at: at(3),
    updated_at: at(1),
    is_anonymous: false,
  };
}

function accessTokenInput(now: Date) {
  const u = user(now, 'email');
  const iat = Math.floor(now.getTime() / 1000);
  return {
    metadata: metadata('customize-access-token', now),
    user_id: u.id,
    claims: {
      iss: 'https://abcdefghijklmnopqrst.supabase.co/auth/v1',
      sub: u.id,
      aud: 'authenticated',
      exp: iat + 3600,
      iat,
      email: u.email,
      phone: '',
      app_metadata: u.app_metadata,
      user_metadata: u.user_metadata,
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: iat }],
      session_id: randomUUID(),
      is_anonymous: false,
    },
    authentication_method: 'password',
  };
}

function sendEmailInput(now: Date) {
  const u = user(now, 'email');
  return {
    metadata: metadata('send-email', now),
    user: u,
    email_data: { token: fake.digits(6), token_hash: fake.hex(28), redirect_to: 'http://localhost:3000/', email_action_type: 'signup', site_url: 'http://localhost:3000', token_new: '', token_hash_new: '', old_email: '', old_phone: '', provider: '', factor_type: '' },
  };
}

function sendSmsInput(now: Date) {
  const u = user(now, 'phone');
  return { metadata: metadata('send-sms', now), user: u, sms: { otp: fake.digits(6), phone: u.phone } };
}

const beforeUserCreatedInput = (now: Date) => ({ metadata: metadata('before-user-created', now), user: user(now, 'email') });
const mfaInput = (now: Date) => ({ metadata: metadata('mfa-verification', now), user_id: randomUUID(), factor_id: randomUUID(), factor_type: 'totp', valid: true });
const passwordInput = (now: Date) => ({ metadata: metadata('password-verification', now), user_id: randomUUID(), valid: true });

/** hookshttp.go: 429/503 with retry-after are tried again at once; a failed connection after 2 s. */
const retry: RetryRule = {
  attempts: TRIES,
  description: `${TRIES} tries within the 5 s: again at once after 429/503 with retry-after, after ${BACKOFF_MS / 1000} s when the connection failed; nothing else is retried`,
  next(a) {
    if (a.status === null) return a.late ? null : BACKOFF_MS;
    return (a.status === 429 || a.status === 503) && header(a, 'retry-after') ? 0 : null;
  },
};

const common = {
  deadline: { ms: DEADLINE_MS, per: 'call' as const },
  retry,
};

const hooks = once((): SyncHookContract[] => [
  {
    type: 'customize-access-token',
    aliases: ['custom_access_token', 'custom-access-token'],
    name: 'Custom Access Token hook',
    description: 'Runs before a token is issued and changes its claims',
    flow: 'sign-in',
    request: { description: '{metadata, user_id, claims, authentication_method}', sample: accessTokenInput },
    answer: { description: '200 application/json {"claims": {…}} keeping aud, exp, iat, sub, email, phone, role, aal, session_id, is_anonymous; or {"error": {"http_code", "message"}} to refuse', schema: () => MINIMUM_VIABLE_TOKEN_SCHEMA },
    ...common,
    failure: { mode: 'closed', what: 'the token request fails (no token is issued)' },
    sources: [DISPATCHER, INPUTS, code('service.go (MinimumViableTokenSchema)', 'internal/tokens/service.go'), page('custom-access-token-hook')],
    judge: judgeAccessToken,
  },
  {
    type: 'send-email',
    aliases: ['send_email'],
    name: 'Send Email hook',
    description: 'Runs instead of Supabase\'s mailer: the hook sends the e-mail',
    flow: 'message',
    request: { description: '{metadata, user, email_data {token, token_hash, redirect_to, email_action_type, site_url, …}}', sample: sendEmailInput },
    answer: { description: '200/202 application/json {} (or 204); {"error": {"http_code", "message"}} when the e-mail could not be sent' },
    ...common,
    failure: { mode: 'closed', what: 'the request that needed the e-mail (sign-up, magic link, recovery, …) fails' },
    sources: [DISPATCHER, INPUTS, code('mailer.go (EmailData)', 'internal/mailer/mailer.go'), page('send-email-hook')],
    judge: judgeNoOutput('request', emailToSend),
  },
  {
    type: 'send-sms',
    aliases: ['send_sms'],
    name: 'Send SMS hook',
    description: 'Runs instead of Supabase\'s SMS provider: the hook sends the code',
    flow: 'message',
    request: { description: '{metadata, user, sms {otp, phone}}', sample: sendSmsInput },
    answer: { description: '200/202 application/json {} (or 204); {"error": {"http_code", "message"}} when the SMS could not be sent' },
    ...common,
    failure: { mode: 'closed', what: 'the request that needed the SMS (phone sign-in, MFA challenge) fails' },
    sources: [DISPATCHER, INPUTS, code('phone.go (the send-sms input)', 'internal/api/phone.go'), page('send-sms-hook')],
    judge: judgeNoOutput('request', smsToSend),
  },
  {
    type: 'before-user-created',
    aliases: ['before_user_created'],
    name: 'Before User Created hook',
    description: 'Runs before a user is created: {} allows, an error object refuses',
    flow: 'registration',
    request: { description: '{metadata, user}', sample: beforeUserCreatedInput },
    answer: { description: '200/202 application/json {} to allow; {"error": {"http_code", "message"}} to refuse the sign-up' },
    ...common,
    failure: { mode: 'closed', what: 'the sign-up fails' },
    sources: [DISPATCHER, INPUTS, page('before-user-created-hook')],
    judge: judgeNoOutput('sign-up', userCreated),
  },
  {
    type: 'mfa-verification',
    aliases: ['mfa_verification_attempt'],
    name: 'MFA Verification Attempt hook',
    description: 'Runs on each MFA code check: "reject" stops the attempt and signs the user out',
    flow: 'decision',
    request: { description: '{metadata, user_id, factor_id, factor_type, valid}', sample: mfaInput },
    answer: { description: '200/202 application/json {"decision": "reject" | "continue", "message"}' },
    ...common,
    failure: { mode: 'closed', what: 'the MFA verification fails' },
    sources: [DISPATCHER, INPUTS, code('mfa.go (the decision)', 'internal/api/mfa.go'), page('mfa-verification-hook')],
    judge: judgeDecision('MFA verification', { status: 403, code: 'mfa_verification_rejected', message: 'Further MFA verification attempts will be rejected.' }),
  },
  {
    type: 'password-verification',
    aliases: ['password_verification_attempt'],
    name: 'Password Verification Attempt hook',
    description: 'Runs on each password sign-in: "reject" stops it, optionally signing the user out',
    flow: 'decision',
    request: { description: '{metadata, user_id, valid}', sample: passwordInput },
    answer: { description: '200/202 application/json {"decision": "reject" | "continue", "message", "should_logout_user"}' },
    ...common,
    failure: { mode: 'closed', what: 'the sign-in fails' },
    sources: [DISPATCHER, INPUTS, code('token.go (the decision)', 'internal/api/token.go'), page('password-verification-hook')],
    judge: judgeDecision('password sign-in', { status: 400, code: 'invalid_credentials', message: 'Further password verification attempts will be rejected.' }),
  },
]);

export const supabaseSync: SyncPlatform = {
  id: 'supabase',
  name: 'Supabase Auth Hooks',
  source: 'https://supabase.com/docs/guides/auth/auth-hooks',
  // hookshttp.go sets none: Go's net/http default.
  userAgent: 'Go-http-client/1.1',
  auth,
  get hooks() {
    return hooks();
  },
  identify(body, headers) {
    if (!headers.has('webhook-signature') || !isObject(body) || !isObject(body.metadata)) return null;
    const name = body.metadata.name;
    return hooks().some((h) => h.type === name) ? (name as string) : null;
  },
};
