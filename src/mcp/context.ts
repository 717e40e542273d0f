import { resolveConnection, type ConnectionFlags } from '../core/api/connection.js';
import { allListenSecrets, storedListenSecret } from '../core/config/listen-secrets.js';
import { dataDir as defaultDataDir } from '../core/config/paths.js';
import { openInbox, type Inbox } from '../core/inbox/inbox.js';

/** What every tool works over: this process's inbox over listen's store, the API connection, and the secrets never to show. */
export class McpContext {
  private opened: Promise<Inbox> | null = null;

  constructor(
    readonly connection: ConnectionFlags,
    readonly dataDir = defaultDataDir(),
  ) {}

  /** The inbox of the data dir listen writes to, opened once for the server's life; it re-signs with listen's stored session secrets. */
  inbox(): Promise<Inbox> {
    this.opened ??= openInbox(this.dataDir, {
      secretFor: (provider) => (provider ? storedListenSecret(provider) : null),
      timeoutMs: 10_000,
      hints: { list: 'list_deliveries gives the ids', sign: 'replay it as it was (no body, resign false)' },
    });
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
