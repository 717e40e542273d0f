import { ExitCode, UsageError } from '../errors.js';
import { diagnose, type Hint } from '../signing/diagnosis.js';
import { loadCustomProfile } from './custom.js';
import { HeaderBag, type HeaderInput } from '../signing/headers.js';
import type { VerifyReason } from '../signing/scheme.js';
import type { ProviderProfile } from './profile.js';
import { PROVIDERS, detectProvider, getProvider } from './registry.js';

export interface VerificationRequest {
  /** A provider id or `auto`. */
  provider: string;
  body: Uint8Array;
  headers: HeaderInput;
  secret: string;
  now?: number;
  tolerance?: number;
  custom?: readonly ProviderProfile[];
}

export interface VerificationReport {
  valid: boolean;
  provider: string | null;
  reason: VerifyReason | null;
  message: string;
  hints: Hint[];
  /** Seconds since the signed timestamp, for timestamped schemes. */
  ageSeconds?: number;
}

export interface SignatureCheck extends VerificationRequest {
  /** A custom profile (JSON) to verify with, besides the built-in ones. */
  providerFile?: string;
}

/**
 * What `hooks verify` does: the verdict, exit 0 valid and 1 invalid. A secret
 * the scheme cannot use is a usage error (exit 2), never a verdict.
 */
export function checkSignature(req: SignatureCheck): { report: VerificationReport; exitCode: ExitCode } {
  const custom = req.providerFile ? [loadCustomProfile(req.providerFile)] : (req.custom ?? []);
  const report = verifyDelivery({ ...req, custom });
  if (report.reason === 'invalid_secret') throw new UsageError(`--secret: ${report.message}`, 'pass the secret exactly as the platform shows it', 'invalid_secret');
  return { report, exitCode: report.valid ? ExitCode.ok : ExitCode.failed };
}

/** Verify one delivery as received and, when it fails, find out why. */
export function verifyDelivery(req: VerificationRequest): VerificationReport {
  const headers = HeaderBag.from(req.headers);
  const custom = req.custom ?? [];
  const profile = req.provider === 'auto' ? detectProvider(headers, custom, req.body) : getProvider(req.provider, custom);
  if (!profile) {
    const known = [...custom, ...PROVIDERS].map((p) => p.scheme.signatureHeader);
    return {
      valid: false,
      provider: null,
      reason: 'missing_header',
      message: `no known signature header; looked for ${[...new Set(known)].join(', ')}`,
      hints: [],
    };
  }
  const opts = { now: req.now, tolerance: req.tolerance };
  const result = profile.scheme.verify(req.body, headers, req.secret, opts);
  const report: VerificationReport = {
    valid: result.valid,
    provider: profile.id,
    reason: result.reason,
    message: result.message,
    hints: [],
    ageSeconds: result.ageSeconds,
  };
  if (result.reason === 'timestamp_out_of_tolerance') {
    const signatureOk = profile.scheme.verify(req.body, headers, req.secret, { now: req.now, tolerance: Number.MAX_SAFE_INTEGER }).valid;
    const future = (result.ageSeconds ?? 0) < 0;
    report.message += !signatureOk
      ? '; the signature does not match either'
      : future
        ? "; the signature itself matches: the sender's clock is ahead of this one (or --now is earlier than the delivery)"
        : '; the signature itself matches: this is a replay of an old delivery or a clock out of sync';
  }
  if (!result.valid && result.reason !== 'invalid_secret') {
    const others = [...custom, ...PROVIDERS].map((p) => ({ id: p.id, scheme: p.scheme }));
    const diagnosis = diagnose({ id: profile.id, scheme: profile.scheme }, req.body, headers, req.secret, opts, others);
    report.hints = diagnosis.hints;
    if (diagnosis.note) report.message += ` (${diagnosis.note})`;
  }
  return report;
}
