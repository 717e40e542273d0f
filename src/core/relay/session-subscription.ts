import { hostname } from 'node:os';
import { ApiRequestError, type ApiClient } from '../api/client.js';
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

  /** `label`: said in the name when the session has several (its provider). */
  static async create(client: ApiClient, opts: { url: string; events: string[]; provider: string; secret: string; label?: string | null }): Promise<SessionSubscription> {
    const sub = await client.createSubscription({
      name: `hooks listen on ${hostname()} (pid ${process.pid}${opts.label ? `, ${opts.label}` : ''})`,
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
    await remove(this.client, this.sub);
    return 'deleted';
  }

  /** How to clean up by hand what close() could not. */
  get cleanupCommand(): string {
    return this.restoreUrl !== null ? `hooks subs update ${this.sub.id} --url ${this.restoreUrl}` : `hooks subs delete ${this.sub.id} --yes`;
  }

  /**
   * Removes the session subscriptions earlier sessions could not delete
   * (their API was down when they stopped): the platform would retry their
   * dead URLs for days. Returns the ids removed; one gone already counts.
   */
  static async removeLeftovers(client: ApiClient, ids: readonly string[]): Promise<Array<{ id: string; removed: boolean; error?: string }>> {
    const out: Array<{ id: string; removed: boolean; error?: string }> = [];
    for (const id of ids) {
      try {
        await remove(client, await client.getSubscription(id));
        out.push({ id, removed: true });
      } catch (err) {
        if (err instanceof ApiRequestError && err.status === 404) out.push({ id, removed: true });
        else out.push({ id, removed: false, error: (err as Error).message });
      }
    }
    return out;
  }
}

async function remove(client: ApiClient, sub: Subscription): Promise<void> {
  // A handshake platform deletes only inactive subscriptions; deactivating sends the unsubscribe request.
  if (getProvider(sub.provider).handshake?.unsubscribes && sub.active) await client.updateSubscription(sub.id, { active: false });
  await client.deleteSubscription(sub.id);
}
