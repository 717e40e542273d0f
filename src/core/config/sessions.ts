import { rememberLeftover } from './leftovers.js';
import { PidRecords } from './pid-records.js';

/** A running `hooks listen`, as it records itself for `hooks doctor` (and other local tools). */
export interface SessionRecord {
  pid: number;
  local_url: string;
  public_url: string;
  provider: string;
  subscription_id: string | null;
  /** Every subscription the session made or borrowed (one a provider it subscribes as); absent in records of older versions. */
  subscription_ids?: string[];
  /** The API the session made its subscription on; null without one (or one it only borrowed). */
  api_url?: string | null;
  /** Where it forwards. */
  targets?: string[];
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

/**
 * Sessions whose process is alive. The records of dead ones (kill -9, a
 * second Ctrl-C) are removed on the way, and the subscription such a session
 * made is noted as left behind, so the next session on its API removes it.
 */
export function runningSessions(env: NodeJS.ProcessEnv = process.env): SessionRecord[] {
  return sessions.running(env, (dead) => {
    const ids = dead.subscription_ids ?? (dead.subscription_id ? [dead.subscription_id] : []);
    if (dead.api_url) for (const id of ids) rememberLeftover(dead.api_url, id, env);
  });
}
