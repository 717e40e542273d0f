import { createHmac, timingSafeEqual } from 'node:crypto';

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type DigestEncoding = 'hex' | 'base64';
export type SecretInput = string | Uint8Array;

export const DIGEST_BYTES: Record<HashAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

/** HMAC over the concatenation of `parts`, never over a re-encoded string. */
export function hmac(algorithm: HashAlgorithm, key: SecretInput, parts: Uint8Array[]): Buffer {
  const mac = createHmac(algorithm, typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time equality that is safe on inputs of different lengths. */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict decoding: returns null for anything that is not exactly this encoding. */
export function decodeDigest(value: string, encoding: DigestEncoding): Buffer | null {
  if (value.length === 0) return null;
  if (encoding === 'hex') {
    if (value.length % 2 !== 0 || !HEX.test(value)) return null;
    return Buffer.from(value, 'hex');
  }
  if (!BASE64.test(value)) return null;
  return Buffer.from(value, 'base64');
}

/**
 * Padded base64 in its one canonical spelling: the bits of the last
 * character that decode to nothing are zero, so two spellings never decode
 * to the same key.
 */
export function isStrictBase64(value: string): boolean {
  return value.length > 0 && BASE64.test(value) && Buffer.from(value, 'base64').toString('base64') === value;
}

type TemplateValues = { body: Uint8Array; id: string; timestamp: string };

/**
 * A signed-content template (`{id}.{timestamp}.{body}`) read once: the
 * returned function fills `{name}` placeholders with raw bytes per delivery,
 * and the body is never turned into a string.
 */
export function compileTemplate(template: string): (values: TemplateValues) => Uint8Array[] {
  const pieces: Array<Uint8Array | keyof TemplateValues> = [];
  let last = 0;
  for (const match of template.matchAll(/\{(id|timestamp|body)\}/g)) {
    if (match.index > last) pieces.push(Buffer.from(template.slice(last, match.index), 'utf8'));
    pieces.push(match[1] as keyof TemplateValues);
    last = match.index + match[0].length;
  }
  if (last < template.length) pieces.push(Buffer.from(template.slice(last), 'utf8'));
  return (values) => {
    const parts: Uint8Array[] = [];
    for (const piece of pieces) {
      if (typeof piece !== 'string') parts.push(piece);
      else if (piece === 'body') parts.push(values.body);
      else if (values[piece]) parts.push(Buffer.from(values[piece], 'utf8'));
    }
    return parts;
  };
}
