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
    const header = (name: string | undefined) => (name ? (headers.get(name) ?? null) : null);
    const headerType = header(p.eventHeaders?.type);
    // The catalog reads the type: GitHub's is the header's event and the body's action together.
    const fromBody = p.catalog.identify(envelope, headerType);
    return { id: header(p.eventHeaders?.id) ?? fromBody.id, type: fromBody.type ?? headerType };
  };
  if (profile) return read(profile);
  const all = candidates.map(read);
  return all.find((i) => i.type !== null) ?? all.find((i) => i.id !== null) ?? { id: null, type: null };
}

/** The body as JSON: an object, or an array for batches; for JSON lines, the first line names the batch. */
function parseObject(body: Uint8Array): object | null {
  if (body.length === 0 || body.length > MAX_PARSED_BYTES) return null;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  // JSON.parse copes with any depth (only stringify overflows); invalid JSON is just not an envelope.
  const parse = (t: string): object | null => {
    try {
      const parsed: unknown = JSON.parse(t);
      return parsed && typeof parsed === 'object' ? parsed : null;
    } catch {
      return null;
    }
  };
  const whole = parse(text);
  if (whole) return whole;
  const newline = text.indexOf('\n');
  return newline > 0 ? parse(text.slice(0, newline)) : null;
}
