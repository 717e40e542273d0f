import { decodeDigest, hmac, safeEqual } from './hmac.js';
import { clip } from './hmac-scheme.js';
import { sharedSecretProblem } from './key-material.js';
import { textSecretForms } from './secret-forms.js';
import { describeAge, fail, nowSeconds, ok, type SignatureScheme } from './scheme.js';

/**
 * The `t=<ts>,v1=<hex>[,v1=…]` family: HMAC-SHA256 of `{t}.{body}` with the
 * secret's text as the key, hex. Stripe puts seconds in `t`; WorkOS puts
 * milliseconds and a space after the comma. Only old timestamps are refused,
 * as both platforms' own libraries do.
 */
export interface TimestampedSpec {
  header: string;
  name: string;
  unit: 's' | 'ms';
  /** Between `t=…` and `v1=…` when signing. */
  separator: string;
  /** Seconds. */
  tolerance: number;
}

export function timestampedScheme(spec: TimestampedSpec): SignatureScheme {
  const HEADER = spec.header;
  const unitName = spec.unit === 's' ? 'seconds' : 'milliseconds';
  return {
    description: `${spec.name}: HMAC-SHA256 of "{t}.{body}" with the secret as is, hex, in ${HEADER} as t=<unix ${unitName}>${spec.separator}v1=<hex>`,
    signatureHeader: HEADER,
    headers: [HEADER],
    tolerance: spec.tolerance,
    multiSignature: true,
    secretForms: textSecretForms,
    validateSecret: sharedSecretProblem,
    secretFormat: 'the secret text as the platform shows it',

    sign(body, secrets, ctx) {
      const list = Array.isArray(secrets) ? secrets : [secrets];
      // A millisecond clock is read at send time; the context's seconds only fix the second it falls in.
      const t = spec.unit === 's' ? String(ctx.timestamp) : String(ctx.timestamp * 1000 + (Date.now() % 1000));
      const v1 = list.map((secret) => `v1=${hmac('sha256', secret, [Buffer.from(`${t}.`), body]).toString('hex')}`);
      return { [HEADER]: [`t=${t}`, ...v1].join(spec.separator) };
    },

    verify(body, headers, secret, opts) {
      const problem = typeof secret === 'string' ? sharedSecretProblem(secret) : null;
      if (problem) return fail('invalid_secret', `this secret cannot key an HMAC: ${problem}`);
      const value = headers.get(HEADER);
      if (value === undefined) return fail('missing_header', `no ${HEADER} header`);
      const parsed = parse(value);
      if (parsed.t === undefined) return fail('malformed_header', `${HEADER} has no t= timestamp: "${clip(value)}"`);
      if (!/^\d{1,16}$/.test(parsed.t)) return fail('malformed_header', `${HEADER} t= is not integer unix ${unitName}: "${clip(parsed.t)}"`);
      const v1 = parsed.v1.map((hex) => decodeDigest(hex, 'hex')).filter((b): b is Buffer => b !== null && b.length === 32);
      if (v1.length === 0) return fail('malformed_header', `${HEADER} has no well-formed v1= signature: "${clip(value)}"`);
      const ts = spec.unit === 's' ? Number(parsed.t) : Math.floor(Number(parsed.t) / 1000);
      const age = nowSeconds(opts) - ts;
      const tolerance = opts?.tolerance ?? spec.tolerance;
      if (age > tolerance) {
        const unitHint = spec.unit === 'ms' && parsed.t.length <= 11 ? `; t=${parsed.t} looks like unix seconds, and ${spec.name} puts milliseconds in t=` : '';
        return fail('timestamp_out_of_tolerance', describeAge(age, tolerance) + unitHint, age);
      }
      const expected = hmac('sha256', secret, [Buffer.from(`${parsed.t}.`), body]);
      if (v1.some((sig) => safeEqual(sig, expected))) return ok(`a v1 signature in ${HEADER} matches`, age);
      return fail('signature_mismatch', `none of the ${v1.length} v1 signature(s) in ${HEADER} matches with this secret`, age);
    },

    inspect(body, headers, secret) {
      const value = headers.get(HEADER);
      if (value === undefined) return null;
      const parsed = parse(value);
      if (parsed.t === undefined) return null;
      return { expected: hmac('sha256', secret, [Buffer.from(`${parsed.t}.`), body]), presented: parsed.v1, encoding: 'hex' };
    },

    explain(_body, headers) {
      const t = parse(headers.get(HEADER) ?? '').t;
      if (t === undefined || !/^\d+$/.test(t)) return [];
      if (spec.unit === 'ms' && t.length <= 11) return [{ code: 'timestamp_unit', message: `t=${t} is in seconds; ${spec.name} signs and sends unix milliseconds (Date.now(), not Date.now() / 1000)` }];
      if (spec.unit === 's' && t.length >= 13) return [{ code: 'timestamp_unit', message: `t=${t} is in milliseconds; ${spec.name} signs and sends unix seconds` }];
      return [];
    },
  };
}

/** Stripe: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=<hex>…]`; the secret (`whsec_…`) is the HMAC key as is, prefix included. */
export const stripeScheme = timestampedScheme({ header: 'Stripe-Signature', name: 'Stripe', unit: 's', separator: ',', tolerance: 300 });

function parse(value: string): { t?: string; v1: string[] } {
  const out: { t?: string; v1: string[] } = { v1: [] };
  for (const item of value.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const key = item.slice(0, eq).trim();
    const val = item.slice(eq + 1).trim();
    if (key === 't') out.t = val;
    else if (key === 'v1') out.v1.push(val);
  }
  return out;
}
