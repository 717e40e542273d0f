import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite.js';
import { newId } from '../ids.js';
import type { Hint } from '../signing/diagnosis.js';
import { BatchWriter } from './batch-writer.js';
import { latestSeq, storeUsage, storeWriter, type AttemptParams, type DeliveryParams, type Retention, type StoreWrite } from './writes.js';
import { WriteThread } from './write-thread.js';

export type { Retention } from './writes.js';

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

/** How long the full-text index is built at a time before the event loop gets a turn. */
const INDEX_SLICE_MS = 10;

export const DEFAULT_RETENTION: Retention = { maxBytes: 1024 ** 3, maxAgeMs: 30 * 86_400_000 };

export interface StoreUsage {
  file: string;
  bytes: number;
  deliveries: number;
}

/**
 * The deliveries `hooks listen` received and what became of them, in
 * `events.db` beside the server's database. Writes are batched per event-loop
 * turn; a promise resolves only once its write is committed. A listen
 * session moves the writes to a thread of their own (`startWriteThread`);
 * reads stay on this connection and see every committed write.
 */
export class EventStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly writer: ReturnType<typeof storeWriter>;
  private readonly inline: BatchWriter<StoreWrite>;
  private thread: WriteThread | null = null;
  private indexing: Promise<void> | null = null;

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
      get: db.prepare('SELECT * FROM deliveries WHERE id = ?'),
      attempts: db.prepare('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY id'),
      remove: db.prepare('DELETE FROM deliveries WHERE id = ?'),
    };
    this.writer = storeWriter(db);
    this.inline = new BatchWriter((writes) => this.writer.apply(writes));
  }

  /**
   * From now on, writes are committed on a worker thread with its own
   * connection: SQLite's CPU and its WAL checkpoints leave the thread that
   * answers senders. A write still resolves only once it is committed.
   */
  async startWriteThread(): Promise<void> {
    this.inline.flush();
    this.thread ??= await WriteThread.start(this.file);
  }

  /** Commits what the thread holds and stops it; writes go back to this thread. */
  async stopWriteThread(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    await thread?.close();
  }

  static newId(): string {
    return newId('rcv');
  }

  /** The delivery with the attempts already made, in one write: committed before the sender is answered. */
  saveDelivery(row: ReceivedDelivery, attempts: RelayAttempt[] = []): Promise<void> {
    const last = attempts.at(-1);
    return this.write({ kind: 'delivery', row: deliveryParams(row, last), attempts: attempts.map(attemptParams) });
  }

  saveAttempt(row: RelayAttempt): Promise<void> {
    return this.write({ kind: 'attempt', row: attemptParams(row), outcome: outcomeOf(row) });
  }

  private write(w: StoreWrite): Promise<void> {
    return this.thread ? this.thread.write(w) : this.inline.write(w);
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
    return latestSeq(this.db);
  }

  /**
   * Brings the full-text index up to date without holding up this thread. In
   * a listen session the inspector shares the thread that answers senders,
   * and indexing 100,000 bodies in one go stopped deliveries for seconds. With
   * a write thread the index is built there, in slices that let its other
   * writes through; without one, here, in slices of about INDEX_SLICE_MS with
   * a turn of the event loop between them. Callers that serve requests await
   * it before a search; the search itself indexes only what arrived since.
   */
  prepareSearch(): Promise<void> {
    this.indexing ??= (async () => {
      try {
        if (this.thread) return await this.thread.index(INDEX_SLICE_MS);
        await this.writer.indexInSlices(INDEX_SLICE_MS);
      } finally {
        this.indexing = null;
      }
    })();
    return this.indexing;
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
        this.writer.indexText();
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
    return this.writer.prune(before);
  }

  /** Bytes in use: pages holding data, read from SQLite's own counters (no scan). */
  usage(): StoreUsage {
    return { file: this.file, ...storeUsage(this.db) };
  }

  /**
   * Removes what is older than `maxAgeMs`, then the oldest deliveries until
   * the store is under `maxBytes`, on the write thread when there is one.
   * Resolves to how many were removed.
   */
  async enforce(retention: Retention, now = Date.now()): Promise<number> {
    if (this.thread) return this.thread.enforce(retention, now);
    this.inline.flush();
    return this.writer.enforce(retention, now);
  }

  /** Closes the connection; a session stops its write thread first (`stopWriteThread`). */
  close(): void {
    if (this.thread) throw new Error('EventStore.close() while the write thread runs: await stopWriteThread() first');
    this.inline.flush();
    this.db.close();
  }
}

/** A target that answered below 500 took the delivery; no answer or a 5xx is a failure. */
function outcomeOf(a: RelayAttempt): 'forwarded' | 'failed' {
  return a.status !== null && a.status < 500 ? 'forwarded' : 'failed';
}

function attemptParams(a: RelayAttempt): AttemptParams {
  return {
    delivery_id: a.delivery_id,
    kind: a.kind,
    target: a.target,
    started_at: a.started_at,
    status: a.status,
    duration_ms: a.duration_ms,
    error: a.error,
    response_excerpt: a.response_excerpt,
    resigned: a.resigned ? 1 : 0,
    response_headers: a.response_headers ? JSON.stringify(a.response_headers) : null,
    sent_body: a.sent_body ?? null,
  };
}

/** The row to insert; with the last attempt already made, its outcome is the delivery's. */
function deliveryParams(d: ReceivedDelivery, last: RelayAttempt | undefined): DeliveryParams {
  return {
    id: d.id,
    received_at: d.received_at,
    method: d.method,
    path: d.path,
    headers: JSON.stringify(d.headers),
    body: d.body,
    body_size: d.body_size,
    body_sha256: d.body_sha256,
    body_truncated: d.body_truncated ? 1 : 0,
    provider: d.provider,
    event_id: d.event_id,
    event_type: d.event_type,
    verdict: d.verdict,
    reason: d.reason,
    hints: JSON.stringify(d.hints),
    targets: JSON.stringify(d.targets),
    session: d.session,
    subscription_id: d.subscription_id ?? null,
    last_status: last ? last.status : d.last_status,
    last_outcome: last ? outcomeOf(last) : d.last_outcome,
  };
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
