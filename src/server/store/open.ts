import { UsageError } from '../../core/errors.js';
import type { PostgresPlatformStore } from './postgres-store.js';
import { SqlitePlatformStore } from './sqlite-store.js';
import type { StorageError } from './storage-error.js';

export type OpenedStore = SqlitePlatformStore | PostgresPlatformStore;

/** SQLite in the data dir, or the PostgreSQL database at `databaseUrl` (pg is loaded only then). */
export async function openPlatformStore(where: { dataDir: string; databaseUrl?: string }, report: (problem: StorageError | null, sinceMs: number) => void): Promise<OpenedStore> {
  if (!where.databaseUrl) return SqlitePlatformStore.open(where.dataDir, report);
  if (!/^postgres(ql)?:\/\/./.test(where.databaseUrl)) {
    throw new UsageError('--database (or HOOKS_DATABASE_URL) must be a PostgreSQL URL', 'postgres://user:password@host:5432/database; leave it out for the embedded SQLite store in --data-dir');
  }
  const { PostgresPlatformStore } = await import('./postgres-store.js');
  return PostgresPlatformStore.open(where.databaseUrl, report);
}
