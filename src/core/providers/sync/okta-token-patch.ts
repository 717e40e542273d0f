import type { Violation } from '../../sync/contract.js';

/**
 * How Okta applies a token inline hook's commands, from the management
 * API's TokenHookResponse notes (okta-management-openapi-spec, x-webhooks
 * create-token-hook: "op: add/replace/remove notes", "Troubleshoot"):
 * `com.okta.identity.patch` changes the ID token, `com.okta.access.patch`
 * the access token; each op is a JSON Patch (RFC 6902) on `/claims/…`
 * (names escaped as RFC 6901 pointers, for URI claims) or a `replace` of
 * `/token/lifetime/expiration` (300 to 86,400 s). One op that cannot be
 * applied makes Okta skip the whole hook: the tokens are issued unchanged.
 */

/**
 * Claims no hook may add, change or remove: Okta's "OIDC Bearer Tokens:
 * List of Reserved Claims" (https://support.okta.com/help/s/article/list-of-reserved-claim-names),
 * by token. The API reference adds that `aud` and `sub`, reserved in ID
 * tokens, may be changed in access tokens: the list has them for ID tokens only.
 */
const BOTH = ['iss', 'jti', 'token_type', 'ver'];
export const RESERVED_CLAIMS = {
  access: [...BOTH, 'acr', 'amr', 'as_uri', 'cid', 'groups', 'rpt', 'rsi', 'uid', 'username'],
  identity: [
    ...BOTH,
    'active', 'aid', 'aud', 'app_id', 'app_type', 'at_hash', 'auth_time', 'client_id', 'client_ip', 'client_req_id', 'client_type', 'client_user_agent', 'cnf', 'c_hash',
    'device_compliance', 'device_id', 'device_known', 'device_managed', 'device_name', 'device_trust', 'did', 'dst', 'group', 'hotk', 'idp', 'idp_iss', 'mac_key', 'may_act',
    'nonce', 'oid', 'okta_emailVerified', 'okta_lastUpdated', 'orig', 'permissions', 'purpose', 'pwd_exp_days', 'pwd_exp_time', 'rid', 'role', 'scope', 'scopes', 'sid', 'sub',
    'term', 'user_ip',
  ],
} as const;

export type TokenKind = keyof typeof RESERVED_CLAIMS;
export const COMMAND_TOKEN: Record<string, TokenKind> = { 'com.okta.identity.patch': 'identity', 'com.okta.access.patch': 'access' };
const TOKEN_NAME: Record<TokenKind, string> = { identity: 'ID token', access: 'access token' };
export const LIFETIME = { min: 300, max: 86_400 };

export interface Token {
  claims: Record<string, unknown>;
  /** Seconds. */
  lifetime: number;
}

/** An op that cannot be applied: the violation, and the hook is skipped. */
class PatchFailure extends Error {
  constructor(readonly violation: Violation) {
    super(violation.message);
  }
}

const fail = (code: string, message: string): never => {
  throw new PatchFailure({ code, message });
};

/**
 * The token after the ops of one command, or the violation that makes Okta
 * skip the hook. `token` is not changed.
 */
export function applyOps(kind: TokenKind, token: Token, ops: unknown): { token: Token } | { violation: Violation } {
  const next: Token = { claims: structuredClone(token.claims), lifetime: token.lifetime };
  try {
    if (!Array.isArray(ops)) fail('bad_command', `the value of a ${TOKEN_NAME[kind]} patch must be an array of ops`);
    (ops as unknown[]).forEach((op, i) => applyOp(kind, next, op, i));
    return { token: next };
  } catch (err) {
    if (err instanceof PatchFailure) return { violation: err.violation };
    throw err;
  }
}

function applyOp(kind: TokenKind, token: Token, raw: unknown, index: number): void {
  const where = `${TOKEN_NAME[kind]} op ${index + 1}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('bad_op', `${where} is not an object {op, path, value}`);
  const { op, path, value } = raw as { op?: unknown; path?: unknown; value?: unknown };
  if (op !== 'add' && op !== 'replace' && op !== 'remove') return fail('bad_op', `${where}: "${String(op)}" is not an op Okta supports (add, replace, remove)`);
  if (typeof path !== 'string') return fail('bad_patch_path', `${where} has no path`);
  if (path === '/token/lifetime/expiration') {
    if (op !== 'replace') return fail('bad_patch_path', `${where}: the lifetime is changed with "replace", not "${op}"`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < LIFETIME.min || value > LIFETIME.max) {
      return fail('bad_lifetime', `${where}: lifetime ${JSON.stringify(value)} is outside ${LIFETIME.min}–${LIFETIME.max} seconds`);
    }
    token.lifetime = value;
    return;
  }
  if (!path.startsWith('/claims/') || path === '/claims/') return fail('bad_patch_path', `${where}: path "${path}" is neither /claims/<name>… nor /token/lifetime/expiration`);
  const segments = path.slice('/claims/'.length).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const claim = segments[0]!;
  if ((RESERVED_CLAIMS[kind] as readonly string[]).includes(claim)) return fail('reserved_claim', `${where}: "${claim}" is a reserved claim of the ${TOKEN_NAME[kind]}; Okta refuses to ${op} it`);
  if (op === 'remove' && value !== undefined && value !== null) return fail('remove_with_value', `${where}: a remove op takes no value (or null); Okta fails the whole patch otherwise`);
  // Walk to the parent of the last segment.
  let parent: unknown = token.claims;
  for (const segment of segments.slice(0, -1)) {
    const child = member(parent, segment);
    if (child === undefined) return fail('missing_claim', `${where}: ${path} goes through ${segment}, which the ${TOKEN_NAME[kind]} does not have`);
    parent = child;
  }
  const last = segments.at(-1)!;
  if (Array.isArray(parent)) {
    const i = last === '-' && op === 'add' ? parent.length : /^\d+$/.test(last) ? Number(last) : NaN;
    const limit = op === 'add' ? parent.length : parent.length - 1;
    if (!Number.isInteger(i) || i > limit) return fail('bad_array_index', `${where}: ${path} names index ${last} of an array of ${parent.length}`);
    if (op === 'add') parent.splice(i, 0, value);
    else if (op === 'replace') parent[i] = value;
    else parent.splice(i, 1);
    return;
  }
  if (typeof parent !== 'object' || parent === null) return fail('missing_claim', `${where}: ${path} goes into a value that is not an object`);
  const object = parent as Record<string, unknown>;
  const exists = Object.prototype.hasOwnProperty.call(object, last);
  if (op !== 'add' && !exists) return fail('missing_claim', `${where}: ${op} ${path}, which the ${TOKEN_NAME[kind]} does not have (use add)`);
  if (op === 'remove') delete object[last];
  else object[last] = value;
}

function member(value: unknown, segment: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(segment) ? value[Number(segment)] : undefined;
  if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, segment)) return (value as Record<string, unknown>)[segment];
  return undefined;
}
