import type { AttemptParams, DeliveryParams, StoreWrite } from './writes.js';

/**
 * A turn's writes as they cross to the write thread: the columns in a fixed
 * order in one flat array, and every byte column (bodies, excerpts) copied
 * into one buffer that is transferred, not cloned. Cloning the writes as
 * objects cost the relay's main thread about 5 µs a delivery under load
 * (property names serialized again for every row, an ArrayBuffer allocated
 * for each body on both sides); this costs about 1.
 */
export interface PackedWrites {
  values: unknown[];
  bytes: ArrayBuffer;
}

type Columns<T> = ReadonlyArray<keyof T>;

/** The column list of a row type; a column missing from it is a compile error, never a value silently dropped. */
const columnsOf =
  <T>() =>
  <const A extends Columns<T>>(list: [Exclude<keyof T, A[number]>] extends [never] ? A : { missing: Exclude<keyof T, A[number]> }): A =>
    list as A;

const DELIVERY = columnsOf<DeliveryParams>()(['id', 'received_at', 'method', 'path', 'headers', 'body', 'body_size', 'body_sha256', 'body_truncated', 'provider', 'event_id', 'event_type', 'verdict', 'reason', 'hints', 'targets', 'session', 'subscription_id', 'last_status', 'last_outcome', 'notes', 'reason_message', 'checked_with']);
const ATTEMPT = columnsOf<AttemptParams>()(['delivery_id', 'kind', 'target', 'started_at', 'status', 'duration_ms', 'error', 'response_excerpt', 'response_bytes', 'resigned', 'response_headers', 'sent_body']);
/** Written as their length (-1 for null) among the values, their bytes in the buffer. */
const BYTE_COLUMNS = new Set<string>(['body', 'response_excerpt', 'sent_body']);

export function packWrites(writes: StoreWrite[]): PackedWrites {
  let size = 0;
  const attemptSize = (a: AttemptParams) => (a.response_excerpt?.length ?? 0) + (a.sent_body?.length ?? 0);
  for (const w of writes) {
    if (w.kind === 'delivery') {
      size += w.row.body.length;
      for (const a of w.attempts) size += attemptSize(a);
    } else size += attemptSize(w.row);
  }
  const bytes = new Uint8Array(size);
  const values: unknown[] = [];
  let at = 0;
  const put = <T>(row: T, columns: Columns<T>) => {
    for (const c of columns) {
      const v = row[c];
      if (!BYTE_COLUMNS.has(c as string)) values.push(v);
      else if (v === null) values.push(-1);
      else {
        const b = v as Uint8Array;
        bytes.set(b, at);
        at += b.length;
        values.push(b.length);
      }
    }
  };
  for (const w of writes) {
    if (w.kind === 'delivery') {
      values.push('delivery', w.attempts.length);
      put(w.row, DELIVERY);
      for (const a of w.attempts) put(a, ATTEMPT);
    } else {
      values.push('attempt', w.outcome);
      put(w.row, ATTEMPT);
    }
  }
  return { values, bytes: bytes.buffer };
}

/** The writes again, their byte columns views into the one buffer. */
export function unpackWrites({ values, bytes }: PackedWrites): StoreWrite[] {
  const writes: StoreWrite[] = [];
  let i = 0;
  let at = 0;
  const take = <T>(columns: Columns<T>): T => {
    const row: Record<string, unknown> = {};
    for (const c of columns) {
      const v = values[i++];
      if (!BYTE_COLUMNS.has(c as string)) row[c as string] = v;
      else if (v === -1) row[c as string] = null;
      else {
        row[c as string] = new Uint8Array(bytes, at, v as number);
        at += v as number;
      }
    }
    return row as T;
  };
  while (i < values.length) {
    const kind = values[i++];
    if (kind === 'delivery') {
      const n = values[i++] as number;
      const row = take(DELIVERY);
      writes.push({ kind: 'delivery', row, attempts: Array.from({ length: n }, () => take(ATTEMPT)) });
    } else {
      const outcome = values[i++] as 'forwarded' | 'failed';
      writes.push({ kind: 'attempt', row: take(ATTEMPT), outcome });
    }
  }
  return writes;
}
