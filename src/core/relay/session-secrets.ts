import { listenSecret } from '../config/listen-secrets.js';
import { UsageError } from '../errors.js';
import type { ProviderProfile } from '../providers/profile.js';
import { maskSecret } from '../providers/mask.js';
import { getProvider, PROVIDER_IDS, PROVIDERS } from '../providers/registry.js';
import { assertUsableSecret } from '../providers/secret-rule.js';

/** The secret a provider's deliveries are checked with in a session, or why there is none (null: nothing was given for it). */
export type SecretLookup = { secret: string } | { secret: null; why: string | null };

/** Where a given secret came from, as the user would name it: `--secret ithbat=…`, `HOOKS_SECRET_ITHBAT`, `$VAR (hooks.json listen.secrets.ithbat)`. */
export interface SecretOrigin {
  from: 'flag' | 'env' | 'project';
  source: string;
}

/** One secret a session verifies with, masked, and where it comes from; `provider` `*`: the bare one, for every provider whose scheme can use it. */
export interface HeldSecret {
  provider: string;
  secret: string;
  from: SecretOrigin['from'] | 'session';
  source: string;
  /** The command that prints this very secret (a session secret's); null for one given. */
  print_secret: string | null;
}

/**
 * The secrets of one listen session, by provider: the one given for a
 * provider (`--secret P=S`, `HOOKS_SECRET_<P>`, hooks.json), else the bare
 * `--secret` where that provider's scheme can use it (a public key or a JWKS
 * only verifies a platform that signs with a private key), else, once the
 * session has its own subscription, that provider's session secret (made on
 * first use, kept 0600, what `--print-secret --provider P` prints).
 */
export class SessionSecrets {
  private readonly cache = new Map<string, SecretLookup>();
  private sessionProvider: string | null = null;

  /** Refuses, as usage errors, an empty secret and one its provider's scheme cannot use. */
  constructor(
    private readonly given: { secret?: string; secrets?: Record<string, string>; origins?: Record<string, SecretOrigin> },
    private readonly custom: readonly ProviderProfile[] = [],
  ) {
    if (given.secret === '') throw new UsageError('--secret is empty (an empty HOOKS_SECRET counts)', 'give the signing secret, or unset HOOKS_SECRET', 'invalid_secret');
    for (const [id, secret] of Object.entries(given.secrets ?? {})) assertUsableSecret(getProvider(id, custom), secret, `--secret ${id}=…`);
  }

  /** From now on every built-in provider has a session secret (the session subscribed as `provider`). */
  useSessionSecrets(provider: string): void {
    this.sessionProvider = provider;
    this.cache.clear();
  }

  /** Whether the session holds any secret at all: then a delivery is forwarded only once it verifies. */
  get holdsAny(): boolean {
    return this.given.secret !== undefined || Object.keys(this.given.secrets ?? {}).length > 0 || this.sessionProvider !== null;
  }

  of(provider: string): SecretLookup {
    let found = this.cache.get(provider);
    if (!found) {
      found = this.lookup(provider);
      this.cache.set(provider, found);
    }
    return found;
  }

  /** The secret that signs for a provider (an inspector's re-signing); `auto` or none: the session's own provider's. */
  signing(provider: string | null): string | null {
    const id = provider === null || provider === 'auto' ? this.sessionProvider : provider;
    if (id !== null) return this.of(id).secret;
    return this.given.secret ?? null;
  }

  /**
   * What the session verifies with, for the banner: the bare secret (as
   * `*`), then for each of `providers` (those subscribed for or routed, in
   * that order) the secret given for it or its session secret, then the other
   * secrets given; `others`, what every provider not listed is checked with.
   */
  describe(providers: readonly string[]): { secrets: HeldSecret[]; others: 'session' | 'none' } {
    const origin = (key: string): SecretOrigin => this.given.origins?.[key] ?? { from: 'flag', source: key === '*' ? '--secret' : `--secret ${key}=…` };
    const out: HeldSecret[] = [];
    if (this.given.secret !== undefined) out.push({ provider: '*', secret: maskSecret(this.given.secret), ...origin('*'), print_secret: null });
    const given = this.given.secrets ?? {};
    for (const id of [...new Set([...providers, ...Object.keys(given)])]) {
      const own = given[id];
      if (own !== undefined) {
        out.push({ provider: id, secret: maskSecret(own), ...origin(id), print_secret: null });
        continue;
      }
      const found = this.of(id).secret;
      // None, or the bare one (said once, as `*`).
      if (found === null || found === this.given.secret) continue;
      const print = `hooks listen --print-secret --provider ${id}`;
      out.push({ provider: id, secret: maskSecret(found), from: 'session', source: print, print_secret: print });
    }
    return { secrets: out, others: this.sessionProvider !== null ? 'session' : 'none' };
  }

  private lookup(provider: string): SecretLookup {
    const own = this.given.secrets?.[provider];
    if (own !== undefined) return { secret: own };
    const bare = this.given.secret;
    const profile = [...this.custom, ...PROVIDERS].find((p) => p.id === provider);
    const problem = bare !== undefined && profile ? profile.scheme.validateSecret?.(bare) : null;
    if (bare !== undefined && !problem) return { secret: bare };
    if (this.sessionProvider !== null && PROVIDER_IDS.includes(provider)) return { secret: listenSecret(provider) };
    return { secret: null, why: problem ? `the --secret given is not a ${provider} secret: ${problem}` : null };
  }
}
