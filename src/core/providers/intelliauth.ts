import { aboutDocumented } from '../fixtures/documented.js';
import { intelliauthCatalog } from '../fixtures/intelliauth.js';
import { hmacScheme } from '../signing/hmac-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

/**
 * IntelliAuth.
 * - Signature, secret, "Test event": seed 001.
 * - Envelope and the four headers beside the signature: https://docs.intelliauth.io/developer/webhooks/overview/
 * - X-IntelliAuth-Timestamp in unix seconds, checked within 5 minutes: https://docs.intelliauth.io/developer/webhooks/verify-signature/
 * - Retries (1 min, 5 min, 30 min, 2 h, 12 h), 10 s, 2xx: https://docs.intelliauth.io/developer/webhooks/retries-and-dlq/
 * - Events: catalogs/intelliauth.json, from the event reference.
 */
export const intelliauth: ProviderProfile = {
  id: 'intelliauth',
  name: 'IntelliAuth',
  source: 'seed 001 + IntelliAuth docs',
  scheme: hmacScheme({ signatureHeader: 'X-IntelliAuth-Signature', algorithm: 'sha256', encoding: 'hex', prefix: '', template: '{body}' }),
  catalog: intelliauthCatalog,
  eventHeaders: { id: 'X-IntelliAuth-Event-Id', type: 'X-IntelliAuth-Event-Type' },
  deliveryHeaders: (d) => ({
    'X-IntelliAuth-Event-Id': d.id,
    'X-IntelliAuth-Event-Type': d.type,
    'X-IntelliAuth-Delivery-Attempt': String(d.attempt),
    'X-IntelliAuth-Timestamp': String(d.timestamp),
  }),
  delivery: {
    retryDelaysMs: [1 * time.min, 5 * time.min, 30 * time.min, 2 * time.h, 12 * time.h],
    timeoutMs: 10 * time.s,
    ...anyTwoHundred,
    note: "IntelliAuth's retries page: 6 attempts, then the dead-letter queue (its delays are jittered ±10%; hooks' are exact)",
  },
  about: () => aboutDocumented('intelliauth'),
  newSecret: () => hexSecret(),
};
