import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { bytesInUse, latestSeq, storeUsage } from './queries.js';
import type { Retention } from './types.js';

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
  /** JSON array; null when the body fits (or no schema is known). */
  notes: string | null;
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
 * (one unit, so a delivery is never stored without its forwards), or
 * one more attempt (a replay). Plain values only: it may cross to the write
 * thread.
 */
export type StoreWrite =
  | { kind: 'delivery'; row: DeliveryParams; attempts: AttemptParams[] }
  | { kind: 'attempt'; row: AttemptParams; /** What it makes of its delivery (`last_outcome`). */ outcome: 'forwarded' | 'failed' };

/** What a batch did: each write's error (null when it committed), and how many old deliveries made room for it. */
export interface BatchResult {
  errors: Array<string | null>;
  removed: number;
}

/**
 * The full-text index of bodies (trigram: any substring of three characters
 * or more). It is filled lazily, when someone searches, so receiving a
 * delivery never pays for it; rows are keyed by `seq`.
 */
const SEARCH_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS deliveries_text USING fts5(body, tokenize='trigram', content='', contentless_delete=1);
CREATE TRIGGER IF NOT EXISTS deliveries_text_delete AFTER DELETE ON deliveries BEGIN DELETE FROM deliveries_text WHERE rowid = old.seq; END;`;

/** What a row costs beyond its body (columns, index entries), for the room a batch needs. */
const ROW_OVERHEAD_BYTES = 1024;
/** Free space worth a VACUUM after prune, delete or start-up retention (with more than half the file free). */
const RECLAIM_SLACK_BYTES = 4 * 1024 * 1024;

/**
 * Every write of the event store, over the one connection that writes: the
 * same statements whether they run on the main thread (short commands) or on
 * the write thread (a listen session). No other connection writes.
 */
export function storeWriter(db: Database.Database) {
  const insert = db.prepare(`INSERT INTO deliveries (id, received_at, method, path, headers, body, body_size, body_sha256, body_truncated, provider, event_id, event_type, verdict, reason, hints, targets, session, subscription_id, last_status, last_outcome, notes)
    VALUES (@id, @received_at, @method, @path, @headers, @body, @body_size, @body_sha256, @body_truncated, @provider, @event_id, @event_type, @verdict, @reason, @hints, @targets, @session, @subscription_id, @last_status, @last_outcome, @notes)`);
  const attempt = db.prepare(`INSERT INTO attempts (delivery_id, kind, target, started_at, status, duration_ms, error, response_excerpt, resigned, response_headers, sent_body)
    VALUES (@delivery_id, @kind, @target, @started_at, @status, @duration_ms, @error, @response_excerpt, @resigned, @response_headers, @sent_body)`);
  const outcome = db.prepare('UPDATE deliveries SET last_status = @status, last_outcome = @outcome WHERE id = @delivery_id');
  const pruneOlder = db.prepare('DELETE FROM deliveries WHERE received_at < ?');
  const oldest = db.prepare('DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries ORDER BY received_at, seq LIMIT ?)');
  const removeOne = db.prepare('DELETE FROM deliveries WHERE id = ?');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  /** The index's statements, made with its tables at the first search. */
  let search: ReturnType<typeof searchStatements> | null = null;
  /** The cap the last `enforce` was given: each batch makes room under it before it is inserted. */
  let retention: Retention | null = null;

  const write = (w: StoreWrite): void => {
    if (w.kind === 'delivery') {
      insert.run(w.row);
      for (const a of w.attempts) attempt.run(a);
    } else {
      attempt.run(w.row);
      outcome.run({ delivery_id: w.row.delivery_id, status: w.row.status, outcome: w.outcome });
    }
  };
  /** One write on its own, after a batch failed: when it fails, it alone is undone. */
  const alone = db.transaction(write);

  /** Removes the oldest deliveries until the pages in use are at most `target` bytes; returns how many. */
  const shrinkTo = (target: number): number => {
    // The counters first: a batch under the cap (nearly all of them) costs three pragmas, not a count of every row.
    if (bytesInUse(db) <= target) return 0;
    let removed = 0;
    for (let usage = storeUsage(db); usage.bytes > target && usage.deliveries > 0; usage = storeUsage(db)) {
      // As many of the oldest as the excess holds at the average size, so a step never overshoots by much.
      const n = Math.min(1000, Math.max(1, Math.ceil((usage.bytes - target) / (usage.bytes / usage.deliveries))));
      const deleted = oldest.run(n).changes;
      if (deleted === 0) break;
      removed += deleted;
    }
    return removed;
  };

  /**
   * What the pages in use were when last read, plus what was written since:
   * an estimate from above, so SQLite's counters are read only when a batch
   * may not fit. Under load, most batches cost no pragma at all.
   */
  let inUseAtMost = Infinity;
  /** Bytes written since the WAL was last measured: it is measured again once this passes an eighth of its limit. */
  let walGrowth = Infinity;

  /** Room under the cap for the batch in the database, and for its copy in the WAL until the next checkpoint. */
  const makeRoom = (writes: StoreWrite[]): number => {
    if (!retention) return 0;
    const incoming = writes.reduce((n, w) => n + (w.kind === 'delivery' ? w.row.body.length + ROW_OVERHEAD_BYTES : ROW_OVERHEAD_BYTES), 0);
    walGrowth += incoming;
    const target = Math.max(0, retention.maxBytes - 2 * incoming);
    if (inUseAtMost <= target) {
      inUseAtMost += incoming;
      return 0;
    }
    const removed = shrinkTo(target);
    inUseAtMost = bytesInUse(db) + incoming;
    return removed;
  };

  const batch = db.transaction((writes: StoreWrite[]): number => {
    const removed = makeRoom(writes);
    for (const w of writes) write(w);
    return removed;
  });

  /**
   * The batch in one transaction: the commits, not the rows, are what costs.
   * Should a row fail, the batch is undone and each write is tried alone, so
   * one bad row fails only its own delivery. IMMEDIATE: the write lock is
   * taken before the first read, so the room made is measured on what will
   * be written over.
   */
  const apply = (writes: StoreWrite[]): BatchResult => {
    try {
      return { errors: writes.map(() => null), removed: batch.immediate(writes) };
    } catch {
      const removed = db.transaction(makeRoom).immediate(writes);
      const errors = writes.map((w) => {
        try {
          alone.immediate(w);
          return null;
        } catch (err) {
          return (err as Error).message;
        }
      });
      return { errors, removed };
    }
  };

  const onDisk = (): number => sizeOf(db.name) + sizeOf(`${db.name}-wal`);
  /** A checkpoint that empties the WAL, tried again while the checkpointer thread holds its lock. */
  const truncateWal = (): void => {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const [state] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        if (!state?.busy) return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      }
      Atomics.wait(pause, 0, 0, 2);
    }
  };

  /**
   * Keeps the files on disk under the cap. Pages freed by removals are reused
   * by the next writes (room is made before each batch, so the database file
   * never grows past the cap), and the WAL is emptied once it passes a
   * quarter of the cap. Removals outside a batch (start-up retention, prune,
   * delete) that free more than half the file give it back at once with a
   * VACUUM. Never the failure of a write that committed.
   */
  const reclaim = (removed: number, mayVacuum: boolean): void => {
    const measureWal = retention !== null && walGrowth >= walLimit(retention) / 8;
    if (removed === 0 && !measureWal) return;
    if (measureWal) walGrowth = 0;
    if (mayVacuum) {
      const free = (db.pragma('freelist_count', { simple: true }) as number) * pageSize;
      if (free > RECLAIM_SLACK_BYTES && free > sizeOf(db.name) / 2) {
        db.exec('VACUUM');
        truncateWal();
        return;
      }
    }
    if (retention === null) return;
    const wal = sizeOf(`${db.name}-wal`);
    if (wal > walLimit(retention) || sizeOf(db.name) + wal > retention.maxBytes) truncateWal();
  };

  return {
    apply(writes: StoreWrite[]): BatchResult {
      const result = apply(writes);
      reclaim(result.removed, false);
      return result;
    },

    remove(ids: string[]): number {
      const removed = db.transaction(() => ids.reduce((n, id) => n + removeOne.run(id).changes, 0)).immediate();
      reclaim(removed, true);
      return removed;
    },

    prune(before: number): number {
      const removed = pruneOlder.run(before).changes;
      reclaim(removed, true);
      return removed;
    },

    /**
     * Removes what is older than `maxAgeMs`, then the oldest deliveries until
     * the store is under `maxBytes`, gives the space back, and keeps the cap
     * for the batches to come. Returns how many were removed.
     */
    enforce(given: Retention, now: number): number {
      retention = given;
      // A WAL emptied by a checkpoint is also cut back on disk, to this size.
      db.pragma(`journal_size_limit = ${walLimit(given)}`);
      const removed = db.transaction(() => pruneOlder.run(now - given.maxAgeMs).changes + shrinkTo(given.maxBytes)).immediate();
      reclaim(removed, true);
      // A store left larger than the cap (the cap was lowered) gives the space back now, once.
      if (onDisk() > given.maxBytes) {
        db.exec('VACUUM');
        truncateWal();
      }
      inUseAtMost = bytesInUse(db);
      return removed;
    },

    /**
     * Indexes for search what was stored since the index was last brought up
     * to date, and stops once `budgetMs` is spent; says whether more may be
     * left. The mark is read and moved in the transaction that inserts, so two
     * connections never index the same rows. A body that is not UTF-8 text is
     * not indexed; any other error is an error.
     */
    indexText(budgetMs = Infinity): boolean {
      const until = performance.now() + budgetMs;
      search ??= searchStatements(db);
      const { chunk, marked, insertText, mark } = search;
      const slice = db.transaction((): 'done' | 'more' => {
        // SQLite reuses the top seq once the newest rows are deleted: what is above the newest row is not indexed.
        const after = Math.min((marked.get() as { value: number } | undefined)?.value ?? 0, latestSeq(db));
        const rows: Array<{ seq: number; body: Buffer }> = [];
        let bytes = 0;
        // Read whole before writing: the connection cannot write while a statement iterates.
        for (const row of chunk.iterate(after) as IterableIterator<{ seq: number; body: Buffer }>) {
          rows.push(row);
          bytes += row.body.length;
          if (bytes > 8 * 1024 * 1024) break;
        }
        if (rows.length === 0) return 'done';
        let last = after;
        for (const row of rows) {
          let text: string | null = null;
          try {
            text = decoder.decode(row.body);
          } catch {
            // Not UTF-8 text: nothing to search in.
          }
          if (text !== null) insertText.run(row.seq, text);
          last = row.seq;
          if (performance.now() > until) break;
        }
        mark.run(last);
        return 'more';
      });
      for (;;) {
        // IMMEDIATE: the write lock is taken before the mark is read.
        if (slice.immediate() === 'done') return false;
        if (performance.now() > until) return true;
      }
    },

    /** The whole index in slices of about `sliceMs`, with a turn of the event loop between them, so the thread's other writes go on. */
    async indexInSlices(sliceMs: number): Promise<void> {
      while (this.indexText(sliceMs)) await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

export type StoreStatements = ReturnType<typeof storeWriter>;

const pause = new Int32Array(new SharedArrayBuffer(4));

/** The most WAL a capped store keeps between batches: a quarter of the cap, at most 64 MB. */
const walLimit = (r: Retention) => Math.min(64 * 1024 * 1024, Math.floor(r.maxBytes / 4));

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function searchStatements(db: Database.Database) {
  db.exec(SEARCH_SCHEMA);
  return {
    marked: db.prepare("SELECT value FROM store_meta WHERE key = 'text_indexed_seq'"),
    chunk: db.prepare('SELECT seq, body FROM deliveries WHERE seq > ? ORDER BY seq LIMIT 1000'),
    insertText: db.prepare('INSERT INTO deliveries_text (rowid, body) VALUES (?, ?)'),
    mark: db.prepare("INSERT INTO store_meta (key, value) VALUES ('text_indexed_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
  };
}
