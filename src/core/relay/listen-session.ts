import { ApiClient, ApiRequestError } from '../api/client.js';
import { resolveConnection, type ConnectionFlags } from '../api/connection.js';
import { listenSecret } from '../config/listen-secrets.js';
import { dataDir as defaultDataDir } from '../config/paths.js';
import { forgetSession, recordSession, runningSessions } from '../config/sessions.js';
import { resolveRetention } from '../config/retention.js';
import { ConnectError, OperationError, UsageError } from '../errors.js';
import type { ServerLimits } from '../http/guarded-server.js';
import { newId } from '../ids.js';
import { loadCustomProfile } from '../providers/custom.js';
import { getProvider, PROVIDER_IDS } from '../providers/registry.js';
import { assertUsableSecret } from '../providers/secret-rule.js';
import { maskSecret } from '../providers/mask.js';
import type { ProviderProfile } from '../providers/profile.js';
import { didYouMean } from '../suggest.js';
import { inboxOver, type Inbox } from '../inbox/inbox.js';
import { openEventStore, type EventStore, type Retention } from '../store/event-store.js';
import { Agent } from 'undici';
import { createTunnel, checkTunnelSpec, type TunnelSpec } from '../tunnel/factory.js';
import { newNonce, sendProbe } from '../tunnel/probe.js';
import { TunnelSupervisor } from '../tunnel/supervisor.js';
import { catchUp } from './catch-up.js';
import type { RelayEvent } from './events.js';
import { Relay } from './relay.js';
import { forgetLeftover, leftoversOf, rememberLeftover } from '../config/leftovers.js';
import { checkTargets } from './target-check.js';
import { allTargets, routedProviders, type ProviderRoute, type Route } from './routes.js';
import { SessionSecrets, type SecretOrigin } from './session-secrets.js';
import { SessionSubscription } from './session-subscription.js';

export interface ListenOptions {
  forwards: URL[];
  routes: Route[];
  /** `--forward P=TARGET`: the deliveries read as P go to P's targets, and the session subscribes once for each P. */
  providerRoutes?: ProviderRoute[];
  /** A provider id, or `auto` (detect from the headers; subscribe as the API's default). */
  provider: string;
  /** A custom profile (JSON) to verify with. */
  providerFile?: string;
  events: string[];
  /** One secret for every provider (a bare --secret). */
  secret?: string;
  /** A secret per provider (--secret P=S, HOOKS_SECRET_<P>); over the bare one. */
  secrets?: Record<string, string>;
  /** Where each given secret came from (`*`: the bare one), for the banner. */
  secretOrigins?: Record<string, SecretOrigin>;
  /** The public endpoint: a tunnel kind and its settings, or --public-url. */
  tunnel: TunnelSpec;
  /** Where the relay listens on 127.0.0.1 (0: any free port). */
  port?: number;
  /** How the tunnel is watched; the defaults suit a day-long session, tests shorten them. */
  health?: Partial<HealthSettings>;
  /** With --subscription: ask the platform for what failed since this store last received through it. */
  catchUp?: boolean;
  subscribe: boolean;
  subscriptionId?: string;
  /** Forward deliveries whose signature fails too (marked invalid), and those that cannot be verified. */
  forwardInvalid: boolean;
  /** Forward deliveries that cannot be verified (no secret for their provider, no signature), marked unverified. */
  forwardUnverified?: boolean;
  timeoutMs: number;
  maxBodyBytes: number;
  limits?: Partial<ServerLimits>;
  insecure: boolean;
  /** Default: the user data dir. */
  dataDir?: string;
  /** What the flags say the store keeps; the config and the defaults fill the rest. */
  retention?: Partial<Retention>;
  retentionCheckMs?: number;
  /** The API of the session subscription, asked for only when there is one. */
  connection: ConnectionFlags;
  /** Record the running session in the config dir for `hooks doctor` (not for in-process sessions such as the demo's). */
  record?: boolean;
  /** The hooks.json the settings came from, to say so. */
  projectFile?: string | null;
  /** Starts a web UI over the session's store (hooks listen's inspector); none when absent. */
  inspector?: InspectorFactory | null;
  emit: (event: RelayEvent) => void;
}

