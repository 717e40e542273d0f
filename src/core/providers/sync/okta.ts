import { randomBytes } from 'node:crypto';
import { once, type JsonSchema } from '../../fixtures/catalog.js';
import { readCatalogData } from '../../fixtures/data.js';
import { freshen, IdMap } from '../../fixtures/examples.js';
import { fake } from '../../fixtures/fake.js';
import { headerTokenScheme } from '../../signing/header-token-scheme.js';
import { acted, answerJson, failed, isObject, missing } from '../../sync/answer.js';
import type { HookAttempt, HookAuth, HookVerdict, JudgeInput, RetryRule, Source, SyncHookContract, SyncPlatform, Violation } from '../../sync/contract.js';
import { applyAssertionOps } from './okta-saml-patch.js';
import { applyOps, COMMAND_TOKEN, type Token, type TokenKind } from './okta-token-patch.js';

/**
 * Okta inline hooks, from Okta's own artifacts:
 * - the management API's `x-webhooks` (okta/okta-management-openapi-spec,
 *   generated into catalogs/okta-inline-hooks.json by
 *   scripts/catalogs/okta-inline-hooks.mjs): each hook's request examples,
 *   its answer schema and the notes on what Okta does with each answer;
 * - the "Inline hooks" concept page (okta/okta-developer-docs,
 *   docs/concepts/inline-hooks/index.md): a POST with `Accept` and
 *   `Content-Type: application/json` and the configured `Authorization`
 *   value; "a default timeout of three seconds"; "at most one retry", none
 *   after a 2xx or 4xx answer, none at all for the token hook; redirects
 *   not followed; answers under 256 KB; the failure table (token hook:
 *   "continues with the original token returned"; registration: "stops and
 *   the registration or the profile update is denied"; password import:
 *   "stops and the user can't sign in"; SAML: "continues with the original
 *   SAML assertion returned"; user import: "The Okta import process
 *   continues and a user is created").
 * - the per-hook reference pages the x-webhooks replaced, for what the
 *   x-webhooks text cuts short (okta/okta-developer-docs at
 *   feb22d734124b7fbd19b50873682f07a303c3dad^, docs/reference/import-hook
 *   and docs/reference/saml-hook): the user import commands and "Specifying
 *   that the user is a match"; the SAML error object's default message.
 * OAuth 2.0 authentication of hook calls (client_secret_post,
 * private_key_jwt) is not emulated: the header scheme is.
 */

interface HookData {
  operationId: string;
  summary: string;
  description: string;
  source: Source;
  request: { schema: JsonSchema; examples: Record<string, unknown> };
  response: { schema: JsonSchema; examples: Record<string, unknown>; noContent: string | null; sdk?: { type: string; schema: JsonSchema } };
}
const data = once(() => readCatalogData<{ hooks: Record<string, HookData> }>('okta-inline-hooks.json').hooks);
const hook = (type: string) => data()[type]!;

const CONCEPT: Source = { name: 'Inline hooks', url: 'https://developer.okta.com/docs/concepts/inline-hooks/', repo: 'https://github.com/okta/okta-developer-docs', path: 'packages/@okta/vuepress-site/docs/concepts/inline-hooks/index.md' };
const RETIRED_PAGES = { repo: 'https://github.com/okta/okta-developer-docs', commit: 'feb22d734124b7fbd19b50873682f07a303c3dad^' };
const IMPORT_PAGE: Source = { name: 'User import inline hook reference (retired page)', url: 'https://developer.okta.com/docs/reference/import-hook/', ...RETIRED_PAGES, path: 'packages/@okta/vuepress-site/docs/reference/import-hook/index.md' };
const SAML_PAGE: Source = { name: 'SAML assertion inline hook reference (retired page)', url: 'https://developer.okta.com/docs/reference/saml-hook/', ...RETIRED_PAGES, path: 'packages/@okta/vuepress-site/docs/reference/saml-hook/index.md' };
const RESERVED: Source = { name: 'OIDC Bearer Tokens: List of Reserved Claims', url: 'https://support.okta.com/help/s/article/list-of-reserved-claim-names' };
const DEADLINE_MS = 3000;
const MAX_ANSWER_BYTES = 256 * 1024;
const ORG = 'dev-00000000.okta.com';

