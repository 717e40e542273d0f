import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite.js';
import { newId } from '../ids.js';
import type { Hint } from '../signing/diagnosis.js';
import { BatchWriter } from './batch-writer.js';

export type Verdict = 'verified' | 'invalid' | 'unverified';

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
  hints: Hint[];
  /** Where the session forwarded it, the default target of a replay. */
  targets: string[];
  session: string | null;
  /** The session subscription it came through, when the session had one: where catch-up starts. */
  subscription_id?: string | null;
  last_status: number | null;
  last_outcome: 'forwarded' | 'failed' | 'rejected' | null;
}

export interface RelayAttempt {
  id?: number;
  delivery_id: string;
  kind: 'forward' | 'replay';
  target: string;
  started_at: number;
  status: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: Buffer | null;
  /** The answer's headers, as undici gave them. */
  response_headers?: Record<string, string | string[]> | null;
  resigned: boolean;
  /** The body sent when it was not the stored one (an edited replay); null otherwise. */
  sent_body?: Buffer | null;
}

export interface ListFilter {
  typePattern?: string;
  status?: 'verified' | 'invalid' | 'unverified' | 'forwarded' | 'failed';
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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS deliveries (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  received_at INTEGER NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  headers TEXT NOT NULL,
  body BLOB NOT NULL,
  provider TEXT,
  event_id TEXT,
  event_type TEXT,
  verdict TEXT NOT NULL,
  reason TEXT,
  hints TEXT NOT NULL,
  targets TEXT NOT NULL,
  session TEXT,
  last_status INTEGER,
  last_outcome TEXT,
  body_size INTEGER,
  body_sha256 TEXT,
  body_truncated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS deliveries_by_time ON deliveries(received_at);
CREATE INDEX IF NOT EXISTS deliveries_by_type ON deliveries(event_type, received_at);
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY,
  delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  status INTEGER,
  duration_ms REAL NOT NULL,
  error TEXT,
  response_excerpt BLOB,
  resigned INTEGER NOT NULL DEFAULT 0,
  response_headers TEXT,
  sent_body BLOB
);
CREATE INDEX IF NOT EXISTS attempts_by_delivery ON attempts(delivery_id);
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/**
 * The full-text index of bodies (trigram: any substring of three characters
 * or more). It is filled lazily, when someone searches, so receiving a
 * delivery never pays for it; rows are keyed by `seq`.
 */
const SEARCH_SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS deliveries_text USING fts5(body, tokenize='trigram', content='', contentless_delete=1);
CREATE TRIGGER IF NOT EXISTS deliveries_text_delete AFTER DELETE ON deliveries BEGIN DELETE FROM deliveries_text WHERE rowid = old.seq; END;`;

type Row = Omit<ReceivedDelivery, 'headers' | 'hints' | 'targets' | 'body_size' | 'body_truncated'> & {
  headers: string;
  hints: string;
  targets: string;
  body_size: number | null;
  body_truncated: number;
};

/** Columns added after the first release; a store written before them gets them on open. */
const ADDED_COLUMNS: Array<[table: string, column: string, type: string]> = [
  ['deliveries', 'body_size', 'INTEGER'],
  ['deliveries', 'body_sha256', 'TEXT'],
  ['deliveries', 'body_truncated', 'INTEGER NOT NULL DEFAULT 0'],
  ['attempts', 'response_headers', 'TEXT'],
  ['attempts', 'sent_body', 'BLOB'],
  ['deliveries', 'subscription_id', 'TEXT'],
];

type AttemptRow = Omit<RelayAttempt, 'resigned' | 'response_headers'> & { resigned: number; response_headers: string | null };

export interface Retention {
  /** The store's size at most, in bytes; the oldest deliveries go first. */
  maxBytes: number;
  /** Deliveries older than this are removed. */
  maxAgeMs: number;
}

export const DEFAULT_RETENTION: Retention = { maxBytes: 1024 ** 3, maxAgeMs: 30 * 86_400_000 };

export interface StoreUsage {
  file: string;
  bytes: number;
  deliveries: number;
}

/** A delivery and the attempts made so far, written together; or one more attempt (a replay). */
type Write = { kind: 'delivery'; row: ReceivedDelivery; attempts: RelayAttempt[] } | { kind: 'attempt'; row: RelayAttempt };

/**
 * The deliveries `hooks listen` received and what became of them, in
 * `events.db` beside the server's database. Writes are batched per event-loop
 * turn; a promise resolves only once its write is committed.
 */
export class EventStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly writer: BatchWriter<Write>;

  constructor(dir: string) {
    ({ db: this.db, file: this.file } = openDatabase(dir, 'events.db', SCHEMA));
    const db = this.db;
    for (const [table, name, type] of ADDED_COLUMNS) {
      const present = (db.pragma(`table_info(${table})`) as Array<{ name: string }>).some((c) => c.name === name);
      if (!present) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
    }
    // The column sits after the body, so without an index finding it would read every body's pages.
    db.exec('CREATE INDEX IF NOT EXISTS deliveries_by_subscription ON deliveries(subscription_id, received_at) WHERE subscription_id IS NOT NULL');
    this.stmt = {
      insert: db.prepare(`INSERT INTO deliveries (id, received_at, method, path, headers, body, body_size, body_sha256, body_truncated, provider, event_id, event_type, verdict, reason, hints, targets, session, subscription_id, last_status, last_outcome)
        VALUES (@id, @received_at, @method, @path, @headers, @body, @body_size, @body_sha256, @body_truncated, @provider, @event_id, @event_type, @verdict, @reason, @hints, @targets, @session, @subscription_id, @last_status, @last_outcome)`),
      attempt: db.prepare(`INSERT INTO attempts (delivery_id, kind, target, started_at, status, duration_ms, error, response_excerpt, resigned, response_headers, sent_body)
        VALUES (@delivery_id, @kind, @target, @started_at, @status, @duration_ms, @error, @response_excerpt, @resigned, @response_headers, @sent_body)`),
      outcome: db.prepare('UPDATE deliveries SET last_status = @status, last_outcome = @outcome WHERE id = @id'),
      get: db.prepare('SELECT * FROM deliveries WHERE id = ?'),
      attempts: db.prepare('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY id'),
      remove: db.prepare('DELETE FROM deliveries WHERE id = ?'),
      prune: db.prepare('DELETE FROM deliveries WHERE received_at < ?'),
      oldest: db.prepare('DELETE FROM deliveries WHERE seq IN (SELECT seq FROM deliveries ORDER BY received_at, seq LIMIT ?)'),
      count: db.prepare('SELECT count(*) AS n FROM deliveries'),
    };
    this.writer = new BatchWriter((writes) =>
      this.db.transaction(() => {
        for (const w of writes) {
          if (w.kind === 'delivery') {
            const last = w.attempts.at(-1);
            this.stmt.insert.run(toRow(last ? { ...w.row, last_status: last.status, last_outcome: outcomeOf(last) } : w.row));
            for (const a of w.attempts) this.stmt.attempt.run(attemptRow(a));
          } else {
            this.stmt.attempt.run(attemptRow(w.row));
            this.stmt.outcome.run({ id: w.row.delivery_id, status: w.row.status, outcome: outcomeOf(w.row) });
          }
        }
      })(),
    );
  }

  static newId(): string {
    return newId('rcv');
  }

  /** The delivery with the attempts already made, in one write: committed before the sender is answered. */
  saveDelivery(row: ReceivedDelivery, attempts: RelayAttempt[] = []): Promise<void> {
    return this.writer.write({ kind: 'delivery', row, attempts });
  }

  saveAttempt(row: RelayAttempt): Promise<void> {
    return this.writer.write({ kind: 'attempt', row });
  }

  get(id: string): ReceivedDelivery | null {
    const row = this.stmt.get.get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  attempts(id: string): RelayAttempt[] {
    return (this.stmt.attempts.all(id) as AttemptRow[]).map((a) => ({ ...a, resigned: Boolean(a.resigned), response_headers: a.response_headers ? JSON.parse(a.response_headers) : null }));
  }

  /** Newest first (by time); every filter is served by an index. */
  list(filter: ListFilter): ReceivedDelivery[] {
    const { where, params } = this.conditions(filter);
    const sql = `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, seq DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as Row[]).map(fromRow);
  }

  /**
   * A page of summaries (no bodies), newest stored first, and the cursor of
   * the next page: keyset paging on `seq`, so page 1,000 costs what page 1
   * does. With `after`, the deliveries stored since that `seq` (the live list).
   */
  page(filter: ListFilter & { after?: number }): { rows: DeliverySummary[]; next: number | null } {
    const { where, params } = this.conditions(filter);
    if (filter.after !== undefined) {
      where.push('seq > @after');
      params.after = filter.after;
    }
    const columns = `seq, id, received_at, method, path, body_size, body_sha256, body_truncated, provider, event_id, event_type, verdict, reason, hints, targets, session, last_status, last_outcome,
      (SELECT a.duration_ms FROM attempts a WHERE a.delivery_id = deliveries.id ORDER BY a.id DESC LIMIT 1) AS last_latency_ms`;
    const sql = `SELECT ${columns} FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
    const rows = (this.db.prepare(sql).all({ ...params, limit: filter.limit + 1 }) as Array<Omit<Row, 'body' | 'headers'> & { seq: number; last_latency_ms: number | null }>).map((r) => ({
      ...r,
      hints: JSON.parse(r.hints),
      targets: JSON.parse(r.targets),
      body_size: r.body_size ?? 0,
      body_truncated: r.body_truncated === 1,
    }));
    const more = rows.length > filter.limit;
    const page = rows.slice(0, filter.limit);
    return { rows: page, next: more ? page.at(-1)!.seq : null };
  }

  /** When the newest delivery that came through this subscription was received: where catch-up starts. */
  lastReceivedFor(subscriptionId: string): number | null {
    return (this.db.prepare('SELECT max(received_at) AS at FROM deliveries WHERE subscription_id = ?').get(subscriptionId) as { at: number | null }).at;
  }

  /** The newest `seq` stored, 0 when empty: where a live list starts. */
  latestSeq(): number {
    return (this.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM deliveries').get() as { seq: number }).seq;
  }

  /**
   * Brings the full-text index up to date (only what was stored since the
   * last search is read), so searching stays off the path of every delivery.
   * Bodies that are not UTF-8 text are not indexed.
   */
  private indexForSearch(): void {
    this.db.exec(SEARCH_SCHEMA);
    const marked = (this.db.prepare("SELECT value FROM store_meta WHERE key = 'text_indexed_seq'").get() as { value: number } | undefined)?.value ?? 0;
    // SQLite reuses the top seq once the newest rows are deleted: what is above the newest row is not indexed.
    const done = Math.min(marked, this.latestSeq());
    // In chunks read whole, not an open iterator: the connection cannot write while it iterates.
    const chunk = this.db.prepare('SELECT seq, body FROM deliveries WHERE seq > ? ORDER BY seq LIMIT 1000');
    const insert = this.db.prepare('INSERT INTO deliveries_text (rowid, body) VALUES (?, ?)');
    const mark = this.db.prepare("INSERT INTO store_meta (key, value) VALUES ('text_indexed_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const index = this.db.transaction((rows: Array<{ seq: number; body: Buffer }>) => {
      for (const row of rows) {
        try {
          insert.run(row.seq, decoder.decode(row.body));
        } catch {
          // Not text: nothing to search in.
        }
      }
      mark.run(rows.at(-1)!.seq);
    });
    for (let after = done; ; ) {
      const rows = chunk.all(after) as Array<{ seq: number; body: Buffer }>;
      if (rows.length === 0) break;
      index(rows);
      after = rows.at(-1)!.seq;
    }
  }

  private conditions(filter: ListFilter): { where: string[]; params: Record<string, unknown> } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit };
    if (filter.before !== undefined) {
      where.push('seq < @before');
      params.before = filter.before;
    }
    if (filter.provider) {
      where.push('provider = @provider');
      params.provider = filter.provider;
    }
    if (filter.search) {
      if (filter.search.length >= 3) {
        this.indexForSearch();
        where.push('seq IN (SELECT rowid FROM deliveries_text WHERE deliveries_text MATCH @search)');
        // Quoted as one phrase: the words typed are the text searched for, not query syntax.
        params.search = `"${filter.search.replace(/"/g, '""')}"`;
      } else {
        where.push('instr(CAST(body AS TEXT), @search) > 0');
        params.search = filter.search;
      }
    }
    if (filter.since !== undefined) {
      where.push('received_at >= @since');
      params.since = filter.since;
    }
    if (filter.typePattern && filter.typePattern !== '*') {
      if (filter.typePattern.endsWith('.*')) {
        // A range on the type index cannot give newest-first order, so SQLite would sort every
        // match; "+" keeps it on the time index, which stops at the limit.
        where.push('+event_type >= @lo AND +event_type < @hi');
        params.lo = filter.typePattern.slice(0, -1);
        params.hi = `${filter.typePattern.slice(0, -2)}/`;
      } else {
        where.push('event_type = @type');
        params.type = filter.typePattern;
      }
    }
    // Verdict and outcome filters ride on the time index: they scan newest first and stop at the limit.
    if (filter.status === 'forwarded' || filter.status === 'failed') {
      where.push('last_outcome = @outcome');
      params.outcome = filter.status;
    } else if (filter.status) {
      where.push('verdict = @verdict');
      params.verdict = filter.status;
    }
    return { where, params };
  }

  remove(ids: string[]): number {
    return this.db.transaction(() => ids.reduce((n, id) => n + this.stmt.remove.run(id).changes, 0))();
  }

  prune(before: number): number {
    return this.stmt.prune.run(before).changes;
  }

  /** Bytes in use: pages holding data, read from SQLite's own counters (no scan). */
  usage(): StoreUsage {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pages = (this.db.pragma('page_count', { simple: true }) as number) - (this.db.pragma('freelist_count', { simple: true }) as number);
    return { file: this.file, bytes: pages * pageSize, deliveries: (this.stmt.count.get() as { n: number }).n };
  }

  /**
   * Removes what is older than `maxAgeMs`, then the oldest deliveries until
   * the store is under `maxBytes`. Freed pages are reused by new writes, so
   * the file stops growing without a VACUUM. Returns how many were removed.
   */
  enforce(retention: Retention, now = Date.now()): number {
    this.writer.flush();
    let removed = this.prune(now - retention.maxAgeMs);
    for (let usage = this.usage(); usage.bytes > retention.maxBytes && usage.deliveries > 0; usage = this.usage()) {
      // As many of the oldest as the excess holds at the average size, so a batch never overshoots by much.
      const average = usage.bytes / usage.deliveries;
      const n = Math.min(1000, Math.ceil((usage.bytes - retention.maxBytes) / average));
      const deleted = this.stmt.oldest.run(n).changes;
      if (deleted === 0) break;
      removed += deleted;
    }
    return removed;
  }

  close(): void {
    this.writer.flush();
    this.db.close();
  }
}

/** A target that answered below 500 took the delivery; no answer or a 5xx is a failure. */
function outcomeOf(a: RelayAttempt): 'forwarded' | 'failed' {
  return a.status !== null && a.status < 500 ? 'forwarded' : 'failed';
}

function attemptRow(a: RelayAttempt) {
  return { ...a, resigned: a.resigned ? 1 : 0, response_headers: a.response_headers ? JSON.stringify(a.response_headers) : null, sent_body: a.sent_body ?? null };
}

function toRow(d: ReceivedDelivery) {
  return { ...d, subscription_id: d.subscription_id ?? null, headers: JSON.stringify(d.headers), hints: JSON.stringify(d.hints), targets: JSON.stringify(d.targets), body_truncated: d.body_truncated ? 1 : 0 };
}

function fromRow(r: Row): ReceivedDelivery {
  return {
    ...r,
    headers: JSON.parse(r.headers),
    hints: JSON.parse(r.hints),
    targets: JSON.parse(r.targets),
    body_size: r.body_size ?? r.body.length,
    body_truncated: r.body_truncated === 1,
  };
}
