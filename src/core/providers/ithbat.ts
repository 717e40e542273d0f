import { aboutDocumented } from '../fixtures/documented.js';
import { ithbatCatalog } from '../fixtures/ithbat.js';
import { hmacScheme } from '../signing/hmac-scheme.js';
import { time, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

/** Ithbat IAM, as seed 000 (https://ithbat.io/docs/webhooks) documents it; events: catalogs/ithbat.json. */
export const ithbat: ProviderProfile = {
  id: 'ithbat',
  name: 'Ithbat IAM',
  source: 'seed 000',
  scheme: hmacScheme({ signatureHeader: 'X-Ithbat-Signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', template: '{body}' }),
  catalog: ithbatCatalog,
  delivery: {
    retryDelaysMs: [1 * time.min, 5 * time.min, 30 * time.min, 2 * time.h, 8 * time.h],
    timeoutMs: 30 * time.s,
    successRule: '200 only',
    isSuccess: (status) => status === 200,
    note: 'seed 000 requires 200 and names "exponential backoff" without numbers; the schedule and 30 s timeout are ours',
  },
  about: () => aboutDocumented('ithbat'),
  newSecret: () => hexSecret('ith_whsec_'),
  secretPrefixes: ['ith_whsec_'],
};
