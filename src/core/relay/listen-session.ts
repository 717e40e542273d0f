import type { ApiClient } from '../api/client.js';
import { listenSecret } from '../config/listen-secrets.js';
import type { ProviderProfile } from '../providers/profile.js';
import { newId } from '../ids.js';
import { getProvider } from '../providers/registry.js';
import { assertUsableSecret } from '../providers/secret-rule.js';
import { maskSecret } from '../providers/secrets.js';
import type { ServerLimits } from '../http/guarded-server.js';
import { EventStore, type Retention } from '../store/event-store.js';
import { CloudflaredTunnel } from '../tunnel/cloudflared.js';
import type { RelayEvent } from './events.js';
import { Relay } from './relay.js';
import { SessionSubscription } from './session-subscription.js';
import type { Route } from './target.js';

export interface ListenOptions {
  forwards: URL[];
  routes: Route[];
  provider: string;
  custom: ProviderProfile[];
  events: string[];
  secret?: string;
  tunnel: 'cloudflared' | 'none';
  publicUrl?: string;
  subscribe: boolean;
  subscriptionId?: string;
  forwardInvalid: boolean;
  timeoutMs: number;
  maxBodyBytes: number;
  limits?: Partial<ServerLimits>;
  insecure: boolean;
  dataDir: string;
  /** How much the store keeps; enforced at start and every `retentionCheckMs`. */
  retention: Retention;
  retentionCheckMs?: number;
  /** Only asked for when the session registers or borrows a subscription. */
  api: () => Promise<ApiClient>;
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

  constructor(private readonly opts: ListenOptions) {}

  async start(): Promise<void> {
    const o = this.opts;
    if (o.secret && o.provider !== 'auto') assertUsableSecret(getProvider(o.provider, o.custom), o.secret);
    try {
      this.store = new EventStore(o.dataDir);
      const removed = this.store.enforce(o.retention);
      const store = this.store;
      this.retentionTimer = setInterval(() => {
        const n = store.enforce(o.retention);
        if (n > 0) o.emit({ type: 'store.pruned', removed: n, ...usageFacts(store, o.retention) });
      }, o.retentionCheckMs ?? 10_000);
      this.retentionTimer.unref();
      this.relay = new Relay({ ...o, store: this.store, session: newId('ses'), emit: o.emit });
      this.relay.setSecret(o.secret);
      const localUrl = await this.relay.start();
      const publicUrl = await this.openEndpoint(localUrl);
      let provider = o.provider;
      let secret = o.secret ?? null;
      if (o.subscriptionId || o.subscribe) {
        this.client = await o.api();
        if (o.subscriptionId) {
          this.subscription = await SessionSubscription.borrow(this.client, o.subscriptionId, publicUrl);
          provider = this.subscription.provider;
        } else {
          if (provider === 'auto') {
            provider = (await this.client.eventTypes()).provider;
            if (secret) assertUsableSecret(getProvider(provider, o.custom), secret);
          }
          secret ??= listenSecret(provider);
          this.relay.setSecret(secret);
          this.subscription = await SessionSubscription.create(this.client, { url: publicUrl, events: o.events, provider, secret });
        }
      }
      o.emit({
        type: 'ready',
        public_url: publicUrl,
        local_url: localUrl,
        subscription_id: this.subscription?.id ?? null,
        provider,
        secret: secret === null ? null : maskSecret(secret),
        targets: o.forwards.map((t) => t.href),
        restore_url: this.subscription?.restoresTo ?? null,
        store: { ...usageFacts(this.store, o.retention), removed },
      });
    } catch (err) {
      await this.stop(0).catch(() => undefined);
      throw err;
    }
  }

  /** Stop receiving, finish forwards in flight (at most `graceMs`), clean up the subscription, the tunnel and the store. */
  async stop(graceMs: number): Promise<void> {
    this.opts.emit({ type: 'session.stopping', in_flight: this.relay?.busy ?? 0 });
    await this.relay?.drain(graceMs);
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    let subscription: 'deleted' | 'restored' | 'kept' | 'none' = 'none';
    if (this.subscription) {
      try {
        subscription = await this.subscription.close();
      } catch (err) {
        subscription = 'kept';
        this.opts.emit({ type: 'warning', message: `could not clean up subscription ${this.subscription.id}: ${(err as Error).message}` });
      }
      this.subscription = null;
    }
    await this.relay?.close();
    await this.client?.close();
    await this.tunnel?.stop();
    this.store?.close();
    this.relay = null;
    this.store = null;
    this.opts.emit({ type: 'session.closed', subscription });
  }

  private async openEndpoint(localUrl: string): Promise<string> {
    if (this.opts.publicUrl) return this.opts.publicUrl;
    if (this.opts.tunnel === 'none') return localUrl;
    this.tunnel = new CloudflaredTunnel(localUrl, {
      onRestarting: (attempt, delay, reason) => this.opts.emit({ type: 'tunnel.restarting', attempt, delay_ms: delay, reason }),
      onUrl: (url) => {
        this.opts.emit({ type: 'tunnel.url', url, restarted: true });
        this.subscription?.setUrl(url).then(
          () => this.opts.emit({ type: 'subscription.updated', subscription_id: this.subscription!.id, url }),
          (err: Error) => this.opts.emit({ type: 'warning', message: `could not point the subscription at ${url}: ${err.message}` }),
        );
      },
    });
    const url = await this.tunnel.start();
    this.opts.emit({ type: 'tunnel.url', url, restarted: false });
    return url;
  }
}

function usageFacts(store: EventStore, retention: Retention) {
  const usage = store.usage();
  return { file: usage.file, bytes: usage.bytes, deliveries: usage.deliveries, max_bytes: retention.maxBytes, max_age_ms: retention.maxAgeMs };
}
