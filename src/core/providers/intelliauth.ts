import { intelliauthCatalog } from '../fixtures/intelliauth.js';
import { hmacScheme } from '../signing/hmac-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

export const intelliauth: ProviderProfile = {
  id: 'intelliauth',
  name: 'IntelliAuth',
  source: 'seed 001',
  scheme: hmacScheme({ signatureHeader: 'X-IntelliAuth-Signature', algorithm: 'sha256', encoding: 'hex', prefix: '', template: '{body}' }),
  catalog: intelliauthCatalog,
  delivery: {
    retryDelaysMs: [1 * time.min, 5 * time.min, 30 * time.min, 2 * time.h, 8 * time.h, 24 * time.h],
    timeoutMs: 10 * time.s,
    ...anyTwoHundred,
    note: 'seed 001 gives the 10 s timeout and retries on failure; the schedule is ours',
  },
  newSecret: () => hexSecret(),
};
