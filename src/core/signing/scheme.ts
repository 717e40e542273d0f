import type { Hint } from './diagnosis.js';
import type { HeaderBag } from './headers.js';
import type { SecretInput } from './hmac.js';
import type { SecretForm } from './secret-forms.js';

export interface SignContext {
  /** Message id, for schemes that sign it (Standard Webhooks) or send it in a header. */
  id: string;
  /** Unix seconds. */
  timestamp: number;
}

export interface VerifyOptions {
  /** Unix seconds; defaults to the clock. */
  now?: number;
  /** Seconds; defaults to the scheme's own tolerance. */
  tolerance?: number;
}

export type VerifyReason =
  | 'missing_header'
  | 'malformed_header'
  | 'timestamp_out_of_tolerance'
  | 'signature_mismatch'
  /** The secret is not in a form this scheme can use (a `whsec_` secret that is not base64, say). */
  | 'invalid_secret';

export interface VerifyResult {
  valid: boolean;
  reason: VerifyReason | null;
  /** One line for a person: what was checked and what failed. */
  message: string;
  /** Seconds between the signed timestamp and `now` (positive: in the past). */
  ageSeconds?: number;
}

/**
 * How one platform signs a delivery. Implementations work on raw bytes only:
 * a body is never parsed or re-encoded between the wire and the HMAC.
 */
export interface SignatureScheme {
  /** One line, e.g. "HMAC-SHA256 of the raw body, hex, in X-Ithbat-Signature as sha256=<hex>". */
  readonly description: string;
  /** Header that carries the signature (used by `auto` detection). */
  readonly signatureHeader: string;
  /** Every header the scheme sets, the signature header first. */
  readonly headers: readonly string[];
  /** False when nothing binds the body (a shared secret in a header): a changed body still passes. */
  readonly signsBody?: false;
  /**
   * Headers whose value is the secret itself (Okta's and Auth0's
   * Authorization): never shown, and not replayed to a target the delivery
   * was not forwarded to unless asked.
   */
  readonly secretHeaders?: readonly string[];
  /** Seconds, when the scheme signs a timestamp. */
  readonly tolerance?: number;
  /** Whether `sign` puts one signature per secret in the request, so a rotated-out secret can keep signing. */
  readonly multiSignature: boolean;
  /** Forms of a secret a sender may have used by mistake, for the diagnosis. */
  secretForms(secret: string): SecretForm[];
  /** What is wrong with a secret for this scheme, or null when it is usable; absent when any text is a key. */
  validateSecret?(secret: string): string | null;
  /** What a usable secret looks like, for error messages. */
  readonly secretFormat?: string;
  /** With several secrets (rotation), schemes that allow it send one signature for each. */
  sign(body: Uint8Array, secrets: SecretInput | SecretInput[], ctx: SignContext): Record<string, string>;
  verify(body: Uint8Array, headers: HeaderBag, secret: SecretInput, opts?: VerifyOptions): VerifyResult;
  /**
   * The MAC this scheme expects for these bytes and headers, and the signature
   * strings the request presents; used only to diagnose encoding mix-ups.
   */
  inspect?(body: Uint8Array, headers: HeaderBag, secret: SecretInput): Inspection | null;
  /** The public JWK of a private signing key, for the emulator's JWKS; null for a symmetric secret. */
  publicJwk?(secret: string): Record<string, string> | null;
  /** The scheme's own classic mistakes (a timestamp unit, a token prefix, a key id), found by checking, never guessed. */
  explain?(body: Uint8Array, headers: HeaderBag, secret: string, opts?: VerifyOptions): Hint[];
}

export interface Inspection {
  expected: Buffer;
  presented: string[];
  encoding: 'hex' | 'base64';
}

export function ok(message: string, ageSeconds?: number): VerifyResult {
  return { valid: true, reason: null, message, ageSeconds };
}

export function fail(reason: VerifyReason, message: string, ageSeconds?: number): VerifyResult {
  return { valid: false, reason, message, ageSeconds };
}

export function nowSeconds(opts?: VerifyOptions): number {
  return opts?.now ?? Math.floor(Date.now() / 1000);
}

/** Strict integer seconds: "1614265330abc", "", "1.5" and "-3" are malformed. */
export function parseUnixSeconds(value: string): number | null {
  if (!/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

export function describeAge(ageSeconds: number, tolerance: number): string {
  const direction = ageSeconds >= 0 ? 'old' : 'in the future';
  return `the signed timestamp is ${formatSeconds(Math.abs(ageSeconds))} ${direction} (tolerance ${formatSeconds(tolerance)})`;
}

export function formatSeconds(total: number): string {
  if (total < 120) return `${total} s`;
  if (total < 7200) return `${Math.round(total / 60)} min`;
  if (total < 172800) return `${Math.round(total / 3600)} h`;
  return `${Math.round(total / 86400)} days`;
}
