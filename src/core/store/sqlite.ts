import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UsageError } from '../errors.js';

/**
 * A database file of ours: in a 0700 directory, mode 0600 (it holds secrets
 * and webhook bodies), WAL with synchronous=NORMAL (a commit survives the
 * process being killed), foreign keys on, and the schema applied.
 * `create: false` opens one that exists, and never makes it or its directory.
 */
export function openDatabase(dir: string, name: string, schema: string, opts: { create?: boolean } = {}): { db: Database.Database; file: string } {
  const create = opts.create ?? true;
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (create) checkDataDir(dir);
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

/**
 * A data dir someone else can write is refused, as a hooks.json is: they
 * could swap the database or its WAL for their own (forged deliveries, a
 * server's subscriptions and secrets). Ours is created 0700; one that
 * existed must be the user's (or root's) and writable by nobody else.
 */
export function checkDataDir(dir: string): void {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  const st = statSync(dir);
  const refuse = (why: string, fix: string): never => {
    throw new UsageError(`refusing ${dir}: ${why}`, fix, 'unsafe_data_dir');
  };
  if (!st.isDirectory()) refuse('it is not a directory', 'pass --data-dir a directory of your own');
  if (st.uid !== uid && st.uid !== 0) refuse(`it belongs to another user (uid ${st.uid}, you are ${uid})`, `use a directory of your own (--data-dir), or: chown $USER ${dir}`);
  if (st.mode & 0o002 || (st.mode & 0o020 && st.gid !== process.getgid?.())) refuse('other users can write it', `chmod 700 ${dir}`);
}
