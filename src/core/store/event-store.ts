import Database from 'better-sqlite3';
import { newId } from '../ids.js';
import { StoreReader } from './queries.js';
import { openStoreDatabase, storeFile } from './schema.js';
import { createStoreWriter, type StoreWriter, type WriterMode } from './store-writer.js';
import type { ReceivedDelivery, RelayAttempt, Retention, StoreUsage } from './types.js';
import type { AttemptParams, DeliveryParams } from './writes.js';

export type { DeliverySummary, ListFilter, Outcome, ReceivedDelivery, RelayAttempt, Retention, StoreUsage, Verdict } from './types.js';
export { OUTCOMES, VERDICTS } from './types.js';

/** How long the full-text index is built at a time before the writer's other work gets a turn. */
const INDEX_SLICE_MS = 10;

export const DEFAULT_RETENTION: Retention = { maxBytes: 1024 ** 3, maxAgeMs: 30 * 86_400_000 };

/** The stores this process has open, by file: one EventStore each, shared by whoever opens it. */
const opened = new Map<string, { store: Promise<EventStore>; refs: number }>();

/**
 * The one way to open the event store of `dir` (`events.db`). A process holds
 * one EventStore per file and hands it to whatever needs it (the listen
 * session, its inspector, replay); opening it again gives the same one, and
 * it closes when the last holder closes it. The writer is chosen by the
 * first to open it: `threaded` for a listen session, `inline` for a command
 * that reads, writes a little and exits.
 */
export async function openEventStore(dir: string, opts: { writer?: WriterMode } = {}): Promise<EventStore> {
  const mode = opts.writer ?? 'inline';
  const held = opened.get(storeFile(dir));
  if (held) {
    held.refs++;
    const store = await held.store;
    if (store.writerMode !== mode && mode === 'threaded') throw new Error(`the event store ${store.file} is open with an inline writer in this process; a listen session opens it first`);
    return store;
  }
  // The schema and migrations, on a connection of the opener's; it reads (and, inline, writes) from then on.
  const { db, file } = openStoreDatabase(dir);
  const store = (async () => {
    // A threaded store reads on a read-only connection: no write can take a path other than the writer.
    const reads = mode === 'threaded' ? (db.close(), readOnly(file)) : db;
    let store: EventStore | null = null;
    const writer = await createStoreWriter(mode, db, file, (n) => store?.removedOld(n));
    store = new EventStore(file, reads, writer);
    return store;
  })();
  opened.set(file, { store, refs: 1 });
  try {
    return await store;
  } catch (err) {
    opened.delete(file);
    throw err;
  }
}

function readOnly(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * The deliveries `hooks listen` received and what became of them. Reads run
 * on this thread's connection and see every committed write; every write
 * goes through the one writer (see store-writer.ts) and resolves only once
 * it is committed.
 */
export class EventStore {
  private readonly reader: StoreReader;
  private indexing: Promise<void> | null = null;
  private readonly removedListeners = new Set<(n: number) => void>();

  constructor(
    readonly file: string,
    private readonly db: Database.Database,
    private readonly writer: StoreWriter,
  ) {
    this.reader = new StoreReader(db);
  }

  get writerMode(): WriterMode {
    return this.writer.mode;
  }

  static newId(): string {
    return newId('rcv');
  }

  /** The delivery with the attempts already made, in one write: committed before the sender is answered. */
  saveDelivery(row: ReceivedDelivery, attempts: RelayAttempt[] = []): Promise<void> {
    const last = attempts.at(-1);
    return this.writer.write({ kind: 'delivery', row: deliveryParams(row, last), attempts: attempts.map(attemptParams) });
  }

  saveAttempt(row: RelayAttempt): Promise<void> {
    return this.writer.write({ kind: 'attempt', row: attemptParams(row), outcome: outcomeOf(row) });
  }

  remove(ids: string[]): Promise<number> {
    return this.writer.remove(ids);
  }

  prune(before: number): Promise<number> {
    return this.writer.prune(before);
  }

  /**
   * Removes what is older than `maxAgeMs`, then the oldest deliveries until
   * the store is under `maxBytes`; from then on every batch makes room under
   * the cap before it is written. Resolves to how many were removed.
   */
  enforce(retention: Retention, now = Date.now()): Promise<number> {
    return this.writer.enforce(retention, now);
  }

  /** Called with how many of the oldest deliveries a batch removed to stay under the size cap. */
  onRemoved(listener: (n: number) => void): () => void {
    this.removedListeners.add(listener);
    return () => this.removedListeners.delete(listener);
  }

  /** @internal the writer's report */
  removedOld(n: number): void {
    for (const listener of this.removedListeners) listener(n);
  }

  get(id: string): ReceivedDelivery | null {
    return this.reader.get(id);
  }

  attempts(id: string): RelayAttempt[] {
    return this.reader.attempts(id);
  }

  list(filter: Parameters<StoreReader['list']>[0]): ReceivedDelivery[] {
    return this.reader.list(filter);
  }

  page(filter: Parameters<StoreReader['page']>[0]): ReturnType<StoreReader['page']> {
    return this.reader.page(filter);
  }

  lastReceivedFor(subscriptionId: string): number | null {
    return this.reader.lastReceivedFor(subscriptionId);
  }

  /** The newest `seq` stored, 0 when empty: where a live list starts. */
  latestSeq(): number {
    return this.reader.latestSeq();
  }

  /** Bytes in use (pages holding data, from SQLite's own counters) and deliveries stored. */
  usage(): StoreUsage {
    return { file: this.file, ...this.reader.usage() };
  }

  /**
   * Brings the full-text index up to date, by the writer and in slices that
   * let its other writes through (on the write thread in a listen session):
   * a first search over 100,000 bodies never holds up the senders. Awaited
   * before a search; concurrent callers share one run.
   */
  prepareSearch(): Promise<void> {
    this.indexing ??= this.writer.index(INDEX_SLICE_MS).finally(() => {
      this.indexing = null;
    });
    return this.indexing;
  }

  /** Lets go of this holder's share; the last one commits what is queued and closes the writer and the connection. */
  async close(): Promise<void> {
    const held = opened.get(this.file);
    if (held && --held.refs > 0) return;
    opened.delete(this.file);
    await this.writer.close();
    this.db.close();
  }
}

/** A target that answered below 500 took the delivery; no answer or a 5xx is a failure. */
/** A 2xx is the app's acknowledgement; any other answer, or none, is a delivery the platform would send again. */
function outcomeOf(a: RelayAttempt): 'forwarded' | 'failed' {
  return a.status !== null && a.status >= 200 && a.status < 300 ? 'forwarded' : 'failed';
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

/** The row to insert; with the last forward already made, its outcome is the delivery's (a refusal keeps `rejected`). */
function deliveryParams(d: ReceivedDelivery, newest: RelayAttempt | undefined): DeliveryParams {
  const last = newest?.kind === 'refusal' ? undefined : newest;
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
