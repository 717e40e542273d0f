import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { EnvironmentError, type EnvironmentFailure } from './errors.js';

/** A store's own fix for a failure, where it knows a better one than the general hint (the event store's salvage command). */
export type FailureHints = Partial<Record<EnvironmentFailure, string>>;

/** The code a store gives a write that reached its file after the file was removed or replaced under it. */
export const STORE_GONE = 'HOOKS_STORE_GONE';

/**
 * An error of SQLite or the file system read as what failed in the machine
 * (exit 4, with the file, the cause and the fix), or null when it is not one
 * (a constraint, a bug). One reading for every store: the listen session's
 * event store and readers here, and the server's store.
 */
export function storageFailure(err: unknown, file: string, hints: FailureHints = {}): EnvironmentError | null {
  if (err instanceof EnvironmentError) return err;
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const detail = code && !message.includes(code) ? `${message} (${code})` : message;
  const failure = failureOf(code, file);
  if (!failure) return null;
  const dir = dirname(file);
  const say = (text: string, hint: string) => new EnvironmentError(text, hints[failure.kind] ?? hint, failure.kind, file, detail);
  switch (failure.kind) {
    case 'disk_full':
      return say(`no space left on the disk that holds ${file} (${detail})`, `free some space there (df -h ${dir}), or use another --data-dir`);
    case 'read_only':
      return failure.fileSystem
        ? say(`${file} is on a read-only file system (${detail})`, `remount ${dir} read-write, or use another --data-dir`)
        : say(`${file} is read-only: it cannot be written (${detail})`, `give yourself write access (ls -l ${file}, then chmod u+w), or use another --data-dir`);
    case 'damaged':
      return say(`${file} is damaged (${detail})`, `move it aside and start afresh: mv ${file} ${file}.damaged`);
    case 'gone':
      return say(`${file} was removed or replaced while in use${existsSync(dir) ? '' : ' (its directory is gone)'}: what is written now is lost`, 'start again: a fresh store is made then');
    case 'no_access':
      return say(`cannot open ${file}: permission denied (${detail})`, `check who owns ${dir} and what it allows (ls -ld ${dir}), or use another --data-dir`);
    case 'io_error':
      return say(`reading or writing ${file} failed (${detail})`, 'check the disk (dmesg shows its errors), then try again');
    case 'unavailable':
      return say(`the database that holds ${file} does not answer (${detail})`, 'check the database server; what waits in it goes on once it is back');
  }
}

/** Whether an error means the store's file is damaged: the one failure a session can leave behind by moving the file aside. */
export const isDamaged = (err: unknown): err is EnvironmentError => err instanceof EnvironmentError && err.failure === 'damaged';

function failureOf(code: string, file: string): { kind: EnvironmentFailure; fileSystem?: boolean } | null {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return { kind: 'disk_full' };
  // A short read is a file shorter than its own header says: truncated.
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR_SHORT_READ') return { kind: 'damaged' };
  if (code === STORE_GONE || code === 'SQLITE_READONLY_DBMOVED') return { kind: 'gone' };
  if (code === 'EROFS') return { kind: 'read_only', fileSystem: true };
  if (code.startsWith('SQLITE_READONLY')) return { kind: 'read_only', fileSystem: writable(file) === 'EROFS' };
  if (!['SQLITE_CANTOPEN', 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'EIO'].includes(code) && !code.startsWith('SQLITE_IOERR')) return null;
  // SQLite's "cannot open" and "I/O error" name no cause: the file system says which.
  if (!existsSync(dirname(file))) return { kind: 'gone' };
  const access = writable(file);
  if (access === 'EROFS') return { kind: 'read_only', fileSystem: true };
  if (access === 'EACCES' || access === 'EPERM' || code === 'EACCES' || code === 'EPERM') return { kind: 'no_access' };
  if (diskFull(file)) return { kind: 'disk_full' };
  return { kind: 'io_error' };
}

/** Why the file (or, before it exists, its directory) cannot be written; null when it can. */
function writable(file: string): string | null {
  try {
    accessSync(existsSync(file) ? file : dirname(file), constants.W_OK);
    return null;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}

function diskFull(file: string): boolean {
  try {
    return statfsSync(dirname(file)).bavail === 0;
  } catch {
    return false;
  }
}
