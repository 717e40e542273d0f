import { curlCommand, type CurlHeaderValue } from '../export/curl.js';
import { comparable, lineDiff, type DiffLine } from '../export/diff.js';
import { redactHeaders, SECRET_HEADERS } from '../providers/secret-headers.js';
import type { ReceivedDelivery } from '../store/event-store.js';
import { replayHeaders } from './replayer.js';

export interface EditPreview {
  /** The edited body against the stored one, line by line (null when too long to compare). */
  diff: DiffLine[] | null;
  /** The headers that would be sent: the stored ones, signature headers signed anew over the edited body; secret headers withheld. */
  headers: Array<[string, string]>;
}

/** What an edited replay would send, before it is sent. */
export function previewEdit(d: ReceivedDelivery, body: Buffer, secret: string, now = Date.now()): EditPreview {
  return { diff: lineDiff(comparable(d.body), comparable(body)), headers: redactHeaders(replayHeaders(d, secret, now, body)).headers };
}

/**
 * The delivery as a curl command for `target`; with a secret, its signature
 * headers are signed now, so they are valid when the command is run soon. A
 * header that holds the secret itself (Okta's Authorization) is never
 * written into it: the command reads it from `HOOKS_SECRET_<PROVIDER>`.
 */
export function curlFor(d: ReceivedDelivery, target: URL, secret: string | null, now = Date.now()): { command: string; signed: boolean; env: string[] } {
  const variable = d.provider ? `HOOKS_SECRET_${d.provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}` : 'HOOKS_SECRET';
  const headers = replayHeaders(d, secret ?? undefined, now).map(([name, value]): [string, CurlHeaderValue] => [name, SECRET_HEADERS.has(name.toLowerCase()) ? { env: variable } : value]);
  const env = headers.some(([, v]) => typeof v !== 'string') ? [variable] : [];
  const path = target.pathname !== '/' || target.search ? `${target.pathname}${target.search}` : d.path;
  return { command: curlCommand(`${target.origin}${path}`, d.method, headers, d.body), signed: secret !== null, env };
}
