import { randomBytes } from 'node:crypto';
import { workosCatalog, workosNotes } from '../fixtures/workos.js';
import { timestampedScheme } from '../signing/stripe-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';

/**
 * WorkOS webhooks.
 * - Signing: https://workos.com/docs/events/data-syncing/webhooks (validate
 *   requests): `WorkOS-Signature: t=<unix ms>, v1=<hex>` over `{t}.{body}`,
 *   HMAC-SHA256 with the secret's text; the SDKs' default tolerance is 180 s
 *   and, like them, only old timestamps are refused.
 * - Retries: "up to 6 times with exponential backoff over 3 days"; the docs
 *   give no exact delays, so ours spread six retries over 3 days.
 * - Timeout: not documented; 10 s, the most common among platforms.
 * - Events: WorkOS's OpenAPI spec (github.com/workos/openapi-spec) and
 *   @workos-inc/node@12.3.0's event types, see fixtures/workos.ts. WorkOS documents no user agent and no delivery
 *   header beside WorkOS-Signature (its own emulator, workos/emulate, sends
 *   only those two): deliveries say hooks/<version>.
 */
export const workos: ProviderProfile = {
  id: 'workos',
  name: 'WorkOS',
  source: 'https://workos.com/docs/events/data-syncing/webhooks',
  scheme: timestampedScheme({ header: 'WorkOS-Signature', name: 'WorkOS', unit: 'ms', separator: ', ', tolerance: 180 }),
  catalog: workosCatalog,
  delivery: {
    retryDelaysMs: [1 * time.min, 10 * time.min, 1 * time.h, 6 * time.h, 24 * time.h, 41 * time.h],
    timeoutMs: 10 * time.s,
    ...anyTwoHundred,
    note: 'WorkOS retries up to 6 times over 3 days without publishing the delays; ours spread them so; the timeout is not documented (10 s here)',
  },
  compactJsonOnly: true,
  newSecret: () => randomBytes(18).toString('base64url'),
  // The catalog's own sources are its coverage (catalogs/workos.json); what they leave out, read when shown.
  about: () => ({ sources: [], notes: workosNotes() }),
};
