import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * A database file of ours: in a 0700 directory, mode 0600 (it holds secrets
 * and webhook bodies), WAL with synchronous=NORMAL (a commit survives the
 * process being killed), foreign keys on, and the schema applied.
 * `create: false` opens one that exists, and never makes it or its directory.
 */
export function openDatabase(dir: string, name: string, schema: string, opts: { create?: boolean } = {}): { db: Database.Database; file: string } {
  const create = opts.create ?? true;
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, name);
  const db = new Database(file, { fileMustExist: !create });
  try {
    // Only when it is not 0600 already: a file that is right needs no write to its inode.
    if ((statSync(file).mode & 0o777) !== 0o600) chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A checkpointed WAL is cut back to this size instead of keeping its largest size forever.
    db.pragma('journal_size_limit = 67108864');
    db.exec(schema);
  } catch (err) {
    db.close();
    throw err;
  }
  return { db, file };
}
