import { ApiError, invalid, notFound } from '../../core/http/http-error.js';
import { readJsonObject } from '../../core/http/json-request.js';
import { sendJson } from '../../core/http/respond.js';
import type { RouteContext, Router } from '../../core/http/router.js';
import { newId } from '../../core/ids.js';
import { SYNC_PLATFORMS, findSyncHook, type SyncTarget } from '../../core/providers/sync/registry.js';
import { maskSecret } from '../../core/providers/mask.js';
import { didYouMean } from '../../core/suggest.js';
import type { HookFlow, HookVerdict } from '../../core/sync/contract.js';
import { runSyncHook } from '../../core/sync/run.js';
import type { ServerContext } from '../context.js';
import type { HookRow, HookRunRow } from '../store/rows.js';
import { checkUrl, UrlRefused } from '../url-policy.js';
import { wholeNumber } from '../../core/api/schemas.js';
import { contract } from '../contract.js';
import { parseBody, queryParam } from '../validation.js';

const limit = (query: URLSearchParams) => queryParam(wholeNumber(1, 200, 'must be a whole number from 1 to 200'), query, 'limit', 20);

const BASE = '/api/v1/hooks';

/** A registration as the API shows it: never its secret, except in the answer that created it. */
export const hookView = (h: HookRow, withSecret = false) => ({
  id: h.id,
  name: h.name,
  provider: h.provider,
  type: h.type,
  url: h.url,
  fail_open: h.fail_open,
  created_at: new Date(h.created_at).toISOString(),
  ...(withSecret ? { secret: h.secret } : {}),
});

/**
 * Synchronous hooks in the emulator: a registration points a hook type at a
 * receiver, and a run simulates the flow around it: "sign in as this user"
 * answers with the token the platform would issue after the hook, "register
 * this user" with allowed or denied and the reason. A late, failing or
 * invalid answer takes the platform's documented path, and the run says which.
 * Registrations and runs are kept in the store: every instance on a shared
 * database serves and runs the same hooks, and shows every run.
 */
export function hookRoutes(router: Router, ctx: ServerContext): void {
  // Read when a request comes: the routes are also listed without a store (the OpenAPI coverage test).
  const hooks = () => ctx.store.hooks;
  const load = async (id: string) => {
    const h = await hooks().get(id);
    if (!h) throw notFound('hook', id);
    return h;
  };

  router.add('POST', BASE, async ({ req, res }) => {
    const body = await readJsonObject(req);
    const fields = parseBody(contract().HookCreate, body);
    const { type, provider } = fields;
    const target = findSyncHook(type, provider);
    if (!target) {
      const names = SYNC_PLATFORMS.filter((p) => !provider || p.id === provider).flatMap((p) => p.hooks.map((c) => c.type));
      throw new ApiError(422, 'unknown_hook_type', `"${type}" is no synchronous hook${provider ? ` of ${provider}` : ''}${didYouMean(type, names)}; hooks: ${names.join(', ')}`, 'type');
    }
    let url: string;
    try {
      url = checkUrl(fields.url, ctx.settings.strictUrls).url.href;
    } catch (err) {
      if (err instanceof UrlRefused) throw new ApiError(422, 'url_refused', err.message, 'url');
      throw err;
    }
    const { auth } = target.platform;
    const given = fields.secret;
    if (given !== undefined && auth.validateSecret(given)) throw invalid('secret', `${auth.validateSecret(given)} (${auth.secretFormat})`);
    const failOpen = fields.fail_open ?? false;
    if (failOpen && !target.contract.failure.configurable) throw invalid('fail_open', `${target.platform.name} does not let ${target.contract.type} fail open: ${target.contract.failure.what}`);
    const hook: HookRow = {
      id: newId('hook'),
      name: fields.name ?? target.contract.name,
      provider: target.platform.id,
      type: target.contract.type,
      url,
      secret: auth.needsSecret ? (given ?? auth.newSecret()) : null,
      fail_open: failOpen,
      created_at: Date.now(),
    };
    await hooks().insert(hook);
    sendJson(res, 201, hookView(hook, true));
  });

  router.add('GET', BASE, async ({ res }) => sendJson(res, 200, { data: (await hooks().list()).map((h) => hookView(h)) }));
  // What can be registered: every platform's hook types and their contracts in brief.
  router.add('GET', '/api/v1/hook-types', ({ res }) =>
    sendJson(res, 200, {
      data: SYNC_PLATFORMS.flatMap((p) =>
        p.hooks.map((c) => ({ provider: p.id, type: c.type, name: c.name, description: c.description, flow: c.flow, deadline_ms: c.deadline.ms, fails: c.failure.mode, on_failure: c.failure.what, configurable: c.failure.configurable ?? null, needs_secret: p.auth.needsSecret, secret_format: p.auth.secretFormat })),
      ),
    }),
  );
  router.add('GET', `${BASE}/{id}`, async ({ res, params }) => sendJson(res, 200, hookView(await load(params.id!))));
  router.add('DELETE', `${BASE}/{id}`, async ({ res, params }) => {
    if (!(await hooks().delete(params.id!))) throw notFound('hook', params.id!);
    res.writeHead(204).end();
  });
  router.add('GET', `${BASE}/{id}/runs`, async ({ res, params, query }) => {
    const hook = await load(params.id!);
    sendJson(res, 200, { data: (await hooks().runs(hook.id, limit(query))).map(runView) });
  });
  router.add('POST', `${BASE}/{id}/run`, async ({ req, res, params }) => {
    const hook = await load(params.id!);
    sendJson(res, 200, await run(hook, await flowInput(req)));
  });

  // The flows, by what a person does: the newest registration of a hook that runs in it.
  const flow = (name: string, flows: HookFlow[]) =>
    router.add('POST', `/api/v1/flows/${name}`, async ({ req, res }) => {
      const input = await flowInput(req, true);
      const hook = (await hooks().list()).find((h) => (!input.provider || h.provider === input.provider) && flows.includes(findSyncHook(h.type, h.provider)!.contract.flow));
      if (!hook) throw new ApiError(409, 'no_hook', `no ${input.provider ? `${input.provider} ` : ''}hook registered for ${name}: POST ${BASE} {"type", "url"} registers one (hooks trigger --list shows the types)`);
      sendJson(res, 200, await run(hook, input));
    });
  flow('sign-in', ['sign-in']);
  flow('register', ['registration']);
  router.add('GET', '/api/v1/flows', async ({ res, query }) => sendJson(res, 200, { data: (await hooks().runs(null, limit(query))).map(runView) }));

  async function run(hook: HookRow, input: { email: string | null; payload: unknown }) {
    const target = findSyncHook(hook.type, hook.provider)!;
    const payload = input.payload !== undefined ? input.payload : forUser(target.contract.request.sample(new Date()), input.email);
    const { call, outcome } = await runSyncHook(ctx.http, target, { url: new URL(hook.url), secret: hook.secret ?? undefined, payload });
    const verdict = hook.fail_open && outcome.verdict.path === 'closed' ? failedOpen(outcome.verdict, target) : outcome.verdict;
    const recorded: HookRunRow = {
      id: newId('run'),
      hook_id: hook.id,
      flow: target.contract.flow,
      email: input.email,
      started_at: Date.now(),
      request: { headers: masked(call.attempts[0]?.sent ?? {}, hook.secret), payload },
      outcome: { ...outcome, verdict },
    };
    await hooks().record(recorded);
    const last = outcome.attempts.at(-1);
    ctx.emit({ type: 'hook.called', run_id: recorded.id, hook_id: hook.id, provider: hook.provider, hook_type: hook.type, flow: recorded.flow, url: hook.url, status_code: last?.status ?? null, duration_ms: last?.latency_ms ?? 0, proceeds: verdict.proceeds, path: verdict.path, violations: verdict.violations.map((v) => v.code), summary: verdict.summary });
    return runView(recorded);
  }
}

