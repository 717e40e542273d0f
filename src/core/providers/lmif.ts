import { aboutDocumented } from '../fixtures/documented.js';
import { lmifCatalog } from '../fixtures/lmif.js';
import { hmacScheme } from '../signing/hmac-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

/** LMIF: seed 004 (https://www.lookmaimfamous.com/webhooks/overview); events: catalogs/lmif.json. */
export const lmif: ProviderProfile = {
  id: 'lmif',
  name: 'LMIF',
  source: 'seed 004',
  scheme: hmacScheme({ signatureHeader: 'x-lmif-signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', template: '{body}' }),
  catalog: lmifCatalog,
  // Seed 004's envelope: meta.webhookId names the webhook; the emulator puts the subscription's id there.
  subscriptionRef: { read: (e) => webhookIdOf(e), nameOf: (id) => id },
  delivery: {
    // Attempt 1 immediately, then 1 m, 5 m, 30 m, 2 h, 8 h, 24 h; failed after 7 (seed 004).
    retryDelaysMs: [1 * time.min, 5 * time.min, 30 * time.min, 2 * time.h, 8 * time.h, 24 * time.h],
    timeoutMs: 30 * time.s,
    ...anyTwoHundred,
  },
  about: () => aboutDocumented('lmif'),
  newSecret: () => hexSecret('lmif_whsec_'),
  secretPrefixes: ['lmif_whsec_'],
};

function webhookIdOf(envelope: unknown): string | null {
  const meta = envelope && typeof envelope === 'object' ? (envelope as { meta?: unknown }).meta : undefined;
  const id = meta && typeof meta === 'object' ? (meta as { webhookId?: unknown }).webhookId : undefined;
  return typeof id === 'string' ? id : null;
}
