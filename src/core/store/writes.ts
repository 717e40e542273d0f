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
 * The full-text index of bodies (trigram: any substring of three characters
 * or more). It is filled lazily, when someone searches, so receiving a
 * delivery never pays for it; rows are keyed by `seq`.
 */
const SEARCH_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS deliveries_text USING fts5(body, tokenize='trigram', content='', contentless_delete=1);
CREATE TRIGGER IF NOT EXISTS deliveries_text_delete AFTER DELETE ON deliveries BEGIN DELETE FROM deliveries_text WHERE rowid = old.seq; END;`;

/** The newest `seq` stored, 0 when empty. */
export function latestSeq(db: Database.Database): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM deliveries').get() as { seq: number }).seq;
}

function searchStatements(db: Database.Database) {
  db.exec(SEARCH_SCHEMA);
  return {
    marked: db.prepare("SELECT value FROM store_meta WHERE key = 'text_indexed_seq'"),
    chunk: db.prepare('SELECT seq, body FROM deliveries WHERE seq > ? ORDER BY seq LIMIT 1000'),
    insert: db.prepare('INSERT INTO deliveries_text (rowid, body) VALUES (?, ?)'),
    mark: db.prepare("INSERT INTO store_meta (key, value) VALUES ('text_indexed_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
  };
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

  const decoder = new TextDecoder('utf-8', { fatal: true });
  /** The index's statements, made with its tables at the first search. */
  let search: ReturnType<typeof searchStatements> | null = null;

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
     * Indexes for search what was stored since the index was last brought up
     * to date, and stops once `budgetMs` is spent; says whether more may be
     * left. Bodies that are not UTF-8 text are not indexed.
     */
    indexText(budgetMs = Infinity): boolean {
      const until = performance.now() + budgetMs;
      search ??= searchStatements(db);
      const { chunk, insert, mark } = search;
      const marked = (search.marked.get() as { value: number } | undefined)?.value ?? 0;
      // SQLite reuses the top seq once the newest rows are deleted: what is above the newest row is not indexed.
      let after = Math.min(marked, latestSeq(db));
      /** Up to 1,000 rows or 8 MB of bodies, read whole: the connection cannot write while a statement iterates. */
      const nextChunk = (): Array<{ seq: number; body: Buffer }> => {
        const rows: Array<{ seq: number; body: Buffer }> = [];
        let bytes = 0;
        for (const row of chunk.iterate(after) as IterableIterator<{ seq: number; body: Buffer }>) {
          rows.push(row);
          bytes += row.body.length;
          if (bytes > 8 * 1024 * 1024) break;
        }
        return rows;
      };
      const index = db.transaction((rows: Array<{ seq: number; body: Buffer }>): number => {
        let last = after;
        for (const row of rows) {
          try {
            insert.run(row.seq, decoder.decode(row.body));
          } catch {
            // Not text: nothing to search in.
          }
          last = row.seq;
          if (performance.now() > until) break;
        }
        mark.run(last);
        return last;
      });
      for (;;) {
        const rows = nextChunk();
        if (rows.length === 0) return false;
        // IMMEDIATE: the write lock is taken (or waited for) before anything is read, so another connection's commit in between cannot void the transaction.
        after = index.immediate(rows);
        if (performance.now() > until) return true;
      }
    },

    /** The whole index in slices of about `sliceMs`, with a turn of the event loop between them, so the thread's other work goes on. */
    async indexInSlices(sliceMs: number): Promise<void> {
      while (this.indexText(sliceMs)) await new Promise((resolve) => setImmediate(resolve));
    },

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