/** A run as the API answers it: the flow's outcome first (signed in / registered, the token), then the call. */
function runView(r: HookRunRow) {
  const v = r.outcome.verdict;
  const outcome = r.flow === 'sign-in' ? { signed_in: v.proceeds, token: tokenOf(v) } : r.flow === 'registration' ? { registered: v.proceeds } : {};
  return {
    id: r.id,
    hook_id: r.hook_id,
    provider: r.outcome.provider,
    type: r.outcome.type,
    name: r.outcome.name,
    url: r.outcome.url,
    flow: r.flow,
    email: r.email,
    started_at: new Date(r.started_at).toISOString(),
    ...outcome,
    proceeds: v.proceeds,
    path: v.path,
    summary: v.summary,
    reason: v.reason,
    result: v.result,
    violations: v.violations,
    request: r.request,
    attempts: r.outcome.attempts,
    contract: r.outcome.contract,
  };
}

/** The token a sign-in hands out, in each platform's shape (Okta's SAML hook: the assertion); null when none is issued. */
function tokenOf(v: HookVerdict): unknown {
  if (!v.proceeds) return null;
  const { tokens, claims, id_token, assertion } = v.result;
  return tokens ?? (claims ? { access_token: { claims } } : id_token ? { id_token } : assertion ? { saml_assertion: assertion } : null);
}

/** The platform's configured failure path (WorkOS's "Allow authentication"): the flow goes on. */
function failedOpen(v: HookVerdict, target: SyncTarget): HookVerdict {
  return { ...v, proceeds: true, path: 'open', reason: null, summary: `${v.summary.replace(/ \(its default.*?\)/, '')}; this endpoint's error handling allows it instead (${target.contract.failure.configurable})` };
}

async function flowInput(req: RouteContext['req'], withProvider = false): Promise<{ email: string | null; payload: unknown; provider?: string }> {
  const raw = await readJsonObject(req);
  const body = withProvider ? parseBody(contract().FlowRequest, raw) : { ...parseBody(contract().HookRunRequest, raw), provider: undefined };
  const email = body.email ?? null;
  if (email !== null && !/^[^@\s]+@[^@\s]+$/.test(email)) throw invalid('email', 'must be an e-mail address');
  return { email, payload: body.payload, provider: body.provider };
}

/** The sample's user made `email`: every place the sample names its user's address (an `email` or, as Okta's SAML hook has it, a `login`). */
function forUser(payload: unknown, email: string | null): unknown {
  if (email === null) return payload;
  let original: string | null = null;
  const find = (v: unknown): void => {
    if (original !== null || !v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'email' || k === 'login') && typeof x === 'string' && x.includes('@')) original = x;
      else find(x);
    }
  };
  find(payload);
  if (original === null) return payload;
  const from = original;
  const swap = (v: unknown): unknown => (typeof v === 'string' ? (v === from ? email : v) : Array.isArray(v) ? v.map(swap) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)])) : v);
  return swap(payload);
}

/** The credential a header carries as is (Okta's Authorization value) is masked; signatures are not secrets. */
function masked(headers: Record<string, string>, secret: string | null): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, secret !== null && v === secret ? maskSecret(v) : v]));
}
