import { createHmac, randomBytes } from 'node:crypto';
import { once } from '../../fixtures/catalog.js';
import { freshen, IdMap } from '../../fixtures/examples.js';
import { fake } from '../../fixtures/fake.js';
import { safeEqual } from '../../signing/hmac.js';
import { timestampedScheme } from '../../signing/stripe-scheme.js';
import { acted, answerJson, excerpt, failed, isObject, missing } from '../../sync/answer.js';
import type { HookAuth, HookVerdict, JudgeInput, Source, SyncHookContract, SyncPlatform, Violation } from '../../sync/contract.js';

/**
 * WorkOS Actions, from WorkOS's own SDK and docs:
 * - workos/workos-node (fd885bccd2949a1f8fa90305db424ab1eb394e6f; the same
 *   code is in the installed @workos-inc/node 8.x): src/actions/actions.ts
 *   (constructAction verifies WorkOS-Signature like webhooks, with a 30 s
 *   tolerance; signResponse answers `{object: "<type>_action_response",
 *   payload: {timestamp, verdict, error_message?}, signature}`, the
 *   signature being HMAC-SHA256 hex of `<timestamp>.<JSON of payload>`
 *   (src/common/crypto/signature-provider.ts)); the request bodies are its
 *   fixtures (src/actions/fixtures/*-action-context.json).
 * - https://workos.com/docs/authkit/actions: "respond with an HTTP 200 OK as
 *   well as a valid response body"; "By default, if there is an issue
 *   reaching your endpoint or validating the response, WorkOS will deny the
 *   operation", which each endpoint can change (for authentication actions,
 *   "Allow authentication").
 * WorkOS documents no deadline for an action and no retry: 10 s here (the
 * figure hooks uses for WorkOS webhooks) and none.
 */
const SDK = 'https://github.com/workos/workos-node';
const SDK_COMMIT = 'fd885bccd2949a1f8fa90305db424ab1eb394e6f';
const ACTIONS: Source = { name: 'workos-node actions.ts (constructAction, signResponse)', repo: SDK, commit: SDK_COMMIT, path: 'src/actions/actions.ts' };
const DOCS: Source = { name: 'AuthKit Actions', url: 'https://workos.com/docs/authkit/actions' };
const DEADLINE_MS = 10_000;
/** constructAction's default tolerance, in seconds. */
const TOLERANCE_S = 30;

const scheme = timestampedScheme({ header: 'WorkOS-Signature', name: 'WorkOS Actions', unit: 'ms', separator: ', ', tolerance: TOLERANCE_S });
const HEADERS = { 'content-type': 'application/json' };
const newSecret = () => randomBytes(24).toString('base64url');

function signedRequest(payload: unknown, secret: string, seconds: number) {
  const body = Buffer.from(JSON.stringify(payload));
  return { headers: { ...HEADERS, ...scheme.sign(body, secret, { id: '', timestamp: seconds }) }, body };
}

const auth: HookAuth = {
  description: 'WorkOS-Signature: t=<unix ms>, v1=<HMAC-SHA256 hex of "<t>.<body>">, as WorkOS webhooks; the answer is signed back with the same secret',
  secretFormat: 'the Actions secret from the WorkOS dashboard',
  needsSecret: true,
  validateSecret: (s) => (s === '' ? 'it is empty' : /[\r\n]/.test(s) ? 'it holds a line break' : null),
  newSecret,
  sign: (payload, secret, ctx) => signedRequest(payload, secret ?? '', Math.floor(ctx.now.getTime() / 1000)),
  forgeries(payload, secret, ctx) {
    const seconds = Math.floor(ctx.now.getTime() / 1000);
    let other = newSecret();
    while (other === secret) other = newSecret();
    const good = signedRequest(payload, secret ?? other, seconds);
    return [
      { kind: 'unauthenticated', what: 'a call without WorkOS-Signature', headers: { ...HEADERS }, body: good.body },
      { kind: 'wrong_secret', what: 'a call signed with another secret', ...signedRequest(payload, other, seconds) },
      { kind: 'stale', what: `a call signed 10 minutes ago (constructAction allows ${TOLERANCE_S} s)`, ...signedRequest(payload, secret ?? other, seconds - 600) },
    ];
  },
  verify(body, headers, secret) {
    const r = scheme.verify(body, headers, secret);
    return { valid: r.valid, message: r.message };
  },
};

