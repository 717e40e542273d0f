/**
 * What kind of asymmetric key material a secret is (a PEM, a JWK, a JWKS, a
 * Standard Webhooks ed25519 key), or null for anything else. A public key is
 * public by nature: used as an HMAC key or a header token, it lets anyone
 * sign. So schemes that key an HMAC or compare a token refuse all of these,
 * and only schemes that verify a private key's signature take them.
 */
export function keyMaterialKind(secret: string): string | null {
  const text = secret.trimStart();
  if (text.startsWith('-----BEGIN ')) {
    if (/^-----BEGIN CERTIFICATE-----/.test(text)) return 'a certificate (PEM)';
    return /^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? 'a PEM private key' : 'a PEM public key';
  }
  if (text.startsWith('whpk_')) return 'a Standard Webhooks ed25519 public key (whpk_)';
  if (text.startsWith('whsk_')) return 'a Standard Webhooks ed25519 signing key (whsk_)';
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        if (Array.isArray((parsed as { keys?: unknown }).keys)) return 'a JWKS';
        if (typeof (parsed as { kty?: unknown }).kty === 'string') return 'a JWK';
      }
    } catch {
      // Text that only starts with "{" is a strange secret, not a key.
    }
  }
  return null;
}

/**
 * The one rule of every scheme whose secret is shared (an HMAC key, a header
 * token): not empty, and no key material. Null when the secret is usable.
 */
export function sharedSecretProblem(secret: string): string | null {
  if (secret === '') return 'it is empty';
  const kind = keyMaterialKind(secret);
  if (kind) return `it is ${kind}: key material verifies only signatures made with a private key (a JWT signed RS256/ES256, an ed25519 v1a signature), never an HMAC or a shared token, which anyone holding a public key could then forge`;
  return null;
}
