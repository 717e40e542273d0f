import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../../src/core/providers/registry.js';
import { HeaderBag } from '../../../src/core/signing/headers.js';

/** Issue #29 item 1: key material verifies only the schemes that check a private key's signature. */
const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519').publicKey;
const KEYS = {
  'PEM public key': publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  JWK: JSON.stringify(publicKey.export({ format: 'jwk' })),
  JWKS: JSON.stringify({ keys: [publicKey.export({ format: 'jwk' })] }),
  'whpk_ key': `whpk_${Buffer.from(ed.export({ format: 'jwk' }).x!, 'base64url').toString('base64')}`,
};
const body = Buffer.from('{"id":"evt_1","type":"user.created"}');

describe('public key material is never a shared secret', () => {
  for (const [kind, key] of Object.entries(KEYS)) {
    it(`a ${kind} is refused by every scheme that keys an HMAC or compares a token, and accepted only where a private key signs`, () => {
      const accepting = PROVIDERS.filter((p) => !p.scheme.validateSecret?.(key)).map((p) => p.id);
      // Scalekit today signs as Standard Webhooks does, so a whpk_ key verifies its v1a signatures too.
      expect(accepting.every((id) => ['fusionauth', 'standard', 'clerk', 'scalekit-standard'].includes(id)), accepting.join(', ')).toBe(true);
    });

    it(`a delivery whose "signature" is made with a ${kind} as the key never verifies`, () => {
      for (const p of PROVIDERS) {
        if (!p.scheme.validateSecret?.(key)) continue;
        // What a forger who read the public key sends: the scheme's own signature, keyed with the key's text.
        let headers: Record<string, string>;
        try {
          headers = p.scheme.sign(body, key, { id: 'msg_1', timestamp: Math.floor(Date.now() / 1000) });
        } catch {
          continue;
        }
        expect(p.scheme.verify(body, HeaderBag.from(headers), key).valid, p.id).toBe(false);
      }
      for (const p of PROVIDERS.filter((q) => q.scheme.validateSecret?.(key))) {
        const forged = HeaderBag.from({ [p.scheme.signatureHeader]: key, 'x-ithbat-signature': `sha256=${createHmac('sha256', key).update(body).digest('hex')}` });
        expect(p.scheme.verify(body, forged, key).valid, p.id).toBe(false);
      }
    });
  }

  it('the empty secret is refused by every scheme', () => {
    expect(PROVIDERS.filter((p) => !p.scheme.validateSecret?.('')).map((p) => p.id)).toEqual([]);
  });
});
