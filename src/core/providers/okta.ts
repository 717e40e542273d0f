import { randomBytes } from 'node:crypto';
import { oktaCatalog } from '../fixtures/okta.js';
import { headerTokenScheme } from '../signing/header-token-scheme.js';
import { oktaVerification } from './handshakes/okta-verification.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';

/**
 * Okta event hooks: https://developer.okta.com/docs/concepts/event-hooks/
 * - No HMAC: each request carries the authentication field configured on the
 *   hook (`Authorization` here, the usual choice) with its secret value.
 * - A one-time verification GET before any delivery (see handshakes/okta-verification.ts).
 * - "Your external service's endpoint must respond within 3 seconds"; a
 *   timeout or a failed request is retried once ("Okta attempts at most one
 *   retry"). The delay before that retry is not documented: 10 s here.
 * - Headers ("HTTP Headers" on that page): `Accept: application/json`,
 *   `Content-Type: application/json` and the authorization header. Okta
 *   documents no User-Agent for its hooks, so ours is hooks' own.
 */
export const okta: ProviderProfile = {
  id: 'okta',
  name: 'Okta event hooks',
  source: 'https://developer.okta.com/docs/concepts/event-hooks/',
  scheme: headerTokenScheme('Authorization', 'Okta event hooks'),
  catalog: oktaCatalog,
  delivery: {
    retryDelaysMs: [10 * time.s],
    timeoutMs: 3 * time.s,
    ...anyTwoHundred,
    note: 'Okta retries once; the delay before it is not documented (10 s here)',
  },
  deliveryHeaders: () => ({ accept: 'application/json' }),
  handshake: oktaVerification,
  startsInactive: true,
  newSecret: () => randomBytes(24).toString('base64url'),
};
