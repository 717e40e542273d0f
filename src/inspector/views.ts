import type { Hint } from '../core/signing/hint.js';
import type { Outcome, Verdict } from '../core/store/verdicts.js';

// What the inspector's JSON API answers: the routes build these and the page
// reads them (`import type`, so nothing of this file reaches the browser).

/** A row of the list: a delivery without its body. */
export interface RowView {
  seq: number;
  id: string;
  received_at: number;
  method: string;
  path: string;
  provider: string | null;
  event_type: string | null;
  event_id: string | null;
  verdict: Verdict;
  last_status: number | null;
  last_outcome: Outcome | 'rejected' | null;
  last_latency_ms: number | null;
  body_size: number;
  /** What the body lacks or adds against its platform's schema (`lacks data.banned`); [] when it fits. */
  notes: string[];
}

export interface AttemptView {
  id?: number;
  kind: 'forward' | 'replay' | 'refusal';
  target: string;
  started_at: string;
  status: number | null;
  duration_ms: number;
  error: string | null;
  resigned: boolean;
  edited: boolean;
  response_headers: Record<string, string | string[]> | null;
  response_excerpt_text: string | null;
  response_excerpt_base64: string | null;
}

export interface DetailView {
  delivery: Omit<RowView, 'seq' | 'last_latency_ms'> & {
    seq?: number;
    headers: Array<[string, string]>;
    /** The first PREVIEW_BYTES of the body (all of it when smaller). */
    body_base64: string;
    /** The body as text, cut at the same size; null when it is not UTF-8. */
    body_text: string | null;
    /** Indented when the whole body is JSON, cut at the same size. */
    body_pretty: string | null;
    /** How many bytes of body_size the preview holds. */
    body_shown: number;
    body_truncated: boolean;
    body_sha256: string | null;
    reason: string | null;
    hints: Hint[];
    targets: string[];
  };
  attempts: AttemptView[];
  can_sign: boolean;
}
