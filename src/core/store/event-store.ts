import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { EnvironmentError } from '../errors.js';
import { newId } from '../ids.js';
import { isDamaged, storageFailure, type FailureHints } from '../storage-failure.js';
import { wholeBodyLimit } from './cap.js';
import { checkStore, moveAside } from './integrity.js';
import { StoreReader } from './queries.js';
import { openReadOnly } from './read-only.js';
import { openStoreDatabase, storeFile } from './schema.js';
import { createStoreWriter, type StoreWriter, type WriterMode } from './store-writer.js';
import type { ReceivedDelivery, RelayAttempt, Retention, StoreUsage } from './types.js';
import type { AttemptParams, DeliveryParams } from './writes.js';

export type { DeliverySummary, ListFilter, Outcome, ReceivedDelivery, RelayAttempt, Retention, StoreUsage, Verdict } from './types.js';
export { OUTCOMES, VERDICTS } from './types.js';

/** How long the full-text index is built at a time before the writer's other work gets a turn. */
const INDEX_SLICE_MS = 10;

export const DEFAULT_RETENTION: Retention = { maxBytes: 1024 ** 3, maxAgeMs: 30 * 86_400_000 };

export interface OpenOptions {
  /** `threaded` for a listen session, `inline` for a command that reads, writes a little and exits. */
  writer?: WriterMode;
  /** `read`: a reader that needs no write to open the store and never creates one (hooks events list, show). */
  access?: 'read' | 'write';
  /**
   * A listen session's choice: the store is checked at start, and a damaged
   * one (found then, or by any read or write later) is moved aside and a
   * fresh one opened in its place, said through `onDamaged`. Without it a
   * damaged store is an EnvironmentError with the way out.
   */
  recover?: boolean;
}

/** A damaged store that was moved aside: where it went, why, and how to bring back what can be read. */
export interface DamageReport {
  file: string;
  moved_to: string;
  reason: string;
  salvage: string;
}

/** The stores this process has open, by file: one EventStore each, shared by whoever opens it. */
const opened = new Map<string, { store: Promise<EventStore>; refs: number }>();

/**
 * The one way to open the event store of `dir` (`events.db`). A process holds
 * one EventStore per file and hands it to whatever needs it (the listen
 * session, its inspector, replay); opening it again gives the same one, and
 * it closes when the last holder closes it. How it opens is chosen by the
 * first to open it. Every failure of the machine (full disk, read-only file
 * system, damaged or vanished file) is an EnvironmentError naming the file
 * and the fix.
 */
