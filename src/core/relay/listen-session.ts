import { ApiClient } from '../api/client.js';
import { resolveConnection, type ConnectionFlags } from '../api/connection.js';
import { listenSecret } from '../config/listen-secrets.js';
import { dataDir as defaultDataDir } from '../config/paths.js';
import { forgetSession, recordSession } from '../config/sessions.js';
import { resolveRetention } from '../config/retention.js';
import { UsageError } from '../errors.js';
import type { ServerLimits } from '../http/guarded-server.js';
import { newId } from '../ids.js';
import { loadCustomProfile } from '../providers/custom.js';
import { getProvider } from '../providers/registry.js';
import { assertUsableSecret } from '../providers/secret-rule.js';
import { maskSecret } from '../providers/secrets.js';
import { EventStore, type Retention } from '../store/event-store.js';
import { CloudflaredTunnel } from '../tunnel/cloudflared.js';
import type { RelayEvent } from './events.js';
import { Relay } from './relay.js';
import type { Route } from './routes.js';
import { SessionSubscription } from './session-subscription.js';

export interface ListenOptions {
  forwards: URL[];
  routes: Route[];
  /** A provider id, or `auto` (detect from the headers; subscribe as the API's default). */
  provider: string;
  /** A custom profile (JSON) to verify with. */
  providerFile?: string;
  events: string[];
  secret?: string;
  tunnel: 'cloudflared' | 'none';
  publicUrl?: URL;
  subscribe: boolean;
  subscriptionId?: string;
  forwardInvalid: boolean;
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
  /** The web inspector's URL, when one runs beside the session. */
  inspectUrl?: string | null;
  emit: (event: RelayEvent) => void;
}

/**
 * One `hooks listen` run: the relay, the public endpoint (tunnel, given URL,
 * or the local one) and the session subscription, started in that order and
 * stopped in reverse, whatever failed on the way.
 */
export class ListenSession {
  private store: EventStore | null = null;
  private relay: Relay | null = null;
  private tunnel: CloudflaredTunnel | null = null;
  private client: ApiClient | null = null;
  private subscription: SessionSubscription | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private recorded = false;
  private verifyingWith: string | null = null;
  private described: { public_url: string; provider: string } | null = null;

  constructor(private readonly opts: ListenOptions) {}

  /** Where the session receives and as which provider, once it is ready. */
  get description(): { public_url: string; provider: string } | null {
    return this.described;
  }

  /** The secret this session verifies (and an inspector re-signs) with, once known. */
  get secret(): string | null {
    return this.verifyingWith;
  }

  async start(): Promise<void> {
    const o = this.opts;
    if (o.forwards.length === 0 && o.routes.length === 0) throw new UsageError('nothing to forward to', 'pass --forward localhost:3000 (your app), and/or --route PATTERN=TARGET');
    if (o.subscriptionId && !o.subscribe) throw new UsageError('--subscription and --no-subscribe contradict each other', 'pick one');
    const custom = o.providerFile ? [loadCustomProfile(o.providerFile)] : [];
    if (o.provider !== 'auto') {
      const profile = getProvider(o.provider, custom);
      if (o.secret) assertUsableSecret(profile, o.secret);
    }
    const retention = resolveRetention(o.retention ?? {});
    try {
      this.store = new EventStore(o.dataDir ?? defaultDataDir());
      const removed = this.store.enforce(retention);
      this.watchRetention(this.store, retention);
      this.relay = new Relay({ ...o, custom, store: this.store, session: newId('ses'), emit: o.emit });
      this.relay.setSecret(o.secret);
      this.verifyingWith = o.secret ?? null;
      const localUrl = await this.relay.start();
      const publicUrl = await this.openEndpoint(localUrl);
      let provider = o.provider;
      let secret = o.secret ?? null;
      if (o.subscriptionId || o.subscribe) {
        this.client = new ApiClient(resolveConnection(o.connection));
        if (o.subscriptionId) {
          this.subscription = await SessionSubscription.borrow(this.client, o.subscriptionId, publicUrl);
          provider = this.subscription.provider;
        } else {
          if (provider === 'auto') {
            provider = (await this.client.eventTypes()).provider;
            if (secret) assertUsableSecret(getProvider(provider, custom), secret);
          }
          secret ??= listenSecret(provider);
          this.relay.setSecret(secret);
          this.verifyingWith = secret;
          this.subscription = await SessionSubscription.create(this.client, { url: publicUrl, events: o.events, provider, secret });
        }
      }
      o.emit({
        type: 'listen.ready',
        public_url: publicUrl,
        local_url: localUrl,
        subscription_id: this.subscription?.id ?? null,
        provider,
        secret: secret === null ? null : maskSecret(secret),
        targets: o.forwards.map((t) => t.href),
        restore_url: this.subscription?.restoresTo ?? null,
        store: { ...usageFacts(this.store, retention), removed },
        project_file: o.projectFile ?? null,
        inspect_url: o.inspectUrl ?? null,
      });
      this.described = { public_url: publicUrl, provider };
      if (o.record !== false) {
        recordSession({ pid: process.pid, local_url: localUrl, public_url: publicUrl, provider, subscription_id: this.subscription?.id ?? null, store: this.store.file, started_at: new Date().toISOString() });
        this.recorded = true;
      }
    } catch (err) {
      // A session that never started has nothing to report but why: no "stopping… stopped" before the error.
      await this.teardown(0, false).catch(() => undefined);
      throw err;
    }
  }

