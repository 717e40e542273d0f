import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** A store on a read-only file system is read into memory up to this size. */
const IN_MEMORY_BYTES = 512 * 1024 * 1024;

/**
 * A connection that only reads `file`, and needs no write to open it: no
 * directory made, no mode changed, no schema applied. A WAL store needs its
 * shared-memory file; where none was left (the store was closed cleanly, so
 * its WAL is empty and gone) and none can be made (a read-only file system,
 * a directory the user cannot write), the file is read into memory instead, marked as a rollback-journal database (its WAL holds
 * nothing, so the file is the whole of it). `fileMustExist`: a reader never
 * creates a store.
 */
export function openReadOnly(file: string): Database.Database {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    // The WAL's shared memory is opened on the first read, not with the connection.
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } catch (err) {
    db?.close();
    const code = (err as { code?: string }).code;
    // SQLite says CANTOPEN (a read-only file system) or READONLY_DIRECTORY (a directory this user cannot write).
    if ((code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_READONLY_DIRECTORY') || !cannotWriteBeside(file) || existsSync(`${file}-wal`)) throw err;
    if (statSync(file).size > IN_MEMORY_BYTES) throw err;
    const image = readFileSync(file);
    // File format §1.3: bytes 18 and 19 are 2 for WAL, 1 for a rollback journal.
    if (image[18] === 2) image[18] = image[19] = 1;
    return new Database(image, { readonly: true });
  }
}

function cannotWriteBeside(file: string): boolean {
  try {
    accessSync(dirname(file), constants.W_OK);
    return false;
  } catch (err) {
    return ['EROFS', 'EACCES', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '');
  }
}
