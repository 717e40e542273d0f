import { randomBytes } from 'node:crypto';
import { fusionauthCatalog } from '../fixtures/fusionauth.js';
import { jwtBodyHashScheme } from '../signing/jwt-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';

/**
 * FusionAuth webhooks: https://fusionauth.io/docs/extend/events-and-webhooks/signing
 * - `X-FusionAuth-Signature-JWT`: a JWT with a `request_body_sha256` claim
 *   (base64 SHA-256 of the body), signed by a Key Master key: HMAC (HS256)
 *   or RSA/EC, whose public keys FusionAuth serves at /.well-known/jwks.json.
 * - New subscriptions get an HMAC key, as FusionAuth's default; a PEM
 *   private key given as the secret signs RS256/ES256 instead, and the
 *   emulator serves its public key at /.well-known/jwks.json.
 * - Retries: https://fusionauth.io/docs/extend/events-and-webhooks/#retries
 *   is per-tenant configurable; ours follow its example of a few quick
 *   retries. Timeout: the webhook's "Read timeout", 2 s by default.
 * - Events: @fusionauth/typescript-client's EventType, see fixtures/fusionauth.ts.
 *   FusionAuth documents no user agent; headers beside the signature are the
 *   ones a webhook is configured with: deliveries say hooks/<version>.
 */
export const fusionauth: ProviderProfile = {
  id: 'fusionauth',
  name: 'FusionAuth',
  source: 'https://fusionauth.io/docs/extend/events-and-webhooks/signing',
  scheme: jwtBodyHashScheme('X-FusionAuth-Signature-JWT', 'FusionAuth'),
  catalog: fusionauthCatalog,
  delivery: {
    retryDelaysMs: [10 * time.s, 1 * time.min, 5 * time.min],
    timeoutMs: 2 * time.s,
    ...anyTwoHundred,
    note: "FusionAuth's read timeout defaults to 2 s; its retries are configured per tenant (ours: 10 s, 1 min, 5 min)",
  },
  newSecret: () => randomBytes(32).toString('base64'),
};
