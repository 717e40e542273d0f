import { PidRecords } from './pid-records.js';

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

const sessions = new PidRecords<SessionRecord>('sessions');

export function recordSession(record: SessionRecord, env: NodeJS.ProcessEnv = process.env): void {
  sessions.write(record, env);
}

export function forgetSession(pid: number, env: NodeJS.ProcessEnv = process.env): void {
  sessions.forget(pid, env);
}

/** Sessions whose process is alive; the records of dead ones (kill -9) are removed on the way. */
export function runningSessions(env: NodeJS.ProcessEnv = process.env): SessionRecord[] {
  return sessions.running(env);
}
