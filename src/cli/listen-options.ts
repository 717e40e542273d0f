import type { ProjectSecret } from '../core/config/project.js';
import type { ListenOptions } from '../core/relay/listen-session.js';
import type { RelayEvent } from '../core/relay/events.js';
import type { ProviderRoute, Route } from '../core/relay/routes.js';
import type { SecretOrigin } from '../core/relay/session-secrets.js';
import type { TunnelKind } from '../core/tunnel/tunnel.js';
import { UsageError } from '../core/errors.js';
import { PROVIDER_IDS } from '../core/providers/registry.js';
import { connectionOf, limitsFrom, type ApiFlags, type LimitFlags } from './flags.js';

/** What `hooks listen` parses from its flags (and hooks.json). */
export interface ListenFlags extends ApiFlags, LimitFlags {
  /** Targets, and PROVIDER=TARGET routes. */
  forward: Array<URL | ProviderRoute>;
  route: Route[];
  events: string[];
  provider: string;
  providerFile?: string;
  /** As given: bare secrets, or PROVIDER=SECRET (HOOKS_SECRET arrives as one bare string). */
  secret?: string[] | string;
  /** From hooks.json only: each provider's secret, read from the variable the file names. */
  secrets?: Record<string, ProjectSecret>;
  tunnel: TunnelKind;
  publicUrl?: URL;
  hostname?: string;
  cloudflaredToken?: string;
  domain?: string;
  port?: number;
  catchUp: boolean;
  probeInterval?: number;
  probeTimeout?: number;
  probeGrace?: number;
  jumpThreshold?: number;
  subscription?: string;
  subscribe: boolean;
  printSecret?: boolean;
  forwardUnverified?: boolean;
  forwardInvalid?: boolean;
  timeout: number;
  maxBody: number;
  maxStoreSize?: number;
  maxStoreAge?: number;
  insecure?: boolean;
  dataDir?: string;
  inspect: boolean;
  inspectPort: number;
}

/**
 * `--secret S` (every provider) and `--secret ithbat=S` (one), then
 * `HOOKS_SECRET_<PROVIDER>`, then hooks.json's, for those not given, each
 * with where it came from (the banner names it). A value whose text before
 * `=` is not a provider id is a secret (base64 ends in `=`). An empty one,
 * from wherever, is a usage error: it would check nothing. `fromEnv`: the
 * values came from HOOKS_SECRET, not the flag.
 */
export function secretsOf(
  given: string[] | string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  fromFile: Record<string, ProjectSecret> = {},
  fromEnv = false,
): { secret?: string; secrets: Record<string, string>; secretOrigins: Record<string, SecretOrigin> } {
  const secrets: Record<string, string> = {};
  const origins: Record<string, SecretOrigin> = {};
  let bare: string | undefined;
  for (const value of given === undefined ? [] : Array.isArray(given) ? given : [given]) {
    if (value === '') throw new UsageError('--secret is empty (an empty HOOKS_SECRET counts)', 'give the signing secret, or unset HOOKS_SECRET', 'invalid_secret');
    const eq = value.indexOf('=');
    const id = eq > 0 ? value.slice(0, eq) : '';
    if (PROVIDER_IDS.includes(id)) {
      secrets[id] = value.slice(eq + 1);
      origins[id] = fromEnv ? { from: 'env', source: 'HOOKS_SECRET' } : { from: 'flag', source: `--secret ${id}=…` };
    } else if (bare !== undefined && bare !== value) throw new UsageError('--secret is given twice for every provider', 'pass one bare --secret, or name the provider: --secret ithbat=…');
    else {
      bare = value;
      origins['*'] = fromEnv ? { from: 'env', source: 'HOOKS_SECRET' } : { from: 'flag', source: '--secret' };
    }
  }
  for (const id of PROVIDER_IDS) {
    const name = `HOOKS_SECRET_${id.toUpperCase()}`;
    const value = env[name];
    if (value === '' && secrets[id] === undefined) throw new UsageError(`${name} is set but empty`, `export ${name}=<the ${id} signing secret>, or unset it`, 'invalid_secret');
    if (value !== undefined && secrets[id] === undefined) {
      secrets[id] = value;
      origins[id] = { from: 'env', source: name };
    }
    const file = fromFile[id];
    if (file && secrets[id] === undefined) {
      secrets[id] = file.secret;
      origins[id] = { from: 'project', source: `$${file.variable} (hooks.json ${file.key})` };
    }
  }
  return { ...(bare !== undefined ? { secret: bare } : {}), secrets, secretOrigins: origins };
}

/** Where a secret given for `provider` comes from (its own, else the bare one), if one is: a session verifies with it, not with the session secret. */
export function givenSecretOrigin(flags: ListenFlags, provider: string, fromEnv: boolean): SecretOrigin | null {
  const { secretOrigins } = secretsOf(flags.secret, process.env, flags.secrets, fromEnv);
  return secretOrigins[provider] ?? secretOrigins['*'] ?? null;
}

/**
 * The typed options of the one core call behind `hooks listen`, from its
 * flags: every setting has one line here, so a new flag is one place to
 * read. The inspector is the CLI's to start (core does not import it).
 */
export async function listenOptions(flags: ListenFlags, projectFile: string | null, emit: (e: RelayEvent) => void, secretFromEnv = false): Promise<ListenOptions> {
  const startInspector = flags.inspect ? (await import('../inspector/server.js')).startInspector : null;
  return {
    forwards: flags.forward.filter((f): f is URL => f instanceof URL),
    providerRoutes: flags.forward.filter((f): f is ProviderRoute => !(f instanceof URL)),
    routes: flags.route,
    provider: flags.provider,
    providerFile: flags.providerFile,
    events: flags.events,
    ...secretsOf(flags.secret, process.env, flags.secrets, secretFromEnv),
    tunnel: {
      kind: flags.tunnel,
      publicUrl: flags.publicUrl,
      hostname: flags.hostname,
      // The environment's token counts only for a named tunnel: a quick tunnel needs none.
      cloudflaredToken: flags.cloudflaredToken ?? (flags.hostname ? process.env.CLOUDFLARED_TOKEN || undefined : undefined),
      domain: flags.domain,
    },
    port: flags.port,
    catchUp: flags.catchUp,
    health: {
      ...(flags.probeInterval ? { intervalMs: flags.probeInterval } : {}),
      ...(flags.probeTimeout ? { timeoutMs: flags.probeTimeout } : {}),
      ...(flags.probeGrace !== undefined ? { graceMs: flags.probeGrace } : {}),
      ...(flags.jumpThreshold ? { jumpMs: flags.jumpThreshold } : {}),
    },
    subscribe: flags.subscribe,
    subscriptionId: flags.subscription,
    forwardInvalid: Boolean(flags.forwardInvalid),
    forwardUnverified: Boolean(flags.forwardUnverified),
    timeoutMs: flags.timeout,
    maxBodyBytes: flags.maxBody,
    limits: limitsFrom(flags),
    insecure: Boolean(flags.insecure),
    dataDir: flags.dataDir,
    retention: { ...(flags.maxStoreSize ? { maxBytes: flags.maxStoreSize } : {}), ...(flags.maxStoreAge ? { maxAgeMs: flags.maxStoreAge } : {}) },
    connection: connectionOf(flags),
    projectFile,
    inspector: startInspector && ((view) => startInspector({ ...view, port: flags.inspectPort })),
    emit,
  };
}