/** signature-provider.ts computeSignature: HMAC-SHA256 hex of `${timestamp}.${JSON.stringify(payload)}`. */
export function actionSignature(payload: unknown, timestamp: unknown, secret: string): string {
  return createHmac('sha256', secret).update(`${String(timestamp)}.${JSON.stringify(payload)}`).digest('hex');
}

// ---- requests: the SDK's fixtures, made fresh --------------------------------

const ids = new IdMap();
const AUTHENTICATION_FIXTURE = {
  id: '01JATCMZJY26PQ59XT9BNT0FNN',
  user: { object: 'user', id: '01JATCHZVEC5EPANDPEZVM68Y9', email: 'jane@foocorp.com', name: 'Jane Doe', first_name: 'Jane', last_name: 'Doe', email_verified: true, profile_picture_url: 'https://example.com/jane.jpg', created_at: '2024-10-22T17:12:50.746Z', updated_at: '2024-10-22T17:12:50.746Z' },
  ip_address: '50.141.123.10',
  user_agent: 'Mozilla/5.0',
  device_fingerprint: 'notafingerprint',
  issuer: 'test',
  object: 'authentication_action_context',
  organization: { object: 'organization', id: '01JATCMZJY26PQ59XT9BNT0FNN', name: 'Foo Corp', allow_profiles_outside_organization: false, domains: [], lookup_key: 'my-key', created_at: '2024-10-22T17:12:50.746Z', updated_at: '2024-10-22T17:12:50.746Z' },
  organization_membership: { object: 'organization_membership', id: '01JATCNVYCHT1SZGENR4QTXKRK', user_id: '01JATCHZVEC5EPANDPEZVM68Y9', organization_id: '01JATCMZJY26PQ59XT9BNT0FNN', role: { slug: 'member' }, status: 'active', directory_managed: false, custom_attributes: {}, created_at: '2024-10-22T17:12:50.746Z', updated_at: '2024-10-22T17:12:50.746Z' },
};
const REGISTRATION_FIXTURE = {
  id: '01JATCMZJY26PQ59XT9BNT0FNN',
  user_data: { object: 'user_data', email: 'jane@foocorp.com', name: 'Jane Doe', first_name: 'Jane', last_name: 'Doe' },
  ip_address: '50.141.123.10',
  user_agent: 'Mozilla/5.0',
  device_fingerprint: 'notafingerprint',
  object: 'user_registration_action_context',
  invitation: { object: 'invitation', id: '01JBVZWH8HJ855YZ5BWHG1WNZN', email: 'jane@foocorp.com', expires_at: '2024-10-22T17:12:50.746Z', created_at: '2024-10-21T17:12:50.746Z', updated_at: '2024-10-21T17:12:50.746Z', accepted_at: '2024-10-22T17:13:50.746Z', revoked_at: null, organization_id: '01JBW46BTKAA98WZN8826XQ2YP', inviter_user_id: '01JBVZWAEPWAE3YYKBVT0AF81F' },
};

/** A fixture with fresh ids, times, a person and an address. */
function sample<T extends object>(fixture: T) {
  return (now: Date): T => {
    const fresh = freshen(fixture, { now, ids }) as Record<string, unknown>;
    const p = fake.person();
    const person = { email: p.email, name: p.name, first_name: p.firstName, last_name: p.lastName };
    if (isObject(fresh.user)) Object.assign(fresh.user, person);
    if (isObject(fresh.user_data)) Object.assign(fresh.user_data, person);
    if (isObject(fresh.invitation)) fresh.invitation.email = p.email;
    return { ...fresh, id: `${fake.ulid(now.getTime())}`, ip_address: fake.ip(), user_agent: fake.userAgent() } as T;
  };
}

// ---- answer -------------------------------------------------------------------

