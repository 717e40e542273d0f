import { DIGEST_BYTES, compileTemplate, decodeDigest, hmac, safeEqual } from './hmac.js';
import type { DigestEncoding, HashAlgorithm, SecretInput } from './hmac.js';
import type { HeaderBag } from './headers.js';
import { sharedSecretProblem } from './key-material.js';
import { textSecretForms } from './secret-forms.js';
import {
  describeAge,
  fail,
  nowSeconds,
  ok,
  parseUnixSeconds,
  type SignContext,
  type SignatureScheme,
  type VerifyOptions,
  type VerifyResult,
} from './scheme.js';

/**
 * One HMAC in one header, over a template of `{id}`, `{timestamp}` and
 * `{body}`. Six of the built-in providers and every custom profile are this.
 */
export interface HmacSchemeSpec {
  signatureHeader: string;
  algorithm: HashAlgorithm;
  encoding: DigestEncoding;
  /** Text before the digest, such as `sha256=`; may be empty. */
  prefix: string;
  /** Signed content; `{body}` alone for most platforms. */
  template: string;
  idHeader?: string;
  timestampHeader?: string;
  /** Seconds either way, when a timestamp header is signed. */
  tolerance?: number;
}

export function hmacScheme(spec: HmacSchemeSpec): SignatureScheme {
  const headers = [spec.signatureHeader, spec.idHeader, spec.timestampHeader].filter(
    (h): h is string => Boolean(h),
  );
  const digestLength = spec.encoding === 'hex' ? DIGEST_BYTES[spec.algorithm] * 2 : Math.ceil(DIGEST_BYTES[spec.algorithm] / 3) * 4;
  const format = `${spec.prefix}<${spec.encoding}>`;
  const signed = spec.template === '{body}' ? 'the raw body' : `"${spec.template}"`;

  const signedContent = compileTemplate(spec.template);
  const mac = (body: Uint8Array, secret: SecretInput, id: string, timestamp: string): Buffer => hmac(spec.algorithm, secret, signedContent({ body, id, timestamp }));

  const signedFields = (headers: HeaderBag): { id: string; timestamp: string } | VerifyResult => {
    let id = '';
    let timestamp = '';
    if (spec.idHeader) {
      const value = headers.get(spec.idHeader);
      if (value === undefined || value === '') return fail('missing_header', `no ${spec.idHeader} header`);
      id = value;
    }
    if (spec.timestampHeader) {
      const value = headers.get(spec.timestampHeader);
      if (value === undefined || value === '') return fail('missing_header', `no ${spec.timestampHeader} header`);
      timestamp = value;
    }
    return { id, timestamp };
  };

  return {
    description: `HMAC-${spec.algorithm.toUpperCase()} of ${signed}, ${spec.encoding}, in ${spec.signatureHeader} as ${format}`,
    signatureHeader: spec.signatureHeader,
    headers,
    tolerance: spec.timestampHeader ? (spec.tolerance ?? 300) : undefined,
    multiSignature: false,
    secretForms: textSecretForms,
    validateSecret: sharedSecretProblem,
    secretFormat: 'the secret text as the platform shows it',

    sign(body, secrets, ctx: SignContext) {
      const secret = Array.isArray(secrets) ? secrets[0]! : secrets;
      const timestamp = String(ctx.timestamp);
      const out: Record<string, string> = {
        [spec.signatureHeader]: spec.prefix + mac(body, secret, ctx.id, timestamp).toString(spec.encoding),
      };
      if (spec.idHeader) out[spec.idHeader] = ctx.id;
      if (spec.timestampHeader) out[spec.timestampHeader] = timestamp;
      return out;
    },

    verify(body, headers, secret, opts?: VerifyOptions) {
      const problem = typeof secret === 'string' ? sharedSecretProblem(secret) : null;
      if (problem) return fail('invalid_secret', `this secret cannot key an HMAC: ${problem}`);
      const value = headers.get(spec.signatureHeader);
      if (value === undefined) return fail('missing_header', `no ${spec.signatureHeader} header`);
      if (value.trim() === '') return fail('malformed_header', `${spec.signatureHeader} is empty`);
      if (!value.startsWith(spec.prefix)) {
        return fail('malformed_header', `${spec.signatureHeader} must look like ${format}, got "${clip(value)}"`);
      }
      const presented = decodeDigest(value.slice(spec.prefix.length), spec.encoding);
      if (!presented) {
        return fail('malformed_header', `${spec.signatureHeader} is not ${spec.encoding} after "${spec.prefix}": "${clip(value)}"`);
      }
      if (presented.length !== DIGEST_BYTES[spec.algorithm]) {
        return fail(
          'malformed_header',
          `${spec.signatureHeader} carries ${value.length - spec.prefix.length} ${spec.encoding} characters, expected ${digestLength} (truncated or another algorithm)`,
        );
      }
      const fields = signedFields(headers);
      if ('valid' in fields) return fields;
      let age: number | undefined;
      if (spec.timestampHeader) {
        const ts = parseUnixSeconds(fields.timestamp);
        if (ts === null) return fail('malformed_header', `${spec.timestampHeader} is not integer unix seconds: "${clip(fields.timestamp)}"`);
        age = nowSeconds(opts) - ts;
        const tolerance = opts?.tolerance ?? spec.tolerance ?? 300;
        if (Math.abs(age) > tolerance) return fail('timestamp_out_of_tolerance', describeAge(age, tolerance), age);
      }
      if (!safeEqual(presented, mac(body, secret, fields.id, fields.timestamp))) {
        return fail('signature_mismatch', `${spec.signatureHeader} does not match the HMAC of ${signed} with this secret`, age);
      }
      return ok(`${spec.signatureHeader} matches`, age);
    },

    inspect(body, headers, secret) {
      const value = headers.get(spec.signatureHeader);
      const fields = signedFields(headers);
      if (value === undefined || 'valid' in fields) return null;
      const presented = value.startsWith(spec.prefix) ? value.slice(spec.prefix.length) : value;
      return { expected: mac(body, secret, fields.id, fields.timestamp), presented: [presented], encoding: spec.encoding };
    },
  };
}

export function clip(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
