import type { EnvironmentFailure } from '../errors.js';
import type { HandshakeEvent } from '../providers/handshake.js';
import type { Hint } from '../signing/diagnosis.js';
import type { Verdict } from '../store/event-store.js';
import type { SupervisorEvent } from '../tunnel/supervisor.js';
import type { CatchUpResult } from './catch-up.js';
import type { ContractNote } from '../sync/listen-check.js';
import type { HeldSecret } from './session-secrets.js';

/** The store of a session and what it keeps. */
export interface StoreFacts {
  file: string;
  bytes: number;
  deliveries: number;
  max_bytes: number;
  max_age_ms: number;
}

interface DeliveryFacts {
  id: string;
  provider: string | null;
  event_type: string | null;
  event_id: string | null;
  verdict: Verdict;
  /** What the body lacks or adds against its platform's schema for its type; [] when it fits or none is known. */
  notes: string[];
}

/** What a listen session reports; the CLI renders each as a line, or as one JSON object a line. */
export type RelayEvent =
  | { type: 'tunnel.url'; url: string; restarted: boolean; /** What it is, on the first URL: "cloudflared quick tunnel". */ tunnel: string | null }
  | SupervisorEvent
  | (CatchUpResult & { type: 'catchup.done'; /** When it ran: as the session started, or once the tunnel came back. */ after: 'start' | 'restored'; subscription_id: string; /** The newest delivery this store had received through it; null: none. */ since: string | null })
  | {
      type: 'listen.ready';
      public_url: string;
      local_url: string;
      /** The first of `subscriptions` (the only one unless the session routes by provider). */
      subscription_id: string | null;
      /** One a provider the session subscribes as; or the one borrowed (--subscription). */
      subscriptions: Array<{ id: string; provider: string }>;
      provider: string;
      /** Masked: the full secret is printed only by --print-secret. */
      secret: string | null;
      /** Each secret the session verifies with, masked, and where it comes from (`provider` `*`: the bare --secret). */
      secrets: HeldSecret[];
      /** What a provider not in `secrets` is checked with: its own session secret, or none. */
      other_secrets: 'session' | 'none';
      /** Invalid signatures are forwarded too (--forward-invalid). */
      forward_invalid: boolean;
      /** Deliveries that cannot be verified are forwarded, marked unverified: --forward-unverified or --forward-invalid, or a session without any secret. */
      forward_unverified: boolean;
      /** The plain --forward targets: every delivery without a route of its own. */
      targets: string[];
      /** --forward PROVIDER=TARGET, by provider. */
      provider_routes: Array<{ provider: string; targets: string[] }>;
      /** --route PATTERN=TARGET. */
      routes: Array<{ pattern: string; target: string }>;
      restore_url: string | null;
      store: StoreFacts & { removed: number };
      project_file: string | null;
      inspect_url: string | null;
    }
  | (StoreFacts & { type: 'store.pruned'; removed: number })
  | { type: 'subscription.updated'; subscription_id: string; url: string }
  | (Omit<DeliveryFacts, 'verdict'> & { type: 'delivery.received'; method: string; path: string; bytes: number })
  | { type: 'delivery.verified'; id: string; provider: string | null; verdict: Verdict; reason: string | null; message: string | null; hints: Hint[] }
  | (DeliveryFacts & { type: 'delivery.forwarded'; target: string; status: number; latency_ms: number; /** The answer's real size when the sender got only its first 10 MB. */ answer_bytes?: number; /** A synchronous hook call: what its platform makes of the app's answer. */ contract?: ContractNote })
  | (DeliveryFacts & { type: 'delivery.failed'; target: string; /** 502 unreachable, 503 cut off by a stop, 504 timed out. */ status: 502 | 503 | 504; error: string; latency_ms: number })
  | (Omit<DeliveryFacts, 'id'> & { type: 'delivery.rejected'; id: string | null; /** 404: a session that forwards only by route had none for it. */ status: 401 | 404 | 413; reason: string; message: string; hints: Hint[]; /** The secret it was checked with, masked; null when none was. */ secret: string | null })
  | HandshakeEvent
  | { type: 'store.damaged'; file: string; /** Where the damaged file went. */ moved_to: string; reason: string; /** The command that brings back what can be read. */ salvage: string }
  | { type: 'store.failed'; failure: EnvironmentFailure; file: string; message: string; hint: string | null }
  | { type: 'store.recovered'; failure: EnvironmentFailure; file: string; /** Deliveries refused with 503 meanwhile. */ refused: number; down_ms: number }
  | { type: 'listen.warning'; message: string }
  | { type: 'listen.stopping'; in_flight: number }
  | { type: 'listen.stopped'; subscription: 'deleted' | 'restored' | 'kept' | 'none' };
