import type Database from 'better-sqlite3';
import type { HandshakeVerification } from '../core/providers/handshake.js';
import { openDatabase } from '../core/store/sqlite.js';

import type { DeliveryStatus } from '../core/api/types.js';

export type { DeliveryStatus };

/** As the API shows it, but with the time in milliseconds. */
export type Verification = HandshakeVerification;

export interface SubscriptionRow {
  id: string;
  name: string;
  url: string;
  events: string[];
  description: string | null;
  provider: string;
  active: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  verification: Verification | null;
  disabled_reason: string | null;
  created_at: number;
  updated_at: number;
  last_delivery: { status: DeliveryStatus; status_code: number | null; at: number } | null;
}

export interface EventRow {
  id: string;
  type: string;
  /** The dialect asked for, or ALL_PROVIDERS when the event went to every provider's subscriptions. */
  provider: string;
  /** The data given, or the one provider's fixture; 'null' when each provider got its own fixture. */
  data: string;
  created_at: number;
}

/** An event sent without `provider`: to matching subscriptions of every provider, each in its own dialect. */
export const ALL_PROVIDERS = '*';

export interface DeliveryRow {
  id: string;
  event_id: string;
  /** The id this delivery's envelope carries (and Standard Webhooks' webhook-id), in its provider's format. */
  message_id: string;
  event_type: string;
  subscription_id: string;
  /** The subscription's provider: the dialect of this delivery. */
  provider: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptRow {
  id: number;
  delivery_id: string;
  number: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
  success: boolean;
  next_retry_at: number | null;
}

/** Everything an attempt needs, read in one query: the delivery and its subscription's endpoint and secrets. */
export type AttemptTarget = Pick<DeliveryRow, 'id' | 'event_id' | 'message_id' | 'event_type' | 'subscription_id' | 'status' | 'attempt_count'> &
  Pick<SubscriptionRow, 'url' | 'provider' | 'active' | 'secret' | 'previous_secret' | 'previous_secret_expires_at'> & { body: Buffer };

export interface NewDelivery {
  id: string;
  subscription_id: string;
  message_id: string;
  body: Buffer;
}

/** An attempt as recorded, and what it makes of its delivery. */
export type AttemptOutcome = Omit<AttemptRow, 'id' | 'next_retry_at'> & {
  next_status: DeliveryStatus;
  next_attempt_at: number | null;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS subscriptions (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  description TEXT,
  provider TEXT NOT NULL,
  active INTEGER NOT NULL,
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_secret_expires_at INTEGER,
  verification TEXT,
  disabled_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  provider TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  subscription_id TEXT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
  message_id TEXT,
  body BLOB NOT NULL,
  status TEXT NOT NULL,
  attempt_count INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_status_code INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_unfinished ON deliveries(next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX IF NOT EXISTS deliveries_by_subscription ON deliveries(subscription_id, id);
CREATE INDEX IF NOT EXISTS deliveries_by_event ON deliveries(event_id);
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY,
  delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  response_excerpt TEXT,
  success INTEGER NOT NULL,
  next_retry_at INTEGER
);
CREATE INDEX IF NOT EXISTS attempts_by_delivery ON attempts(delivery_id, number);
`;

const LAST_DELIVERY = `(SELECT json_object('status', d.status, 'status_code', d.last_status_code, 'at', d.updated_at)
  FROM deliveries d WHERE d.subscription_id = s.id ORDER BY d.id DESC LIMIT 1) AS last_delivery`;

type RawSubscription = Omit<SubscriptionRow, 'events' | 'active' | 'verification' | 'last_delivery'> & {
  events: string;
  active: number;
  verification: string | null;
  last_delivery: string | null;
};

/**
 * The emulator's state in one SQLite file (WAL). Commits are durable against
 * a crash of the process (`kill -9`) before any response is sent.
 */
export class Store {
  readonly db: Database.Database;
  readonly file: string;
  private readonly stmt;

  constructor(dir: string) {
    ({ db: this.db, file: this.file } = openDatabase(dir, 'server.db', SCHEMA));
    const db = this.db;
    // Added after the first release: a database written before it gets the column (null reads as the event id).
    if (!(db.pragma('table_info(deliveries)') as Array<{ name: string }>).some((c) => c.name === 'message_id')) db.exec('ALTER TABLE deliveries ADD COLUMN message_id TEXT');
    this.stmt = {
      insertSub: db.prepare(`INSERT INTO subscriptions (id, name, url, events, description, provider, active, secret, created_at, updated_at)
        VALUES (@id, @name, @url, @events, @description, @provider, @active, @secret, @created_at, @updated_at)`),
      getSub: db.prepare(`SELECT s.*, ${LAST_DELIVERY} FROM subscriptions s WHERE s.id = ?`),
      listSubs: db.prepare(`SELECT s.*, ${LAST_DELIVERY} FROM subscriptions s WHERE (@cursor IS NULL OR s.id < @cursor) ORDER BY s.id DESC LIMIT @limit`),
      activeSubs: db.prepare(`SELECT s.*, NULL AS last_delivery FROM subscriptions s WHERE s.active = 1`),
      deleteSub: db.prepare('DELETE FROM subscriptions WHERE id = ?'),
      insertEvent: db.prepare('INSERT INTO events (id, type, provider, data, created_at) VALUES (@id, @type, @provider, @data, @created_at)'),
      insertDelivery: db.prepare(`INSERT INTO deliveries (id, event_id, subscription_id, message_id, body, status, next_attempt_at, created_at, updated_at)
        VALUES (@id, @event_id, @subscription_id, @message_id, @body, 'pending', @now, @now, @now)`),
      getEvent: db.prepare('SELECT * FROM events WHERE id = ?'),
      // Event ids are in each platform's own format and do not sort by time: insertion order does.
      listEvents: db.prepare(`SELECT * FROM events WHERE (@cursor IS NULL OR rowid < (SELECT rowid FROM events WHERE id = @cursor))
        AND (@type IS NULL OR type = @type) ORDER BY rowid DESC LIMIT @limit`),
      getDelivery: db.prepare(`SELECT d.id, d.event_id, coalesce(d.message_id, d.event_id) AS message_id, e.type AS event_type, d.subscription_id, s.provider, d.status, d.attempt_count, d.next_attempt_at,
        d.last_status_code, d.last_error, d.created_at, d.updated_at FROM deliveries d JOIN events e ON e.id = d.event_id JOIN subscriptions s ON s.id = d.subscription_id WHERE d.id = ?`),
      deliveriesForEvent: db.prepare(`SELECT d.id, d.event_id, coalesce(d.message_id, d.event_id) AS message_id, e.type AS event_type, d.subscription_id, s.provider, d.status, d.attempt_count, d.next_attempt_at,
        d.last_status_code, d.last_error, d.created_at, d.updated_at FROM deliveries d JOIN events e ON e.id = d.event_id JOIN subscriptions s ON s.id = d.subscription_id WHERE d.event_id = ? ORDER BY d.id`),
      deliveriesForSub: db.prepare(`SELECT d.id, d.event_id, coalesce(d.message_id, d.event_id) AS message_id, e.type AS event_type, d.subscription_id, s.provider, d.status, d.attempt_count, d.next_attempt_at,
        d.last_status_code, d.last_error, d.created_at, d.updated_at FROM deliveries d JOIN events e ON e.id = d.event_id JOIN subscriptions s ON s.id = d.subscription_id
        WHERE d.subscription_id = @sub AND (@cursor IS NULL OR d.id < @cursor) ORDER BY d.id DESC LIMIT @limit`),
      attemptsFor: db.prepare('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number'),
      attemptsForEvent: db.prepare('SELECT a.* FROM attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.event_id = ? ORDER BY a.delivery_id, a.number'),
      attemptTarget: db.prepare(`SELECT d.id, d.event_id, coalesce(d.message_id, d.event_id) AS message_id, e.type AS event_type, d.subscription_id, d.status, d.attempt_count, d.body,
        s.url, s.provider, s.active, s.secret, s.previous_secret, s.previous_secret_expires_at
        FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN events e ON e.id = d.event_id WHERE d.id = ?`),
      insertAttempt: db.prepare(`INSERT INTO attempts (delivery_id, number, started_at, duration_ms, status_code, error, response_excerpt, success, next_retry_at)
        VALUES (@delivery_id, @number, @started_at, @duration_ms, @status_code, @error, @response_excerpt, @success, @next_attempt_at)`),
      updateDelivery: db.prepare(`UPDATE deliveries SET status = @next_status, attempt_count = @number, next_attempt_at = @next_attempt_at,
        last_status_code = @status_code, last_error = @error, updated_at = @now WHERE id = @delivery_id`),
      unfinished: db.prepare(`SELECT d.id, d.subscription_id, d.next_attempt_at FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
        WHERE d.status IN ('pending', 'retrying') AND s.active = 1 ORDER BY d.next_attempt_at`),
      unfinishedForSub: db.prepare(`SELECT id, subscription_id, next_attempt_at FROM deliveries WHERE subscription_id = ? AND status IN ('pending', 'retrying')
        ORDER BY next_attempt_at`),
      resetDelivery: db.prepare(`UPDATE deliveries SET status = 'pending', next_attempt_at = @now, updated_at = @now WHERE id = @id`),
    };
  }

  close(): void {
    this.db.close();
  }

  insertSubscription(s: Pick<SubscriptionRow, 'id' | 'name' | 'url' | 'events' | 'description' | 'provider' | 'active' | 'secret' | 'created_at'>): void {
    this.stmt.insertSub.run({ ...s, events: JSON.stringify(s.events), active: s.active ? 1 : 0, updated_at: s.created_at });
  }

  getSubscription(id: string): SubscriptionRow | null {
    const raw = this.stmt.getSub.get(id) as RawSubscription | undefined;
    return raw ? parseSubscription(raw) : null;
  }

  listSubscriptions(limit: number, cursor: string | null): SubscriptionRow[] {
    return (this.stmt.listSubs.all({ limit, cursor }) as RawSubscription[]).map(parseSubscription);
  }

  activeSubscriptions(): SubscriptionRow[] {
    return (this.stmt.activeSubs.all() as RawSubscription[]).map(parseSubscription);
  }

  /** Partial update; `updated_at` is set to `now`. */
  updateSubscription(id: string, fields: Partial<Omit<SubscriptionRow, 'id' | 'created_at' | 'last_delivery'>>, now: number): void {
    const columns: Record<string, unknown> = { ...fields, updated_at: now };
    if (fields.events) columns.events = JSON.stringify(fields.events);
    if (fields.active !== undefined) columns.active = fields.active ? 1 : 0;
    if (fields.verification !== undefined) columns.verification = fields.verification ? JSON.stringify(fields.verification) : null;
    const names = Object.keys(columns);
    // Column names come from the typed field list above, never from a request.
    this.db.prepare(`UPDATE subscriptions SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`).run({ ...columns, id });
  }

  deleteSubscription(id: string): void {
    this.stmt.deleteSub.run(id);
  }

  /** The event and all its deliveries, in one transaction: on disk before the caller answers. */
  insertEvent(event: EventRow, deliveries: NewDelivery[]): void {
    this.db.transaction(() => {
      this.stmt.insertEvent.run(event);
      for (const d of deliveries) this.stmt.insertDelivery.run({ ...d, event_id: event.id, now: event.created_at });
    })();
  }

  getEvent(id: string): EventRow | null {
    return (this.stmt.getEvent.get(id) as EventRow | undefined) ?? null;
  }

  listEvents(limit: number, cursor: string | null, type: string | null): EventRow[] {
    return this.stmt.listEvents.all({ limit, cursor, type }) as EventRow[];
  }

  getDelivery(id: string): DeliveryRow | null {
    return (this.stmt.getDelivery.get(id) as DeliveryRow | undefined) ?? null;
  }

  deliveriesForEvent(eventId: string): DeliveryRow[] {
    return this.stmt.deliveriesForEvent.all(eventId) as DeliveryRow[];
  }

  deliveriesForSubscription(sub: string, limit: number, cursor: string | null): DeliveryRow[] {
    return this.stmt.deliveriesForSub.all({ sub, limit, cursor }) as DeliveryRow[];
  }

  attemptsFor(deliveryId: string): AttemptRow[] {
    return (this.stmt.attemptsFor.all(deliveryId) as Array<Omit<AttemptRow, 'success'> & { success: number }>).map((a) => ({ ...a, success: Boolean(a.success) }));
  }

  /** Every attempt of an event's deliveries, by delivery id, in one query. */
  attemptsForEvent(eventId: string): Map<string, AttemptRow[]> {
    const byDelivery = new Map<string, AttemptRow[]>();
    for (const a of this.stmt.attemptsForEvent.all(eventId) as Array<Omit<AttemptRow, 'success'> & { success: number }>) {
      const list = byDelivery.get(a.delivery_id) ?? [];
      list.push({ ...a, success: Boolean(a.success) });
      byDelivery.set(a.delivery_id, list);
    }
    return byDelivery;
  }

  attemptTarget(deliveryId: string): AttemptTarget | null {
    const row = this.stmt.attemptTarget.get(deliveryId) as (Omit<AttemptTarget, 'active'> & { active: number }) | undefined;
    return row ? { ...row, active: Boolean(row.active) } : null;
  }

  recordAttempts(outcomes: AttemptOutcome[], now: number): void {
    this.db.transaction(() => {
      for (const outcome of outcomes) {
        this.stmt.insertAttempt.run({ ...outcome, success: outcome.success ? 1 : 0 });
        this.stmt.updateDelivery.run({ ...outcome, now });
      }
    })();
  }

  /** Deliveries still owed to active subscriptions: what a restart resumes. */
  unfinished(): Array<{ id: string; subscription_id: string; next_attempt_at: number }> {
    return this.stmt.unfinished.all() as Array<{ id: string; subscription_id: string; next_attempt_at: number }>;
  }

  unfinishedFor(subscriptionId: string): Array<{ id: string; subscription_id: string; next_attempt_at: number }> {
    return this.stmt.unfinishedForSub.all(subscriptionId) as Array<{ id: string; subscription_id: string; next_attempt_at: number }>;
  }

  resetDelivery(id: string, now: number): void {
    this.stmt.resetDelivery.run({ id, now });
  }
}

function parseSubscription(raw: RawSubscription): SubscriptionRow {
  return {
    ...raw,
    events: JSON.parse(raw.events) as string[],
    active: raw.active === 1,
    verification: raw.verification ? (JSON.parse(raw.verification) as Verification) : null,
    last_delivery: raw.last_delivery ? JSON.parse(raw.last_delivery) : null,
  };
}
