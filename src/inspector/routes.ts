import type { ServerResponse } from 'node:http';
import { invalid } from '../core/http/http-error.js';
import { readJsonObject } from '../core/http/json-request.js';
import { sendJson } from '../core/http/respond.js';
import type { Router } from '../core/http/router.js';
import { parseTarget } from '../core/http/target.js';
import type { FilterInput } from '../core/inbox/filter.js';
import type { Inbox } from '../core/inbox/inbox.js';
import type { BodyBound } from '../core/inbox/views.js';
import { PROVIDER_IDS } from '../core/providers/registry.js';
import { version } from '../core/version.js';

export interface InspectorContext {
  inbox: Inbox;
  /** What the page shows about where it runs (asked for each time: a listen session learns it as it starts). */
  session(): { mode: 'listen' | 'inspect'; public_url: string | null; provider: string | null };
}

/** What the detail view shows of a body: its first 256 KB, so a 10 MB delivery opens at once; the whole is a download away. */
export const PREVIEW: BodyBound = { bytes: 256 * 1024, pretty: true };

/** A diff's lines, headers and bodies together, are cut at the same size as a preview. */
const DIFF_BYTES = 256 * 1024;

/** The filters of a list or stream request, as the query names them; the inbox checks them. */
export function filterFromQuery(query: URLSearchParams): FilterInput {
  const get = (name: string) => query.get(name) ?? undefined;
  return { provider: get('provider'), type: get('type'), verdict: get('verdict'), outcome: get('outcome'), text: get('search'), before: get('before') };
}

function bodyOf(value: unknown, field: string): Buffer {
  if (typeof value !== 'string') throw invalid(field, 'must be base64 text');
  return Buffer.from(value, 'base64');
}

/** A target the page typed, or none (then: where the delivery was forwarded). */
function targetOf(value: unknown): URL | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid('target', 'must be a target such as 3000 or http://localhost:3000/webhooks');
  try {
    return parseTarget(value, 'target');
  } catch (err) {
    throw invalid('target', (err as Error).message);
  }
}

/** The inspector's JSON API: each route one inbox call, its answer drawn by the page. */
export function inspectorRoutes(router: Router, ctx: InspectorContext): void {
  const { inbox } = ctx;

  router.add('GET', '/api/meta', ({ res }) => {
    const session = ctx.session();
    sendJson(res, 200, { version, ...session, secret: inbox.secretMask(session.provider), providers: PROVIDER_IDS, store: inbox.file });
  });

  router.add('GET', '/api/deliveries', async ({ res, query }) => {
    const limit = Math.min(200, Number(query.get('limit') ?? 100) || 100);
    sendJson(res, 200, await inbox.page(filterFromQuery(query), limit));
  });

  router.add('GET', '/api/deliveries/{id}', ({ res, params }) => {
    sendJson(res, 200, inbox.get(params.id!, PREVIEW));
  });

  router.add('GET', '/api/deliveries/{id}/body', ({ res, params }) => {
    const body = inbox.body(params.id!, true);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'content-disposition': `attachment; filename="${params.id!.replace(/[^\w-]/g, '_')}.body"`, 'x-content-type-options': 'nosniff' }).end(body);
  });

  router.add('POST', '/api/deliveries/{id}/replay', async ({ req, res, params }) => {
    const body = await readJsonObject(req);
    const edited = body.body_base64 === undefined ? undefined : bodyOf(body.body_base64, 'body_base64');
    sendJson(res, 200, await inbox.replay(params.id!, { to: targetOf(body.target), resign: body.resign === true || edited !== undefined, body: edited, sendSecretHeaders: body.send_secret_headers === true }));
  });

  router.add('POST', '/api/deliveries/{id}/preview', async ({ req, res, params }) => {
    const body = await readJsonObject(req);
    sendJson(res, 200, inbox.preview(params.id!, bodyOf(body.body_base64, 'body_base64')));
  });

  router.add('POST', '/api/deliveries/{id}/curl', async ({ req, res, params }) => {
    const body = await readJsonObject(req);
    sendJson(res, 200, inbox.curl(params.id!, targetOf(body.target)));
  });

  router.add('POST', '/api/export/har', async ({ req, res }) => {
    const body = await readJsonObject(req);
    if (!Array.isArray(body.ids) || body.ids.length === 0 || !body.ids.every((id) => typeof id === 'string')) throw invalid('ids', 'must be a non-empty array of delivery ids');
    sendHar(res, inbox.har(body.ids as string[], version));
  });

  router.add('GET', '/api/diff', ({ res, query }) => {
    const [a, b] = [query.get('a'), query.get('b')];
    if (!a || !b) throw invalid('a', 'give two delivery ids: ?a=…&b=…');
    sendJson(res, 200, inbox.diff(a, b, DIFF_BYTES));
  });
}

function sendHar(res: ServerResponse, har: unknown): void {
  const bytes = Buffer.from(JSON.stringify(har, null, 2));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length, 'content-disposition': 'attachment; filename="hooks.har"' }).end(bytes);
}
