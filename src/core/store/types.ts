import type { Hint } from '../signing/hint.js';

export { OUTCOMES, VERDICTS, type Outcome, type Verdict } from './verdicts.js';
import type { AttemptKind, Outcome, Verdict } from './verdicts.js';

/** One delivery as `hooks listen` received it: the exact bytes and headers. */
export interface ReceivedDelivery {
  /** Insertion order: what pages and the live stream move along. Absent before the delivery is stored. */
  seq?: number;
  id: string;
  received_at: number;
  method: string;
  path: string;
  /** Raw header pairs in arrival order and case. */
  headers: Array<[string, string]>;
  /** The bytes as received; for a rejected delivery over 64 KB, only the first 64 KB (`body_truncated`). */
  body: Buffer;
  /** The size of the body as received. */
  body_size: number;
  /** SHA-256 (hex) of the whole body as received, kept for rejected deliveries. */
  body_sha256: string | null;
  body_truncated: boolean;
  provider: string | null;
  event_id: string | null;
  event_type: string | null;
  verdict: Verdict;
  reason: string | null;
  /** The check's own words for the verdict (it may quote what the sender sent); absent in stores written before it was kept. */
  reason_message?: string | null;
  /** The secret it was checked with, masked (`ith_whsec_c8bc…`); null when none was. */
  checked_with?: string | null;
  hints: Hint[];
  /** Where the session forwarded it, the default target of a replay. */
  targets: string[];
  session: string | null;
  /** The subscription a verified delivery came through, as its headers or body name it, or the session's (see Relay): where catch-up starts. */
  subscription_id?: string | null;
  last_status: number | null;
  last_outcome: Outcome | 'rejected' | null;
  /** What the body lacks or adds against its platform's schema for its type (`lacks data.banned`); read back as [] when none. */
  notes?: string[];
}

export interface RelayAttempt {
  id?: number;
  delivery_id: string;
  /** `refusal`: listen's own answer to the sender (a 401 for an invalid signature), nothing forwarded. */
  kind: AttemptKind;
  target: string;
  started_at: number;
  status: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: Buffer | null;
  /** How long the answer's body was when the sender was passed only its first 10 MB; null when it got all of it. */
  response_bytes?: number | null;
  /** The answer's headers, as undici gave them. */
  response_headers?: Record<string, string | string[]> | null;
  resigned: boolean;
  /** The body sent when it was not the stored one (an edited replay); null otherwise. */
  sent_body?: Buffer | null;
}


export interface ListFilter {
  typePattern?: string;
  verdict?: Verdict;
  outcome?: Outcome;
  since?: number;
  /** Only this provider's deliveries. */
  provider?: string;
  /** Text anywhere in the body (at least three characters; see EventStore.search). */
  search?: string;
  /** Keyset paging: only deliveries stored before this `seq`. */
  before?: number;
  limit: number;
}

/** A delivery without its body, for lists: what a row of the inspector shows. */
export type DeliverySummary = Omit<ReceivedDelivery, 'body' | 'headers'> & { seq: number; last_latency_ms: number | null };

export interface StoreUsage {
  file: string;
  bytes: number;
  deliveries: number;
}

export interface Retention {
  /** The store's size on disk at most (database and WAL), in bytes; the oldest deliveries go first. */
  maxBytes: number;
  /** Deliveries older than this are removed. */
  maxAgeMs: number;
}
