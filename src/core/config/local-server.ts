import { join } from 'node:path';
import { configDir } from './paths.js';
import { processAlive } from './pid-records.js';
import { readJsonFile, writeSecretFile } from './secret-file.js';

/** What a running `hooks server` leaves for the CLI on the same machine. */
export interface LocalServerInfo {
  url: string;
  token: string;
  data_dir: string;
  pid: number;
  /** The server this one took the file over from, while it still runs: the file names it again when this one stops. */
  previous?: Omit<LocalServerInfo, 'previous'>;
}

export function localServerFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'server.json');
}

export function readLocalServer(env: NodeJS.ProcessEnv = process.env): LocalServerInfo | null {
  return readJsonFile<LocalServerInfo>(localServerFile(env));
}

/** Names this server in server.json, keeping the one it replaces if that one still runs. */
export function publishLocalServer(info: Omit<LocalServerInfo, 'previous'>, env: NodeJS.ProcessEnv = process.env): string {
  const before = readLocalServer(env);
  const previous = before && before.pid !== info.pid && before.url !== info.url && processAlive(before.pid) ? { url: before.url, token: before.token, data_dir: before.data_dir, pid: before.pid } : before?.previous;
  const file = localServerFile(env);
  writeSecretFile(file, `${JSON.stringify({ ...info, ...(previous && processAlive(previous.pid) ? { previous } : {}) }, null, 2)}\n`);
  return file;
}

/**
 * A server that stops hands server.json back to the one it took it from,
 * when that one still runs; otherwise the file keeps naming it (its token is
 * reused at the next start).
 */
export function withdrawLocalServer(pid: number, env: NodeJS.ProcessEnv = process.env): void {
  const now = readLocalServer(env);
  if (now?.pid !== pid || !now.previous || !processAlive(now.previous.pid)) return;
  writeSecretFile(localServerFile(env), `${JSON.stringify(now.previous, null, 2)}\n`);
}
