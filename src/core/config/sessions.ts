import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from './paths.js';
import { readJsonFile, writeSecretFile } from './secret-file.js';

/** A running `hooks listen`, as it records itself for `hooks doctor` (and other local tools). */
export interface SessionRecord {
  pid: number;
  local_url: string;
  public_url: string;
  provider: string;
  subscription_id: string | null;
  /** The session's event store file. */
  store: string;
  started_at: string;
}

const dir = (env: NodeJS.ProcessEnv) => join(configDir(env), 'sessions');

export function recordSession(record: SessionRecord, env: NodeJS.ProcessEnv = process.env): void {
  writeSecretFile(join(dir(env), `${record.pid}.json`), `${JSON.stringify(record, null, 2)}\n`);
}

export function forgetSession(pid: number, env: NodeJS.ProcessEnv = process.env): void {
  rmSync(join(dir(env), `${pid}.json`), { force: true });
}

/** Sessions whose process is alive; the records of dead ones (kill -9) are removed on the way. */
export function runningSessions(env: NodeJS.ProcessEnv = process.env): SessionRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir(env)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const alive: SessionRecord[] = [];
  for (const name of names) {
    const record = readJsonFile<SessionRecord>(join(dir(env), name));
    if (record && isAlive(record.pid)) alive.push(record);
    else rmSync(join(dir(env), name), { force: true });
  }
  return alive;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
