import type { EventIdentity } from '../fixtures/catalog.js';
import type { HeaderBag } from '../signing/headers.js';
import type { ProviderProfile } from './profile.js';

/** Bodies larger than this are not parsed just to name their event. */
const MAX_PARSED_BYTES = 5_000_000;

/**
 * The event id and type of a delivery, for the log and the store: from the
 * profile's headers and envelope when the provider is known, else from the
 * first profile whose envelope names them. The body is parsed only to read
 * them; what is forwarded and stored are the bytes as received.
 */
export function identifyEvent(body: Uint8Array, headers: HeaderBag, profile: ProviderProfile | null, candidates: readonly ProviderProfile[]): EventIdentity {
  const envelope = parseObject(body);
  const read = (p: ProviderProfile): EventIdentity => {
    const fromBody = envelope ? p.catalog.identify(envelope) : { id: null, type: null };
    const header = (name: string | undefined) => (name ? (headers.get(name) ?? null) : null);
    return { id: header(p.eventHeaders?.id) ?? fromBody.id, type: header(p.eventHeaders?.type) ?? fromBody.type };
  };
  if (profile) return read(profile);
  const all = candidates.map(read);
  return all.find((i) => i.type !== null) ?? all.find((i) => i.id !== null) ?? { id: null, type: null };
}

function parseObject(body: Uint8Array): Record<string, unknown> | null {
  if (body.length === 0 || body.length > MAX_PARSED_BYTES) return null;
  try {
    // JSON.parse copes with any depth (only stringify overflows); invalid JSON is just not an envelope.
    const parsed: unknown = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
