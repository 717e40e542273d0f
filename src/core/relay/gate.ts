import type { ProviderProfile } from '../providers/profile.js';
import { getProvider, presentProviders } from '../providers/registry.js';
import { noSignature, verifyDelivery } from '../providers/verification.js';
import type { Hint } from '../signing/diagnosis.js';
import type { HeaderBag } from '../signing/headers.js';
import type { Verdict } from '../store/verdicts.js';
import type { SecretLookup } from './session-secrets.js';

/** What the gate needs of a session's secrets. */
export interface SecretSource {
  readonly holdsAny: boolean;
  of(provider: string): SecretLookup;
}

/** What the gate decided about one delivery. */
export interface Judgement {
  /** The provider it is read as; null when it carries no known signature header. */
  provider: ProviderProfile | null;
  verdict: Verdict;
  /** A verify reason, or `no_secret`; null when nothing was checked (a session without secrets). */
  reason: string | null;
  message: string | null;
  hints: Hint[];
  /** The secret it was checked with (masked in the refusal); null when none was. */
  secret: string | null;
  /** Answered 401 and not forwarded. */
  refused: boolean;
}

/**
 * Which provider a delivery is read as, with which secret it is checked, and
 * whether it may reach the app. A session without any secret forwards
 * everything, marked unverified. Once it holds one, verification fails
 * closed: a delivery passes only when it verifies with the secret of the
 * provider it is read as, and when it carries the signature header of
 * several providers the session has secrets for, with each of theirs. No
 * known signature header, or a provider without a secret, is unverifiable:
 * refused unless `forwardUnverified`. A signature that fails is refused
 * unless `forwardInvalid` (which forwards the unverifiable too).
 */
export class VerificationGate {
  private secrets: SecretSource = { holdsAny: false, of: () => ({ secret: null, why: null }) };

  constructor(private readonly opts: { provider: string; custom: ProviderProfile[]; forwardInvalid: boolean; forwardUnverified: boolean }) {}

  setSecrets(secrets: SecretSource): void {
    this.secrets = secrets;
  }

  /** The secret the session holds for `provider`, if any (a synchronous hook's answer is checked with it). */
  secretOf(provider: string): string | undefined {
    return this.secrets.of(provider).secret ?? undefined;
  }

  /** Whether a delivery that cannot be verified is forwarded (marked unverified) rather than refused. */
  get forwardsUnverified(): boolean {
    return !this.secrets.holdsAny || this.opts.forwardUnverified || this.opts.forwardInvalid;
  }

  judge(body: Uint8Array, headers: HeaderBag): Judgement {
    const { provider, custom } = this.opts;
    const fixed = provider === 'auto' ? null : getProvider(provider, custom);
    if (!this.secrets.holdsAny) {
      return { provider: fixed ?? presentProviders(headers, custom, body)[0] ?? null, verdict: 'unverified', reason: null, message: null, hints: [], secret: null, refused: false };
    }
    const held = (p: ProviderProfile) => this.secrets.of(p.id).secret !== null;
    const candidates = fixed ? [fixed] : presentProviders(headers, custom, body, held);
    if (candidates.length === 0) return this.unverifiable(null, 'missing_header', `${noSignature(custom).message}: this session verifies every delivery (a sender that signs needs its secret, --secret P=S; --forward-unverified forwards what cannot be verified)`);
    const checked = candidates.filter(held);
    if (checked.length === 0) {
      const p = candidates[0]!;
      const lookup = this.secrets.of(p.id);
      const why = lookup.secret === null && lookup.why ? ` (${lookup.why})` : '';
      return this.unverifiable(p, 'no_secret', `read as ${p.id}, and this session holds no ${p.id} secret${why}: pass --secret ${p.id}=S to verify it, or --forward-unverified to forward what cannot be verified`);
    }
    let passed: Judgement | null = null;
    for (const p of checked) {
      const secret = this.secrets.of(p.id).secret!;
      const report = verifyDelivery({ provider: p.id, body, headers, secret, custom });
      const judged: Judgement = { provider: p, verdict: report.valid ? 'verified' : 'invalid', reason: report.reason, message: report.message, hints: report.hints, secret, refused: !report.valid && !this.opts.forwardInvalid };
      if (!report.valid) return judged;
      passed ??= judged;
    }
    return passed!;
  }

  private unverifiable(provider: ProviderProfile | null, reason: string, message: string): Judgement {
    return { provider, verdict: 'unverified', reason, message, hints: [], secret: null, refused: !this.forwardsUnverified };
  }
}
