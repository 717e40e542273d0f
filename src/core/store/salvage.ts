import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { UsageError } from '../errors.js';
import { storageFailure } from '../storage-failure.js';
import { openEventStore } from './event-store.js';
import { openReadOnly } from './read-only.js';
import type { ReceivedDelivery, RelayAttempt } from './types.js';

export interface SalvageResult {
  from: string;
  into: string;
  /** Deliveries read from the damaged file and written into the store. */
  deliveries: number;
  /** Their attempts written with them. */
  attempts: number;
  /** Deliveries the store had already (a salvage run twice). */
  already: number;
  /** Deliveries whose row was found but could not be read. */
  unreadable: number;
}

/**
 * Brings what can still be read of a damaged store (`hooks listen` moved it
 * aside as `events.db.damaged-…`) into the store of `dir`. A damaged page
 * stops a scan of its table where it sits, so rows are found by every way
 * there is to them (each table read from both ends, each index read from
 * both ends), then read one at a time: a row on a damaged page, or whose
 * body runs through one, is counted as unreadable and skipped. Rows the
 * store already has (by id) are left as they are.
 */
export async function salvageStore(damaged: string, dir: string): Promise<SalvageResult> {
  if (!existsSync(damaged)) throw new UsageError(`no file ${damaged}`, 'pass the damaged store listen moved aside (its line names it: events.db.damaged-…)');
  let source: Database.Database;
  try {
    source = openReadOnly(damaged);
  } catch (err) {
    throw storageFailure(err, damaged) ?? err;
  }
  const store = await openEventStore(dir);
  const result: SalvageResult = { from: damaged, into: store.file, deliveries: 0, attempts: 0, already: 0, unreadable: 0 };
  try {
    const seqs = rowids(source, 'deliveries', 'seq', ['deliveries_by_time', 'deliveries_by_type']);
    const attemptIds = rowids(source, 'attempts', 'id', ['attempts_by_delivery']);
    const attemptsOf = new Map<string, RelayAttempt[]>();
    const oneAttempt = source.prepare('SELECT * FROM attempts WHERE id = ?');
    for (const id of attemptIds) {
      const row = readRow(() => oneAttempt.get(id) as (Omit<RelayAttempt, 'resigned' | 'response_headers'> & { resigned: number; response_headers: string | null }) | undefined);
      if (!row) continue;
      const attempt: RelayAttempt = { ...row, resigned: Boolean(row.resigned), response_headers: parse(row.response_headers, null) };
      const list = attemptsOf.get(attempt.delivery_id) ?? [];
      list.push(attempt);
      attemptsOf.set(attempt.delivery_id, list);
    }
    const oneDelivery = source.prepare('SELECT * FROM deliveries WHERE seq = ?');
    const pending: Array<Promise<void>> = [];
    for (const seq of seqs) {
      const row = readRow(() => oneDelivery.get(seq) as Record<string, unknown> | undefined);
      if (row === undefined) continue;
      if (row === null) {
        result.unreadable++;
        continue;
      }
      const delivery = fromRow(row);
      if (store.get(delivery.id)) {
        result.already++;
        continue;
      }
      const attempts = (attemptsOf.get(delivery.id) ?? []).sort((a, b) => (a.id ?? 0) - (b.id ?? 0)).map(({ id: _id, ...a }) => a);
      // One write, as listen makes it: the last outcome is the last attempt's, as it was.
      pending.push(
        store.saveDelivery(delivery, attempts).then(() => {
          result.deliveries++;
          result.attempts += attempts.length;
        }),
      );
      // A few hundred at a time: each turn's writes commit together.
      if (pending.length >= 200) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  } finally {
    source.close();
    await store.close();
  }
  return result;
}

/**
 * Every rowid of `table` that can be reached: the table read from its first
 * row on and from its last row back, and each of its indexes (which hold the
 * rowid) the same way, each until it meets damage.
 */
function rowids(db: Database.Database, table: string, key: string, indexes: string[]): number[] {
  const found = new Set<number>();
  const scans = [
    `SELECT ${key} AS k FROM ${table} ORDER BY ${key}`,
    `SELECT ${key} AS k FROM ${table} ORDER BY ${key} DESC`,
    ...indexes.flatMap((index) => {
      const column = index === 'deliveries_by_type' ? 'event_type' : index === 'attempts_by_delivery' ? 'delivery_id' : 'received_at';
      return [`SELECT ${key} AS k FROM ${table} INDEXED BY ${index} ORDER BY ${column}`, `SELECT ${key} AS k FROM ${table} INDEXED BY ${index} ORDER BY ${column} DESC`];
    }),
  ];
  for (const sql of scans) {
    try {
      for (const row of db.prepare(sql).iterate() as IterableIterator<{ k: number }>) found.add(row.k);
    } catch {
      // Damage met: what came before it is kept, the other scans reach what lies beyond.
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** A row, undefined when there is none, null when it is there and cannot be read. */
function readRow<T>(read: () => T | undefined): T | undefined | null {
  try {
    return read();
  } catch {
    return null;
  }
}

function parse<T>(text: unknown, fallback: T): T {
  try {
    return typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
}

function fromRow(r: Record<string, unknown>): ReceivedDelivery {
  const body = Buffer.isBuffer(r.body) ? r.body : Buffer.alloc(0);
  return {
    id: String(r.id),
    received_at: Number(r.received_at),
    method: String(r.method),
    path: String(r.path),
    headers: parse(r.headers, []),
    body,
    body_size: typeof r.body_size === 'number' ? r.body_size : body.length,
    body_sha256: typeof r.body_sha256 === 'string' ? r.body_sha256 : null,
    body_truncated: r.body_truncated === 1,
    provider: (r.provider as string | null) ?? null,
    event_id: (r.event_id as string | null) ?? null,
    event_type: (r.event_type as string | null) ?? null,
    verdict: r.verdict as ReceivedDelivery['verdict'],
    reason: (r.reason as string | null) ?? null,
    reason_message: (r.reason_message as string | null) ?? null,
    checked_with: (r.checked_with as string | null) ?? null,
    hints: parse(r.hints, []),
    targets: parse(r.targets, []),
    session: (r.session as string | null) ?? null,
    subscription_id: (r.subscription_id as string | null) ?? null,
    last_status: (r.last_status as number | null) ?? null,
    last_outcome: (r.last_outcome as ReceivedDelivery['last_outcome']) ?? null,
    notes: parse(r.notes, []),
  };
}
