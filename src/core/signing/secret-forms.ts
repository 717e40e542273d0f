import { isStrictBase64, type SecretInput } from './hmac.js';

/** Another form of the given secret that a sender may have used instead, and what it means if it verifies. */
export interface SecretForm {
  secret: SecretInput;
  message: string;
}

/**
 * The usual mix-ups for schemes whose key is the secret's text: a `whsec_`
 * prefix kept or dropped, the text base64-decoded or not.
 */
export function textSecretForms(secret: string): SecretForm[] {
  const out: SecretForm[] = [];
  if (secret.startsWith('whsec_')) {
    const bare = secret.slice(6);
    out.push({ secret: bare, message: 'the signature matches the secret without its whsec_ prefix: drop the prefix' });
    if (isStrictBase64(bare)) {
      out.push({ secret: Buffer.from(bare, 'base64'), message: 'the signature matches the base64-decoded secret (after whsec_): this sender uses Standard Webhooks-style keys' });
    }
  } else {
    out.push({ secret: `whsec_${secret}`, message: 'the signature matches the secret with a whsec_ prefix: use the secret exactly as the platform shows it, prefix included' });
    if (isStrictBase64(secret)) {
      out.push({ secret: Buffer.from(secret, 'base64'), message: 'the signature matches the base64-decoded secret: the sender decodes it, this platform uses it as text' });
    }
  }
  return out;
}