function judge(kind: 'authentication' | 'user_registration') {
  const what = kind === 'authentication' ? 'authentication' : 'registration';
  const object = `${kind}_action_response`;
  return ({ attempts, secret }: JudgeInput): HookVerdict => {
    const deny = (v: Violation) => failed('closed', [v], `WorkOS denies the ${what} (its default when the endpoint fails; the endpoint's error handling can be set to allow): ${v.message}`, `the ${what} is denied`);
    const a = attempts.at(-1);
    if (!a || a.status === null) return deny(missing(a, DEADLINE_MS));
    if (a.status !== 200) return deny({ code: 'status_not_200', message: `answered ${a.status}${a.body.length ? ` (${excerpt(a, 60)})` : ''}: WorkOS reads a 200 with a signed body` });
    const json = answerJson(a);
    if (!json.ok || !isObject(json.value)) return deny({ code: 'malformed_answer', message: json.ok ? 'the answer is not a JSON object' : json.why });
    const body = json.value;
    if (body.object !== object) return deny({ code: 'wrong_object', message: `object is ${JSON.stringify(body.object)}; a ${what} action answers "${object}"` });
    const payload = body.payload;
    if (!isObject(payload) || typeof payload.timestamp !== 'number') return deny({ code: 'malformed_answer', message: 'payload must be {timestamp (ms), verdict, error_message?}' });
    if (payload.verdict !== 'Allow' && payload.verdict !== 'Deny') return deny({ code: 'bad_verdict', message: `verdict is ${JSON.stringify(payload.verdict)}; it takes "Allow" or "Deny"` });
    if (typeof body.signature !== 'string' || body.signature === '') return deny({ code: 'unsigned_answer', message: 'the answer has no signature: WorkOS checks it with the Actions secret (signResponse signs it)' });
    const violations: Violation[] = [];
    if (secret === undefined) {
      // listen without the session's WorkOS secret: the signature cannot be checked here.
    } else if (!safeEqual(Buffer.from(body.signature), Buffer.from(actionSignature(payload, payload.timestamp, secret)))) {
      return deny({ code: 'bad_signature', message: 'the answer\'s signature does not match HMAC-SHA256 of "<timestamp>.<payload JSON>" with the Actions secret' });
    }
    const message = typeof payload.error_message === 'string' ? payload.error_message : null;
    if (payload.verdict === 'Deny') return acted(false, `the endpoint denies the ${what}${message ? `: ${message}` : ''}`, message ?? `the ${what} is denied`, { verdict: 'Deny', error_message: message }, violations);
    return acted(true, `the endpoint allows the ${what}`, null, { verdict: 'Allow' }, violations);
  };
}

const contract = (type: string, kind: 'authentication' | 'user_registration', fields: Pick<SyncHookContract, 'name' | 'description' | 'flow'> & { fixture: object; path: string }): SyncHookContract => ({
  type,
  aliases: [kind],
  name: fields.name,
  description: fields.description,
  flow: fields.flow,
  request: { description: `the ${type} object (@workos-inc/node ${fields.path})`, sample: sample(fields.fixture) },
  answer: {
    description: `200 {"object": "${kind}_action_response", "payload": {"timestamp", "verdict": "Allow" | "Deny", "error_message"?}, "signature"}: what workos.actions.signResponse makes`,
    example: { object: `${kind}_action_response`, payload: { timestamp: 1730000000000, verdict: 'Deny', error_message: 'Sign-ups from this domain are closed' }, signature: '<HMAC-SHA256 hex>' },
  },
  deadline: { ms: DEADLINE_MS, per: 'attempt' },
  retry: { attempts: 1, description: 'none documented', next: () => null },
  failure: { mode: 'closed', what: 'WorkOS denies the operation', configurable: kind === 'authentication' ? 'the endpoint\'s error handling can be set to "Allow authentication"' : 'the endpoint\'s error handling can be set to allow' },
  sources: [ACTIONS, { name: 'workos-node action fixture', repo: SDK, commit: SDK_COMMIT, path: fields.path }, DOCS],
  judge: judge(kind),
});

const hooks = once((): SyncHookContract[] => [
  contract('authentication_action_context', 'authentication', { name: 'Authentication action', description: 'Runs after a user authenticates, before they are redirected to the app: Allow or Deny', flow: 'sign-in', fixture: AUTHENTICATION_FIXTURE, path: 'src/actions/fixtures/authentication-action-context.json' }),
  contract('user_registration_action_context', 'user_registration', { name: 'User registration action', description: 'Runs when a user registers, before they are provisioned: Allow or Deny', flow: 'registration', fixture: REGISTRATION_FIXTURE, path: 'src/actions/fixtures/user-registration-action-context.json' }),
]);

export const workosSync: SyncPlatform = {
  id: 'workos',
  name: 'WorkOS Actions',
  source: DOCS.url!,
  auth,
  get hooks() {
    return hooks();
  },
  identify: (body, headers) => (headers.has('workos-signature') && isObject(body) && hooks().some((h) => h.type === body.object) ? (body.object as string) : null),
};
