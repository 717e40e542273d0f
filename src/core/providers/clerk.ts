import { clerkCatalog } from '../fixtures/clerk.js';
import { webhookScheme } from '../signing/standard-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { whsecSecret } from './secrets.js';

/**
 * Clerk delivers through Svix.
 * - Signing, headers and the `whsec_` secret: https://clerk.com/docs/webhooks/overview
 *   and https://docs.svix.com/receiving/verifying-payloads/how-manual
 * - Retries: Svix's schedule, https://docs.svix.com/retries (immediately, 5 s,
 *   5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
 * - Timeout: Svix documents 15 s for an endpoint to answer; Clerk's docs are silent.
 * - Events and envelope: https://clerk.com/docs/guides/development/webhooks/overview,
 *   the types of @clerk/backend's WebhookEvent and Clerk's webhook-events
 *   OpenAPI (github.com/clerk/openapi-specs, webhooks/2025-04-15.yml).
 * - User agent: Svix's sender, `Svix-Webhooks/<version>` (svix-webhooks'
 *   worker, server/svix-server/src/worker.rs) with its sender tag and
 *   https://www.svix.com/http-sender/, as Clerk deliveries carry it.
 */
export const clerk: ProviderProfile = {
  id: 'clerk',
  name: 'Clerk (through Svix)',
  source: 'https://clerk.com/docs/guides/development/webhooks/overview',
  scheme: webhookScheme('svix'),
  catalog: clerkCatalog,
  eventHeaders: { id: 'svix-id' },
  userAgent: 'Svix-Webhooks/1.84.0 (sender-9YMgn; +https://www.svix.com/http-sender/)',
  delivery: {
    retryDelaysMs: [5 * time.s, 5 * time.min, 30 * time.min, 2 * time.h, 5 * time.h, 10 * time.h, 10 * time.h],
    timeoutMs: 15 * time.s,
    ...anyTwoHundred,
    note: "Svix's published retry schedule and 15 s timeout; Clerk's docs defer to Svix",
  },
  newSecret: whsecSecret,
};
