import { patternsOf } from '../../core/fixtures/catalog.js';
import { getProvider, PROVIDER_IDS } from '../../core/providers/registry.js';
import type { ServerContext } from '../context.js';
import { notFound } from '../../core/http/http-error.js';
import { sendJson } from '../../core/http/respond.js';
import type { Router } from '../../core/http/router.js';
import { openapiDocument } from '../openapi.js';
import { contract } from '../contract.js';
import { queryParam } from '../validation.js';

export function metaRoutes(router: Router, ctx: ServerContext, version: string): void {
  router.add('GET', '/api/v1/healthz', ({ res }) => sendJson(res, 200, { status: 'ok', version }), { auth: false });

  /**
   * The public keys of every subscription that signs with a private key
   * (FusionAuth RS256/ES256), as FusionAuth serves them: receivers verify
   * with these and never hold a secret. Public by nature, so no token.
   */
  router.add('GET', '/.well-known/jwks.json', async ({ res }) => {
    const keys: Record<string, string>[] = [];
    for (let page = await ctx.store.subscriptions.list(500, null); page.length > 0; page = await ctx.store.subscriptions.list(500, page.at(-1)!.id)) {
      for (const sub of page) {
        const scheme = getProvider(sub.provider).scheme;
        for (const secret of [sub.secret, sub.previous_secret]) {
          const jwk = secret ? scheme.publicJwk?.(secret) : null;
          if (jwk && !keys.some((k) => k.kid === jwk.kid)) keys.push(jwk);
        }
      }
    }
    res.setHeader('cache-control', 'no-store');
    sendJson(res, 200, { keys });
  }, { auth: false });

  router.add('GET', '/api/v1/openapi.json', ({ res }) => sendJson(res, 200, openapiDocument(version)));

  router.add('GET', '/api/v1/webhooks/event-types', ({ res, query }) => {
    const profile = getProvider(queryParam(contract().query.provider, query, 'provider', ctx.settings.defaultProvider));
    const types = profile.catalog.types;
    sendJson(res, 200, {
      provider: profile.id,
      providers: PROVIDER_IDS,
      patterns: patternsOf(types),
      data: types.map((t) => ({ type: t.type, category: t.category, description: t.description, ...(t.uri ? { uri: t.uri } : {}) })),
    });
  });

  /** One type, with a fresh fixture of its data: what the console puts in its editor before emitting. */
  router.add('GET', '/api/v1/webhooks/event-types/{type}', ({ res, query, params }) => {
    const profile = getProvider(queryParam(contract().query.provider, query, 'provider', ctx.settings.defaultProvider));
    const type = profile.catalog.resolve(params.type!);
    const spec = profile.catalog.types.find((t) => t.type === type);
    if (!type || !spec) throw notFound(`${profile.id} event type`, params.type!);
    sendJson(res, 200, { provider: profile.id, type, category: spec.category, description: spec.description, ...(spec.uri ? { uri: spec.uri } : {}), sample: profile.catalog.sample(type) });
  });
}
