import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../core/store/sqlite.js';
import type { ClaimRequest, ClaimResult, DeliveryQueue, EventLog, HookStore, PlatformStore, StoreNotice, SubscriptionStore } from './platform-store.js';
import type {
  AttemptOutcome,
  AttemptRow,
  ClaimedDelivery,
  DeliveryRow,
  DeliveryWithAttempts,
  EventRow,
  HookRow,
  NewDelivery,
  NewSubscriptionRow,
  SubscriptionChanges,
  SubscriptionRow,
  StoredHookRun,
  Verification,
} from './rows.js';
import { readHookRun, storeHookRun } from './rows.js';
import { migrateSqlite } from './sqlite-schema.js';
import { StorageError, StorageGuard } from './storage-error.js';

const LAST_DELIVERY = `(SELECT json_object('status', d.status, 'status_code', d.last_status_code, 'at', d.updated_at)
  FROM deliveries d WHERE d.subscription_id = s.id ORDER BY d.id DESC LIMIT 1) AS last_delivery`;
const DELIVERY = `d.id, d.event_id, coalesce(d.message_id, d.event_id) AS message_id, e.type AS event_type, d.subscription_id, s.provider, d.status, d.attempt_count,
  d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.updated_at FROM deliveries d JOIN events e ON e.id = d.event_id JOIN subscriptions s ON s.id = d.subscription_id`;
const DUE = `d.status IN ('pending', 'retrying') AND s.active = 1 AND d.subscription_id NOT IN (SELECT value FROM json_each(@capped))`;

type RawSubscription = Omit<SubscriptionRow, 'events' | 'active' | 'verification' | 'last_delivery'> & { events: string; active: number; verification: string | null; last_delivery: string | null };
type RawAttempt = Omit<AttemptRow, 'success'> & { success: number };
type RawHook = Omit<HookRow, 'fail_open'> & { fail_open: number };
const hookRow = (raw: RawHook): HookRow => ({ ...raw, fail_open: raw.fail_open === 1 });

/** How often the file is checked for having been removed or replaced under the running server. */
const VANISH_CHECK_MS = 1000;

/**
 * The emulator's state in one SQLite file (WAL), for one process: the data
 * dir's lock keeps any other out. So the deliveries table is the queue and
 * a lease is this process's own note of what is in flight: it lasts until
 * the attempt is recorded, and no later than the process (the next start
 * finds every owed delivery due). Commits are durable against a crash of the
 * process (`kill -9`) before any answer is sent.
 */
export class SqlitePlatformStore implements PlatformStore {
  readonly kind = 'sqlite';
  readonly shared = false;
  readonly subscriptions: SubscriptionStore;
  readonly events: EventLog;
  readonly queue: DeliveryQueue;
  readonly hooks: HookStore;
  private readonly listeners = new Set<(n: StoreNotice) => void>();
  /** Deliveries claimed and not yet completed. */
  private readonly leased = new Set<string>();
  private readonly inode: number;
  private readonly watch: NodeJS.Timeout;

