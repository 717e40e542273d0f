import { iamCatalog } from '../fixtures/iam.js';
import { standardScheme } from '../signing/standard-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { whsecSecret } from './secrets.js';

export const standard: ProviderProfile = {
  id: 'standard',
  name: 'Standard Webhooks',
  source: 'Standard Webhooks 1.0 specification',
  scheme: standardScheme,
  catalog: iamCatalog,
  eventHeaders: { id: 'webhook-id' },
  delivery: {
    // The specification's example schedule: immediately, 5 s, 5 m, 30 m, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
    retryDelaysMs: [5 * time.s, 5 * time.min, 30 * time.min, 2 * time.h, 5 * time.h, 10 * time.h, 14 * time.h, 20 * time.h, 24 * time.h],
    timeoutMs: 15 * time.s,
    ...anyTwoHundred,
  },
  newSecret: whsecSecret,
  // whsk_ and whpk_ are its ed25519 keys (v1a).
  secretPrefixes: ['whsec_', 'whsk_', 'whpk_'],
};
