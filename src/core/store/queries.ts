import type Database from 'better-sqlite3';
import type { DeliverySummary, ListFilter, ReceivedDelivery, RelayAttempt } from './types.js';

type Row = Omit<ReceivedDelivery, 'headers' | 'hints' | 'targets' | 'body_size' | 'body_truncated' | 'notes'> & {
  notes: string | null;
  headers: string;
  hints: string;
  targets: string;
  body_size: number | null;
  body_truncated: number;
};

type AttemptRow = Omit<RelayAttempt, 'resigned' | 'response_headers'> & { resigned: number; response_headers: string | null };

/** Bytes in use: pages holding data, from SQLite's own counters (no scan). */
export function bytesInUse(db: Database.Database): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * pageSize;
}

/** Bytes in use and deliveries stored (the count reads the table: not for every batch). */
export function storeUsage(db: Database.Database): { bytes: number; deliveries: number } {
  return { bytes: bytesInUse(db), deliveries: (db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n };
}

/** The newest `seq` stored, 0 when empty. */
export function latestSeq(db: Database.Database): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM deliveries').get() as { seq: number }).seq;
}

/**
 * Every read of the event store, on a connection that never writes (in a
 * listen session it is opened read-only): with WAL it sees each committed
 * write and never waits for the writer.
 */
export class StoreReader {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      get: db.prepare('SELECT * FROM deliveries WHERE id = ?'),
      attempts: db.prepare('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY id'),
      lastFor: db.prepare('SELECT max(received_at) AS at FROM deliveries WHERE subscription_id = ?'),
    };
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
    const { where, params } = conditions(filter);
    const sql = `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, seq DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as Row[]).map(fromRow);
  }

  /**
   * A page of summaries (no bodies), newest stored first, and the cursor of
   * the next page: keyset paging on `seq`, so page 1,000 costs what page 1
   * does. With `after`, the deliveries stored since that `seq` (the live list).
   */
  page(filter: ListFilter & { after?: number }): { rows: DeliverySummary[]; next: number | null } {
    const { where, params } = conditions(filter);
    if (filter.after !== undefined) {
      where.push('seq > @after');
      params.after = filter.after;
    }
    const columns = `seq, id, received_at, method, path, body_size, body_sha256, body_truncated, provider, event_id, event_type, verdict, reason, hints, targets, session, last_status, last_outcome, notes,
      (SELECT a.duration_ms FROM attempts a WHERE a.delivery_id = deliveries.id ORDER BY a.id DESC LIMIT 1) AS last_latency_ms`;
    const sql = `SELECT ${columns} FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
    const rows = (this.db.prepare(sql).all({ ...params, limit: filter.limit + 1 }) as Array<Omit<Row, 'body' | 'headers'> & { seq: number; last_latency_ms: number | null }>).map((r) => ({
      ...r,
      hints: JSON.parse(r.hints),
      targets: JSON.parse(r.targets),
      notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
      body_size: r.body_size ?? 0,
      body_truncated: r.body_truncated === 1,
    }));
    const more = rows.length > filter.limit;
    const page = rows.slice(0, filter.limit);
    return { rows: page, next: more ? page.at(-1)!.seq : null };
  }

  /** When the newest delivery that came through this subscription was received: where catch-up starts. */
  lastReceivedFor(subscriptionId: string): number | null {
    return (this.stmt.lastFor.get(subscriptionId) as { at: number | null }).at;
  }

  latestSeq(): number {
    return latestSeq(this.db);
  }

  usage(): { bytes: number; deliveries: number } {
    return storeUsage(this.db);
  }
}

/**
 * The WHERE of a list. A search of three characters or more uses the
 * full-text index, which the writer keeps up to date (callers await
 * `EventStore.prepareSearch()` first); shorter ones scan the bodies.
 */
function conditions(filter: ListFilter): { where: string[]; params: Record<string, unknown> } {
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
  if (filter.verdict) {
    where.push('verdict = @verdict');
    params.verdict = filter.verdict;
  }
  if (filter.outcome) {
    where.push('last_outcome = @outcome');
    params.outcome = filter.outcome;
  }
  return { where, params };
}

function fromRow(r: Row): ReceivedDelivery {
  return {
    ...r,
    headers: JSON.parse(r.headers),
    hints: JSON.parse(r.hints),
    targets: JSON.parse(r.targets),
    notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
    body_size: r.body_size ?? r.body.length,
    body_truncated: r.body_truncated === 1,
  };
}