  private constructor(
    private readonly db: Database.Database,
    readonly location: string,
    private readonly guard: StorageGuard,
  ) {
    this.inode = statSync(location).ino;
    const stmt = prepare(db);
    const read = <T>(fn: () => T) => guard.run(false, fn);
    const write = <T>(fn: () => T) => guard.run(true, fn);
    const notify = (n: StoreNotice) => this.listeners.forEach((l) => l(n));
    const withAttempts = (rows: DeliveryRow[]): DeliveryWithAttempts[] => rows.map((d) => ({ delivery: d, attempts: (stmt.attemptsFor.all(d.id) as RawAttempt[]).map(attempt) }));

    this.subscriptions = {
      insert: (s: NewSubscriptionRow) => write(() => void stmt.insertSub.run({ ...s, events: JSON.stringify(s.events), active: s.active ? 1 : 0, updated_at: s.created_at })),
      get: (id) => read(() => parseSubscription(stmt.getSub.get(id) as RawSubscription | undefined)),
      list: (limit, cursor) => read(() => (stmt.listSubs.all({ limit, cursor }) as RawSubscription[]).map((r) => parseSubscription(r)!)),
      active: () => read(() => (stmt.activeSubs.all() as RawSubscription[]).map((r) => parseSubscription(r)!)),
      update: (id: string, changes: SubscriptionChanges, now: number) =>
        write(() => {
          const columns: Record<string, unknown> = { ...changes, updated_at: now };
          if (changes.events) columns.events = JSON.stringify(changes.events);
          if (changes.active !== undefined) columns.active = changes.active ? 1 : 0;
          if (changes.verification !== undefined) columns.verification = changes.verification ? JSON.stringify(changes.verification) : null;
          const names = Object.keys(columns);
          // Column names come from the typed field list, never from a request.
          db.prepare(`UPDATE subscriptions SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`).run({ ...columns, id });
          if (changes.active) notify({ type: 'due' });
        }),
      delete: (id) => write(() => void stmt.deleteSub.run(id)),
    };

    this.events = {
      insert: (event: EventRow, deliveries: NewDelivery[]) =>
        write(() => {
          this.checkFile();
          db.transaction(() => {
            stmt.insertEvent.run(event);
            for (const d of deliveries) stmt.insertDelivery.run({ ...d, event_id: event.id, now: event.created_at });
          })();
          if (deliveries.length > 0) notify({ type: 'due' });
        }),
      get: (id) => read(() => (stmt.getEvent.get(id) as EventRow | undefined) ?? null),
      list: (limit, cursor, type) => read(() => stmt.listEvents.all({ limit, cursor, type }) as EventRow[]),
      deliveries: (eventId) =>
        read(() => {
          const attempts = new Map<string, AttemptRow[]>();
          for (const a of stmt.attemptsForEvent.all(eventId) as RawAttempt[]) {
            const list = attempts.get(a.delivery_id) ?? [];
            list.push(attempt(a));
            attempts.set(a.delivery_id, list);
          }
          return (stmt.deliveriesForEvent.all(eventId) as DeliveryRow[]).map((d) => ({ delivery: d, attempts: attempts.get(d.id) ?? [] }));
        }),
    };

    this.queue = {
      get: (id) => read(() => withAttempts([stmt.getDelivery.get(id) as DeliveryRow | undefined].filter((d) => d !== undefined))[0] ?? null),
      forSubscription: (sub, limit, cursor) => read(() => withAttempts(stmt.deliveriesForSub.all({ sub, limit, cursor }) as DeliveryRow[])),
      claimDue: (req: ClaimRequest) => read(() => claim(stmt, req, this.leased)),
      complete: (outcomes: AttemptOutcome[]) =>
        write(() => {
          const now = Date.now();
          db.transaction(() => {
            for (const o of outcomes) {
              stmt.insertAttempt.run({ ...o, success: o.success ? 1 : 0 });
              stmt.completeDelivery.run({ ...o, now });
            }
          })();
          for (const o of outcomes) this.leased.delete(o.delivery_id);
          notify({ type: 'attempted', delivery_ids: outcomes.map((o) => o.delivery_id) });
        }),
      // One process holds the file: a lease needs no renewal.
      renew: () => Promise.resolve(),
      // A delivery in flight is not touched: that attempt is its next one.
      retryNow: (id, now) =>
        write(() => {
          const changed = !this.leased.has(id) && stmt.retryNow.run({ id, now }).changes > 0;
          if (changed) notify({ type: 'due' });
          return changed;
        }),
      owed: () => read(() => (stmt.owed.get() as { n: number }).n),
    };

    this.hooks = {
      insert: (h) => write(() => void stmt.insertHook.run({ ...h, fail_open: h.fail_open ? 1 : 0 })),
      get: (id) => read(() => {
        const raw = stmt.getHook.get(id) as RawHook | undefined;
        return raw ? hookRow(raw) : null;
      }),
      list: () => read(() => (stmt.listHooks.all() as RawHook[]).map(hookRow)),
      delete: (id) => write(() => stmt.deleteHook.run(id).changes > 0),
      record: (run) =>
        write(() => {
          stmt.insertRun.run(storeHookRun(run));
          notify({ type: 'hook_ran', hook_id: run.hook_id, run_id: run.id });
        }),
      runs: (hookId, limit) => read(() => (stmt.runs.all({ hook: hookId, limit }) as StoredHookRun[]).map(readHookRun)),
    };

    this.watch = setInterval(() => {
      try {
        this.checkFile();
      } catch {
        // Reported by the guard; every later call answers with it.
      }
    }, VANISH_CHECK_MS);
    this.watch.unref();
  }

