import type { ServerResponse } from 'node:http';
import { toHar } from '../core/export/har.js';
import { ApiError, invalid, notFound } from '../core/http/http-error.js';
import { readJsonObject } from '../core/http/json-request.js';
import { sendJson } from '../core/http/respond.js';
import type { Router } from '../core/http/router.js';
import { parseTarget } from '../core/http/target.js';
import { PROVIDER_IDS } from '../core/providers/registry.js';
import { maskSecret } from '../core/providers/secrets.js';
import type { Forwarder } from '../core/relay/forwarder.js';
import { curlFor, diffDeliveries, previewEdit } from '../core/replay/preview.js';
import { replay } from '../core/replay/replayer.js';
import { OUTCOMES, VERDICTS, type EventStore, type ListFilter, type Outcome, type ReceivedDelivery, type RelayAttempt, type Verdict } from '../core/store/event-store.js';
import { version } from '../core/version.js';
import type { AttemptView, DetailView } from './views.js';

export type { AttemptView, DetailView, RowView } from './views.js';

export interface InspectorContext {
  store: EventStore;
  forwarder: Forwarder;
  /** The secret that signs for a provider: the session's (listen), or the one given (inspect --secret). */
  secretFor(provider: string | null): string | null;
  /** What the page shows about where it runs (asked for each time: a listen session learns it as it starts). */
  session(): { mode: 'listen' | 'inspect'; public_url: string | null; provider: string | null };
  /** Brings the search index up to date off the thread that serves requests; awaited before a search. */
  prepareSearch(): Promise<void>;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Text when the bytes are UTF-8, else null: the page then shows hex. */
function text(bytes: Buffer | null | undefined): string | null {
  if (!bytes) return null;
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** The filters of a list or stream request, checked. */
export function filterOf(query: URLSearchParams): Omit<ListFilter, 'limit'> {
  const provider = query.get('provider') || undefined;
  if (provider && !PROVIDER_IDS.includes(provider)) throw invalid('provider', `must be one of ${PROVIDER_IDS.join(', ')}`);
  const verdict = query.get('verdict') || undefined;
  if (verdict && !(VERDICTS as readonly string[]).includes(verdict)) throw invalid('verdict', `must be one of ${VERDICTS.join(', ')}`);
  const outcome = query.get('outcome') || undefined;
  if (outcome && !(OUTCOMES as readonly string[]).includes(outcome)) throw invalid('outcome', `must be one of ${OUTCOMES.join(', ')}`);
  const before = query.get('before');
  if (before !== null && !/^\d+$/.test(before)) throw invalid('before', 'must be a cursor from next');
  return {
    provider,
    verdict: verdict as Verdict | undefined,
    outcome: outcome as Outcome | undefined,
    typePattern: query.get('type') || undefined,
    search: query.get('search') || undefined,
    ...(before !== null ? { before: Number(before) } : {}),
  };
}

function attemptView(a: RelayAttempt): AttemptView {
  return {
    id: a.id,
    kind: a.kind,
    target: a.target,
    started_at: new Date(a.started_at).toISOString(),
    status: a.status,
    duration_ms: a.duration_ms,
    error: a.error,
    resigned: a.resigned,
    edited: Boolean(a.sent_body),
    response_headers: a.response_headers ?? null,
    response_excerpt_text: text(a.response_excerpt),
    response_excerpt_base64: a.response_excerpt?.toString('base64') ?? null,
  };
}

/** What the detail view shows of a body: its first 256 KB, so a 10 MB delivery opens at once; the whole is a download away. */
export const PREVIEW_BYTES = 256 * 1024;

function detailView(d: ReceivedDelivery, attempts: RelayAttempt[], ctx: InspectorContext): DetailView {
  const { body, ...rest } = d;
  const shown = body.subarray(0, PREVIEW_BYTES);
  const whole = text(body);
  return {
    delivery: { ...rest, notes: rest.notes ?? [], body_base64: shown.toString('base64'), body_text: whole?.slice(0, PREVIEW_BYTES) ?? null, body_pretty: pretty(whole), body_shown: shown.length },
    attempts: attempts.map(attemptView),
    can_sign: ctx.secretFor(d.provider) !== null,
  };
}

/** The body as indented JSON (its first 256 KB), or null when it is not JSON. */
function pretty(whole: string | null): string | null {
  if (whole === null) return null;
  try {
    return JSON.stringify(JSON.parse(whole), null, 2).slice(0, PREVIEW_BYTES);
  } catch {
    return null;
  }
}

function bodyOf(value: unknown, field: string): Buffer {
  if (typeof value !== 'string') throw invalid(field, 'must be base64 text');
  return Buffer.from(value, 'base64');
}

function targetOf(value: unknown, d: ReceivedDelivery): URL {
  if (value === undefined || value === null || value === '') {
    const first = d.targets[0];
    if (!first) throw invalid('target', 'this delivery was never forwarded: give a target');
    return new URL(first);
  }
  if (typeof value !== 'string') throw invalid('target', 'must be a target such as 3000 or http://localhost:3000/webhooks');
  try {
    return parseTarget(value, 'target');
  } catch (err) {
    throw invalid('target', (err as Error).message);
  }
}

/** The inspector's JSON API: each route one core call, its answer drawn by the page. */
export function inspectorRoutes(router: Router, ctx: InspectorContext): void {
  const { store } = ctx;
  const load = (id: string): ReceivedDelivery => {
    const d = store.get(id);
    if (!d) throw notFound('delivery', id);
    return d;
  };
  const secretOrRefuse = (d: ReceivedDelivery) => {
    const secret = ctx.secretFor(d.provider);
    if (!secret) throw new ApiError(409, 'no_secret', `no secret is known for ${d.provider ?? 'this delivery'}: run hooks inspect --secret S, or replay it from a hooks listen session`);
    return secret;
  };

  router.add('GET', '/api/meta', ({ res }) => {
    const session = ctx.session();
    const secret = ctx.secretFor(session.provider);
    sendJson(res, 200, { version, ...session, secret: secret ? maskSecret(secret) : null, providers: PROVIDER_IDS, store: store.file });
  });

  router.add('GET', '/api/deliveries', async ({ res, query }) => {
    const limit = Math.min(200, Number(query.get('limit') ?? 100) || 100);
    const filter = filterOf(query);
    if (filter.search) await ctx.prepareSearch();
    sendJson(res, 200, store.page({ ...filter, limit }));
  });

  router.add('GET', '/api/deliveries/{id}', ({ res, params }) => {
    const d = load(params.id!);
    sendJson(res, 200, detailView(d, store.attempts(d.id), ctx));
  });

  router.add('GET', '/api/deliveries/{id}/body', ({ res, params }) => {
    const d = load(params.id!);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': d.body.length, 'content-disposition': `attachment; filename="${d.id}.body"`, 'x-content-type-options': 'nosniff' }).end(d.body);
  });

  router.add('POST', '/api/deliveries/{id}/replay', async ({ req, res, params }) => {
    const d = load(params.id!);
    const body = await readJsonObject(req);
    const edited = body.body_base64 === undefined ? undefined : bodyOf(body.body_base64, 'body_base64');
    const resign = body.resign === true || edited !== undefined;
    const results = await replay(store, ctx.forwarder, d, { targets: [targetOf(body.target, d)], resignWith: resign ? secretOrRefuse(d) : undefined, body: edited });
    sendJson(res, 200, { results, attempts: store.attempts(d.id).map(attemptView) });
  });

  router.add('POST', '/api/deliveries/{id}/preview', async ({ req, res, params }) => {
    const d = load(params.id!);
    const body = await readJsonObject(req);
    sendJson(res, 200, previewEdit(d, bodyOf(body.body_base64, 'body_base64'), secretOrRefuse(d)));
  });

  router.add('POST', '/api/deliveries/{id}/curl', async ({ req, res, params }) => {
    const d = load(params.id!);
    const body = await readJsonObject(req);
    sendJson(res, 200, curlFor(d, targetOf(body.target, d), ctx.secretFor(d.provider)));
  });

  router.add('POST', '/api/export/har', async ({ req, res }) => {
    const body = await readJsonObject(req);
    if (!Array.isArray(body.ids) || body.ids.length === 0 || !body.ids.every((id) => typeof id === 'string')) throw invalid('ids', 'must be a non-empty array of delivery ids');
    const items = (body.ids as string[]).map((id) => ({ delivery: load(id), attempts: store.attempts(id) }));
    sendHar(res, toHar(items, version));
  });

  router.add('GET', '/api/diff', ({ res, query }) => {
    const [a, b] = [query.get('a'), query.get('b')];
    if (!a || !b) throw invalid('a', 'give two delivery ids: ?a=…&b=…');
    sendJson(res, 200, diffDeliveries(load(a), load(b)));
  });
}

function sendHar(res: ServerResponse, har: unknown): void {
  const bytes = Buffer.from(JSON.stringify(har, null, 2));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length, 'content-disposition': 'attachment; filename="hooks.har"' }).end(bytes);
}
