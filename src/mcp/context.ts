import { resolveConnection, type ConnectionFlags } from '../core/api/connection.js';
import { allListenSecrets } from '../core/config/listen-secrets.js';
import { dataDir as defaultDataDir } from '../core/config/paths.js';
import { openEventStore, type EventStore } from '../core/store/event-store.js';

/** What every tool works over: this process's one event store, the API connection, and the secrets never to show. */
export class McpContext {
  private opened: Promise<EventStore> | null = null;

  constructor(
    readonly connection: ConnectionFlags,
    readonly dataDir = defaultDataDir(),
  ) {}

  /** The store of the data dir listen writes to, opened once for the server's life. */
  store(): Promise<EventStore> {
    this.opened ??= openEventStore(this.dataDir);
    return this.opened;
  }

  /** The API token and listen's session secrets, read each time (a session may have made one since); plus those a call passed. */
  secrets(extra: Array<string | undefined> = []): string[] {
    let token: string | undefined;
    try {
      token = resolveConnection(this.connection).token;
    } catch {
      token = undefined;
    }
    return [token, ...allListenSecrets(), ...extra].filter((s): s is string => typeof s === 'string' && s.length > 0);
  }

  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}