  /**
   * Opens (or creates) `server.db` in `dir`, migrated. A full disk, a
   * read-only or damaged file is a StorageError with the fix (exit 4), not a crash.
   */
  static open(dir: string, report: (problem: StorageError | null, sinceMs: number) => void): SqlitePlatformStore {
    let db: Database.Database | null = null;
    let file = '';
    try {
      ({ db, file } = openDatabase(dir, 'server.db', ''));
      migrateSqlite(db);
    } catch (err) {
      db?.close();
      throw sqliteProblem(err, file || `${dir}/server.db`) ?? err;
    }
    return new SqlitePlatformStore(db, file, new StorageGuard((err) => sqliteProblem(err, file), report));
  }

  keptValue(key: string, fresh: string): Promise<string> {
    return this.guard.run(true, () => {
      this.db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, fresh);
      return (this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string }).value;
    });
  }

  subscribe(listener: (n: StoreNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.watch);
    this.listeners.clear();
    this.db.close();
  }

  /**
   * A file removed or replaced under us keeps taking writes (to the unlinked
   * inode) that no one will ever read: every answer from then on would be a
   * lie, so the store stops and says so.
   */
  private checkFile(): void {
    let ino: number | null;
    try {
      ino = statSync(this.location).ino;
    } catch {
      ino = null;
    }
    if (ino === this.inode) return;
    const err = new StorageError(
      'vanished',
      `${this.location} was ${ino === null ? 'removed' : 'replaced'} while hooks server ran: what it held since is lost, and nothing more is accepted`,
      'restart hooks server: it starts a fresh store (or restores the data dir from a backup first)',
    );
    this.guard.stop(err);
    throw err;
  }
}