export async function openEventStore(dir: string, opts: OpenOptions = {}): Promise<EventStore> {
  const mode = opts.writer ?? 'inline';
  const file = storeFile(dir);
  const held = opened.get(file);
  if (held) {
    held.refs++;
    const store = await held.store;
    if (store.writerMode !== mode && mode === 'threaded') throw new Error(`the event store ${store.file} is open with an inline writer in this process; a listen session opens it first`);
    return store;
  }
  const store = (async () => {
    let damagedAtOpen: DamageReport | null = null;
    let backend: Backend;
    try {
      backend = await openBackend(dir, file, mode, opts);
    } catch (err) {
      const failure = typed(err, file);
      if (!opts.recover || !isDamaged(failure)) throw failure;
      damagedAtOpen = report(file, moveAside(file), failure);
      backend = await openBackend(dir, file, mode, { ...opts, recover: false }).catch((e) => Promise.reject(typed(e, file)));
    }
    const store: EventStore = new EventStore(dir, file, backend, mode, opts, damagedAtOpen);
    backend.removed.to = (n) => store.removedOld(n);
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

/** What reads and what writes one store file; replaced whole when a damaged file is moved aside. */
interface Backend {
  db: Database.Database;
  reader: StoreReader;
  writer: StoreWriter;
  /** Where the writer reports how many old deliveries a batch removed: the store that holds this backend. */
  removed: { to?: (n: number) => void };
}

async function openBackend(dir: string, file: string, mode: WriterMode, opts: OpenOptions): Promise<Backend> {
  if (opts.access === 'read') {
    const db = openReadOnly(file);
    return { db, reader: new StoreReader(db), writer: readOnlyWriter(file), removed: {} };
  }
  // The schema and migrations, on a connection of the opener's; it reads (and, inline, writes) from then on.
  const { db } = openStoreDatabase(dir);
  try {
    if (opts.recover) checkStore(db, file);
  } catch (err) {
    db.close();
    throw err;
  }
  // A threaded store reads on a read-only connection: no write can take a path other than the writer.
  const reads = mode === 'threaded' ? (db.close(), readOnlyConnection(file)) : db;
  const removed: Backend['removed'] = {};
  const writer = await createStoreWriter(mode, db, file, (n) => removed.to?.(n));
  return { db: reads, reader: new StoreReader(reads), writer, removed };
}

function readOnlyConnection(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A store opened for reading is never written: a write here is a bug, said as one. */
function readOnlyWriter(file: string): StoreWriter {
  const refuse = () => Promise.reject(new Error(`the event store ${file} was opened for reading only`));
  return { mode: 'inline', write: refuse, remove: refuse, prune: refuse, enforce: refuse, index: refuse, close: async () => undefined };
}

/** The fix for a damaged event store: listen moves it aside itself, and salvage brings back what can be read. */
const hintsFor = (file: string): FailureHints => ({
  damaged: `move it aside (mv ${file} ${file}.damaged; hooks listen does this itself) and bring back what can be read: hooks events salvage ${file}.damaged`,
});

function typed(err: unknown, file: string): unknown {
  return storageFailure(err, file, hintsFor(file)) ?? err;
}

function report(file: string, movedTo: string, failure: EnvironmentError): DamageReport {
  return { file, moved_to: movedTo, reason: failure.detail, salvage: `hooks events salvage ${movedTo}` };
}

/**
 * The deliveries `hooks listen` received and what became of them. Reads run
 * on this thread's connection and see every committed write; every write
 * goes through the one writer (see store-writer.ts) and resolves only once
 * it is committed. A failure of the machine comes out as an EnvironmentError;
 * with `recover`, a damaged file is moved aside and the store goes on in a
 * fresh one (the write that found the damage is written there).
 */
export class EventStore {
  private indexing: Promise<void> | null = null;
  private readonly removedListeners = new Set<(n: number) => void>();
  private readonly damagedListeners = new Set<(r: DamageReport) => void>();
  /** A damaged file being moved aside and a fresh one opened: writes wait for it. */
  private replacing: Promise<void> | null = null;
  /** The replacement failed (the disk is full, say): the next write tries again. */
  private stale = false;
  private retention: Retention | null = null;

  constructor(
    private readonly dir: string,
    readonly file: string,
    private backend: Backend,
    readonly writerMode: WriterMode,
    private readonly opts: OpenOptions,
    /** The store was damaged when it opened, and was moved aside for a fresh one. */
    readonly damagedAtOpen: DamageReport | null,
  ) {}

  static newId(): string {
    return newId('rcv');
  }

  /** The largest body stored whole under the cap in force (bodies over it are kept in part); Infinity without a cap. */
  get wholeBodyLimit(): number {
    return this.retention ? wholeBodyLimit(this.retention.maxBytes) : Infinity;
  }

  /** The delivery with the attempts already made, in one write: committed before the sender is answered. */
  saveDelivery(row: ReceivedDelivery, attempts: RelayAttempt[] = []): Promise<void> {
    const last = attempts.at(-1);
    const write = { kind: 'delivery' as const, row: deliveryParams(row, last), attempts: attempts.map(attemptParams) };
    return this.writing((w) => w.write(write));
  }

  saveAttempt(row: RelayAttempt): Promise<void> {
    const write = { kind: 'attempt' as const, row: attemptParams(row), outcome: outcomeOf(row) };
    return this.writing((w) => w.write(write));
  }

  remove(ids: string[]): Promise<number> {
    return this.writing((w) => w.remove(ids));
  }

  prune(before: number): Promise<number> {
    return this.writing((w) => w.prune(before));
  }

  /**
   * Removes what is older than `maxAgeMs`, then the oldest deliveries until
   * the store fits under `maxBytes`; from then on every write makes room under
   * the cap before it is committed. Resolves to how many were removed.
   */
  enforce(retention: Retention, now = Date.now()): Promise<number> {
    this.retention = retention;
    return this.writing((w) => w.enforce(retention, now));
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

  /** Called when a damaged file found while running was moved aside and a fresh store took its place (with `recover`). */
  onDamaged(listener: (r: DamageReport) => void): () => void {
    this.damagedListeners.add(listener);
    return () => this.damagedListeners.delete(listener);
  }

  get(id: string): ReceivedDelivery | null {
    return this.reading((r) => r.get(id));
  }

  attempts(id: string): RelayAttempt[] {
    return this.reading((r) => r.attempts(id));
  }

  list(filter: Parameters<StoreReader['list']>[0]): ReceivedDelivery[] {
    return this.reading((r) => r.list(filter));
  }

  page(filter: Parameters<StoreReader['page']>[0]): ReturnType<StoreReader['page']> {
    return this.reading((r) => r.page(filter));
  }

  lastReceivedFor(subscriptionId: string): number | null {
    return this.reading((r) => r.lastReceivedFor(subscriptionId));
  }

  /** The newest `seq` stored, 0 when empty: where a live list starts. */
  latestSeq(): number {
    return this.reading((r) => r.latestSeq());
  }

  /** Bytes in use (pages holding data, from SQLite's own counters) and deliveries stored. */
  usage(): StoreUsage {
    return { file: this.file, ...this.reading((r) => r.usage()) };
  }

  /**
   * Brings the full-text index up to date, by the writer and in slices that
   * let its other writes through (on the write thread in a listen session):
   * a first search over 100,000 bodies never holds up the senders. Awaited
   * before a search; concurrent callers share one run.
   */
  prepareSearch(): Promise<void> {
    this.indexing ??= this.writing((w) => w.index(INDEX_SLICE_MS)).finally(() => {
      this.indexing = null;
    });
    return this.indexing;
  }

  /** Lets go of this holder's share; the last one commits what is queued and closes the writer and the connection. */
  async close(): Promise<void> {
    const held = opened.get(this.file);
    if (held && --held.refs > 0) return;
    opened.delete(this.file);
    await this.replacing?.catch(() => undefined);
    await this.backend.writer.close();
    this.backend.db.close();
  }

  /** A read on this thread's connection; SQLite's errors come out typed, and damage found here moves the file aside (with `recover`). */
  private reading<T>(read: (r: StoreReader) => T): T {
    try {
      return read(this.backend.reader);
    } catch (err) {
      const failure = typed(err, this.file);
      if (this.opts.recover && isDamaged(failure)) void this.replace(this.backend, failure).catch(() => undefined);
      throw failure;
    }
  }

  /**
   * A write through the writer, typed when it fails. With `recover`, a write
   * that finds the file damaged waits for it to be moved aside and a fresh
   * store opened, and is written there: a damaged store never turns into a
   * stream of failed deliveries.
   */
  private async writing<T>(op: (w: StoreWriter) => Promise<T>): Promise<T> {
    if (this.replacing) await this.replacing.catch(() => undefined);
    // The last replacement failed (a full disk, say): try again before writing into a closed writer.
    if (this.stale) await this.replace(this.backend, null);
    const backend = this.backend;
    try {
      return await op(backend.writer);
    } catch (err) {
      const failure = typed(err, this.file);
      if (!this.opts.recover || !isDamaged(failure)) throw failure;
      await this.replace(backend, failure);
      return op(this.backend.writer).catch((e) => Promise.reject(typed(e, this.file)));
    }
  }

  /**
   * Moves the damaged file aside and opens a fresh store in its place, once
   * however many reads and writes found the damage (`cause`); with `cause`
   * null, opens the fresh store a failed replacement could not.
   */
  private replace(from: Backend, cause: EnvironmentError | null): Promise<void> {
    if (this.replacing) return this.replacing;
    if (this.backend !== from) return Promise.resolve();
    this.replacing = (async () => {
      await from.writer.close().catch(() => undefined);
      const movedTo = cause && existsSync(this.file) ? moveAside(this.file) : null;
      let fresh: Backend;
      try {
        fresh = await openBackend(this.dir, this.file, this.writerMode, { ...this.opts, recover: false });
        fresh.removed.to = (n) => this.removedOld(n);
        if (this.retention) await fresh.writer.enforce(this.retention, Date.now());
      } catch (err) {
        this.stale = true;
        throw typed(err, this.file);
      }
      this.backend = fresh;
      this.stale = false;
      try {
        from.db.close();
      } catch {
        // A connection to a damaged file may not close cleanly: it is let go either way.
      }
      if (movedTo && cause) for (const listener of this.damagedListeners) listener(report(this.file, movedTo, cause));
    })().finally(() => {
      this.replacing = null;
    });
    return this.replacing;
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
    response_bytes: a.response_bytes ?? null,
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
    notes: d.notes && d.notes.length > 0 ? JSON.stringify(d.notes) : null,
    reason_message: d.reason_message ?? null,
    checked_with: d.checked_with ?? null,
  };
}
