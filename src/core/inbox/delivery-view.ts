import { redactHeaders } from '../providers/secret-headers.js';
import type { DeliverySummary, ReceivedDelivery, RelayAttempt } from '../store/types.js';
import { utf8OrNull } from '../utf8.js';
import { UNTRUSTED_NOTE, type AttemptView, type BodyBound, type DeliveryView, type RowView } from './views.js';

// The views of views.ts, built from the store's rows: decoding, bounds and the redaction of secret headers, once.

const iso = (ms: number) => new Date(ms).toISOString();

export function rowView(d: DeliverySummary | ReceivedDelivery): RowView {
  return {
    seq: d.seq ?? null,
    id: d.id,
    received_at: iso(d.received_at),
    provider: d.provider,
    verdict: d.verdict,
    reason: d.reason,
    last_outcome: d.last_outcome,
    last_status: d.last_status,
    last_latency_ms: 'last_latency_ms' in d ? d.last_latency_ms : null,
    body_size: d.body_size,
    untrusted: { event_type: d.event_type, event_id: d.event_id, method: d.method, path: d.path, notes: d.notes ?? [] },
  };
}

export function attemptView(a: RelayAttempt): AttemptView {
  const text = utf8OrNull(a.response_excerpt);
  return {
    kind: a.kind,
    target: a.target,
    started_at: iso(a.started_at),
    status: a.status,
    duration_ms: a.duration_ms,
    resigned: a.resigned,
    edited: Boolean(a.sent_body),
    response_bytes: a.response_bytes ?? null,
    untrusted: { error: a.error, response_headers: a.response_headers ?? null, response_text: text, response_base64: text === null ? (a.response_excerpt?.toString('base64') ?? null) : null },
  };
}

export function deliveryView(d: ReceivedDelivery, attempts: RelayAttempt[], bound: BodyBound, canSign: boolean): DeliveryView {
  const row = rowView(d);
  const { headers, withheld } = redactHeaders(d.headers);
  const whole = utf8OrNull(d.body);
  const shown = cutAtCharacter(d.body, bound.bytes ?? d.body.length, whole !== null);
  const cut = shown.length < d.body_size;
  return {
    ...row,
    subscription_id: d.subscription_id ?? null,
    targets: d.targets,
    body_sha256: d.body_sha256,
    body_truncated: d.body_truncated,
    hint_codes: d.hints.map((h) => h.code),
    withheld_headers: withheld,
    full_body: cut && !d.body_truncated ? `hooks events show ${d.id} --raw (${d.body_size} bytes)` : null,
    can_sign: canSign,
    checked_with: d.checked_with ?? null,
    attempts: attempts.map(attemptView),
    untrusted: {
      ...row.untrusted,
      note: UNTRUSTED_NOTE,
      headers,
      reason_message: d.reason_message ?? null,
      hints: d.hints,
      body_text: whole === null ? null : shown.toString('utf8'),
      body_base64: whole === null || bound.alwaysBase64 ? shown.toString('base64') : null,
      body_pretty: bound.pretty && whole !== null ? pretty(whole, bound.bytes ?? Infinity) : null,
      body_shown: shown.length,
      body_cut: cut,
    },
  };
}

/** The first `max` bytes, backed off to a character boundary when the bytes are text. */
function cutAtCharacter(body: Buffer, max: number, text: boolean): Buffer {
  if (body.length <= max) return body;
  let end = max;
  // A UTF-8 continuation byte (10xxxxxx) is never where a character starts.
  while (text && end > 0 && (body[end]! & 0xc0) === 0x80) end--;
  return body.subarray(0, end);
}

/** The whole body as indented JSON, cut at the bound (in characters); null when it is not JSON. */
function pretty(whole: string, max: number): string | null {
  try {
    return JSON.stringify(JSON.parse(whole), null, 2).slice(0, max);
  } catch {
    return null;
  }
}
