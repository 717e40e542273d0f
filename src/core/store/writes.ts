import type Database from 'better-sqlite3';

/** A delivery's columns as SQLite takes them: JSON as text, booleans as 0/1. */
export interface DeliveryParams {
  id: string;
  received_at: number;
  method: string;
  path: string;
  headers: string;
  body: Uint8Array;
  body_size: number;
  body_sha256: string | null;
  body_truncated: 0 | 1;
  provider: string | null;
  event_id: string | null;
  event_type: string | null;
  verdict: string;
  reason: string | null;
  hints: string;
  targets: string;
  session: string | null;
  subscription_id: string | null;
  last_status: number | null;
  last_outcome: string | null;
}

export interface AttemptParams {
  delivery_id: string;
  kind: string;
  target: string;
  started_at: number;
  status: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: Uint8Array | null;
  resigned: 0 | 1;
  response_headers: string | null;
  sent_body: Uint8Array | null;
}

/**
 * One write of the event store: a delivery with the attempts already made
 * (one transaction, so a delivery is never stored without its forwards), or
 * one more attempt (a replay). Plain values only: it may cross to the write
 * thread.
 */
export type StoreWrite =
  | { kind: 'delivery'; row: DeliveryParams; attempts: AttemptParams[] }
  | { kind: 'attempt'; row: AttemptParams; /** What it makes of its delivery (`last_outcome`). */ outcome: 'forwarded' | 'failed' };

export interface Retention {
  /** The store's size at most, in bytes; the oldest deliveries go first. */
  maxBytes: number;
  /** Deliveries older than this are removed. */
  maxAgeMs: number;
}

/** Bytes in use (pages holding data, from SQLite's own counters) and deliveries stored. */
export function storeUsage(db: Database.Database): { bytes: number; deliveries: number } {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
  return { bytes: pages * pageSize, deliveries: (db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n };
}

/**
 * What writes the event store, over one connection: the same statements
 * whether they run on the main thread or on the write thread.
 */
export function storeWriter(db: Database.Database) {
  const insert = db.prepare(`INSERT INTO deliveries (id, received_at, method, path, headers, body, body_size, body_sha256, body_truncated, provider, event_id, event_type, verdict, reason, hints, targets, session, subscription_id, last_status, last_outcome)
    VALUES (@id, @received_at, @method, @path, @headers, @body, @body_size, @body_sha256, @body_truncated, @provider, @event_id, @event_type, @verdict, @reason, @hints, @targets, @session, @subscription_id, @last_status, @last_outcome)`);
  const attempt = db.prepare(`INSERT INTO attempts (delivery_id, kind, target, started_at, status, duration_ms, error, response_excerpt, resigned, response_headers, sent_body)
    VALUES (@delivery_id, @kind, @target, @started_at, @status, @duration_ms, @error, @response_excerpt, @resigned, @response_headers, @sent_body)`);
  const outcome = db.prepare('UPDATE deliveries SET last_status = @status, last_outcome = @outcome WHERE id = @delivery_id');
  const prune = db.prepare('DELETE FROM deliveries WHERE received_at < ?');
  const oldest = db.prepare('DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries ORDER BY received_at, seq LIMIT ?)');

  return {
    /** All of them in one transaction: the commits, not the rows, are what costs. */
    apply: db.transaction((writes: StoreWrite[]) => {
      for (const w of writes) {
        if (w.kind === 'delivery') {
          insert.run(w.row);
          for (const a of w.attempts) attempt.run(a);
        } else {
          attempt.run(w.row);
          outcome.run({ delivery_id: w.row.delivery_id, status: w.row.status, outcome: w.outcome });
        }
      }
    }),

    prune: (before: number): number => prune.run(before).changes,

    /**
     * Removes what is older than `maxAgeMs`, then the oldest deliveries until
     * the store is under `maxBytes`. Freed pages are reused by new writes, so
     * the file stops growing without a VACUUM. Returns how many were removed.
     */
    enforce(retention: Retention, now: number): number {
      let removed = prune.run(now - retention.maxAgeMs).changes;
      for (let usage = storeUsage(db); usage.bytes > retention.maxBytes && usage.deliveries > 0; usage = storeUsage(db)) {
        // As many of the oldest as the excess holds at the average size, so a batch never overshoots by much.
        const average = usage.bytes / usage.deliveries;
        const n = Math.min(1000, Math.ceil((usage.bytes - retention.maxBytes) / average));
        const deleted = oldest.run(n).changes;
        if (deleted === 0) break;
        removed += deleted;
      }
      return removed;
    },
  };
}
