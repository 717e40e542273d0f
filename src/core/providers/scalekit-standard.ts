import { aboutDocumented } from '../fixtures/documented.js';
import { scalekitStandardCatalog } from '../fixtures/scalekit-standard.js';
import { standardScheme } from '../signing/standard-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { whsecSecret } from './secrets.js';

/**
 * Scalekit as its own docs and SDK describe it today: Standard Webhooks
 * (webhook-id, webhook-timestamp, webhook-signature; `whsec_` secrets),
 * verified by @scalekit-sdk/node's verifyWebhookPayload.
 * - Envelope, retries (5 s, 30 s, 2 min, 5 min, 15 min), 10 s: https://docs.scalekit.com/authenticate/implement-workflows/implement-webhooks/
 * - Headers: https://docs.scalekit.com/guides/webhooks-best-practices/
 * - Events: catalogs/scalekit-standard.json, from Scalekit's OpenAPI document.
 * The form of seed 003 (x-scalekit-signature) is ./scalekit.ts.
 */
export const scalekitStandard: ProviderProfile = {
  id: 'scalekit-standard',
  name: 'Scalekit (Standard Webhooks, current)',
  source: 'docs.scalekit.com + @scalekit-sdk/node',
  scheme: standardScheme,
  catalog: scalekitStandardCatalog,
  eventHeaders: { id: 'webhook-id' },
  delivery: {
    retryDelaysMs: [5 * time.s, 30 * time.s, 2 * time.min, 5 * time.min, 15 * time.min],
    timeoutMs: 10 * time.s,
    ...anyTwoHundred,
    note: "Scalekit's implement-webhooks page: 6 attempts over about 22 minutes, an answer within 10 s (201 recommended)",
  },
  about: () => aboutDocumented('scalekit-standard'),
  newSecret: whsecSecret,
};