/** One id map for the process: the same example user is the same fresh user in every hook. */
const ids = new IdMap();
const person = once(() => fake.person());

/**
 * An example request made fresh: ids re-drawn (and every other place the
 * example repeats an id, such as a claim's `sub`, given the same fresh
 * one), times moved to now, the example's user a fresh person, and the
 * `{yourOktaDomain}` placeholder an org's domain.
 */
const sample = (type: string, example: string) => (now: Date) => {
  const original = hook(type).request.examples[example];
  const fresh = freshen(original, { now, ids });
  const p = person();
  const swaps = new Map<string, string>();
  const collect = (a: unknown, b: unknown): void => {
    if (typeof a === 'string' && typeof b === 'string' && a !== b) swaps.set(a, b);
    else if (a && b && typeof a === 'object') for (const k of Object.keys(a)) collect((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
  };
  collect(original, fresh);
  let text = JSON.stringify(fresh);
  for (const [from, to] of swaps) if (from.length >= 8) text = text.replaceAll(JSON.stringify(from), JSON.stringify(to));
  // The example's user, whether freshen kept the address or drew another for it, is the fresh person.
  for (const login of ['administrator1@clouditude.net', 'rosario.jones@example.com', 'isaac.brock@example.com', 'sally.admin@example.net', 'user@example.com']) {
    for (const written of [login, swaps.get(login)]) if (written) text = text.replaceAll(JSON.stringify(written), JSON.stringify(p.email));
  }
  return JSON.parse(text.replaceAll('${yourOktaDomain}', ORG).replaceAll('{yourOktaDomain}', ORG)) as unknown;
};

const header = headerTokenScheme('Authorization', 'Okta inline hooks');
const auth: HookAuth = {
  description: 'the Authorization header holds the value configured on the hook (authScheme HEADER); Okta signs nothing',
  secretFormat: 'the exact Authorization header value configured on the inline hook',
  needsSecret: true,
  validateSecret: (s) => header.validateSecret!(s),
  newSecret: () => randomBytes(24).toString('base64url'),
  sign(payload, secret) {
    return { headers: { accept: 'application/json', 'content-type': 'application/json', authorization: secret ?? '' }, body: Buffer.from(JSON.stringify(payload)) };
  },
  forgeries(payload, secret) {
    const body = Buffer.from(JSON.stringify(payload));
    const base = { accept: 'application/json', 'content-type': 'application/json' };
    return [
      { kind: 'unauthenticated', what: 'a call without the Authorization header', headers: base, body },
      { kind: 'wrong_secret', what: 'a call whose Authorization header holds another value', headers: { ...base, authorization: `${secret ?? ''}x` }, body },
    ];
  },
  verify: (body, headers, secret) => header.verify(body, headers, secret),
};

/** "Okta attempts at most one retry … not retried if the endpoint responds with a 2xx … or a 4xx"; the delay is not documented (none here). */
const oneRetry: RetryRule = {
  attempts: 2,
  description: 'at most one retry, after no answer or a 3xx/5xx; never after a 2xx or 4xx (the delay is not documented: none here)',
  next: (a) => (a.status !== null && ((a.status >= 200 && a.status < 300) || (a.status >= 400 && a.status < 500)) ? null : 0),
};
const noRetry: RetryRule = { attempts: 1, description: 'none ("The token inline hook and the telephony inline hook don\'t support retries")', next: () => null };

/**
 * The answer Okta can read: 200 (or 204 where the hook allows an empty
 * answer) with JSON under 256 KB. Anything else is a failure, named.
 */
function readable(a: HookAttempt | undefined, opts: { noContent: boolean }): { body: Record<string, unknown> | null } | { violation: Violation } {
  if (!a || a.status === null) return { violation: missing(a, DEADLINE_MS) };
  if (a.status === 204 && opts.noContent) return { body: null };
  if (a.status !== 200) {
    const why = a.status >= 300 && a.status < 400 ? 'a redirect, which Okta does not follow' : 'Okta reads only a 200 answer (use the error object to report a problem, not the status code)';
    return { violation: { code: 'status_not_200', message: `answered ${a.status}: ${why}` } };
  }
  if (a.body.length >= MAX_ANSWER_BYTES) return { violation: { code: 'answer_too_large', message: `the answer is ${a.body.length} bytes; Okta reads answers under 256 KB` } };
  const json = answerJson(a);
  if (!json.ok) return { violation: { code: 'malformed_answer', message: `${json.why}: Okta cannot map it to the hook's answer` } };
  if (!isObject(json.value)) return { violation: { code: 'malformed_answer', message: 'the answer is not a JSON object' } };
  return { body: json.value };
}

/** An error object's summary, as Okta passes it on. */
function errorSummary(error: unknown): string | null {
  return isObject(error) && typeof error.errorSummary === 'string' ? error.errorSummary : null;
}

// ---- token inline hook -----------------------------------------------------

const TOKEN = 'com.okta.oauth2.tokens.transform';

function tokensOf(payload: unknown): Partial<Record<TokenKind, Token>> {
  const d = isObject(payload) && isObject(payload.data) ? payload.data : {};
  const one = (t: unknown): Token | undefined => {
    if (!isObject(t) || !isObject(t.claims)) return undefined;
    const life = isObject(t.token) && isObject(t.token.lifetime) && typeof t.token.lifetime.expiration === 'number' ? t.token.lifetime.expiration : 3600;
    return { claims: t.claims, lifetime: life };
  };
  return { ...(one(d.identity) ? { identity: one(d.identity)! } : {}), ...(one(d.access) ? { access: one(d.access)! } : {}) };
}

const tokenView = (t: Partial<Record<TokenKind, Token>>) => ({
  ...(t.identity ? { id_token: { claims: t.identity.claims, lifetime: t.identity.lifetime } } : {}),
  ...(t.access ? { access_token: { claims: t.access.claims, lifetime: t.access.lifetime } } : {}),
});

function judgeToken({ payload, attempts }: JudgeInput): HookVerdict {
  const original = tokensOf(payload);
  const skipped = (v: Violation) => failed('open', [v], `Okta skips the hook and issues the original token(s): ${v.message}`, null, { tokens: tokenView(original) });
  const read = readable(attempts.at(-1), { noContent: true });
  if ('violation' in read) return skipped(read.violation);
  if (read.body === null) return acted(true, 'no content: Okta issues the tokens unchanged', null, { tokens: tokenView(original) });
  if (read.body.error !== undefined && read.body.error !== null) {
    const description = errorSummary(read.body.error) ?? 'The callback service returned an error';
    return acted(false, `Okta issues no token and answers the client with OAuth error server_error: ${description}`, `server_error: ${description}`, { error: 'server_error', error_description: description });
  }
  const commands = read.body.commands ?? [];
  if (!Array.isArray(commands)) return skipped({ code: 'malformed_answer', message: 'commands is not an array' });
  let tokens = { ...original };
  let changes = 0;
  for (const [i, command] of commands.entries()) {
    const type = isObject(command) ? command.type : undefined;
    const kind = typeof type === 'string' ? COMMAND_TOKEN[type] : undefined;
    if (!kind) return skipped({ code: 'unknown_command', message: `command ${i + 1}: "${String(type)}" is not a token hook command (com.okta.identity.patch, com.okta.access.patch)` });
    const token = tokens[kind];
    if (!token) return skipped({ code: 'unknown_command', message: `command ${i + 1}: ${String(type)} patches a token the client did not request` });
    const applied = applyOps(kind, token, (command as { value?: unknown }).value);
    if ('violation' in applied) return skipped(applied.violation);
    tokens = { ...tokens, [kind]: applied.token };
    changes += Array.isArray((command as { value?: unknown }).value) ? ((command as { value: unknown[] }).value.length) : 0;
  }
  return acted(true, changes === 0 ? 'no changes: Okta issues the tokens unchanged' : `Okta issues the token(s) with ${changes} change(s) from the hook`, null, { tokens: tokenView(tokens) });
}

// ---- registration inline hook ----------------------------------------------

const REGISTRATION = 'com.okta.user.pre-registration';

function judgeRegistration({ payload, attempts }: JudgeInput): HookVerdict {
  const progressive = isObject(payload) && payload.requestType === 'progressive.profile';
  const d = isObject(payload) && isObject(payload.data) ? payload.data : {};
  const profile = { ...(progressive ? (isObject(d.userProfileUpdate) ? d.userProfileUpdate : {}) : isObject(d.userProfile) ? d.userProfile : {}) };
  // The concept page's failure table: the default UI messages of a failed hook.
  const failure = progressive ? 'There was an error updating your profile. Please try again later.' : 'There was an error creating your account. Please try registering again.';
  const denied = (v: Violation) => failed('closed', [v], `Okta denies the ${progressive ? 'profile update' : 'registration'}: ${v.message}`, failure);
  const read = readable(attempts.at(-1), { noContent: true });
  if ('violation' in read) return denied(read.violation);
  if (read.body === null) return acted(true, `no content: Okta allows the ${progressive ? 'profile update' : 'registration'} unchanged`, null, { registration: 'ALLOW', profile });
  const error = read.body.error;
  if (error !== undefined && error !== null) {
    // "If you include an error object in your response, no commands are executed and the registration fails."
    const causes = isObject(error) && Array.isArray(error.errorCauses) ? error.errorCauses.map(errorSummary).filter((s): s is string => s !== null) : [];
    const reason = causes.length > 0 ? causes.join('; ') : progressive ? 'We found some errors. Please review the form and make corrections.' : 'Registration cannot be completed at this time.';
    return acted(false, `Okta denies the ${progressive ? 'profile update' : 'registration'} (error object): ${reason}`, reason, { registration: 'DENY', profile });
  }
  const commands = read.body.commands ?? [];
  if (!Array.isArray(commands)) return denied({ code: 'malformed_answer', message: 'commands is not an array' });
  let verdict: 'ALLOW' | 'DENY' = 'ALLOW';
  for (const [i, command] of commands.entries()) {
    const type = isObject(command) ? command.type : undefined;
    const value = isObject(command) ? command.value : undefined;
    if (type === 'com.okta.action.update') {
      const registration = isObject(value) ? value.registration : undefined;
      if (registration !== 'ALLOW' && registration !== 'DENY') return denied({ code: 'bad_command_value', message: `command ${i + 1}: com.okta.action.update takes {"registration": "ALLOW" | "DENY"}, got ${JSON.stringify(value)}` });
      verdict = registration;
    } else if (type === 'com.okta.user.profile.update' || type === 'com.okta.user.progressive.profile.update') {
      if (type === 'com.okta.user.profile.update' && progressive) return denied({ code: 'invalid_command', message: `command ${i + 1}: com.okta.user.profile.update is for self-service registration only, "invalid if used with a Progressive Profile response"` });
      if (!isObject(value)) return denied({ code: 'bad_command_value', message: `command ${i + 1}: ${type} takes an object of profile attributes` });
      if ('password' in value) return denied({ code: 'bad_command_value', message: `command ${i + 1}: "You can never use a command to update the user's password"` });
      Object.assign(profile, value);
    } else {
      // The API reference's own SSR example names "com.action.update": Okta's commands all start with com.okta.
      return denied({ code: 'unknown_command', message: `command ${i + 1}: "${String(type)}" is not a registration hook command (com.okta.action.update, com.okta.user.profile.update, com.okta.user.progressive.profile.update)` });
    }
  }
  if (verdict === 'DENY') {
    const reason = progressive ? 'Profile update denied.' : 'Registration denied.';
    return acted(false, `Okta denies the ${progressive ? 'profile update' : 'registration'}: ${reason}`, reason, { registration: 'DENY', profile });
  }
  return acted(true, `Okta allows the ${progressive ? 'profile update' : 'registration'}`, null, { registration: 'ALLOW', profile });
}

// ---- password import inline hook -------------------------------------------

const PASSWORD = 'com.okta.user.credential.password.import';

function judgePassword({ payload, attempts }: JudgeInput): HookVerdict {
  const credential = isObject(payload) && isObject(payload.data) && isObject(payload.data.context) && isObject(payload.data.context.credential) ? payload.data.context.credential : {};
  const user = typeof credential.username === 'string' ? credential.username : 'the user';
  const stop = (v: Violation) => failed('closed', [v], `Okta stops the sign-in of ${user}: the password is not imported (${v.message})`, 'the sign-in fails; the next attempt calls the hook again');
  const read = readable(attempts.at(-1), { noContent: true });
  if ('violation' in read) return stop(read.violation);
  let verdict = 'UNVERIFIED';
  if (read.body !== null) {
    const commands = read.body.commands ?? [];
    if (!Array.isArray(commands)) return stop({ code: 'malformed_answer', message: 'commands is not an array' });
    for (const [i, command] of commands.entries()) {
      const type = isObject(command) ? command.type : undefined;
      const value = isObject(command) ? command.value : undefined;
      if (type !== 'com.okta.action.update') return stop({ code: 'unknown_command', message: `command ${i + 1}: "${String(type)}" is not the password import command (com.okta.action.update)` });
      const c = isObject(value) ? value.credential : undefined;
      if (c !== 'VERIFIED' && c !== 'UNVERIFIED') return stop({ code: 'bad_command_value', message: `command ${i + 1}: com.okta.action.update takes {"credential": "VERIFIED" | "UNVERIFIED"}, got ${JSON.stringify(value)}` });
      verdict = c;
    }
  }
  return verdict === 'VERIFIED'
    ? acted(true, `credential VERIFIED: Okta saves the password of ${user} and signs them in`, null, { credential: 'VERIFIED' })
    : acted(false, `credential UNVERIFIED${read.body === null ? ' (no content: the default action)' : ''}: Okta refuses the sign-in of ${user}`, 'the password is not valid', { credential: 'UNVERIFIED' });
}

// ---- telephony inline hook -------------------------------------------------

const TELEPHONY = 'com.okta.telephony.provider';

/** The x-webhooks Troubleshoot table: every failure sends the OTP through Okta's own (rate-limited) providers. */
function judgeTelephony({ payload, attempts }: JudgeInput): HookVerdict {
  const message = isObject(payload) && isObject(payload.data) && isObject(payload.data.messageProfile) ? payload.data.messageProfile : {};
  const to = `${String(message.deliveryChannel ?? 'SMS')} to ${String(message.phoneNumber ?? '?')}`;
  const fallback = (v: Violation | null, why: string) =>
    v ? failed('open', [v], `Okta skips the hook and sends the OTP ${to} through its own telephony providers (heavily rate-limited): ${why}`, null, { sent_by: 'okta' }) : acted(true, `the hook reports a failure: Okta sends the OTP ${to} through its own telephony providers (heavily rate-limited): ${why}`, null, { sent_by: 'okta' });
  const read = readable(attempts.at(-1), { noContent: false });
  if ('violation' in read) return fallback(read.violation, read.violation.message);
  const body = read.body!;
  if (body.error !== undefined && body.error !== null) return fallback(null, 'the answer holds an error object');
  const commands = Array.isArray(body.commands) ? body.commands : [];
  const action = commands.find((c) => isObject(c) && c.type === 'com.okta.telephony.action') as { value?: unknown } | undefined;
  const first = action && Array.isArray(action.value) && isObject(action.value[0]) ? action.value[0] : null;
  if (!first) return fallback({ code: 'malformed_answer', message: 'no com.okta.telephony.action command with a status ("can\'t be mapped to the expected API response")' }, 'the answer cannot be read');
  if (first.status !== 'SUCCESSFUL' && first.status !== 'PENDING' && first.status !== 'FAILED') return fallback({ code: 'bad_command_value', message: `status ${JSON.stringify(first.status)} is not SUCCESSFUL, PENDING or FAILED ("Response uses an invalid status")` }, 'invalid status');
  return acted(true, `the hook's provider${first.provider ? ` (${String(first.provider)})` : ''} reports ${first.status} for the OTP ${to}`, null, { status: first.status, provider: first.provider ?? null, transactionId: first.transactionId ?? null, otp: message.otpCode ?? null });
}

// ---- SAML assertion inline hook --------------------------------------------

const SAML = 'com.okta.saml.tokens.transform';
/** The SAML error object's note: "If the error object doesn't include the defined errorSummary property, the following common default message is returned to the end user". */
const SAML_DEFAULT_ERROR = 'The callback service returned an error';

function judgeSaml({ payload, attempts }: JudgeInput): HookVerdict {
  const d = isObject(payload) && isObject(payload.data) ? payload.data : {};
  const original = isObject(d.assertion) ? d.assertion : {};
  const skipped = (v: Violation) => failed('open', [v], `Okta skips the hook and sends the original SAML assertion: ${v.message}`, null, { assertion: original });
  const read = readable(attempts.at(-1), { noContent: true });
  if ('violation' in read) return skipped(read.violation);
  if (read.body === null) return acted(true, 'no content: Okta sends the SAML assertion unchanged', null, { assertion: original });
  if (read.body.error !== undefined && read.body.error !== null) {
    const message = errorSummary(read.body.error) ?? SAML_DEFAULT_ERROR;
    return acted(false, `Okta records the error in the System Log and sends no assertion: the user sees "${message}"`, message, { error: message });
  }
  const commands = read.body.commands ?? [];
  if (!Array.isArray(commands)) return skipped({ code: 'malformed_answer', message: 'commands is not an array' });
  let assertion = original;
  let changes = 0;
  for (const [i, command] of commands.entries()) {
    const type = isObject(command) ? command.type : undefined;
    if (type !== 'com.okta.assertion.patch') return skipped({ code: 'unknown_command', message: `command ${i + 1}: "${String(type)}" is not the SAML assertion hook's command (com.okta.assertion.patch)` });
    const applied = applyAssertionOps(assertion, (command as { value?: unknown }).value);
    if ('violation' in applied) return skipped({ ...applied.violation, message: `command ${i + 1}, ${applied.violation.message}` });
    assertion = applied.assertion;
    changes += (command as { value: unknown[] }).value.length;
  }
  return acted(true, changes === 0 ? 'no changes: Okta sends the SAML assertion unchanged' : `Okta sends the SAML assertion with ${changes} change(s) from the hook`, null, { assertion });
}

// ---- user import inline hook -----------------------------------------------

const IMPORT = 'com.okta.import.transform';
const IMPORT_RESULTS = ['CREATE_USER', 'LINK_USER'];

function judgeImport({ payload, attempts }: JudgeInput): HookVerdict {
  const d = isObject(payload) && isObject(payload.data) ? payload.data : {};
  const profile = (o: unknown) => ({ ...(isObject(o) && isObject(o.profile) ? o.profile : {}) });
  const appUser = profile(d.appUser);
  const user = profile(d.user);
  const matched = isObject(d.user) && typeof d.user.id === 'string' ? d.user.id : null;
  const given = isObject(d.action) && typeof d.action.result === 'string' ? d.action.result : 'CREATE_USER';
  const login = typeof user.login === 'string' ? user.login : 'the imported user';
  const outcome = (result: string, userId: string | null, app: Record<string, unknown>, okta: Record<string, unknown>) => ({ result, user_id: userId, app_user_profile: app, user_profile: okta });
  const does = (result: string, userId: string | null) => (result === 'LINK_USER' ? `Okta links ${login} to the Okta user ${userId ?? '(none named)'}` : `Okta creates a new Okta user for ${login}`);
  const asDefault = (v: Violation) => failed('open', [v], `Okta goes on with the import as if there were no hook ("the import process continues and a user is created"): ${v.message}`, null, outcome(given, matched, appUser, user));
  const read = readable(attempts.at(-1), { noContent: true });
  if ('violation' in read) return asDefault(read.violation);
  if (read.body === null) return acted(true, `no content, the default action: ${does(given, matched)}`, null, outcome(given, matched, appUser, user));
  if (read.body.error !== undefined && read.body.error !== null) {
    // "Returning an error object will cause Okta to record a failure event in the Okta System Log"; the docs say no more of the user.
    const summary = errorSummary(read.body.error);
    return acted(true, `Okta records the error in the System Log${summary ? ` ("${summary}")` : ''}; the import goes on without the hook's commands: ${does(given, matched)}`, null, { ...outcome(given, matched, appUser, user), system_log: summary });
  }
  const commands = read.body.commands ?? [];
  if (!Array.isArray(commands)) return asDefault({ code: 'malformed_answer', message: 'commands is not an array' });
  // Changed on copies: a violation leaves the import as it came.
  const [app, okta] = [{ ...appUser }, { ...user }];
  let result = given;
  let userId = matched;
  let linked = false;
  let named = false;
  for (const [i, command] of commands.entries()) {
    const type = isObject(command) ? command.type : undefined;
    const value = isObject(command) ? command.value : undefined;
    if (type === 'com.okta.appUser.profile.update' || type === 'com.okta.user.profile.update') {
      if (!isObject(value)) return asDefault({ code: 'bad_command_value', message: `command ${i + 1}: ${type} takes an object of profile attributes and their values` });
      Object.assign(type === 'com.okta.appUser.profile.update' ? app : okta, value);
    } else if (type === 'com.okta.action.update') {
      const r = isObject(value) ? value.result : undefined;
      if (typeof r !== 'string' || !IMPORT_RESULTS.includes(r)) return asDefault({ code: 'bad_command_value', message: `command ${i + 1}: com.okta.action.update takes {"result": "CREATE_USER" | "LINK_USER"}, got ${JSON.stringify(value)}` });
      result = r;
      linked = r === 'LINK_USER';
    } else if (type === 'com.okta.user.update') {
      if (!isObject(value) || typeof value.id !== 'string' || value.id === '') return asDefault({ code: 'bad_command_value', message: `command ${i + 1}: com.okta.user.update takes {"id": "<Okta user id>"}, got ${JSON.stringify(value)}` });
      userId = value.id;
      named = true;
    } else {
      return asDefault({ code: 'unknown_command', message: `command ${i + 1}: "${String(type)}" is not a user import command (com.okta.appUser.profile.update, com.okta.user.profile.update, com.okta.action.update, com.okta.user.update)` });
    }
  }
  if (linked && !named) {
    return asDefault({ code: 'link_without_user', message: 'com.okta.action.update {"result": "LINK_USER"} without com.okta.user.update: "you need to also provide a com.okta.user.update command that sets the id of the Okta user"' });
  }
  return acted(true, does(result, userId), null, outcome(result, result === 'LINK_USER' ? userId : null, app, okta));
}

// ---- the hooks -------------------------------------------------------------

function contract(type: string, fields: Omit<SyncHookContract, 'type' | 'description' | 'request' | 'answer' | 'deadline' | 'sources'> & { example: string; answerExample: string }): SyncHookContract {
  const { example, answerExample, ...rest } = fields;
  return {
    type,
    get description() {
      return hook(type).summary.replace(/^Create an? /, '').replace(/^./, (c) => c.toUpperCase());
    },
    request: { description: `${hook(type).operationId} request (x-webhooks)`, sample: sample(type, example), schema: () => hook(type).request.schema },
    answer: {
      description: `HTTP 200 with {commands, error, debugContext}${hook(type).response.noContent ? ', or 204 with no content' : ''}, under 256 KB`,
      schema: () => hook(type).response.schema,
      get example() {
        return hook(type).response.examples[answerExample];
      },
    },
    deadline: { ms: DEADLINE_MS, per: 'attempt' },
    get sources() {
      return [hook(type).source, CONCEPT, ...(type === TOKEN ? [RESERVED] : type === SAML ? [SAML_PAGE] : type === IMPORT ? [IMPORT_PAGE] : [])];
    },
    ...rest,
  };
}

const hooks = once((): SyncHookContract[] => [
  contract(TOKEN, {
    name: 'Token inline hook',
    flow: 'sign-in',
    example: 'TokenPayLoadExample',
    answerExample: 'TokenHookResponse',
    retry: noRetry,
    failure: { mode: 'open', what: 'the Okta process flow continues with the original token returned' },
    judge: judgeToken,
  }),
  contract(REGISTRATION, {
    name: 'Registration inline hook',
    flow: 'registration',
    example: 'ProfileEnrollmentRequest',
    answerExample: 'ProfileEnrollmentResponseDeny',
    retry: oneRetry,
    failure: { mode: 'closed', what: 'the Okta process flow stops and the registration or the profile update is denied' },
    judge: judgeRegistration,
  }),
  contract(PASSWORD, {
    name: 'Password import inline hook',
    flow: 'credential',
    example: 'PasswordImportPayloadExample',
    answerExample: 'PasswordImportVerifiedResponse',
    retry: oneRetry,
    failure: { mode: 'closed', what: "the Okta process flow stops and the user can't sign in; the password isn't imported" },
    judge: judgePassword,
  }),
  contract(SAML, {
    name: 'SAML assertion inline hook',
    flow: 'sign-in',
    example: 'SAMLPayloadExample',
    answerExample: 'SAMLHookResponseExample',
    retry: oneRetry,
    failure: { mode: 'open', what: 'the Okta process flow continues with the original SAML assertion returned' },
    judge: judgeSaml,
  }),
  contract(IMPORT, {
    name: 'User import inline hook',
    flow: 'import',
    example: 'UserImportPayloadExample',
    answerExample: 'UserImportMatchExample',
    retry: oneRetry,
    failure: { mode: 'open', what: 'the Okta import process continues and a user is created' },
    judge: judgeImport,
  }),
  contract(TELEPHONY, {
    name: 'Telephony inline hook',
    flow: 'message',
    example: 'TelephonyPayloadExample',
    answerExample: 'TelephonySuccessResponse',
    retry: noRetry,
    failure: { mode: 'open', what: 'the OTP is sent through the Okta telephony providers (heavily rate-limited)' },
    judge: judgeTelephony,
  }),
]);

export const oktaSync: SyncPlatform = {
  id: 'okta',
  name: 'Okta inline hooks',
  source: CONCEPT.url!,
  auth,
  get hooks() {
    return hooks();
  },
  identify: (body) => (isObject(body) && typeof body.eventType === 'string' && hooks().some((h) => h.type === body.eventType) ? body.eventType : null),
};

/** The JSON Schema of the SDK's answer type for a hook, for the tests (answers shaped by @okta/okta-sdk-nodejs). */
export function oktaSdkAnswerSchema(type: string): JsonSchema | null {
  return data()[type]?.response.sdk?.schema ?? null;
}
