import { PidRecords } from './pid-records.js';

/**
 * A running web inspector (of a listen session or of `hooks inspect`): where
 * it is, and the key with which `hooks inspect --link` asks it for a fresh
 * link. The file is 0600: the key opens browser sessions.
 */
export interface InspectorRecord {
  pid: number;
  url: string;
  /** Accepted only by the inspector's link route, never as a page session. */
  link_key: string;
  store: string;
  started_at: string;
}

export const inspectorRecords = new PidRecords<InspectorRecord>('inspectors');
