import { curlCommand } from '../export/curl.js';
import { comparable, lineDiff, type DiffLine } from '../export/diff.js';
import type { ReceivedDelivery } from '../store/event-store.js';
import { replayHeaders } from './replayer.js';

export interface EditPreview {
  /** The edited body against the stored one, line by line (null when too long to compare). */
  diff: DiffLine[] | null;
  /** The headers that would be sent: the stored ones, signature headers signed anew over the edited body. */
  headers: Array<[string, string]>;
}

/** What an edited replay would send, before it is sent. */
export function previewEdit(d: ReceivedDelivery, body: Buffer, secret: string, now = Date.now()): EditPreview {
  return { diff: lineDiff(comparable(d.body), comparable(body)), headers: replayHeaders(d, secret, now, body) };
}

/**
 * The delivery as a curl command for `target`; with a secret, its signature
 * headers are signed now, so they are valid when the command is run soon.
 */
export function curlFor(d: ReceivedDelivery, target: URL, secret: string | null, now = Date.now()): { command: string; signed: boolean } {
  const headers = replayHeaders(d, secret ?? undefined, now);
  const path = target.pathname !== '/' || target.search ? `${target.pathname}${target.search}` : d.path;
  return { command: curlCommand(`${target.origin}${path}`, d.method, headers, d.body), signed: secret !== null };
}

/** Two deliveries side by side: their headers (as received) and their bodies (pretty JSON when they parse). */
export function diffDeliveries(a: ReceivedDelivery, b: ReceivedDelivery): { headers: DiffLine[] | null; body: DiffLine[] | null } {
  const headerText = (d: ReceivedDelivery) => d.headers.map(([k, v]) => `${k}: ${v}`).join('\n');
  return { headers: lineDiff(headerText(a), headerText(b)), body: lineDiff(comparable(a.body), comparable(b.body)) };
}
