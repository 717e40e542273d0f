import type { Violation } from '../../sync/contract.js';

/**
 * How Okta applies a SAML assertion inline hook's `com.okta.assertion.patch`
 * commands, from the management API's x-webhooks create-saml-hook
 * (okta-management-openapi-spec, SAMLHookResponse) and the reference page
 * it replaced (okta-developer-docs, docs/reference/saml-hook/index.md
 * before commit feb22d7341): the ops are `add` ("Add a new claim to the
 * assertion") and `replace` ("Modify any element of the assertion"); a path
 * "follows JSON Patch conventions" and begins with `/subject/`,
 * `/authentication/`, `/conditions/` or `/claims/`; a new attribute
 * statement is an `add` of `/claims/<name>` whose value carries
 * `attributeValues`; URI claim names are escaped as RFC 6901 says (`~0`
 * for `~`, `~1` for `/`); `add /authentication/sessionLifetime` takes the
 * session lifetime in seconds. Okta's docs do not say what one op it cannot
 * apply does; the emulator takes the hook's documented failure path (the
 * original assertion), as Okta does for the token hook.
 */

const PARTS = ['subject', 'authentication', 'conditions', 'claims'];

class PatchFailure extends Error {
  constructor(readonly violation: Violation) {
    super(violation.message);
  }
}

const fail = (code: string, message: string): never => {
  throw new PatchFailure({ code, message });
};

/** The assertion after the ops of one command, or the violation. `assertion` is not changed. */
export function applyAssertionOps(assertion: Record<string, unknown>, ops: unknown): { assertion: Record<string, unknown> } | { violation: Violation } {
  const next = structuredClone(assertion);
  try {
    if (!Array.isArray(ops)) fail('bad_command', 'the value of com.okta.assertion.patch must be an array of ops {op, path, value}');
    (ops as unknown[]).forEach((op, i) => applyOp(next, op, i));
    return { assertion: next };
  } catch (err) {
    if (err instanceof PatchFailure) return { violation: err.violation };
    throw err;
  }
}

/** An RFC 6901 pointer's reference tokens, unescaped; a `~` not followed by 0 or 1 is no pointer. */
export function pointerTokens(path: string): string[] | null {
  if (!path.startsWith('/')) return null;
  const raw = path.slice(1).split('/');
  if (raw.some((t) => /~(?![01])/.test(t))) return null;
  return raw.map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOp(assertion: Record<string, unknown>, raw: unknown, index: number): void {
  const where = `op ${index + 1}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('bad_op', `${where} is not an object {op, path, value}`);
  const { op, path, value } = raw as { op?: unknown; path?: unknown; value?: unknown };
  if (op !== 'add' && op !== 'replace') return fail('bad_op', `${where}: "${String(op)}" is not an op of the SAML assertion hook (add, replace)`);
  if (typeof path !== 'string') return fail('bad_patch_path', `${where} has no path`);
  const tokens = pointerTokens(path);
  if (!tokens) return fail('bad_patch_path', `${where}: "${path}" is not a JSON Pointer (RFC 6901: it starts with "/", and "~" is written ~0, "/" ~1)`);
  const [part, ...rest] = tokens;
  if (!PARTS.includes(part!) || rest.length === 0 || rest[0] === '') return fail('bad_patch_path', `${where}: "${path}" is not in /subject/, /authentication/, /conditions/ or /claims/`);
  // "http://…" written as is splits into "http:", "" and the rest: a URI claim name must be escaped.
  if (part === 'claims' && rest.length > 1 && /^[a-z][\w+.-]*:$/i.test(rest[0]!) && rest[1] === '') {
    return fail('unescaped_uri_claim', `${where}: the URI claim name in "${path}" is not escaped; RFC 6901 writes "/" as ~1 (/claims/${rest[0]}~1~1…)`);
  }
  if (value === undefined) return fail('bad_op', `${where}: ${op} takes a value`);
  if (part === 'claims' && rest.length === 1 && op === 'add') {
    const ok = typeof value === 'object' && value !== null && Array.isArray((value as { attributeValues?: unknown }).attributeValues);
    if (!ok) return fail('bad_claim_value', `${where}: a new attribute statement (add ${path}) takes {"attributes": {…}, "attributeValues": [{"attributes": {…}, "value": …}]}`);
  }
  if (part === 'authentication' && rest.length === 1 && rest[0] === 'sessionLifetime') {
    if (op !== 'add') return fail('bad_patch_path', `${where}: the session lifetime is set with "add", not "${op}"`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) return fail('bad_session_lifetime', `${where}: sessionLifetime ${JSON.stringify(value)} is not a number of seconds`);
  }
  let parent: unknown = assertion[part!];
  for (const token of rest.slice(0, -1)) {
    const child = member(parent, token);
    if (child === undefined) return fail('missing_element', `${where}: ${path} goes through "${token}", which the assertion does not have`);
    parent = child;
  }
  const last = rest.at(-1)!;
  if (Array.isArray(parent)) {
    const i = last === '-' && op === 'add' ? parent.length : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : NaN;
    const limit = op === 'add' ? parent.length : parent.length - 1;
    if (!Number.isInteger(i) || i > limit) return fail('bad_array_index', `${where}: ${path} names index ${last} of an array of ${parent.length}`);
    if (op === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
    return;
  }
  if (typeof parent !== 'object' || parent === null) return fail('missing_element', `${where}: ${path} goes into a value that is not an object`);
  const object = parent as Record<string, unknown>;
  if (op === 'replace' && !Object.prototype.hasOwnProperty.call(object, last)) return fail('missing_element', `${where}: replace ${path}, which the assertion does not have (a new attribute statement is an add of /claims/<name>)`);
  object[last] = value;
}

function member(value: unknown, token: string): unknown {
  if (Array.isArray(value)) return /^(0|[1-9]\d*)$/.test(token) ? value[Number(token)] : undefined;
  if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, token)) return (value as Record<string, unknown>)[token];
  return undefined;
}