  /** Stop receiving, finish forwards in flight (at most `graceMs`), clean up the subscription, the tunnel and the store. */
  stop(graceMs: number): Promise<void> {
    return this.teardown(graceMs, true);
  }

  private async teardown(graceMs: number, announce: boolean): Promise<void> {
    if (announce) this.opts.emit({ type: 'listen.stopping', in_flight: this.relay?.busy ?? 0 });
    if (this.recorded) forgetSession(process.pid);
    await this.relay?.drain(graceMs);
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    let subscription: 'deleted' | 'restored' | 'kept' | 'none' = 'none';
    if (this.subscription) {
      try {
        subscription = await this.subscription.close();
      } catch (err) {
        subscription = 'kept';
        this.opts.emit({ type: 'listen.warning', message: `could not clean up subscription ${this.subscription.id}: ${(err as Error).message}` });
      }
      this.subscription = null;
    }
    await this.relay?.close();
    await this.client?.close();
    await this.tunnel?.stop();
    this.store?.close();
    this.relay = null;
    this.store = null;
    if (announce) this.opts.emit({ type: 'listen.stopped', subscription });
  }

  private watchRetention(store: EventStore, retention: Retention): void {
    this.retentionTimer = setInterval(() => {
      const removed = store.enforce(retention);
      if (removed > 0) this.opts.emit({ type: 'store.pruned', removed, ...usageFacts(store, retention) });
    }, this.opts.retentionCheckMs ?? 10_000);
    this.retentionTimer.unref();
  }

  private async openEndpoint(localUrl: string): Promise<string> {
    if (this.opts.publicUrl) return this.opts.publicUrl.href.replace(/\/$/, '');
    if (this.opts.tunnel === 'none') return localUrl;
    this.tunnel = new CloudflaredTunnel(localUrl, {
      onRestarting: (attempt, delay, reason) => this.opts.emit({ type: 'tunnel.restarting', attempt, delay_ms: delay, reason }),
      onUrl: (url) => {
        this.opts.emit({ type: 'tunnel.url', url, restarted: true });
        this.subscription?.setUrl(url).then(
          () => this.opts.emit({ type: 'subscription.updated', subscription_id: this.subscription!.id, url }),
          (err: Error) => this.opts.emit({ type: 'listen.warning', message: `could not point the subscription at ${url}: ${err.message}` }),
        );
      },
    });
    const url = await this.tunnel.start();
    this.opts.emit({ type: 'tunnel.url', url, restarted: false });
    return url;
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

function usageFacts(store: EventStore, retention: Retention) {
  const usage = store.usage();
  return { file: usage.file, bytes: usage.bytes, deliveries: usage.deliveries, max_bytes: retention.maxBytes, max_age_ms: retention.maxAgeMs };
}