/** What a UI beside the session is handed: the inbox over the session's own store, and what it knows as it learns it. */
export interface SessionView {
  /** Re-signs with the session's secrets; a replay to the session's targets keeps the headers that hold a secret. */
  inbox: Inbox;
  session(): { mode: 'listen'; public_url: string | null; provider: string | null };
}

/** Starts a UI over the session (the inspector lives above core, so the CLI hands in how to start it). */
export type InspectorFactory = (view: SessionView) => Promise<{ url: string; close(): Promise<void> }>;

/** The one call behind `hooks listen`: the session and its inspector started together, one handle to stop both. */
export async function startListen(opts: ListenOptions): Promise<ListenSession> {
  const session = new ListenSession(opts);
  await session.start();
  return session;
}

export interface HealthSettings {
  /** Between probes through the public URL. */
  intervalMs: number;
  /** How long one probe may take. */
  timeoutMs: number;
  /** A 1 s clock this much late means the machine slept: probe at once. */
  jumpMs: number;
  /** Failed probes tolerated after a tunnel opens, until its name resolves. */
  graceMs: number;
}

/** How long a stop lets forwards in flight finish (docs/commands/listen.md: "Ctrl-C"). */
export const STOP_GRACE_MS = 5_000;

export const DEFAULT_HEALTH: HealthSettings = { intervalMs: 30_000, timeoutMs: 10_000, jumpMs: 5_000, graceMs: 120_000 };

/**
 * One `hooks listen` run: the relay, the public endpoint (tunnel, given URL,
 * or the local one) and the session subscription, started in that order and
 * stopped in reverse, whatever failed on the way.
 */
export class ListenSession {
  private store: EventStore | null = null;
  private relay: Relay | null = null;
  private supervisor: TunnelSupervisor | null = null;
  private probeAgent: Agent | null = null;
  private catchingUp: Promise<void> | null = null;
  private stopping = false;
  private client: ApiClient | null = null;
  /** The session's subscriptions: one borrowed, or one made for each provider it subscribes as. */
  private subscriptions: SessionSubscription[] = [];
  private retentionTimer: NodeJS.Timeout | null = null;
  private recorded = false;
  private inspector: { url: string; close(): Promise<void> } | null = null;
  private stopPruneEvents: (() => void) | null = null;
  private secrets: SessionSecrets | null = null;
  private inbox: Inbox | null = null;
  private stopDamageEvents: (() => void) | null = null;
  private described: { public_url: string; provider: string } | null = null;

  constructor(private readonly opts: ListenOptions) {}

  /** Where the session receives and as which provider, once it is ready. */
  get description(): { public_url: string; provider: string } | null {
    return this.described;
  }

  /** The secret this session verifies (and an inspector re-signs) with for its own provider, once known. */
  get secret(): string | null {
    return this.secrets?.signing(this.described?.provider ?? null) ?? null;
  }

