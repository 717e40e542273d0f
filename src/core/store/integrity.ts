import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** Up to this size the start check reads every page (SQLite's quick_check: about 0.2 s for 130 MB here); past it, a few. */
export const FULL_CHECK_BYTES = 32 * 1024 * 1024;

/**
 * A check of the store at start that stays cheap on a large one: a small
 * store is checked whole (`PRAGMA quick_check`); a large one by its header
 * against its size (a truncated file) and by both ends of every table and
 * index (their root and edge pages). Damage elsewhere in a large store is
 * found when a read or a write reaches it. Throws SQLite's corruption
 * error, as SQLite would.
 */
export function checkStore(db: Database.Database, file: string): void {
  const size = statSync(file).size;
  if (size <= FULL_CHECK_BYTES) {
    const problems = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>).map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw damaged(problems.join('; '));
    return;
  }
  const shorter = truncation(file, size);
  if (shorter) throw damaged(shorter);
  for (const sql of EDGES) db.prepare(sql).all();
}

/**
 * Moves a damaged store out of the way (with its WAL and shared memory, so
 * what was committed stays readable together) and returns where it went:
 * `events.db.damaged-2026-01-31T10-00-00-000Z`.
 */
export function moveAside(file: string): string {
  const movedTo = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, movedTo);
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${movedTo}${suffix}`);
  return movedTo;
}

const EDGES = [
  'SELECT seq FROM deliveries ORDER BY seq LIMIT 1',
  'SELECT seq FROM deliveries ORDER BY seq DESC LIMIT 1',
  'SELECT received_at FROM deliveries ORDER BY received_at LIMIT 1',
  'SELECT received_at FROM deliveries ORDER BY received_at DESC LIMIT 1',
  'SELECT event_type FROM deliveries INDEXED BY deliveries_by_type ORDER BY event_type LIMIT 1',
  'SELECT event_type FROM deliveries INDEXED BY deliveries_by_type ORDER BY event_type DESC LIMIT 1',
  'SELECT id FROM attempts ORDER BY id LIMIT 1',
  'SELECT id FROM attempts ORDER BY id DESC LIMIT 1',
  'SELECT delivery_id FROM attempts INDEXED BY attempts_by_delivery ORDER BY delivery_id LIMIT 1',
  'SELECT delivery_id FROM attempts INDEXED BY attempts_by_delivery ORDER BY delivery_id DESC LIMIT 1',
];

/**
 * A file shorter than its header says it is (SQLite's file format, §1.3: the
 * page size at offset 16, the page count at 28, valid when the change
 * counter at 24 equals the version at 92). Only without a WAL to recover:
 * pages past the end of the file may then live in it.
 */
function truncation(file: string, size: number): string | null {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 32) return null;
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const pages = header.readUInt32BE(28);
  if (header.readUInt32BE(24) !== header.readUInt32BE(92) || pages === 0) return null;
  return pages * pageSize > size ? `the file is ${size} bytes, its header says ${pages} pages of ${pageSize}: it was cut short` : null;
}

function damaged(message: string): Error {
  return Object.assign(new Error(`database disk image is malformed: ${message}`), { code: 'SQLITE_CORRUPT' });
}
