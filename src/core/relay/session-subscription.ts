import { hostname } from 'node:os';
import type { ApiClient } from '../api/client.js';
import type { Subscription } from '../api/types.js';
import { getProvider } from '../providers/registry.js';

/**
 * The subscription that points the platform at a listen session: created for
 * it (and deleted at the end), or an existing one borrowed (its URL restored
 * at the end).
 */
export class SessionSubscription {
  private constructor(
    private readonly client: ApiClient,
    private sub: Subscription,
    private readonly restoreUrl: string | null,
  ) {}

  static async create(client: ApiClient, opts: { url: string; events: string[]; provider: string; secret: string }): Promise<SessionSubscription> {
    const sub = await client.createSubscription({
      name: `hooks listen on ${hostname()} (pid ${process.pid})`,
      url: opts.url,
      events: opts.events,
      provider: opts.provider,
      secret: opts.secret,
      description: 'Created by hooks listen for this session; deleted when it ends.',
      active: true,
    });
    return new SessionSubscription(client, sub, null);
  }

  static async borrow(client: ApiClient, id: string, url: string): Promise<SessionSubscription> {
    const before = await client.getSubscription(id);
    const sub = await client.updateSubscription(id, { url });
    return new SessionSubscription(client, sub, before.url);
  }

  get id(): string {
    return this.sub.id;
  }

  get provider(): string {
    return this.sub.provider;
  }

  get restoresTo(): string | null {
    return this.restoreUrl;
  }

  async setUrl(url: string): Promise<void> {
    this.sub = await this.client.updateSubscription(this.sub.id, { url });
  }

  /** Deletes what it created (after the WebSub unsubscribe, where the platform has one), or restores what it borrowed. */
  async close(): Promise<'deleted' | 'restored'> {
    if (this.restoreUrl !== null) {
      await this.client.updateSubscription(this.sub.id, { url: this.restoreUrl });
      return 'restored';
    }
    // A handshake platform deletes only inactive subscriptions; deactivating sends the unsubscribe request.
    if (getProvider(this.sub.provider).handshake?.unsubscribes && this.sub.active) await this.client.updateSubscription(this.sub.id, { active: false });
    await this.client.deleteSubscription(this.sub.id);
    return 'deleted';
  }
}
