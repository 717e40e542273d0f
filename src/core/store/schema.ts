import { basename, dirname } from 'node:path';
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
  sent_body BLOB
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
];

/** Stores this small are converted to incremental vacuum on open; a larger one keeps reusing its free pages instead. */
const CONVERT_BELOW_BYTES = 256 * 1024 * 1024;

/**
 * `events.db` in `dir` with its schema and migrations in place. Freed pages
 * are given back to the file system (auto_vacuum = INCREMENTAL), so the size
 * cap holds on disk and not only in the pages in use.
 */
export function openStoreDatabase(dir: string): { db: Database.Database; file: string } {
  // auto_vacuum is fixed when the first table is made: set it before the schema.
  const opened = openDatabase(dir, 'events.db', '', (db) => db.pragma('auto_vacuum = INCREMENTAL'));
  const { db } = opened;
  db.exec(SCHEMA);
  for (const [table, name, type] of ADDED_COLUMNS) {
    const present = (db.pragma(`table_info(${table})`) as Array<{ name: string }>).some((c) => c.name === name);
    if (!present) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
  }
  // The column sits after the body, so without an index finding it would read every body's pages.
  db.exec('CREATE INDEX IF NOT EXISTS deliveries_by_subscription ON deliveries(subscription_id, received_at) WHERE subscription_id IS NOT NULL');
  if ((db.pragma('auto_vacuum', { simple: true }) as number) !== 2) {
    const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    if (bytes < CONVERT_BELOW_BYTES) {
      db.pragma('auto_vacuum = INCREMENTAL');
      db.exec('VACUUM');
    }
  }
  return opened;
}

/** Another connection to a store whose schema is in place (the write thread's, the checkpointer's). */
export function connectStore(file: string): Database.Database {
  return openDatabase(dirname(file), basename(file), '').db;
}
