import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { ConnectError, UsageError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { ClaimRequest, ClaimResult, DeliveryQueue, EventLog, HookStore, PlatformStore, StoreNotice, SubscriptionStore } from './platform-store.js';
import type { AttemptOutcome, AttemptRow, ClaimedDelivery, DeliveryRow, DeliveryWithAttempts, EventRow, HookRow, NewDelivery, NewSubscriptionRow, StoredHookRun, SubscriptionChanges, SubscriptionRow } from './rows.js';
import { readHookRun, storeHookRun } from './rows.js';
import { migratePostgres } from './postgres-schema.js';
import { cappedAfter } from './sqlite-store.js';
import { StorageError, StorageGuard } from './storage-error.js';

const UNFINISHED = "d.status IN ('pending', 'retrying')";
const LAST_DELIVERY = `(SELECT json_build_object('status', d.status, 'status_code', d.last_status_code, 'at', d.updated_at)
  FROM deliveries d WHERE d.subscription_id = s.id ORDER BY d.id DESC LIMIT 1) AS last_delivery`;
const DELIVERY = `d.id, d.event_id, d.message_id, e.type AS event_type, d.subscription_id, s.provider, d.status, d.attempt_count,
  d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.updated_at FROM deliveries d JOIN events e ON e.id = d.event_id JOIN subscriptions s ON s.id = d.subscription_id`;
const ATTEMPT = 'a.delivery_id, a.number, a.started_at, a.duration_ms, a.status_code, a.error, a.response_excerpt, a.success, a.next_retry_at';

/** Wakes the dispatchers of every instance: payload, the instance that sent it. */
const DUE_CHANNEL = 'hooks_due';
/** Attempts recorded: payload, `instance|id,id,…`. */
const ATTEMPTED_CHANNEL = 'hooks_attempted';
/** A hook run stored: payload, `instance|hook id|run id`. */
const HOOK_RAN_CHANNEL = 'hooks_hook_ran';
const HOOK = 'id, name, provider, type, url, secret, fail_open, created_at';
/** NOTIFY payloads stay under PostgreSQL's 8,000 bytes. */
const IDS_PER_NOTICE = 200;
const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

/** bigint (milliseconds, sequence numbers) as numbers: every value here is far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) => (oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/**
 * The platform in PostgreSQL, shared by any number of `hooks server`
 * instances (node-postgres, one pool each). Claims lock due rows with
 * `FOR UPDATE SKIP LOCKED` and lease them for a while that the dispatcher
 * renews; an instance that dies leaves leases that run out and are claimed
 * by the others. LISTEN/NOTIFY wakes every dispatcher when something falls
 * due and tells every instance of each attempt recorded.
 */
export class PostgresPlatformStore implements PlatformStore {
  readonly kind = 'postgres';
  readonly shared = true;
  readonly subscriptions: SubscriptionStore;
  readonly events: EventLog;
  readonly queue: DeliveryQueue;
  readonly hooks: HookStore;
  private readonly instance = newId('ins');
  private readonly listeners = new Set<(n: StoreNotice) => void>();
  private listener: pg.Client | null = null;
  private reconnects = 0;
  private closed = false;
  private dueSending = false;
  private dueAgain = false;

  private constructor(
    private readonly pool: pg.Pool,
    /** Claims and heartbeats: a lease lost with a crash of the database costs nothing, so their commits do not wait for the disk. */
    private readonly leases: pg.Pool,
    private readonly config: pg.ClientConfig,
    readonly location: string,
    private readonly guard: StorageGuard,
  ) {
    const read = <T>(fn: () => Promise<T>) => guard.run(false, fn);
    const write = <T>(fn: () => Promise<T>) => guard.run(true, fn);
    const q = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await pool.query<R>(text, values)).rows;
    const withAttempts = async (rows: DeliveryRow[]): Promise<DeliveryWithAttempts[]> => {
      if (rows.length === 0) return [];
      const attempts = groupAttempts(await q<AttemptRow>(`SELECT ${ATTEMPT} FROM attempts a WHERE a.delivery_id = ANY($1) ORDER BY a.delivery_id, a.number`, [rows.map((d) => d.id)]));
      return rows.map((d) => ({ delivery: d, attempts: attempts.get(d.id) ?? [] }));
    };

    this.subscriptions = {
      insert: (s: NewSubscriptionRow) =>
        write(async () => {
          await q(
            `INSERT INTO subscriptions (id, name, url, events, description, provider, active, secret, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
            [s.id, s.name, s.url, JSON.stringify(s.events), s.description, s.provider, s.active, s.secret, s.created_at],
          );
        }),
      get: (id) => read(async () => (await q<SubscriptionRow>(`SELECT s.*, ${LAST_DELIVERY} FROM subscriptions s WHERE s.id = $1`, [id]))[0] ?? null),
      list: (limit, cursor) => read(() => q<SubscriptionRow>(`SELECT s.*, ${LAST_DELIVERY} FROM subscriptions s WHERE ($2::text IS NULL OR s.id < $2) ORDER BY s.id DESC LIMIT $1`, [limit, cursor])),
      active: () => read(() => q<SubscriptionRow>('SELECT s.*, NULL AS last_delivery FROM subscriptions s WHERE s.active')),
      update: (id: string, changes: SubscriptionChanges, now: number) =>
        write(async () => {
          const columns: Record<string, unknown> = { ...changes, updated_at: now };
          if (changes.events) columns.events = JSON.stringify(changes.events);
          if (changes.verification !== undefined) columns.verification = changes.verification ? JSON.stringify(changes.verification) : null;
          const names = Object.keys(columns);
          // Column names come from the typed field list, never from a request.
          await q(`UPDATE subscriptions SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...names.map((n) => columns[n])]);
          if (changes.active) this.due();
        }),
      delete: (id) => write(async () => void (await q('DELETE FROM subscriptions WHERE id = $1', [id]))),
    };

    this.events = {
      insert: (event: EventRow, deliveries: NewDelivery[]) =>
        write(async () => {
          // One statement: the event and its deliveries commit together.
          await q(
            `WITH e AS (INSERT INTO events (id, type, provider, data, created_at) VALUES ($1, $2, $3, $4, $5))
             INSERT INTO deliveries (id, event_id, subscription_id, message_id, body, status, next_attempt_at, created_at, updated_at)
             SELECT x.id, $1, x.sub, x.msg, x.body, 'pending', $5, $5, $5 FROM unnest($6::text[], $7::text[], $8::text[], $9::bytea[]) AS x (id, sub, msg, body)`,
            [event.id, event.type, event.provider, event.data, event.created_at, deliveries.map((d) => d.id), deliveries.map((d) => d.subscription_id), deliveries.map((d) => d.message_id), deliveries.map((d) => d.body)],
          );
          if (deliveries.length > 0) this.due();
        }),
      get: (id) => read(async () => (await q<EventRow>('SELECT id, type, provider, data, created_at FROM events WHERE id = $1', [id]))[0] ?? null),
      list: (limit, cursor, type) =>
        read(() =>
          q<EventRow>(
            `SELECT id, type, provider, data, created_at FROM events WHERE ($2::text IS NULL OR seq < (SELECT seq FROM events WHERE id = $2))
             AND ($3::text IS NULL OR type = $3) ORDER BY seq DESC LIMIT $1`,
            [limit, cursor, type],
          ),
        ),
      deliveries: (eventId) => read(async () => withAttempts(await q<DeliveryRow>(`SELECT ${DELIVERY} WHERE d.event_id = $1 ORDER BY d.id`, [eventId]))),
    };

    this.queue = {
      get: (id) => read(async () => (await withAttempts(await q<DeliveryRow>(`SELECT ${DELIVERY} WHERE d.id = $1`, [id])))[0] ?? null),
      forSubscription: (sub, limit, cursor) =>
        read(async () => withAttempts(await q<DeliveryRow>(`SELECT ${DELIVERY} WHERE d.subscription_id = $1 AND ($3::text IS NULL OR d.id < $3) ORDER BY d.id DESC LIMIT $2`, [sub, limit, cursor]))),
      claimDue: (req) => write(() => this.claim(req)),
      complete: (outcomes: AttemptOutcome[], worker: string) =>
        write(async () => {
          const col = <K extends keyof AttemptOutcome>(k: K) => outcomes.map((o) => o[k]);
          // PostgreSQL's text holds no NUL; an answer that has one keeps the rest.
          const text = (values: Array<string | null>) => values.map((v) => (v === null ? null : v.replaceAll('\u0000', '\uFFFD')));
          await q(
            `WITH o AS (
               SELECT * FROM unnest($1::text[], $2::int[], $3::int8[], $4::float8[], $5::int[], $6::text[], $7::text[], $8::bool[], $9::text[], $10::int8[])
                 AS o (delivery_id, number, started_at, duration_ms, status_code, error, response_excerpt, success, next_status, next_attempt_at)),
             ins AS (
               INSERT INTO attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_excerpt, success, next_retry_at)
               SELECT o.delivery_id, o.number, o.started_at, o.duration_ms, o.status_code, o.error, o.response_excerpt, o.success, o.next_attempt_at
               FROM o WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = o.delivery_id))
             UPDATE deliveries d SET status = o.next_status, attempt_count = o.number, next_attempt_at = o.next_attempt_at, last_status_code = o.status_code,
               last_error = o.error, updated_at = $11, lease_owner = NULL, lease_until = NULL
             FROM o WHERE d.id = o.delivery_id AND d.lease_owner = $12`,
            [
              col('delivery_id'),
              col('number'),
              col('started_at'),
              col('duration_ms'),
              col('status_code'),
              text(col('error')),
              text(col('response_excerpt')),
              col('success'),
              col('next_status'),
              col('next_attempt_at'),
              Date.now(),
              worker,
            ],
          );
          const ids = outcomes.map((o) => o.delivery_id);
          this.tell({ type: 'attempted', delivery_ids: ids });
          for (let i = 0; i < ids.length; i += IDS_PER_NOTICE) this.notify(ATTEMPTED_CHANNEL, `${this.instance}|${ids.slice(i, i + IDS_PER_NOTICE).join(',')}`);
        }),
      renew: (worker, ids, leaseMs) => write(async () => void (await leases.query('UPDATE deliveries SET lease_until = $3 WHERE id = ANY ($2) AND lease_owner = $1', [worker, ids, Date.now() + leaseMs]))),
      retryNow: (id, now) =>
        write(async () => {
          const rows = await q(`UPDATE deliveries SET status = 'pending', next_attempt_at = $2, updated_at = $2 WHERE id = $1 AND (lease_owner IS NULL OR lease_until <= $2) RETURNING id`, [id, now]);
          if (rows.length > 0) this.due();
          return rows.length > 0;
        }),
      owed: () => read(async () => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE ${UNFINISHED} AND s.active`))[0]!.n),
    };

    this.hooks = {
      insert: (h) =>
        write(async () => void (await q(`INSERT INTO hook_registrations (${HOOK}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [h.id, h.name, h.provider, h.type, h.url, h.secret, h.fail_open, h.created_at]))),
      get: (id) => read(async () => (await q<HookRow>(`SELECT ${HOOK} FROM hook_registrations WHERE id = $1`, [id]))[0] ?? null),
      list: () => read(() => q<HookRow>(`SELECT ${HOOK} FROM hook_registrations ORDER BY seq DESC`)),
      delete: (id) => write(async () => (await q('DELETE FROM hook_registrations WHERE id = $1 RETURNING id', [id])).length > 0),
      record: (run) =>
        write(async () => {
          const r = storeHookRun(run);
          await q('INSERT INTO hook_runs (id, hook_id, flow, email, started_at, request, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)', [r.id, r.hook_id, r.flow, r.email, r.started_at, r.request, r.outcome]);
          this.tell({ type: 'hook_ran', hook_id: run.hook_id, run_id: run.id });
          void this.notify(HOOK_RAN_CHANNEL, `${this.instance}|${run.hook_id}|${run.id}`);
        }),
      runs: (hookId, limit) =>
        read(async () => (await q<StoredHookRun>('SELECT id, hook_id, flow, email, started_at, request, outcome FROM hook_runs WHERE ($1::text IS NULL OR hook_id = $1) ORDER BY seq DESC LIMIT $2', [hookId, limit])).map(readHookRun)),
    };
  }

  /**
   * Connects, applies the migrations and starts listening. An unreachable
   * server is a ConnectError (exit 3); a refused login or a missing database
   * is a usage error that names the URL (without its password).
   */
  static async open(url: string, report: (problem: StorageError | null, sinceMs: number) => void): Promise<PostgresPlatformStore> {
    const location = redact(url);
    const config: pg.ClientConfig = { connectionString: url, types, connectionTimeoutMillis: 10_000, query_timeout: 15_000, statement_timeout: 15_000, application_name: 'hooks server' };
    const pool = new pg.Pool({ ...config, max: 8, idleTimeoutMillis: 30_000 });
    const leases = new pg.Pool({ ...config, max: 2, idleTimeoutMillis: 30_000, options: '-c synchronous_commit=off' });
    // An idle connection that the server drops errors here: the next query reports it.
    pool.on('error', () => undefined);
    leases.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client);
      } finally {
        client.release();
      }
    } catch (err) {
      await Promise.all([pool.end(), leases.end()]).catch(() => undefined);
      throw startError(err, location);
    }
    const store = new PostgresPlatformStore(pool, leases, config, location, new StorageGuard((err) => pgProblem(err, location), report));
    try {
      await store.listen();
    } catch (err) {
      await store.close();
      throw startError(err, location);
    }
    return store;
  }

  subscribe(listener: (n: StoreNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The API token every instance answers to: the given one, else the stored one, else a new one stored for all. */
  async sharedToken(given: string | undefined): Promise<{ token: string; created: boolean }> {
    if (given) return { token: given, created: false };
    const fresh = `hk_${randomBytes(24).toString('base64url')}`;
    const token = await this.keptValue('api_token', fresh);
    return { token, created: token === fresh };
  }

  async keptValue(key: string, fresh: string): Promise<string> {
    const { rows } = await this.pool.query<{ value: string }>(
      `WITH ins AS (INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value)
       SELECT value FROM ins UNION ALL SELECT value FROM settings WHERE key = $1 LIMIT 1`,
      [key, fresh],
    );
    return rows[0]!.value;
  }

  /** The console's links and sessions, by hash, so that any instance honours them. */
  readonly consoleLedger = {
    addLink: (token: string, expiresAt: number) => this.guard.run(true, async () => void (await this.pool.query('INSERT INTO console_links (token_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [hash(token), expiresAt]))),
    /** The link's expiry, once: a link opens one session on one instance. */
    takeLink: (token: string) =>
      this.guard.run(true, async () => (await this.pool.query<{ expires_at: number }>('DELETE FROM console_links WHERE token_hash = $1 RETURNING expires_at', [hash(token)])).rows[0]?.expires_at ?? null),
    addSession: (session: string) => this.guard.run(true, async () => void (await this.pool.query('INSERT INTO console_sessions (session_hash, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [hash(session), Date.now()]))),
    hasSession: (session: string) => this.guard.run(false, async () => (await this.pool.query('SELECT 1 FROM console_sessions WHERE session_hash = $1', [hash(session)])).rowCount! > 0),
  };

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.listener?.end().catch(() => undefined);
    await Promise.all([this.pool.end(), this.leases.end()]).catch(() => undefined);
  }

  private tell(n: StoreNotice): void {
    for (const l of this.listeners) l(n);
  }

  /** Something fell due: this instance's dispatcher now, the others by NOTIFY. */
  private due(): void {
    this.tell({ type: 'due' });
    this.wakeOthers();
  }

  /** One wake-up in flight at a time, and one more for everything that fell due meanwhile. */
  private wakeOthers(): void {
    if (this.dueSending) {
      this.dueAgain = true;
      return;
    }
    this.dueSending = true;
    void this.notify(DUE_CHANNEL, this.instance).finally(() => {
      this.dueSending = false;
      if (this.dueAgain) {
        this.dueAgain = false;
        this.wakeOthers();
      }
    });
  }

  /**
   * NOTIFY in a statement of its own, after the data it tells of committed:
   * a transaction that notifies holds a global lock through its commit,
   * which would make every commit wait for the one before it. Lost with a
   * connection, it costs the others a wake-up that their regular claim makes up for.
   */
  private notify(channel: string, payload: string): Promise<void> {
    return this.pool.query('SELECT pg_notify($1, $2)', [channel, payload]).then(
      () => undefined,
      () => undefined,
    );
  }

  private async claim(req: ClaimRequest): Promise<ClaimResult> {
    const now = Date.now();
    const busy = [...req.busy];
    const { rows: claimed } = await this.leases.query<ClaimedDelivery>(
      `WITH due AS (
         SELECT d.id, d.subscription_id, d.next_attempt_at FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
         WHERE ${UNFINISHED} AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1) AND s.active AND d.subscription_id <> ALL ($2::text[])
         ORDER BY d.next_attempt_at LIMIT $3
         FOR UPDATE OF d SKIP LOCKED),
       ranked AS (
         SELECT due.id, due.next_attempt_at, row_number() OVER (PARTITION BY due.subscription_id ORDER BY due.next_attempt_at, due.id) + coalesce(b.n, 0) AS place
         FROM due LEFT JOIN unnest($4::text[], $5::int[]) AS b (sub, n) ON b.sub = due.subscription_id),
       picked AS (SELECT id FROM ranked WHERE place <= $6 ORDER BY next_attempt_at LIMIT $7)
       UPDATE deliveries d SET lease_owner = $8, lease_until = $9
       FROM picked, subscriptions s, events e WHERE d.id = picked.id AND s.id = d.subscription_id AND e.id = d.event_id
       RETURNING d.id, d.event_id, d.message_id, e.type AS event_type, d.subscription_id, d.attempt_count, d.body, s.url, s.provider, s.secret, s.previous_secret, s.previous_secret_expires_at`,
      [now, cappedAfter(req, []), Math.max(64, req.limit * 4), busy.map(([s]) => s), busy.map(([, n]) => n), req.perSubscription, req.limit, req.worker, now + req.leaseMs],
    );
    if (claimed.length === req.limit) return { claimed, nextDueAt: now };
    // The leases of an instance that died run out unseen here: the dispatcher's regular claim finds them.
    const { rows } = await this.leases.query<{ at: number | null }>(
      `SELECT d.next_attempt_at AS at FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
       WHERE ${UNFINISHED} AND d.lease_owner IS NULL AND s.active AND d.subscription_id <> ALL ($1::text[]) ORDER BY d.next_attempt_at LIMIT 1`,
      [cappedAfter(req, claimed)],
    );
    return { claimed, nextDueAt: rows[0]?.at ?? null };
  }

  /** The LISTEN connection, kept up: after a reconnect every dispatcher claims, in case a wake-up was missed. */
  private async listen(): Promise<void> {
    const client = new pg.Client({ ...this.config, query_timeout: undefined, statement_timeout: undefined });
    client.on('notification', (msg) => {
      const payload = msg.payload ?? '';
      if (msg.channel === DUE_CHANNEL) {
        if (payload !== this.instance) this.tell({ type: 'due' });
        return;
      }
      if (msg.channel === HOOK_RAN_CHANNEL) {
        const [from, hookId, runId] = payload.split('|');
        if (from !== this.instance && hookId && runId) this.tell({ type: 'hook_ran', hook_id: hookId, run_id: runId });
        return;
      }
      const bar = payload.indexOf('|');
      if (payload.slice(0, bar) !== this.instance) this.tell({ type: 'attempted', delivery_ids: payload.slice(bar + 1).split(',') });
    });
    const lost = () => {
      if (this.listener !== client || this.closed) return;
      this.listener = null;
      client.end().catch(() => undefined);
      const delay = RECONNECT_MS[Math.min(this.reconnects++, RECONNECT_MS.length - 1)]!;
      setTimeout(() => void this.listen().catch(() => undefined), delay).unref();
    };
    this.listener = client;
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${DUE_CHANNEL}; LISTEN ${ATTEMPTED_CHANNEL}; LISTEN ${HOOK_RAN_CHANNEL}`);
    } catch (err) {
      lost();
      if (this.reconnects <= 1) throw err;
      return;
    }
    this.reconnects = 0;
    this.tell({ type: 'due' });
  }
}

function groupAttempts(rows: AttemptRow[]): Map<string, AttemptRow[]> {
  const by = new Map<string, AttemptRow[]>();
  for (const a of rows) {
    const list = by.get(a.delivery_id) ?? [];
    list.push(a);
    by.set(a.delivery_id, list);
  }
  return by;
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url');

/** The URL as people may see it: the password masked. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.href;
  } catch {
    return 'postgres://…';
  }
}

const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P01', '57P02', '57P03', '53300']);
const DOWN_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Connection ended unexpectedly|Client has encountered a connection error|Query read timeout|terminating connection/i;

/** PostgreSQL's errors that are the environment's, in words a person acts on. */
export function pgProblem(err: unknown, where: string): StorageError | null {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const message = e.message ?? String(err);
  if (code === '53100') return new StorageError('full', `the disk of the PostgreSQL server at ${where} is full`, 'free space on the database server: hooks server goes on by itself once it can write again');
  if (code === '25006') return new StorageError('read_only', `the database at ${where} is read-only (${message})`, 'point --database at the primary, not a standby');
  if (code === 'XX001' || code === 'XX002') return new StorageError('damaged', `the database at ${where} reports damaged data (${message})`, "restore it from a backup; see PostgreSQL's documentation on data corruption");
  if (DOWN_CODES.has(code) || code.startsWith('08') || DOWN_MESSAGES.test(message)) {
    return new StorageError('unavailable', `the database at ${where} does not answer (${code || message})`, 'deliveries wait in the database and go on once it is back; check the PostgreSQL server');
  }
  return null;
}

function startError(err: unknown, where: string): unknown {
  const e = err as { code?: string; message?: string };
  if (e.code === '28P01' || e.code === '28000') return new UsageError(`PostgreSQL at ${where} refused the login: ${e.message}`, 'check the user and password in --database (or HOOKS_DATABASE_URL)', 'database_login');
  if (e.code === '3D000') return new UsageError(`${e.message} at ${where}`, 'create it first (createdb NAME), or name an existing database in the URL', 'database_missing');
  const problem = pgProblem(err, where);
  if (problem?.problem === 'unavailable') return new ConnectError(`cannot reach PostgreSQL at ${where}: ${e.code ?? e.message}`, 'start the database server, or check the host and port in --database (or HOOKS_DATABASE_URL)', 'database_unreachable');
  return problem ?? err;
}