function prepare(db: Database.Database) {
  return {
    insertSub: db.prepare(`INSERT INTO subscriptions (id, name, url, events, description, provider, active, secret, created_at, updated_at)
      VALUES (@id, @name, @url, @events, @description, @provider, @active, @secret, @created_at, @updated_at)`),
    getSub: db.prepare(`SELECT s.*, ${LAST_DELIVERY} FROM subscriptions s WHERE s.id = ?`),
    listSubs: db.prepare(`SELECT s.*, ${LAST_DELIVERY} FROM subscriptions s WHERE (@cursor IS NULL OR s.id < @cursor) ORDER BY s.id DESC LIMIT @limit`),
    activeSubs: db.prepare('SELECT s.*, NULL AS last_delivery FROM subscriptions s WHERE s.active = 1'),
    deleteSub: db.prepare('DELETE FROM subscriptions WHERE id = ?'),
    insertEvent: db.prepare('INSERT INTO events (id, type, provider, data, created_at) VALUES (@id, @type, @provider, @data, @created_at)'),
    insertDelivery: db.prepare(`INSERT INTO deliveries (id, event_id, subscription_id, message_id, body, status, next_attempt_at, created_at, updated_at)
      VALUES (@id, @event_id, @subscription_id, @message_id, @body, 'pending', @now, @now, @now)`),
    getEvent: db.prepare('SELECT id, type, provider, data, created_at FROM events WHERE id = ?'),
    // Event ids are in each platform's own format and do not sort by time: insertion order does.
    listEvents: db.prepare(`SELECT id, type, provider, data, created_at FROM events WHERE (@cursor IS NULL OR rowid < (SELECT rowid FROM events WHERE id = @cursor))
      AND (@type IS NULL OR type = @type) ORDER BY rowid DESC LIMIT @limit`),
    getDelivery: db.prepare(`SELECT ${DELIVERY} WHERE d.id = ?`),
    deliveriesForEvent: db.prepare(`SELECT ${DELIVERY} WHERE d.event_id = ? ORDER BY d.id`),
    deliveriesForSub: db.prepare(`SELECT ${DELIVERY} WHERE d.subscription_id = @sub AND (@cursor IS NULL OR d.id < @cursor) ORDER BY d.id DESC LIMIT @limit`),
    attemptsFor: db.prepare('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number'),
    attemptsForEvent: db.prepare('SELECT a.* FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id = ? ORDER BY a.delivery_id, a.number'),
    // Oldest first through the partial index: a window of rows, of which the caller keeps what is not in flight and what the per-subscription bound allows.
    due: db.prepare(`SELECT d.id, d.subscription_id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
      WHERE ${DUE} AND d.next_attempt_at <= @now ORDER BY d.next_attempt_at LIMIT @scan`),
    // What an attempt needs, read for the rows taken only.
    target: db.prepare(`SELECT d.id, d.event_id, coalesce(d.message_id, d.event_id) AS message_id, e.type AS event_type, d.subscription_id, d.attempt_count, d.body,
      s.url, s.provider, s.secret, s.previous_secret, s.previous_secret_expires_at
      FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN events e ON e.id = d.event_id WHERE d.id = ?`),
    // In index order, so that the walk stops at the first row not in flight.
    upcoming: db.prepare(`SELECT d.id, d.next_attempt_at AS at FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE ${DUE} ORDER BY d.next_attempt_at`),
    // A delivery deleted with its subscription during the attempt has nothing left to record.
    insertAttempt: db.prepare(`INSERT INTO attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_excerpt, success, next_retry_at)
      SELECT @delivery_id, @number, @started_at, @duration_ms, @status_code, @error, @response_excerpt, @success, @next_attempt_at WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = @delivery_id)`),
    completeDelivery: db.prepare(`UPDATE deliveries SET status = @next_status, attempt_count = @number, next_attempt_at = @next_attempt_at,
      last_status_code = @status_code, last_error = @error, updated_at = @now WHERE id = @delivery_id`),
    retryNow: db.prepare(`UPDATE deliveries SET status = 'pending', next_attempt_at = @now, updated_at = @now WHERE id = @id`),
    owed: db.prepare(`SELECT count(*) AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE d.status IN ('pending', 'retrying') AND s.active = 1`),
    insertHook: db.prepare('INSERT INTO hook_registrations (id, name, provider, type, url, secret, fail_open, created_at) VALUES (@id, @name, @provider, @type, @url, @secret, @fail_open, @created_at)'),
    getHook: db.prepare('SELECT id, name, provider, type, url, secret, fail_open, created_at FROM hook_registrations WHERE id = ?'),
    listHooks: db.prepare('SELECT id, name, provider, type, url, secret, fail_open, created_at FROM hook_registrations ORDER BY rowid DESC'),
    deleteHook: db.prepare('DELETE FROM hook_registrations WHERE id = ?'),
    insertRun: db.prepare('INSERT INTO hook_runs (id, hook_id, flow, email, started_at, request, outcome) VALUES (@id, @hook_id, @flow, @email, @started_at, @request, @outcome)'),
    runs: db.prepare('SELECT id, hook_id, flow, email, started_at, request, outcome FROM hook_runs WHERE (@hook IS NULL OR hook_id = @hook) ORDER BY rowid DESC LIMIT @limit'),
  };
}

