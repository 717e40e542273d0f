import { getProvider } from '../../core/providers/registry.js';
import type { ServerContext } from '../context.js';
import { sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { openapiDocument } from '../openapi.js';
import { providerField } from '../validation.js';

export function metaRoutes(router: Router, ctx: ServerContext, version: string): void {
  router.add('GET', '/api/v1/healthz', ({ res }) => sendJson(res, 200, { status: 'ok', version }), { auth: false });

  router.add('GET', '/api/v1/openapi.json', ({ res }) => sendJson(res, 200, openapiDocument(version)));

  router.add('GET', '/api/v1/webhooks/event-types', ({ res, query }) => {
    const profile = getProvider(providerField({ provider: query.get('provider') ?? undefined }, ctx.settings.defaultProvider));
    const types = profile.catalog.types;
    sendJson(res, 200, {
      provider: profile.id,
      patterns: ['*', ...new Set(types.map((t) => `${t.category}.*`))],
      data: types.map((t) => ({ type: t.type, category: t.category, description: t.description, ...(t.uri ? { uri: t.uri } : {}) })),
    });
  });
}
