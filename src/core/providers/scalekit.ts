import { aboutDocumented } from '../fixtures/documented.js';
import { scalekitCatalog } from '../fixtures/scalekit.js';
import { hmacScheme } from '../signing/hmac-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

/**
 * Scalekit in the form seed 003 documents (x-scalekit-signature over the body,
 * `{id, type, created, data}`); events: catalogs/scalekit.json. Receivers
 * written from that page keep working with it. Scalekit's current platform
 * signs with Standard Webhooks: ./scalekit-standard.ts.
 */
export const scalekit: ProviderProfile = {
  id: 'scalekit',
  name: 'Scalekit (seed 003 form)',
  source: 'seed 003',
  scheme: hmacScheme({ signatureHeader: 'x-scalekit-signature', algorithm: 'sha256', encoding: 'hex', prefix: '', template: '{body}' }),
  catalog: scalekitCatalog,
  delivery: {
    // 1, 2, 4, 8, 16, then 30 min, for 10 attempts in all (seed 003).
    retryDelaysMs: [1, 2, 4, 8, 16, 30, 30, 30, 30].map((m) => m * time.min),
    timeoutMs: 30 * time.s,
    ...anyTwoHundred,
    note: 'seed 003 asks for 200 OK; any 2xx is accepted, the 30 s timeout is ours',
  },
  about: () => aboutDocumented('scalekit'),
  newSecret: () => hexSecret('skw_'),
  secretPrefixes: ['skw_'],
};
