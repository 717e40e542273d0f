/** What the emulator reports as it works; the CLI renders these (a log line each, or JSON lines). */
export type ServerEvent =
  | { type: 'server.ready'; url: string; data_dir: string; database: string; token_file: string | null; token_created: boolean; provider: string; strict_urls: boolean; time_scale: number; resumed: number; /** The console, with its session token; null when not served. */ console_url: string | null }
  | { type: 'server.stopping'; in_flight: number }
  | { type: 'server.stopped' }
  | { type: 'server.error'; message: string }
  | { type: 'server.warning'; message: string }
  /** The store cannot do its work (full disk, database down, file removed): said once, however many requests meet it. */
  | { type: 'storage.failed'; problem: string; message: string; hint: string | null }
  | { type: 'storage.recovered'; after_ms: number }
  | {
      type: 'delivery.attempted';
      delivery_id: string;
      event_id: string;
      event_type: string;
      subscription_id: string;
      provider: string;
      url: string;
      attempt: number;
      status_code: number | null;
      duration_ms: number;
      success: boolean;
      error: string | null;
      delivery_status: string;
      next_retry_at: string | null;
    }
  /** A synchronous hook called in a simulated flow (POST /api/v1/hooks/{id}/run, /api/v1/flows/…). */
  | { type: 'hook.called'; run_id: string; hook_id: string; provider: string; hook_type: string; flow: string; url: string; status_code: number | null; duration_ms: number; proceeds: boolean; path: 'answer' | 'open' | 'closed'; violations: string[]; summary: string }
  | { type: 'event.created'; event_id: string; event_type: string; /** null: every provider's subscriptions. */ provider: string | null; deliveries: number }
  | { type: 'subscription.disabled'; subscription_id: string; reason: string }
  | { type: 'websub.verification'; subscription_id: string; handshake: 'websub' | 'okta_verification'; mode: 'subscribe' | 'unsubscribe'; ok: boolean; topics: string[]; error: string | null };
