import { iamCatalog } from '../fixtures/iam.js';
import { hmacScheme } from '../signing/hmac-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

/**
 * GitHub-style webhooks: https://docs.github.com/en/webhooks/webhook-events-and-payloads
 * (delivery headers). GitHub signs with HMAC-SHA256 in X-Hub-Signature-256
 * and still sends the SHA-1 X-Hub-Signature beside it "for compatibility
 * with existing integrations"
 * (https://github.blog/changelog/2020-10-26-webhooks-configuration-enhancements).
 */
export const github: ProviderProfile = {
  id: 'github',
  name: 'GitHub-style (X-Hub-Signature-256)',
  source: "GitHub's webhook documentation",
  scheme: hmacScheme({ signatureHeader: 'X-Hub-Signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', template: '{body}' }),
  catalog: iamCatalog,
  companionHeaders: ['X-Hub-Signature'],
  eventHeaders: { id: 'X-GitHub-Delivery', type: 'X-GitHub-Event' },
  delivery: {
    retryDelaysMs: [],
    timeoutMs: 10 * time.s,
    ...anyTwoHundred,
    note: 'GitHub does not retry failed deliveries by itself and gives up after 10 s',
  },
  newSecret: () => hexSecret('', 20),
};