  async start(): Promise<void> {
    const o = this.opts;
    const plan = { forwards: o.forwards, routes: o.routes, providerRoutes: o.providerRoutes ?? [] };
    if (allTargets(plan).length === 0) throw new UsageError('nothing to forward to', 'pass --forward localhost:3000 (your app), --forward PROVIDER=TARGET, and/or --route PATTERN=TARGET');
    if (o.subscriptionId && !o.subscribe) throw new UsageError('--subscription and --no-subscribe contradict each other', 'pick one');
    checkTunnelSpec(o.tunnel);
    const custom = o.providerFile ? [loadCustomProfile(o.providerFile)] : [];
    const routed = routedProviders(plan);
    checkProviderRoutes(routed, o, custom);
    const secrets = (this.secrets = new SessionSecrets({ secret: o.secret, secrets: o.secrets, origins: o.secretOrigins }, custom));
    if (o.provider !== 'auto') {
      const profile = getProvider(o.provider, custom);
      if (o.secret) assertUsableSecret(profile, o.secret);
    }
    const retention = resolveRetention(o.retention ?? {});
    const targetWarnings = await checkTargets(allTargets(plan));
    try {
      // This process's one store: its writes go through the write thread, the inspector reads it too.
      // Checked as it opens; a damaged one (then or later) is moved aside for a fresh one, and said.
      const store = (this.store = await openEventStore(o.dataDir ?? defaultDataDir(), { writer: 'threaded', recover: true }));
      if (store.damagedAtOpen) o.emit({ type: 'store.damaged', ...store.damagedAtOpen });
      this.stopDamageEvents = store.onDamaged((r) => o.emit({ type: 'store.damaged', ...r }));
      const removed = await store.enforce(retention);
      // A full store removes a few of the oldest with every batch: said once a second at most, with the total.
      let removedSince = 0;
      let flush: NodeJS.Timeout | null = null;
      const unsubscribe = store.onRemoved((n) => {
        removedSince += n;
        flush ??= setTimeout(() => {
          flush = null;
          if (!this.stopping && removedSince > 0) o.emit({ type: 'store.pruned', removed: removedSince, ...usageFacts(store, retention) });
          removedSince = 0;
        }, 1000);
      });
      this.stopPruneEvents = () => {
        unsubscribe();
        if (flush) clearTimeout(flush);
      };
      this.watchRetention(store, retention);
      if (o.inspector) {
        this.inbox = inboxOver(store, {
          secretFor: (provider) => secrets.signing(provider),
          timeoutMs: o.timeoutMs,
          insecure: o.insecure,
          sessionTargets: allTargets(plan),
          hints: { sign: 'give hooks listen the secret of that provider (--secret P=S)' },
        });
        this.inspector = await o.inspector({
          inbox: this.inbox,
          session: () => ({ mode: 'listen', public_url: this.described?.public_url ?? null, provider: this.described?.provider ?? null }),
        });
      }
      this.relay = new Relay({ ...o, providerRoutes: plan.providerRoutes, custom, store: this.store, session: newId('ses'), emit: o.emit });
      this.relay.setSecrets(secrets);
      const localUrl = await this.relay.start(o.port);
      const publicUrl = await this.openEndpoint(localUrl);
      this.relay.setPublicUrl(publicUrl);
      let provider = o.provider;
      let secret = o.secret ?? null;
      if (o.subscriptionId || o.subscribe) {
        this.client = new ApiClient(resolveConnection(o.connection));
        const defaultProvider = await this.reachApi(this.client);
        // Listing the sessions notes the subscriptions of dead ones as left behind: removed just below.
        const others = runningSessions().filter((s) => s.pid !== process.pid);
        await this.removeLeftovers(this.client);
        this.warnSideBySide(others, this.client.connection.url);
        if (o.subscriptionId) {
          this.subscriptions.push(await SessionSubscription.borrow(this.client, o.subscriptionId, publicUrl));
          provider = this.subscriptions[0]!.provider;
        } else {
          // Routed providers get a subscription each; what is left to the plain targets, one as --provider (auto: the API's default).
          const rest = o.forwards.length > 0 || o.routes.length > 0;
          if (provider === 'auto') {
            provider = rest ? defaultProvider : routed[0]!;
            if (secret) assertUsableSecret(getProvider(provider, custom), secret, '--secret', `--provider auto takes the API's provider, ${provider}`);
          } else if (secret) assertUsableSecret(getProvider(provider, custom), secret);
          // From now on each provider's deliveries are checked with that provider's session secret (hooks listen --print-secret --provider P).
          secrets.useSessionSecrets(provider);
          secret = secrets.of(provider).secret;
          const subscribeAs = [...routed, ...(rest && !routed.includes(provider) ? [provider] : [])];
          for (const p of subscribeAs) {
            this.subscriptions.push(await this.subscribe(this.client, publicUrl, p, secrets.of(p).secret!, subscribeAs.length > 1));
          }
        }
        this.relay.setSubscriptions(this.subscriptions.map((s) => ({ id: s.id, provider: s.provider })));
      }
      if (secrets.holdsAny) {
        // A provider routed somewhere whose deliveries would all get 401: said before the first one arrives.
        for (const p of routed.filter((id) => secrets.of(id).secret === null)) {
          const env = `HOOKS_SECRET_${p.toUpperCase()}`;
          o.emit({ type: 'listen.warning', message: `this session holds no ${p} secret, so every delivery read as ${p} gets 401 instead of reaching ${plan.providerRoutes.filter((r) => r.provider === p).map((r) => r.target.href).join(', ')}: give it with --secret ${p}=S (or ${env}, or hooks.json listen.providers.${p}.secret)` });
        }
      }
      for (const message of targetWarnings) o.emit({ type: 'listen.warning', message });
      // Said once, at start: a cap too small for --max-body keeps the larger bodies in part (cap.ts).
      if (o.maxBodyBytes > this.store.wholeBodyLimit) {
        o.emit({ type: 'listen.warning', message: `under --max-store-size ${retention.maxBytes} bytes, a body over ${this.store.wholeBodyLimit} bytes is forwarded whole but stored in part (its first 64 KB, size and SHA-256); a larger --max-store-size keeps more` });
      }
      const held = secrets.describe([...new Set([...this.subscriptions.map((s) => s.provider), ...routed])]);
      o.emit({
        type: 'listen.ready',
        public_url: publicUrl,
        local_url: localUrl,
        subscription_id: this.subscriptions[0]?.id ?? null,
        subscriptions: this.subscriptions.map((s) => ({ id: s.id, provider: s.provider })),
        provider,
        secret: secret !== null ? maskSecret(secret) : maskedPerProvider(o.secrets ?? {}),
        secrets: held.secrets,
        other_secrets: held.others,
        forward_invalid: o.forwardInvalid,
        forward_unverified: this.relay.forwardsUnverified,
        targets: o.forwards.map((t) => t.href),
        provider_routes: routed.map((p) => ({ provider: p, targets: plan.providerRoutes.filter((r) => r.provider === p).map((r) => r.target.href) })),
        routes: o.routes.map((r) => ({ pattern: r.pattern, target: r.target.href })),
        restore_url: this.subscriptions[0]?.restoresTo ?? null,
        store: { ...usageFacts(this.store, retention), removed },
        project_file: o.projectFile ?? null,
        inspect_url: this.inspector?.url ?? null,
      });
      this.described = { public_url: publicUrl, provider };
      if (o.record !== false) {
        recordSession({
          pid: process.pid,
          local_url: localUrl,
          public_url: publicUrl,
          provider,
          subscription_id: this.subscriptions[0]?.id ?? null,
          subscription_ids: this.subscriptions.map((s) => s.id),
          // Only subscriptions this session made are removed by the next one when this process dies.
          api_url: this.subscriptions.length > 0 && this.subscriptions[0]!.restoresTo === null ? this.client!.connection.url : null,
          targets: this.targets(),
          store: this.store.file,
          started_at: new Date().toISOString(),
        });
        this.recorded = true;
      }
      if (o.subscriptionId && o.catchUp !== false) await this.catchUp('start');
    } catch (err) {
      // A session that never started has nothing to report but why: no "stopping… stopped" before the error.
      await this.teardown(0, false).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The process is about to exit without cleaning up (a second Ctrl-C): each
   * subscription it made and has not removed yet is noted for the next
   * session on its API, and what is left behind is said, one line each.
   * Synchronous: nothing after it runs.
   */
  abandon(): string[] {
    return this.subscriptions.map((sub) => {
      if (sub.restoresTo !== null) return `subscription ${sub.id} still points at this session's URL (it was not restored): hooks subs update ${sub.id} --url ${sub.restoresTo}`;
      if (this.client) rememberLeftover(this.client.connection.url, sub.id);
      return `subscription ${sub.id} is left behind (stopped before it was deleted): its platform keeps sending to this session's URL. ${sub.cleanupCommand} removes it; the next hooks listen on this API removes it too`;
    });
  }

  /** One subscription of the session's own, as `provider`; a mistake in --events is named with the provider it does not fit. */
  private async subscribe(client: ApiClient, url: string, provider: string, secret: string, several: boolean): Promise<SessionSubscription> {
    try {
      return await SessionSubscription.create(client, { url, events: this.opts.events, provider, secret, label: several ? provider : null });
    } catch (err) {
      if (!(err instanceof ApiRequestError) || err.field !== 'events') throw err;
      throw new OperationError(
        `cannot subscribe this session as ${provider}: ${err.message}`,
        several ? `--events applies to the subscription of every provider the session subscribes as: give patterns each of them has (hooks trigger --list --provider ${provider}), or leave --events out for all` : `give patterns ${provider} has (hooks trigger --list --provider ${provider}), or leave --events out for all`,
        err.code,
      );
    }
  }

  /**
   * The API the session subscribes on answers, or, when it is only the
   * default one, the user learns both ways on: receiving from a real
   * platform (whose dashboard is given the public URL and whose secret
   * verifies) needs no API at all.
   */
  private async reachApi(client: ApiClient): Promise<string> {
    try {
      return (await client.eventTypes()).provider;
    } catch (err) {
      // An API the user named is the one they mean; only the default one may not be meant at all.
      if (!(err instanceof ConnectError) || err.code !== 'unreachable' || client.connection.source !== 'the default') throw err;
      throw new ConnectError(
        `${err.message.replace(/: start one with.*$/, '')}, to subscribe this session`,
        `receiving from a real platform? start with --no-subscribe --secret PROVIDER=SECRET (its signing secret) and give its dashboard the public URL; for the emulator, start it first: hooks server (${err.hint})`,
        err.code,
      );
    }
  }

  /** Every place this session forwards to. */
  private targets(): string[] {
    return allTargets({ forwards: this.opts.forwards, routes: this.opts.routes, providerRoutes: this.opts.providerRoutes ?? [] }).map((t) => t.href);
  }

  /** Another live session on the same API forwarding to the same place doubles every event: said at start. */
  private warnSideBySide(others: ReturnType<typeof runningSessions>, api: string): void {
    const mine = this.targets();
    for (const s of others) {
      const shared = (s.targets ?? []).filter((t) => mine.includes(t));
      if (s.api_url !== api || !s.subscription_id || shared.length === 0) continue;
      this.opts.emit({
        type: 'listen.warning',
        message: `another hooks listen (pid ${s.pid}, since ${s.started_at}) forwards events from ${api} to ${shared.join(', ')} too: with both running, each event reaches your app twice. Stop one of them, or start this one with --no-subscribe`,
      });
    }
  }

  /**
   * Stop receiving, give forwards in flight `graceMs` to finish (then they
   * are cut off, stored as interrupted and answered 503), clean up the
   * subscription, the tunnel and the store.
   */
  stop(graceMs = STOP_GRACE_MS): Promise<void> {
    return this.teardown(graceMs, true);
  }

  private async teardown(graceMs: number, announce: boolean): Promise<void> {
    if (announce) this.opts.emit({ type: 'listen.stopping', in_flight: this.relay?.busy ?? 0 });
    this.stopping = true;
    if (this.recorded) forgetSession(process.pid);
    await this.supervisor?.stop();
    await this.catchingUp;
    await this.relay?.drain(graceMs);
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    let subscription: 'deleted' | 'restored' | 'kept' | 'none' = 'none';
    // Each one leaves the list once handled, so a second Ctrl-C meanwhile names only those still there.
    while (this.subscriptions.length > 0) {
      const sub = this.subscriptions[0]!;
      try {
        const closed = await sub.close();
        if (subscription !== 'kept') subscription = closed;
      } catch (err) {
        subscription = 'kept';
        const created = sub.restoresTo === null;
        if (created && this.client) rememberLeftover(this.client.connection.url, sub.id);
        this.opts.emit({
          type: 'listen.warning',
          message: `could not clean up subscription ${sub.id}: ${(err as Error).message}; its platform keeps sending to this session's URL. Clean it up: ${sub.cleanupCommand}${created ? ' (the next hooks listen on this API removes it too)' : ''}`,
        });
      }
      this.subscriptions.shift();
    }
    await this.relay?.close();
    await this.client?.close();
    await this.probeAgent?.close();
    await this.inspector?.close();
    this.inspector = null;
    await this.inbox?.close();
    this.inbox = null;
    this.stopPruneEvents?.();
    this.stopDamageEvents?.();
    await this.store?.close();
    this.relay = null;
    this.store = null;
    if (announce) this.opts.emit({ type: 'listen.stopped', subscription });
  }

  /** Session subscriptions that earlier sessions on this API could not delete: removed now, each said once. */
  private async removeLeftovers(client: ApiClient): Promise<void> {
    const api = client.connection.url;
    const left = leftoversOf(api).map((l) => l.id);
    if (left.length === 0) return;
    for (const r of await SessionSubscription.removeLeftovers(client, left)) {
      if (r.removed) forgetLeftover(api, r.id);
      this.opts.emit({ type: 'listen.warning', message: r.removed ? `removed subscription ${r.id}, left behind by an earlier session that stopped without removing it` : `could not remove subscription ${r.id}, left behind by an earlier session: ${r.error}` });
    }
  }

  private watchRetention(store: EventStore, retention: Retention): void {
    let running = false;
    this.retentionTimer = setInterval(() => {
      // A slow pass (a large store) is never overlapped by the next one.
      if (running) return;
      running = true;
      store
        .enforce(retention)
        .then((removed) => {
          if (removed > 0 && !this.stopping) this.opts.emit({ type: 'store.pruned', removed, ...usageFacts(store, retention) });
        })
        .catch((err: Error) => this.opts.emit({ type: 'listen.warning', message: `could not apply the store's retention: ${err.message}` }))
        .finally(() => (running = false));
    }, this.opts.retentionCheckMs ?? 10_000);
    this.retentionTimer.unref();
  }

  /**
   * The tunnel the flags ask for, watched by a supervisor that probes it and
   * reopens it when it stops carrying traffic. `--tunnel none` is the local
   * URL itself: nothing between the sender and the relay to watch.
   */
  private async openEndpoint(localUrl: string): Promise<string> {
    const o = this.opts;
    const health = { ...DEFAULT_HEALTH, ...o.health };
    const tunnel = createTunnel(o.tunnel, localUrl, { died: (reason) => this.supervisor?.died(reason) });
    if (o.tunnel.kind === 'none' && !o.tunnel.publicUrl) return tunnel.open();
    const relay = this.relay!;
    const agent = (this.probeAgent = new Agent({ connections: 2, keepAliveTimeout: 1000, connect: { rejectUnauthorized: !o.insecure } }));
    this.supervisor = new TunnelSupervisor({
      tunnel,
      ...health,
      probe: async (url) => {
        const nonce = newNonce();
        relay.expectProbe(nonce);
        try {
          return await sendProbe(agent, url, nonce, health.timeoutMs);
        } finally {
          relay.forgetProbe(nonce);
        }
      },
      emit: (e) => {
        o.emit(e);
        if (e.type === 'tunnel.restored' && this.subscriptions.length > 0 && o.catchUp !== false) void this.catchUp('restored');
      },
      urlChanged: (url) => this.pointAt(url),
      setPaused: (paused) => relay.setPaused(paused),
    });
    const url = await this.supervisor.start();
    o.emit({ type: 'tunnel.url', url, restarted: false, tunnel: tunnel.description });
    return url;
  }

  /** A restarted tunnel has a new URL: the subscription follows it (or the platform sends into the void). */
  private async pointAt(url: string): Promise<void> {
    this.opts.emit({ type: 'tunnel.url', url, restarted: true, tunnel: null });
    this.relay?.setPublicUrl(url);
    for (const sub of this.subscriptions) {
      try {
        await sub.setUrl(url);
        this.opts.emit({ type: 'subscription.updated', subscription_id: sub.id, url });
      } catch (err) {
        this.opts.emit({ type: 'listen.warning', message: `could not point subscription ${sub.id} at ${url}: ${(err as Error).message}` });
      }
    }
  }

  /**
   * What the platform could not deliver while no session was listening, sent
   * again now (at start with --subscription, and after the tunnel comes back).
   * One at a time: a second call while one runs waits for it.
   */
  private catchUp(after: 'start' | 'restored'): Promise<void> {
    const subs = [...this.subscriptions];
    if (subs.length === 0 || !this.client || !this.store) return Promise.resolve();
    const client = this.client;
    const store = this.store;
    const run = async () => {
      for (const sub of subs) {
        if (this.stopping) return;
        const since = store.lastReceivedFor(sub.id);
        try {
          const r = await catchUp(client, sub.id, since, () => this.stopping);
          this.opts.emit({ type: 'catchup.done', after, subscription_id: sub.id, since: since === null ? null : new Date(since).toISOString(), ...r });
        } catch (err) {
          this.opts.emit({ type: 'listen.warning', message: `could not catch up subscription ${sub.id}: ${(err as Error).message}` });
        }
      }
    };
    const next = (this.catchingUp ?? Promise.resolve()).then(run);
    this.catchingUp = next;
    return next;
  }
}

/** `listen --print-secret`: the session secret of a provider (`auto`: the API's default provider). */
export async function sessionSecret(provider: string, connection: ConnectionFlags): Promise<{ provider: string; secret: string }> {
  let id = provider;
  if (id === 'auto') {
    const client = new ApiClient(resolveConnection(connection));
    try {
      id = (await client.eventTypes()).provider;
    } finally {
      await client.close();
    }
  }
  getProvider(id);
  return { provider: id, secret: listenSecret(id) };
}

/** `ithbat ith_whsec_0f9a…, github 1a2b…`: the per-provider secrets a session was given, masked; null when none. */
function maskedPerProvider(secrets: Record<string, string>): string | null {
  const entries = Object.entries(secrets);
  return entries.length === 0 ? null : entries.map(([id, s]) => `${id} ${maskSecret(s)}`).join(', ');
}

function usageFacts(store: EventStore, retention: Retention) {
  const usage = store.usage();
  return { file: usage.file, bytes: usage.bytes, deliveries: usage.deliveries, max_bytes: retention.maxBytes, max_age_ms: retention.maxAgeMs };
}

/**
 * `--forward P=TARGET` names a provider the session knows, fits `--provider`
 * (a fixed provider reads every delivery as itself), and, when the session
 * subscribes, one the API can send as.
 */
function checkProviderRoutes(routed: readonly string[], o: ListenOptions, custom: readonly ProviderProfile[]): void {
  const known = [...custom.map((p) => p.id), ...PROVIDER_IDS];
  for (const id of routed) {
    if (!known.includes(id)) throw new UsageError(`unknown provider "${id}" in --forward ${id}=…${didYouMean(id, known)}`, `--forward PROVIDER=TARGET takes one of: ${known.join(', ')} (a plain target has no "=")`, 'unknown_provider');
  }
  const other = routed.find((id) => id !== o.provider);
  if (o.provider !== 'auto' && other !== undefined) {
    throw new UsageError(`--provider ${o.provider} reads every delivery as ${o.provider}, so --forward ${other}=… would never be used`, 'drop --provider (or "provider" in hooks.json): with --forward PROVIDER=TARGET each delivery is read as the provider its signature headers name');
  }
  const own = routed.find((id) => custom.some((p) => p.id === id));
  if (own !== undefined && o.subscribe && !o.subscriptionId) {
    throw new UsageError(`--forward ${own}=… names the custom profile ${own}, which the API cannot subscribe as`, `start with --no-subscribe and give ${own}'s sender the URL hooks listen prints (its secret: a bare --secret S)`);
  }
}