type Statements = ReturnType<typeof prepare>;

function claim(stmt: Statements, req: ClaimRequest, leased: Set<string>): ClaimResult {
  const now = Date.now();
  // What is in flight is at the front of the queue: the window reaches past it.
  const window = stmt.due.all({ now, capped: JSON.stringify(cappedAfter(req, [])), scan: leased.size + Math.max(64, req.limit * 4) }) as Array<{ id: string; subscription_id: string }>;
  const claimed = pick(
    window.filter((d) => !leased.has(d.id)),
    req,
  ).map((d) => {
    leased.add(d.id);
    return stmt.target.get(d.id) as ClaimedDelivery;
  });
  if (claimed.length === req.limit) return { claimed, nextDueAt: now };
  for (const row of stmt.upcoming.iterate({ capped: JSON.stringify(cappedAfter(req, claimed)) }) as Iterable<{ id: string; at: number }>) {
    if (!leased.has(row.id)) return { claimed, nextDueAt: row.at };
  }
  return { claimed, nextDueAt: null };
}

/** The subscriptions at their bound once `taken` is in flight too: their deliveries are not due for this worker. */
export function cappedAfter(req: Pick<ClaimRequest, 'perSubscription' | 'busy'>, taken: ReadonlyArray<{ subscription_id: string }>): string[] {
  const counts = new Map(req.busy);
  for (const d of taken) counts.set(d.subscription_id, (counts.get(d.subscription_id) ?? 0) + 1);
  return [...counts].filter(([, n]) => n >= req.perSubscription).map(([sub]) => sub);
}

/** Oldest first, no subscription beyond its bound: the rows of a window that this claim takes. */
export function pick<T extends { subscription_id: string }>(rows: T[], req: Pick<ClaimRequest, 'limit' | 'perSubscription' | 'busy'>): T[] {
  const taken: T[] = [];
  const counts = new Map(req.busy);
  for (const row of rows) {
    if (taken.length >= req.limit) break;
    const n = counts.get(row.subscription_id) ?? 0;
    if (n >= req.perSubscription) continue;
    counts.set(row.subscription_id, n + 1);
    taken.push(row);
  }
  return taken;
}

function parseSubscription(raw: RawSubscription | undefined): SubscriptionRow | null {
  if (!raw) return null;
  return {
    ...raw,
    events: JSON.parse(raw.events) as string[],
    active: raw.active === 1,
    verification: raw.verification ? (JSON.parse(raw.verification) as Verification) : null,
    last_delivery: raw.last_delivery ? JSON.parse(raw.last_delivery) : null,
  };
}

function attempt(a: RawAttempt & { id?: number }): AttemptRow {
  return {
    delivery_id: a.delivery_id,
    number: a.number,
    started_at: a.started_at,
    duration_ms: a.duration_ms,
    status_code: a.status_code,
    error: a.error,
    response_excerpt: a.response_excerpt,
    success: Boolean(a.success),
    next_retry_at: a.next_retry_at,
  };
}

/** SQLite's errors that are the machine's, in words a person acts on. */
export function sqliteProblem(err: unknown, file: string): StorageError | null {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StorageError('full', `the disk holding ${file} is full`, 'free some space: hooks server goes on by itself once it can write again');
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new StorageError('read_only', `${file} cannot be written (${code}: ${e.message})`, 'give this user write access to the file and its directory, or pass --data-dir with a writable directory');
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new StorageError('damaged', `${file} is damaged (${e.message})`, `move it aside (mv ${file} ${file}.damaged) and start again with a fresh store`);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new StorageError('unavailable', `${file} cannot be read or written (${code}: ${e.message})`, 'check the disk and the data dir; hooks server goes on once it can write again');
  }
  return null;
}
