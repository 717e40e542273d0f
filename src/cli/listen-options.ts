import type { ListenOptions } from '../core/relay/listen-session.js';
import type { RelayEvent } from '../core/relay/events.js';
import type { Route } from '../core/relay/routes.js';
import type { TunnelKind } from '../core/tunnel/tunnel.js';
import { UsageError } from '../core/errors.js';
import { PROVIDER_IDS } from '../core/providers/registry.js';
import { connectionOf, limitsFrom, type ApiFlags, type LimitFlags } from './flags.js';

/** What `hooks listen` parses from its flags (and hooks.json). */
export interface ListenFlags extends ApiFlags, LimitFlags {
  forward: URL[];
  route: Route[];
  events: string[];
  provider: string;
  providerFile?: string;
  /** As given: bare secrets, or PROVIDER=SECRET (HOOKS_SECRET arrives as one bare string). */
  secret?: string[] | string;
  /** From hooks.json only: each provider's secret, read from the variable the file names. */
  secrets?: Record<string, string>;
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
 * `HOOKS_SECRET_<PROVIDER>`, then hooks.json's `secrets`, for those not
 * given. A value whose text before `=` is not a provider id is a secret
 * (base64 ends in `=`). An empty one, from wherever, is a usage error: it
 * would check nothing.
 */
export function secretsOf(given: string[] | string | undefined, env: NodeJS.ProcessEnv = process.env, fromFile: Record<string, string> = {}): { secret?: string; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  let bare: string | undefined;
  for (const value of given === undefined ? [] : Array.isArray(given) ? given : [given]) {
    if (value === '') throw new UsageError('--secret is empty (an empty HOOKS_SECRET counts)', 'give the signing secret, or unset HOOKS_SECRET', 'invalid_secret');
    const eq = value.indexOf('=');
    const id = eq > 0 ? value.slice(0, eq) : '';
    if (PROVIDER_IDS.includes(id)) secrets[id] = value.slice(eq + 1);
    else if (bare !== undefined && bare !== value) throw new UsageError('--secret is given twice for every provider', 'pass one bare --secret, or name the provider: --secret ithbat=…');
    else bare = value;
  }
  for (const id of PROVIDER_IDS) {
    const name = `HOOKS_SECRET_${id.toUpperCase()}`;
    const fromEnv = env[name];
    if (fromEnv === '' && secrets[id] === undefined) throw new UsageError(`${name} is set but empty`, `export ${name}=<the ${id} signing secret>, or unset it`, 'invalid_secret');
    if (fromEnv !== undefined && secrets[id] === undefined) secrets[id] = fromEnv;
    if (fromFile[id] && secrets[id] === undefined) secrets[id] = fromFile[id];
  }
  return { ...(bare !== undefined ? { secret: bare } : {}), secrets };
}

/**
 * The typed options of the one core call behind `hooks listen`, from its
 * flags: every setting has one line here, so a new flag is one place to
 * read. The inspector is the CLI's to start (core does not import it).
 */
export async function listenOptions(flags: ListenFlags, projectFile: string | null, emit: (e: RelayEvent) => void): Promise<ListenOptions> {
  const startInspector = flags.inspect ? (await import('../inspector/server.js')).startInspector : null;
  return {
    forwards: flags.forward,
    routes: flags.route,
    provider: flags.provider,
    providerFile: flags.providerFile,
    events: flags.events,
    ...secretsOf(flags.secret, process.env, flags.secrets),
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
