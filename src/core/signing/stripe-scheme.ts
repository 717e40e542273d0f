import { decodeDigest, hmac, safeEqual } from './hmac.js';
import { clip } from './hmac-scheme.js';
import { textSecretForms } from './secret-forms.js';
import { describeAge, fail, nowSeconds, ok, parseUnixSeconds, type SignatureScheme } from './scheme.js';

const TOLERANCE = 300;
const HEADER = 'Stripe-Signature';

/**
 * Stripe: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=<hex>…]` over `{t}.{body}`.
 * The secret (`whsec_…`) is the HMAC key as is, prefix included. Only old
 * timestamps are refused, as Stripe's own libraries do.
 */
export const stripeScheme: SignatureScheme = {
  description: 'Stripe: HMAC-SHA256 of "{t}.{body}" with the secret as is, hex, in Stripe-Signature as t=<ts>,v1=<hex>[,v1=…]',
  signatureHeader: HEADER,
  headers: [HEADER],
  tolerance: TOLERANCE,
  multiSignature: true,
  secretForms: textSecretForms,

  sign(body, secrets, ctx) {
    const list = Array.isArray(secrets) ? secrets : [secrets];
    const t = String(ctx.timestamp);
    const v1 = list.map((secret) => `v1=${hmac('sha256', secret, [Buffer.from(`${t}.`), body]).toString('hex')}`);
    return { [HEADER]: [`t=${t}`, ...v1].join(',') };
  },

  verify(body, headers, secret, opts) {
    const value = headers.get(HEADER);
    if (value === undefined) return fail('missing_header', `no ${HEADER} header`);
    const parsed = parse(value);
    if (parsed.t === undefined) return fail('malformed_header', `${HEADER} has no t= timestamp: "${clip(value)}"`);
    const ts = parseUnixSeconds(parsed.t);
    if (ts === null) return fail('malformed_header', `${HEADER} t= is not integer unix seconds: "${clip(parsed.t)}"`);
    const v1 = parsed.v1.map((hex) => decodeDigest(hex, 'hex')).filter((b): b is Buffer => b !== null && b.length === 32);
    if (v1.length === 0) return fail('malformed_header', `${HEADER} has no well-formed v1= signature: "${clip(value)}"`);
    const age = nowSeconds(opts) - ts;
    const tolerance = opts?.tolerance ?? TOLERANCE;
    if (age > tolerance) return fail('timestamp_out_of_tolerance', describeAge(age, tolerance), age);
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
};

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
