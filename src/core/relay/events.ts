import type { Hint } from '../signing/diagnosis.js';
import type { Verdict } from '../store/event-store.js';

interface DeliveryFacts {
  id: string;
  provider: string | null;
  event_type: string | null;
  event_id: string | null;
  verdict: Verdict;
}

/** What a listen session reports; the CLI renders each as a line, or as one JSON object a line. */
export type RelayEvent =
  | { type: 'tunnel.url'; url: string; restarted: boolean }
  | { type: 'tunnel.restarting'; attempt: number; delay_ms: number; reason: string }
  | { type: 'ready'; public_url: string; local_url: string; subscription_id: string | null; provider: string; secret: string | null; targets: string[]; restore_url: string | null }
  | { type: 'subscription.updated'; subscription_id: string; url: string }
  | (Omit<DeliveryFacts, 'verdict'> & { type: 'delivery.received'; method: string; path: string; bytes: number })
  | { type: 'delivery.verified'; id: string; provider: string | null; verdict: Verdict; reason: string | null; message: string | null; hints: Hint[] }
  | (DeliveryFacts & { type: 'delivery.forwarded'; target: string; status: number; latency_ms: number })
  | (DeliveryFacts & { type: 'delivery.failed'; target: string; status: 502 | 504; error: string; latency_ms: number })
  | (Omit<DeliveryFacts, 'id'> & { type: 'delivery.rejected'; id: string | null; status: 401 | 413; reason: string; message: string; hints: Hint[] })
  | { type: 'websub.challenge'; mode: string; topic: string | null; lease_seconds: string | null }
  | { type: 'websub.denied'; topic: string | null; reason: string | null }
  | { type: 'warning'; message: string }
  | { type: 'session.stopping'; in_flight: number }
  | { type: 'session.closed'; subscription: 'deleted' | 'restored' | 'kept' | 'none' };
