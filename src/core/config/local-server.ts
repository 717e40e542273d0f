import { join } from 'node:path';
import { configDir } from './paths.js';
import { readJsonFile, writeSecretFile } from './secret-file.js';

/** What a running `hooks server` leaves for the CLI on the same machine. */
export interface LocalServerInfo {
  url: string;
  token: string;
  data_dir: string;
  pid: number;
}

export function localServerFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'server.json');
}

export function readLocalServer(env: NodeJS.ProcessEnv = process.env): LocalServerInfo | null {
  return readJsonFile<LocalServerInfo>(localServerFile(env));
}

export function writeLocalServer(info: LocalServerInfo, env: NodeJS.ProcessEnv = process.env): string {
  const file = localServerFile(env);
  writeSecretFile(file, `${JSON.stringify(info, null, 2)}\n`);
  return file;
}
