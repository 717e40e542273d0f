/** What `listen --tunnel` takes; `--public-url` is a tunnel the user runs. */
export const TUNNEL_KINDS = ['cloudflared', 'ngrok', 'none'] as const;
export type TunnelKind = (typeof TUNNEL_KINDS)[number];

/**
 * A public endpoint in front of the local receiver. Every kind (cloudflared
 * quick or named, ngrok, none, a URL the user runs) opens to a URL, can be
 * closed, and says when it dies; the supervisor does the rest (health probes,
 * reopening with backoff), the same way for all of them.
 */
export interface Tunnel {
  /** What it is, for messages: "cloudflared quick tunnel", "ngrok (myapp.ngrok-free.app)". */
  readonly description: string;
  /** Whether reopening can fix it; a URL the user runs, or the local one, cannot be restarted from here. */
  readonly restartable: boolean;
  /** Opens it and resolves with its public URL (no trailing slash). */
  open(): Promise<string>;
  /** Stops it; it does not report that as a death. */
  close(): Promise<void>;
}

/** Told to a tunnel when it is made: how it reports dying on its own (a process exit, a closed session). */
export interface TunnelHooks {
  died(reason: string): void;
}

/** `--tunnel none` (the local receiver's URL) or `--public-url` (a tunnel the user runs): nothing to open or restart. */
export class FixedUrlTunnel implements Tunnel {
  readonly restartable = false;

  constructor(
    private readonly url: string,
    readonly description: string,
  ) {}

  async open(): Promise<string> {
    return this.url.replace(/\/+$/, '');
  }

  async close(): Promise<void> {}
}
