import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite.js';

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
  sent_body BLOB,
  response_bytes INTEGER
);
CREATE INDEX IF NOT EXISTS attempts_by_delivery ON attempts(delivery_id);
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/** Columns added after the first release; a store written before them gets them on open. */
const ADDED_COLUMNS: Array<[table: string, column: string, type: string]> = [
  ['deliveries', 'body_size', 'INTEGER'],
  ['deliveries', 'body_sha256', 'TEXT'],
  ['deliveries', 'body_truncated', 'INTEGER NOT NULL DEFAULT 0'],
  ['attempts', 'response_headers', 'TEXT'],
  ['attempts', 'sent_body', 'BLOB'],
  ['deliveries', 'subscription_id', 'TEXT'],
  ['attempts', 'response_bytes', 'INTEGER'],
  ['deliveries', 'notes', 'TEXT'],
  ['deliveries', 'reason_message', 'TEXT'],
  ['deliveries', 'checked_with', 'TEXT'],
];

const NAME = 'events.db';

/** Where the event store of `dir` lives. */
export const storeFile = (dir: string): string => join(dir, NAME);

/** `events.db` in `dir` with its schema and migrations in place. */
export function openStoreDatabase(dir: string): { db: Database.Database; file: string } {
  const opened = openDatabase(dir, NAME, '');
  const { db } = opened;
  try {
    db.exec(SCHEMA);
    for (const [table, name, type] of ADDED_COLUMNS) {
      const present = (db.pragma(`table_info(${table})`) as Array<{ name: string }>).some((c) => c.name === name);
      if (!present) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
    }
    // The column sits after the body, so without an index finding it would read every body's pages.
    db.exec('CREATE INDEX IF NOT EXISTS deliveries_by_subscription ON deliveries(subscription_id, received_at) WHERE subscription_id IS NOT NULL');
    migrateOutcomes(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return opened;
}

/**
 * Stores written before 4xx and 3xx answers counted as failed: their rows
 * are read again once, under today's rule, and the store marked so.
 */
function migrateOutcomes(db: Database.Database): void {
  if (db.prepare("SELECT 1 FROM store_meta WHERE key = 'outcome_rule' AND value >= 2").get()) return;
  db.transaction(() => {
    db.exec("UPDATE deliveries SET last_outcome = 'failed' WHERE last_outcome = 'forwarded' AND (last_status IS NULL OR last_status < 200 OR last_status >= 300)");
    db.exec("INSERT INTO store_meta (key, value) VALUES ('outcome_rule', 2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  })();
}

/**
 * Another connection to a store whose schema is in place (the write thread's,
 * the checkpointer's). It never makes the file: a thread that starts after
 * the data dir was removed must not put an empty store in its place.
 */
export function connectStore(file: string): Database.Database {
  return openDatabase(dirname(file), basename(file), '', { create: false }).db;
}
