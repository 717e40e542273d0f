import { runAudit } from '../../core/audit/audit.js';
import { ExitCode, HooksError } from '../../core/errors.js';
import type { ProviderProfile } from '../../core/providers/profile.js';
import { getProvider } from '../../core/providers/registry.js';
import type { ServerContext } from '../context.js';
import { scaledTimeout } from '../delivery/dispatcher.js';
import { ApiError, invalid, notFound } from '../../core/http/http-error.js';
import { readJsonObject } from '../../core/http/json-request.js';
import { sendJson } from '../../core/http/respond.js';
import type { Router } from '../../core/http/router.js';
import { newId } from '../../core/ids.js';
import type { SubscriptionChanges, SubscriptionRow, Verification } from '../store/rows.js';
import { checkUrl, UrlRefused } from '../url-policy.js';
import { contract } from '../contract.js';
import { eventPatterns, parseBody, queryParam } from '../validation.js';
import { deliveryView, subscriptionView } from '../views.js';

const BASE = '/api/v1/webhooks/subscriptions';

export function subscriptionRoutes(router: Router, ctx: ServerContext): void {
  const load = async (id: string): Promise<SubscriptionRow> => {
    const sub = await ctx.store.subscriptions.get(id);
    if (!sub) throw notFound('subscription', id);
    return sub;
  };

  const urlOf = (raw: string) => {
    try {
      return checkUrl(raw, ctx.settings.strictUrls);
    } catch (err) {
      if (err instanceof UrlRefused) throw new ApiError(422, 'url_refused', err.message, 'url');
      throw err;
    }
  };

  /** Runs the provider's handshake (WebSub, Okta's verification) against `url` and reports it; stores nothing. */
  const verify = async (sub: SubscriptionRow, mode: 'subscribe' | 'unsubscribe', url = sub.url, events = sub.events): Promise<Verification> => {
    const profile = getProvider(sub.provider);
    const timeoutMs = scaledTimeout(profile.delivery.timeoutMs, ctx.settings.timeScale);
    const credentials = profile.scheme.sign(Buffer.alloc(0), sub.secret, { id: newId('hs'), timestamp: Math.floor(Date.now() / 1000) });
    const verification = await profile.handshake!.verify({ http: ctx.http, callback: url, mode, events, types: profile.catalog.types, timeoutMs, credentials });
    ctx.emit({ type: 'websub.verification', subscription_id: sub.id, handshake: profile.handshake!.kind, mode, ok: verification.error === null, topics: verification.topics.map((t) => t.topic), error: verification.error });
    return verification;
  };

  /** The handshake against the subscription's own URL and events, its outcome stored; returns whether it passed. */
  const handshake = async (sub: SubscriptionRow, mode: 'subscribe' | 'unsubscribe'): Promise<boolean> => {
    const verification = await verify(sub, mode);
    await ctx.store.subscriptions.update(sub.id, { verification }, Date.now());
    return verification.error === null;
  };

  router.add('POST', BASE, async ({ req, res }) => {
    const body = parseBody(contract().SubscriptionCreate, await readJsonObject(req));
    const { name } = body;
    const { url, warnings } = urlOf(body.url);
    const profile = getProvider(body.provider ?? ctx.settings.defaultProvider);
    const events = eventPatterns(body.events, profile);
    const description = body.description ?? null;
    const secret = body.secret === undefined ? profile.newSecret() : checkSecret(body.secret, profile);
    const wantActive = body.active ?? !profile.startsInactive;
    const now = Date.now();
    const id = newId('sub');
    // A handshake platform's subscription exists inactive until its endpoint has answered.
    await ctx.store.subscriptions.insert({ id, name, url: url.href, events, description, provider: profile.id, active: wantActive && !profile.handshake, secret, created_at: now });
    if (wantActive && profile.handshake) {
      if (await handshake(await load(id), 'subscribe')) await ctx.store.subscriptions.update(id, { active: true }, Date.now());
    }
    sendJson(res, 201, { ...subscriptionView(await load(id)), signing_secret: secret, ...(warnings.length ? { warnings } : {}) });
  });

  router.add('GET', BASE, async ({ res, query }) => {
    const limit = queryParam(contract().query.limit, query, 'limit', 20);
    const rows = await ctx.store.subscriptions.list(limit + 1, query.get('cursor'));
    const page = rows.slice(0, limit);
    sendJson(res, 200, { data: page.map(subscriptionView), next_cursor: rows.length > limit ? page[page.length - 1]!.id : null });
  });

  router.add('GET', `${BASE}/{id}`, async ({ res, params }) => sendJson(res, 200, subscriptionView(await load(params.id!))));

  router.add('PATCH', `${BASE}/{id}`, async ({ req, res, params }) => {
    const sub = await load(params.id!);
    const body = parseBody(contract().SubscriptionUpdate, await readJsonObject(req));
    const profile = getProvider(sub.provider);
    const changes: SubscriptionChanges = {};
    let warnings: string[] = [];
    if (body.name) changes.name = body.name;
    if (body.url !== undefined) {
      const checked = urlOf(body.url);
      changes.url = checked.url.href;
      warnings = checked.warnings;
    }
    if (body.events !== undefined) changes.events = eventPatterns(body.events, profile);
    if (body.description !== undefined) changes.description = body.description;
    const { active } = body;

    const url = changes.url ?? sub.url;
    const events = changes.events ?? sub.events;
    const activating = active === true && !sub.active;
    const deactivating = active === false && sub.active;
    const moved = changes.url !== undefined || changes.events !== undefined;
    // The platform delivers only where the handshake passed (seed 002): a new callback or new topics of an active subscription are verified first.
    const reverify = profile.handshake && sub.active && active !== false && moved;

    if (profile.handshake && (activating || reverify)) {
      const verification = await verify(sub, 'subscribe', url, events);
      if (verification.error !== null) {
        // Refused whole: nothing the request asked for is changed. A failed activation of the stored URL and events is recorded (its verification).
        if (!moved) {
          await ctx.store.subscriptions.update(sub.id, { verification }, Date.now());
          throw new ApiError(422, 'verification_failed', `${verification.error}; the subscription stays inactive. To be activated, its receiver must ${profile.handshake.fixHint}`);
        }
        const state = `${sub.active ? 'active' : 'inactive'} at ${sub.url}${changes.events ? `, for ${sub.events.join(',')}` : ''}`;
        throw new ApiError(
          422,
          'verification_failed',
          `${verification.error}; nothing changed: ${sub.id} stays ${state}. ${profile.name} delivers only to a receiver that passed this verification: to ${changes.url !== undefined ? 'move it' : 'change its events'}, the receiver at ${url} must ${profile.handshake.fixHint}`,
        );
      }
      changes.verification = verification;
    }
    if (profile.handshake?.unsubscribes && deactivating) await handshake(sub, 'unsubscribe');
    if (active !== undefined) changes.active = active;
    if (activating) changes.disabled_reason = null;
    // Activating one makes what it is still owed due: the store wakes the dispatchers.
    await ctx.store.subscriptions.update(sub.id, changes, Date.now());
    sendJson(res, 200, { ...subscriptionView(await load(sub.id)), ...(warnings.length ? { warnings } : {}) });
  });

  router.add('DELETE', `${BASE}/{id}`, async ({ res, params }) => {
    const sub = await load(params.id!);
    if (sub.active && getProvider(sub.provider).handshake?.unsubscribes) {
      throw new ApiError(409, 'subscription_active', `${sub.provider} deletes only inactive subscriptions: deactivate it first (PATCH {"active": false} sends the unsubscribe request)`);
    }
    await ctx.store.subscriptions.delete(sub.id);
    res.writeHead(204).end();
  });

  router.add('POST', `${BASE}/{id}/rotate-secret`, async ({ req, res, params }) => {
    const sub = await load(params.id!);
    const body = parseBody(contract().SecretRotation, await readJsonObject(req));
    const profile = getProvider(sub.provider);
    const secret = body.secret === undefined ? profile.newSecret() : checkSecret(body.secret, profile);
    const now = Date.now();
    // Schemes that carry several signatures let a rotated-out secret keep signing for a while.
    const keepOld = profile.scheme.multiSignature && ctx.settings.rotationGraceMs > 0;
    await ctx.store.subscriptions.update(
      sub.id,
      { secret, previous_secret: keepOld ? sub.secret : null, previous_secret_expires_at: keepOld ? now + ctx.settings.rotationGraceMs : null },
      now,
    );
    sendJson(res, 200, { ...subscriptionView(await load(sub.id)), signing_secret: secret });
  });

  router.add('POST', `${BASE}/{id}/test`, async ({ res, params }) => {
    const sub = await load(params.id!);
    if (!sub.active) throw new ApiError(409, 'subscription_inactive', 'the subscription is inactive: enable it first (hooks subscriptions enable ID)');
    const { eventId, delivery } = await ctx.service.testSubscription(sub);
    sendJson(res, 200, { event_id: eventId, delivery: deliveryView(delivery) });
  });

  /** `hooks audit --subscription ID` and the console's "Audit this receiver": the secret never leaves the server. */
  router.add('POST', `${BASE}/{id}/audit`, async ({ req, res, params }) => {
    const sub = await load(params.id!);
    const body = parseBody(contract().AuditRequest, await readJsonObject(req));
    const timeoutMs = body.timeout_ms ?? 10_000;
    try {
      const report = await runAudit({ url: new URL(sub.url), profile: getProvider(sub.provider), secret: sub.secret, only: body.only, timeoutMs, http: ctx.http });
      sendJson(res, 200, report);
    } catch (err) {
      if (err instanceof HooksError) throw new ApiError(err.exitCode === ExitCode.unreachable ? 502 : 400, err.code, err.message, err.code === 'unknown_check' ? 'only' : undefined);
      throw err;
    }
  });

  router.add('GET', `${BASE}/{id}/deliveries`, async ({ res, params, query }) => {
    const sub = await load(params.id!);
    const limit = queryParam(contract().query.limit, query, 'limit', 20);
    const rows = await ctx.store.queue.forSubscription(sub.id, limit + 1, query.get('cursor'));
    const page = rows.slice(0, limit);
    sendJson(res, 200, { data: page.map(deliveryView), next_cursor: rows.length > limit ? page[page.length - 1]!.delivery.id : null });
  });
}

/** A caller's own secret (seed 004): the scheme's own rule, the same one verify and listen apply. */
function checkSecret(value: unknown, profile: ProviderProfile): string {
  // 4096 leaves room for a PEM private key (RSA 4096 is about 3,300 characters) where a scheme signs with one.
  if (typeof value !== 'string' || value.length < 8 || value.length > 4096 || value !== value.trim()) {
    throw invalid('secret', 'must be a string of 8 to 4096 characters without surrounding whitespace');
  }
  const problem = profile.scheme.validateSecret?.(value);
  if (problem) throw invalid('secret', `not a usable ${profile.id} secret: ${problem}`);
  return value;
}
