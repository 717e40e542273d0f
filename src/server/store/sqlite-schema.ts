import type Database from 'better-sqlite3';

/**
 * The emulator's SQLite schema, as numbered migrations: each runs once, in
 * order, and `PRAGMA user_version` records how far a file is. A file written
 * before the numbering (version 0) may already have the first tables, so the
 * first steps are written to be safe on it.
 */
const MIGRATIONS: Array<(db: Database.Database) => void> = [
  (db) => {
    db.exec(`
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
CREATE INDEX IF NOT EXISTS attempts_by_delivery ON attempts(delivery_id, number);`);
    // Added after the first release: a file written before it gets the column (null reads as the event id).
    if (!(db.pragma('table_info(deliveries)') as Array<{ name: string }>).some((c) => c.name === 'message_id')) db.exec('ALTER TABLE deliveries ADD COLUMN message_id TEXT');
  },
  // What the platform keeps for as long as its data lives (Asgardeo's organization id).
  (db) => db.exec('CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)'),
  // Synchronous hook registrations and their runs (kept in memory before). A run outlives its
  // registration (the feed is a history), so it has no foreign key; rowid orders both, newest last.
  (db) => {
    db.exec(`
CREATE TABLE hook_registrations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  provider TEXT NOT NULL,
  type TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT,
  fail_open INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE hook_runs (
  id TEXT PRIMARY KEY,
  hook_id TEXT NOT NULL,
  flow TEXT NOT NULL,
  email TEXT,
  started_at INTEGER NOT NULL,
  request TEXT NOT NULL,
  outcome TEXT NOT NULL
);
CREATE INDEX hook_runs_by_hook ON hook_runs(hook_id);`);
  },
];

export function migrateSqlite(db: Database.Database): void {
  const at = db.pragma('user_version', { simple: true }) as number;
  for (let v = at; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      MIGRATIONS[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
