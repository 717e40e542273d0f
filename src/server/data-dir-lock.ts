import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UsageError } from '../core/errors.js';
import { sqliteProblem } from './store/sqlite-store.js';

/** Who holds a data dir, for the refusal of the next one. */
interface Holder {
  pid: number;
  url: string | null;
}

/**
 * One `hooks server` per SQLite data dir. The lock is SQLite's own exclusive
 * lock on `server.lock`, held by an open connection: the kernel drops it
 * when the process ends however it ends (`kill -9` too), so a stale lock
 * never blocks a restart, and a second server is refused before it touches
 * the store or server.json.
 */
export class DataDirLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly holderFile: string,
  ) {}

  static acquire(dir: string): DataDirLock {
    const file = join(dir, 'server.lock');
    const holderFile = join(dir, 'server.lock.json');
    let db: Database.Database;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      db = new Database(file, { timeout: 0 });
    } catch (err) {
      throw sqliteProblem(err, file) ?? err;
    }
    try {
      chmodSync(file, 0o600);
      db.pragma('locking_mode = EXCLUSIVE');
      // The first write takes the exclusive lock; EXCLUSIVE mode keeps it until the connection closes.
      db.exec('CREATE TABLE IF NOT EXISTS held (at INTEGER); BEGIN EXCLUSIVE; DELETE FROM held; INSERT INTO held VALUES (unixepoch()); COMMIT');
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw sqliteProblem(err, file) ?? err;
      const holder = readHolder(holderFile);
      const who = holder ? `pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}` : 'starting';
      throw new UsageError(
        `another hooks server (${who}) is using the data dir ${dir}`,
        'stop it first, or give this one its own --data-dir (several servers share one platform with --database postgres://…)',
        'data_dir_in_use',
      );
    }
    try {
      writeHolder(holderFile, { pid: process.pid, url: null });
    } catch (err) {
      db.close();
      throw sqliteProblem(err, holderFile) ?? err;
    }
    return new DataDirLock(db, holderFile);
  }

  /** Names the URL in the holder file once the server listens. */
  listening(url: string): void {
    writeHolder(this.holderFile, { pid: process.pid, url });
  }

  release(): void {
    this.db.close();
  }
}

function writeHolder(file: string, holder: Holder): void {
  writeFileSync(file, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
}

function readHolder(file: string): Holder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return null;
  }
}
